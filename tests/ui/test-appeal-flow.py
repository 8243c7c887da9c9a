#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 7: the appeal flow from the coordinator's keyboard to the
supervisor's result and back.

- Right after a departing decision, focus is in the rationale entry, and
  Ctrl+Shift+A there lodges the appeal (the entry used to take the key).
- The supervisor's alert gives the appeal's reference whole, not
  "ESC-[number]".
- After the supervisor overturns the decision, the coordinator's workstation
  is told the result, and "on hold for a supervisor" leaves its screen."""

import os
import subprocess
import sys
import time

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

# Presses and releases take keycodes (Xvfb's keymap: Control_L 37,
# Shift_L 50, a 38); a whole key stroke takes a keysym.
KEYCODE_CONTROL, KEYCODE_SHIFT, KEYCODE_A = 37, 50, 38
KEY_X = 0x78


def dialogs(app):
    # A dialog is a window of its own: list the windows afresh.
    app.root.clear_cache()
    windows = [app.root.get_child_at_index(i) for i in range(app.root.get_child_count())]
    return [w for w in windows if w is not None and w.get_role_name() == 'dialog']


def in_dialogs(app, predicate):
    for dialog in dialogs(app):
        node = find(dialog, predicate)
        if node is not None:
            return node
    return None


def roles_match(node, role):
    # The checklist's answers are radio buttons; pressed like buttons.
    return node.get_role_name() == role or (role == 'push button' and node.get_role_name() == 'radio button')


def named(root, role, prefix):
    return find(root, lambda n: roles_match(n, role) and (n.get_name() or '').replace('_', '').startswith(prefix)
                and n.get_state_set().contains(Atspi.StateType.SENSITIVE))


def press(app, prefix, root=None):
    button = wait_for('“%s”' % prefix, lambda: named(root or app.root, 'push button', prefix), root=app.root)
    if not button.do_action(0):
        fail('could not press “%s”' % prefix, app.root)


def respond(app, name):
    """Presses the dialog's response button called exactly @name."""
    def exact():
        # GTK 4.8 may say a response's name twice ("Cancel Cancel").
        return in_dialogs(app, lambda n: n.get_role_name() == 'push button'
                          and (n.get_name() or '').replace('_', '').split(' ' + name)[0] == name)
    button = wait_for('the response “%s”' % name, exact, root=app.root)
    if not button.do_action(0):
        fail('could not press “%s”' % name, app.root)


