#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One-click actions: refer a call to the recommended agency in one click,
undo it from the toast, deploy police instead with a rationale. The store
holds all three events, in order, and the undo deleted nothing."""

import json
import sqlite3
import sys

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for
from gi.repository import Atspi  # noqa: E402 (rcrpui first: it prepares the environment)


def call_events(database, cad_ref):
    """The kinds and payloads of the call's decision events, oldest first
    (opening the call also records claims, which are not counted here)."""
    db = sqlite3.connect('file:%s?mode=ro' % database, uri=True)
    try:
        return db.execute("SELECT e.kind, e.payload FROM events e JOIN calls c ON c.id = e.call_id "
                          "WHERE c.cad_ref = ? AND e.kind IN ('call.received', 'call.decided', "
                          "'call.decision_undone') ORDER BY e.id", (cad_ref,)).fetchall()
    finally:
        db.close()


def main():
    workspace = Workspace()
    workspace.ingest(call('CFW-0042', grade=3, summary='Friend worried: he is known to the crisis team'))

    app = App(workspace)
    try:
        wait_for('the call in the queue', lambda: any(n.startswith('CFW-0042,') for n in app.queue_rows()),
                 root=app.root)
        app.select_row('CFW-0042')

        panel = wait_for('the triage panel',
                         lambda: find(app.root, lambda n: n.get_name() == 'Triage' and n.get_role_name() != 'label'),
                         root=app.root)

        def button(name, root=panel):
            return wait_for('the button “%s”' % name,
                            lambda: find(root, lambda n: n.get_role_name() in ('push button', 'toggle button', 'radio button')
                                         and (n.get_name() or '').startswith(name)
                                         and n.get_state_set().contains(Atspi.StateType.SENSITIVE)),
                            root=app.root)

        def click(name, root=panel):
            if not button(name, root).do_action(0):
                fail('could not press “%s”' % name, app.root)

        def recommendation():
            node = find(panel, lambda n: n.get_role_name() == 'label' and n.get_description() == 'Recommendation')
            return text_of(node) if node is not None else None

        click("No: Is the person's life at real and immediate risk")
        click('No: Is a crime being committed')
        click('No: Is the person really missing')
        click('Yes: Is the person known to mental-health services')
        wait_for('a referral recommended', lambda: recommendation() == 'Refer to an agency', root=app.root)

        # The recommended agency is chosen already: one click refers.
        refer = button('Refer to Crisis resolution and home treatment team')
        if refer.get_description() != 'Recommended':
            fail('the referral is not marked as the recommended action', app.root)
        if not refer.do_action(0):
            fail('could not press the referral button', app.root)

        wait_for('the referral recorded', lambda: [k for k, _ in call_events(workspace.database, 'CFW-0042')]
                 == ['call.received', 'call.decided'], root=app.root)
        wait_for('the referral shown with the agency’s phone',
                 lambda: find(panel, lambda n: 'Phone 0300 555 0101' in (n.get_description() or '')
                              or 'Phone 0300 555 0101' in (text_of(n) or '')),
                 root=app.root)

        # Undo, from the toast.
        click('Undo', root=app.window)
        wait_for('the undo recorded', lambda: [k for k, _ in call_events(workspace.database, 'CFW-0042')]
                 == ['call.received', 'call.decided', 'call.decision_undone'], root=app.root)
        wait_for('the queue row back to undecided',
                 lambda: any(n.startswith('CFW-0042,') and 'decided' not in n for n in app.queue_rows()),
                 root=app.root)

        # Police instead: a departure, so a rationale first.
        rationale = wait_for('the rationale entry',
                             lambda: find(panel, lambda n: n.get_role_name() == 'text'
                                          and (n.get_name() or '').startswith('Rationale')),
                             root=app.root)
        if not rationale.set_text_contents('Friend now says he has a knife and has threatened his brother.'):
            fail('could not type the rationale', app.root)
        click('Deploy police')

        def three_in_order():
            events = call_events(workspace.database, 'CFW-0042')
            return [k for k, _ in events] == ['call.received', 'call.decided', 'call.decision_undone',
                                               'call.decided'] and events
        events = wait_for('all three decisions in the store, in order', three_in_order, root=app.root)

        referred = json.loads(events[1][1])
        undone = json.loads(events[2][1])
        deployed = json.loads(events[3][1])
        if referred['outcome'] != 'referred' or referred.get('agency') != 'crisis-team':
            fail('the first decision is not the referral to the crisis team: %r' % referred)
        if undone['outcome'] != 'referred':
            fail('the undo does not name what it undid: %r' % undone)
        if deployed['outcome'] != 'police_deployed' or 'knife' not in deployed.get('rationale', ''):
            fail('the last decision is not the deployment with its rationale: %r' % deployed)

        wait_for('the queue row to say police were deployed',
                 lambda: any(n.startswith('CFW-0042,') and 'decided: Police deployed' in n for n in app.queue_rows()),
                 root=app.root)
    finally:
        app.close()

    print('ok: referred in one click, undone by a recorded undo, then police deployed with a rationale')
    return 0


if __name__ == '__main__':
    sys.exit(main())
