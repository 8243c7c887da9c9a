#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 4: the checklist answers are a draft per call, kept in
the store. They survive opening another call (a grade 1 interrupts) and
coming back, an Undo, and a restart; another workstation sees them as the
holder's, read-only."""

import sqlite3
import sys

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

LIFE = "Is the person's life at real and immediate risk"
CRIME = 'Is a crime being committed'
MISSING = 'Is the person really missing'


def kinds(database, cad_ref):
    db = sqlite3.connect('file:%s?mode=ro' % database, uri=True)
    try:
        return [k for (k,) in db.execute("SELECT e.kind FROM events e JOIN calls c ON c.id = e.call_id "
                                         "WHERE c.cad_ref = ? ORDER BY e.id", (cad_ref,))]
    finally:
        db.close()


def panel_of(app):
    return wait_for('the triage panel', lambda: find(app.root, lambda n: n.get_name() == 'Triage'
                                                     and n.get_role_name() != 'label'), root=app.root)


def reasons(app):
    """The recommendation's reasons: each threshold question not answered
    No is listed as "Still unknown"."""
    node = find(panel_of(app), lambda n: n.get_role_name() == 'label' and (text_of(n) or '').startswith('• '))
    return text_of(node) if node is not None else ''


def open_call(app, cad_ref):
    wait_for(cad_ref + ' in the queue', lambda: any(n.startswith(cad_ref + ',') for n in app.queue_rows()),
             root=app.root)
    app.select_row(cad_ref)
    wait_for(cad_ref + ' on show', lambda: find(app.root, lambda n: n.get_role_name() == 'label'
                                                and text_of(n) == cad_ref), root=app.root)


def answer(app, name):
    panel = panel_of(app)
    node = wait_for(name, lambda: find(panel, lambda n: n.get_role_name() in ('push button', 'toggle button', 'radio button')
                                       and (n.get_name() or '').startswith(name)
                                       and n.get_state_set().contains(Atspi.StateType.SENSITIVE)), root=app.root)
    if not node.do_action(0):
        fail('could not press “%s”' % name, app.root)


def only_missing_open(app):
    text = reasons(app)
    return 'Still unknown: ' + MISSING in text and 'Still unknown: ' + LIFE not in text \
        and 'Still unknown: ' + CRIME not in text


def main():
    workspace = Workspace()
    workspace.ingest(call('DRF-0001', grade=3, summary='Friend worried: no answer since Tuesday'))
    workspace.ingest(call('DRF-0002', grade=1, summary='Man on the footbridge', received_at='2026-11-22T14:05:00Z'),
                     name='b.json')
    workspace.rcrp('users', 'add', 'colleague', 'coordinator')

    app = App(workspace)
    other = None
    try:
        open_call(app, 'DRF-0001')
        answer(app, 'No: ' + LIFE)
        answer(app, 'No: ' + CRIME)
        wait_for('two threshold questions answered', lambda: only_missing_open(app), root=app.root)

        # A grade 1 interrupts; then back to the first call.
        open_call(app, 'DRF-0002')
        wait_for('the other call’s own checklist', lambda: 'Still unknown: ' + LIFE in reasons(app), root=app.root)
        open_call(app, 'DRF-0001')
        wait_for('the answers still there after opening another call', lambda: only_missing_open(app),
                 root=app.root)

        # A decision, then its Undo: the answers stay.
        answer(app, 'No: ' + MISSING)
        wait_for('police ruled out', lambda: 'Still unknown' not in reasons(app), root=app.root)
        answer(app, 'Signpost')
        wait_for('the decision', lambda: 'call.decided' in kinds(workspace.database, 'DRF-0001'), root=app.root)
        answer(app, 'Unknown: ' + MISSING)  # the coordinator has second thoughts
        undo = wait_for('the Undo toast', lambda: find(app.window, lambda n: n.get_role_name() == 'push button'
                                                       and (n.get_name() or '').startswith('Undo')), root=app.root)
        undo.do_action(0)
        wait_for('the undo', lambda: 'call.decision_undone' in kinds(workspace.database, 'DRF-0001'), root=app.root)
        wait_for('the answers still there after the undo', lambda: only_missing_open(app), root=app.root)

        # Another workstation sees them as the holder's, read-only.
        other = App(workspace, user='colleague')
        open_call(other, 'DRF-0001')
        wait_for('the holder’s answers on the other workstation', lambda: only_missing_open(other), root=other.root)
        wait_for('whose answers they are',
                 lambda: find(other.root, lambda n: n.get_role_name() == 'label'
                              and 'Answers so far by' in (text_of(n) or '') and 'read only' in (text_of(n) or '')),
                 root=other.root)
        if panel_of(other).get_state_set().contains(Atspi.StateType.SENSITIVE):
            fail('the other workstation can change the holder’s answers', other.root)
        other.close()
        other = None

        # A restart.
        app.close()
        app = App(workspace)
        open_call(app, 'DRF-0001')
        wait_for('the answers still there after a restart', lambda: only_missing_open(app), root=app.root)
    finally:
        if other is not None:
            other.close()
        app.close()

    print('ok: the checklist is kept per call through another call, an undo and a restart, and shown to others')
    return 0


if __name__ == '__main__':
    sys.exit(main())
