#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 1: no decision not to send police while police are not
ruled out, unless the coordinator overrides the open threshold questions
knowingly, with a reason. Ctrl+Return on an untouched checklist records
nothing; the recommended action is not marked while the panel says
"Incomplete"; No further action asks first, naming the open questions, and
the override is in the record and the history."""

import subprocess
import sys
import time

from rcrpui import CLI, App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

# A press and a release take a keycode (Control_L is 37 in Xvfb's keymap);
# a whole key stroke takes a keysym.
KEYCODE_CONTROL, KEY_RETURN = 37, 0xff0d


def shown(workspace, cad_ref):
    return subprocess.run([CLI, 'show', '--database', workspace.database, cad_ref],
                          capture_output=True, text=True, check=True).stdout


def main():
    workspace = Workspace()
    workspace.ingest(call('THR-0001', grade=3, summary='Neighbour has not seen him for a week'))

    app = App(workspace)
    try:
        wait_for('the call in the queue', lambda: any(n.startswith('THR-0001,') for n in app.queue_rows()),
                 root=app.root)
        app.select_row('THR-0001')
        panel = wait_for('the triage panel',
                         lambda: find(app.root, lambda n: n.get_name() == 'Triage' and n.get_role_name() != 'label'),
                         root=app.root)
        wait_for('an incomplete checklist',
                 lambda: find(panel, lambda n: n.get_role_name() == 'label'
                              and 'Incomplete: police not yet ruled out' in (text_of(n) or '')), root=app.root)

        def outcome_button(name):
            return wait_for('the button “%s”' % name,
                            lambda: find(panel, lambda n: n.get_role_name() == 'push button'
                                         and (n.get_name() or '') == name), root=app.root)

        # Nothing is marked as the action to take while police are not ruled out.
        for name in ('Deploy police', 'Signpost', 'No further action'):
            if outcome_button(name).get_description() == 'Recommended':
                fail('“%s” is marked as recommended while the checklist is incomplete' % name, app.root)

        # Ctrl+Return, from the checklist: no silent "no police".
        # Into the checklist with the pointer, as a coordinator would: an
        # answer of Unknown leaves the question open.
        unknown = wait_for('an answer', lambda: find(panel, lambda n: (n.get_name() or '').startswith(
            "Unknown: Is the person's life at real and immediate risk")), root=app.root)
        box = unknown.get_extents(Atspi.CoordType.WINDOW)  # the window sits at 0,0 on Xvfb
        Atspi.generate_mouse_event(box.x + box.width // 2, box.y + box.height // 2, 'b1c')
        wait_for('the answer focused', lambda: unknown.get_state_set().contains(Atspi.StateType.FOCUSED),
                 root=app.root)
        Atspi.generate_keyboard_event(KEYCODE_CONTROL, None, Atspi.KeySynthType.PRESS)
        Atspi.generate_keyboard_event(KEY_RETURN, None, Atspi.KeySynthType.SYM)
        Atspi.generate_keyboard_event(KEYCODE_CONTROL, None, Atspi.KeySynthType.RELEASE)

        def dialogs():
            # A dialog is a window of its own: list the windows afresh.
            app.root.clear_cache()
            windows = [app.root.get_child_at_index(i) for i in range(app.root.get_child_count())]
            return [w for w in windows if w is not None and w.get_role_name() == 'dialog']

        def override_dialog():
            for dialog in dialogs():
                body = find(dialog, lambda n: n.get_role_name() == 'label'
                            and 'would be recorded while these threshold questions are not answered No'
                            in (text_of(n) or ''))
                if body is not None:
                    return body
            return None
        body = wait_for('the question before a departure', override_dialog, root=app.root)
        for question in ("Is the person's life at real and immediate risk", 'Is a crime being committed',
                         'Is the person really missing'):
            if question not in text_of(body):
                fail('the dialog does not name the open question “%s”: %r' % (question, text_of(body)), app.root)
        if 'none yet' not in shown(workspace, 'THR-0001'):
            fail('Ctrl+Return recorded a decision with police not ruled out:\n' + shown(workspace, 'THR-0001'))

        def response(name):
            for dialog in dialogs():
                # GTK 4.8 may say a response's name twice ("Cancel Cancel").
                button = find(dialog, lambda n: n.get_role_name() == 'push button'
                              and (n.get_name() or '').replace('_', '').split(' ' + name)[0] == name)
                if button is not None:
                    return button
            return None

        cancel = wait_for('Cancel', lambda: response('Cancel'), root=app.root)
        cancel.do_action(0)
        # Not walked while it closes: GTK 4.8 answers for a dialog being
        # torn down with a critical warning.
        time.sleep(1)
        if 'none yet' not in shown(workspace, 'THR-0001'):
            fail('cancelling recorded a decision:\n' + shown(workspace, 'THR-0001'))

        # The button itself asks too, and needs a reason.
        if not outcome_button('No further action').do_action(0):
            fail('could not press No further action', app.root)
        wait_for('the question again', override_dialog, root=app.root)
        record = wait_for('Record Override', lambda: response('Record Override'), root=app.root)
        if record.get_state_set().contains(Atspi.StateType.SENSITIVE):
            fail('an override can be recorded without a reason', app.root)
        reason = wait_for('the reason entry',
                          lambda: next((e for e in (find(d, lambda n: n.get_role_name() == 'text'
                                                         and (n.get_name() or '').startswith('Why police are not needed'))
                                                    for d in dialogs()) if e is not None), None),
                          root=app.root)
        if not reason.set_text_contents('Neighbour has now seen him at the shop; he is well.'):
            fail('could not type the reason', app.root)
        wait_for('Record Override enabled',
                 lambda: response('Record Override') is not None
                 and response('Record Override').get_state_set().contains(Atspi.StateType.SENSITIVE),
                 root=app.root)
        response('Record Override').do_action(0)

        wait_for('the override in the history',
                 lambda: find(panel, lambda n: 'Override: police not ruled out (3 threshold questions open)'
                              in (n.get_description() or '') + (text_of(n) or '')), root=app.root)
        text = shown(workspace, 'THR-0001')
        for expected in ('No further action', 'Rationale: Neighbour has now seen him at the shop; he is well.',
                         'Override: decided without police, these threshold questions not ruled out:',
                         'cfw.risk_to_life', 'cfw.crime', 'cfw.missing'):
            if expected not in text:
                fail('rcrp show lacks “%s”:\n%s' % (expected, text))

        # Once police are ruled out, the recommended action is marked again.
        for question in ("No: Is the person's life at real and immediate risk", 'No: Is a crime being committed',
                         'No: Is the person really missing'):
            node = wait_for(question, lambda: find(panel, lambda n: (n.get_name() or '').startswith(question)),
                            root=app.root)
            node.do_action(0)
        wait_for('Signpost marked as recommended',
                 lambda: outcome_button('Signpost').get_description() == 'Recommended', root=app.root)
    finally:
        app.close()

    print('ok: no police only with the threshold ruled out, or overridden by name with a reason')
    return 0


if __name__ == '__main__':
    sys.exit(main())
