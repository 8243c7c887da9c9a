#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An urgent appeal across two workstations: a coordinator records a
decision not to send police and lodges the caller's appeal; a supervisor,
on a second instance running as a supervisor user, sees the call at the
top of the queue, and overturns the decision; the coordinator's view
follows. The store keeps both decisions."""

import sqlite3
import sys
import time

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)


def roles_match(node, role):
    # The checklist's answers are radio buttons; pressed like buttons.
    return node.get_role_name() == role or (role == 'push button' and node.get_role_name() == 'radio button')


def named(root, role, prefix):
    # A dialog is a window of its own: forget the cached list of windows.
    root.clear_cache()
    return find(root, lambda n: roles_match(n, role) and (n.get_name() or '').replace('_', '').startswith(prefix)
                and n.get_state_set().contains(Atspi.StateType.SENSITIVE))


def respond(app, name):
    """Presses the dialog's response button called exactly @name."""
    def in_dialog(node):
        while node is not None and node.get_parent() is not None and node.get_parent().get_role_name() != 'application':
            node = node.get_parent()
        return node is not None and node.get_role_name() != 'frame'

    def exact():
        app.root.clear_cache()
        return find(app.root, lambda n: n.get_role_name() == 'push button'
                    and (n.get_name() or '').replace('_', '').split(' ' + name)[0] == name and in_dialog(n))
    button = wait_for('the response “%s”' % name, exact, root=app.root)
    windows = app.root.get_child_count()
    if not button.do_action(0):
        fail('could not press “%s”' % name, app.root)
    # HACK: GTK 4.8 raises a GLib-CRITICAL (fatal here) when a client walks
    # into a dialog that is closing: let it go before looking again. Only the
    # application's count of windows is read meanwhile, never the dialog.
    deadline = time.monotonic() + 10
    while app.root.get_child_count() >= windows and time.monotonic() < deadline:
        time.sleep(0.05)


def press(app, prefix, role='push button'):
    button = wait_for('“%s”' % prefix, lambda: named(app.root, role, prefix), root=app.root)
    if not button.do_action(0):
        fail('could not press “%s”' % prefix, app.root)


def type_into(app, prefix, text):
    entry = wait_for('the entry “%s”' % prefix, lambda: named(app.root, 'text', prefix), root=app.root)
    if not entry.set_text_contents(text):
        fail('could not type into “%s”' % prefix, app.root)


def open_dialog(app, button, entry):
    """Presses @button until the dialog with @entry is up: the panel
    rebuilds its rows as the store changes, and a press can land on a row
    that is just being replaced."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        press(app, button)
        for _ in range(20):
            if named(app.root, 'text', entry) is not None:
                return
            time.sleep(0.1)
    fail('no dialog with “%s” after pressing “%s”' % (entry, button), app.root)


def main():
    workspace = Workspace()
    # Whoever creates the database is its administrator; it adds the shift.
    workspace.ingest(call('OLD-0001', grade=1, summary='Earlier urgent call'))
    workspace.ingest(call('APL-0100', grade=4, summary='Caller asked for police for her brother'), name='b.json')
    workspace.rcrp('users', 'add', 'coord', 'coordinator')
    workspace.rcrp('users', 'add', 'sup', 'supervisor')

    coordinator = App(workspace, user='coord')
    supervisor = None
    try:
        wait_for('the call in the queue', lambda: any(n.startswith('APL-0100,') for n in coordinator.queue_rows()),
                 root=coordinator.root)
        coordinator.select_row('APL-0100')

        # A decision not to send police, with its reason, police ruled out first.
        for question in ("No: Is the person's life at real and immediate risk", 'No: Is a crime being committed',
                         'No: Is the person really missing'):
            press(coordinator, question)
        type_into(coordinator, 'Rationale', 'Brother is with the crisis team already; no risk described.')
        press(coordinator, 'Signpost')
        wait_for('the decision', lambda: any(n.startswith('APL-0100,') and 'decided: Signposted' in n
                                             for n in coordinator.queue_rows()), root=coordinator.root)

        # The caller appeals.
        open_dialog(coordinator, 'Lodge appeal', 'Grounds')
        type_into(coordinator, 'Grounds', 'She says he has taken tablets and locked himself in.')
        respond(coordinator, 'Lodge Appeal')
        reference = wait_for('the reference to read out',
                             lambda: find(coordinator.root, lambda n: n.get_role_name() == 'label'
                                          and 'Appeal ESC-' in (text_of(n) or '')), root=coordinator.root)
        reference = text_of(reference).split()[1]
        wait_for('the call on hold, at the top', lambda: coordinator.queue_rows()[0].startswith('APL-0100,')
                 and 'on hold: appeal' in coordinator.queue_rows()[0], root=coordinator.root)

        # The supervisor's workstation.
        supervisor = App(workspace, user='sup')
        wait_for('the appeal at the top of the supervisor’s queue',
                 lambda: supervisor.queue_rows() and supervisor.queue_rows()[0].startswith('APL-0100,')
                 and 'on hold' in supervisor.queue_rows()[0], root=supervisor.root)
        # Told at once: there is no notification server in this test, so the
        # notifier's critical alert is shown in the window.
        wait_for('the supervisor told of the appeal',
                 lambda: find(supervisor.root, lambda n: 'Urgent appeal' in (text_of(n) or '')
                              and ('APL-0100' in (text_of(n) or '') or reference in (text_of(n) or ''))),
                 root=supervisor.root)
        supervisor.select_row('APL-0100')
        wait_for('the grounds shown to the supervisor',
                 lambda: find(supervisor.root, lambda n: 'taken tablets' in (n.get_description() or '')
                              or 'taken tablets' in (text_of(n) or '')), root=supervisor.root)

        open_dialog(supervisor, 'Overturn appeal ' + reference, "Supervisor's rationale")
        type_into(supervisor, "Supervisor's rationale", 'Possible overdose behind a locked door: risk to life.')
        respond(supervisor, 'Overturn')

        # The coordinator's view follows.
        wait_for('the coordinator to see police deployed, off hold',
                 lambda: any(n.startswith('APL-0100,') and 'decided: Police deployed' in n and 'on hold' not in n
                             for n in coordinator.queue_rows()), root=coordinator.root)
        wait_for('the outcome of the appeal in the coordinator’s panel',
                 lambda: find(coordinator.root, lambda n: (reference + ': Overturned') in (text_of(n) or '')),
                 root=coordinator.root)

        db = sqlite3.connect('file:%s?mode=ro' % workspace.database, uri=True)
        try:
            state, by = db.execute('SELECT state, resolved_by FROM appeals WHERE reference = ?',
                                   (reference,)).fetchone()
            decisions = [row[0] for row in db.execute(
                "SELECT e.operator || ':' || json_extract (e.payload, '$.outcome') FROM events e "
                "JOIN calls c ON c.id = e.call_id WHERE c.cad_ref = 'APL-0100' AND e.kind = 'call.decided' "
                "ORDER BY e.id")]
        finally:
            db.close()
        if state != 'overturned' or by != 'sup':
            fail('the appeal is %s by %s' % (state, by))
        if decisions != ['coord:signposted', 'sup:police_deployed']:
            fail('the decisions are %r' % decisions)
    finally:
        if supervisor is not None:
            supervisor.close()
        coordinator.close()

    print('ok: appeal lodged, seen first by the supervisor, overturned; both decisions kept')
    return 0


if __name__ == '__main__':
    sys.exit(main())