def open_dialog(app, button, entry):
    """Presses @button until the dialog with @entry is up: the panel
    rebuilds its rows as the store changes."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        press(app, button)
        for _ in range(20):
            if in_dialogs(app, lambda n: n.get_role_name() == 'text' and (n.get_name() or '').startswith(entry)):
                return
            time.sleep(0.1)
    fail('no dialog with “%s” after pressing “%s”' % (entry, button), app.root)


def labels_with(app, words):
    return find(app.window, lambda n: n.get_role_name() == 'label' and words in (text_of(n) or ''))


def main():
    workspace = Workspace()
    # Whoever creates the database is its administrator; it adds the shift.
    workspace.ingest(call('APF-0100', grade=4, summary='Caller asked for police for her brother'))
    workspace.rcrp('users', 'add', 'coord', 'coordinator')
    workspace.rcrp('users', 'add', 'sup', 'supervisor')

    coordinator = App(workspace, user='coord')
    supervisor = None
    try:
        wait_for('the call in the queue', lambda: any(n.startswith('APF-0100,') for n in coordinator.queue_rows()),
                 root=coordinator.root)
        coordinator.select_row('APF-0100')
        panel = wait_for('the triage panel', lambda: find(coordinator.root, lambda n: n.get_name() == 'Triage'
                                                          and n.get_role_name() != 'label'), root=coordinator.root)

        # Police ruled out, then a departure from the recommendation
        # without a reason: the panel asks for one and puts the focus in
        # the rationale.
        for question in ("No: Is the person's life at real and immediate risk", 'No: Is a crime being committed',
                         'No: Is the person really missing'):
            press(coordinator, question, root=panel)
        press(coordinator, 'No further action', root=panel)
        wait_for('the rationale asked for', lambda: labels_with(coordinator, 'write down why'),
                 root=coordinator.root)
        rationale = wait_for('the rationale entry', lambda: named(panel, 'text', 'Rationale'), root=coordinator.root)

        # The focus is there: a key typed lands in it (GTK 4.8 does not
        # report an entry's focus over AT-SPI).
        Atspi.generate_keyboard_event(KEY_X, None, Atspi.KeySynthType.SYM)
        wait_for('the key typed into the rationale', lambda: text_of(rationale) == 'x', root=coordinator.root)
        if not rationale.set_text_contents('Brother is with the crisis team already; no risk described.'):
            fail('could not type the rationale', coordinator.root)
        press(coordinator, 'No further action', root=panel)
        wait_for('the decision', lambda: any(n.startswith('APF-0100,') and 'decided: No further action' in n
                                             for n in coordinator.queue_rows()), root=coordinator.root)
        Atspi.generate_keyboard_event(KEY_X, None, Atspi.KeySynthType.SYM)
        wait_for('the focus still in the rationale after the decision', lambda: text_of(rationale) == 'x',
                 root=coordinator.root)

        # The caller appeals at once: Ctrl+Shift+A, from the rationale.
        Atspi.generate_keyboard_event(KEYCODE_CONTROL, None, Atspi.KeySynthType.PRESS)
        Atspi.generate_keyboard_event(KEYCODE_SHIFT, None, Atspi.KeySynthType.PRESS)
        Atspi.generate_keyboard_event(KEYCODE_A, None, Atspi.KeySynthType.PRESSRELEASE)
        Atspi.generate_keyboard_event(KEYCODE_SHIFT, None, Atspi.KeySynthType.RELEASE)
        Atspi.generate_keyboard_event(KEYCODE_CONTROL, None, Atspi.KeySynthType.RELEASE)
        grounds = wait_for('the appeal dialog from Ctrl+Shift+A in the rationale',
                           lambda: in_dialogs(coordinator, lambda n: n.get_role_name() == 'text'
                                              and (n.get_name() or '').startswith('Grounds')),
                           root=coordinator.root)
        if not grounds.set_text_contents('She says he has taken tablets and locked himself in.'):
            fail('could not type the grounds', coordinator.root)
        respond(coordinator, 'Lodge Appeal')
        notice = wait_for('the reference to read out and the hold',
                          lambda: labels_with(coordinator, 'on hold for a supervisor'), root=coordinator.root)
        reference = text_of(notice).split()[1]
        if not reference.startswith('ESC-'):
            fail('no reference in %r' % text_of(notice), coordinator.root)

        # The supervisor hears of it with the reference whole.
        supervisor = App(workspace, user='sup')
        wait_for('the supervisor told of appeal %s' % reference,
                 lambda: find(supervisor.root, lambda n: 'Urgent appeal' in (text_of(n) or '')
                              and reference in (text_of(n) or '')),
                 root=supervisor.root)
        if find(supervisor.root, lambda n: 'ESC-[number]' in (text_of(n) or '')):
            fail('the supervisor’s alert takes the reference for a phone number', supervisor.root)

        wait_for('the call in the supervisor’s queue',
                 lambda: any(n.startswith('APF-0100,') for n in supervisor.queue_rows()), root=supervisor.root)
        supervisor.select_row('APF-0100')
        open_dialog(supervisor, 'Overturn appeal ' + reference, "Supervisor's rationale")
        rationale = wait_for('the supervisor’s rationale',
                             lambda: in_dialogs(supervisor, lambda n: n.get_role_name() == 'text'
                                                and (n.get_name() or '').startswith("Supervisor's rationale")),
                             root=supervisor.root)
        if not rationale.set_text_contents('Possible overdose behind a locked door: risk to life.'):
            fail('could not type the supervisor’s rationale', supervisor.root)
        respond(supervisor, 'Overturn')

        # The coordinator is told, and the hold leaves the screen.
        wait_for('the coordinator told of the overturn',
                 lambda: find(coordinator.root, lambda n: ('Appeal %s overturned' % reference) in (text_of(n) or '')),
                 root=coordinator.root)
        wait_for('the call off hold in the coordinator’s queue',
                 lambda: any(n.startswith('APF-0100,') and 'decided: Police deployed' in n and 'on hold' not in n
                             for n in coordinator.queue_rows()), root=coordinator.root)
        wait_for('“on hold for a supervisor” gone from the coordinator’s screen',
                 lambda: labels_with(coordinator, 'on hold for a supervisor') is None
                 and labels_with(coordinator, 'awaiting a supervisor') is None, root=coordinator.root)

        # For a look by eye, when asked for.
        shot = os.environ.get('RCRP_SCREENSHOT')
        if shot:
            subprocess.run(['import', '-window', 'root', shot], check=False)
    finally:
        if supervisor is not None:
            supervisor.close()
        coordinator.close()

    print('ok: appeal %s lodged with Ctrl+Shift+A from the rationale, told whole to the supervisor, '
          'its overturn told back' % reference)
    return 0


if __name__ == '__main__':
    sys.exit(main())
