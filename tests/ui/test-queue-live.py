#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A call ingested by another process appears in the queue; selecting it shows
its details, which follow an update sent while it is on show."""

import sys

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for


def main():
    workspace = Workspace()
    workspace.ingest(call('FIRST-0001', grade=3, summary='Caller worried about her brother'), 'first.json')

    app = App(workspace)
    try:
        wait_for('the first call in the queue',
                 lambda: any(name.startswith('FIRST-0001,') for name in app.queue_rows()), root=app.root)

        # Another workstation (here: the command-line tool) stores a more urgent call.
        workspace.ingest(call('SECOND-0002', grade=1, summary='Man on the footbridge threatening to jump',
                              extra=', "risk_indicators": ["suicidal_intent"]'), 'second.json')

        # The app looks twice a second; five seconds is a guard against a hang, not a timing target.
        rows = wait_for('the second call to appear in the queue',
                        lambda: (lambda r: r if any(n.startswith('SECOND-0002,') for n in r) else None)(app.queue_rows()),
                        timeout=5, root=app.root)

        # Grade 1 with a threshold risk goes to the top, said in words as well as shown.
        if not rows[0].startswith('SECOND-0002, Concern for welfare, grade 1'):
            fail('the urgent call is not first: %r' % rows, app.root)
        if 'risks: Suicidal intent' not in rows[0]:
            fail('the row does not say its risk in words: %r' % rows[0], app.root)

        app.select_row('SECOND-0002')

        details = wait_for('the call details pane',
                           lambda: find(app.root, lambda n: n.get_name() == 'Call details' and n.get_role_name() != 'label'),
                           root=app.root)
        # The reference label says what it is to assistive technology.
        wait_for('the selected call\'s reference in the details',
                 lambda: find(details, lambda n: n.get_role_name() == 'label'
                              and n.get_description() == 'Call reference' and text_of(n) == 'SECOND-0002'),
                 root=app.root)
        wait_for('the selected call\'s summary in the details',
                 lambda: find(details, lambda n: n.get_role_name() == 'label'
                              and text_of(n) == 'Man on the footbridge threatening to jump'),
                 root=app.root)
        wait_for('the history entry',
                 lambda: find(details, lambda n: text_of(n) == 'Received from the C&C feed'),
                 root=app.root)

        # The C&C system sends a changed version: the pane on show follows it,
        # and the row says it was updated, in words.
        workspace.ingest(call('SECOND-0002', grade=1, summary='Man now on the railway side of the footbridge',
                              extra=', "risk_indicators": ["suicidal_intent"]'), 'second-update.json')
        wait_for('the updated summary in the details',
                 lambda: find(details, lambda n: n.get_role_name() == 'label'
                              and text_of(n) == 'Man now on the railway side of the footbridge'),
                 timeout=5, root=app.root)
        wait_for('the version count in the details',
                 lambda: find(details, lambda n: text_of(n) == '2 versions from the C&C feed'),
                 root=app.root)
        wait_for('the row to say the call was updated',
                 lambda: any(n.startswith('SECOND-0002,') and ', updated' in n for n in app.queue_rows()),
                 root=app.root)
    finally:
        app.close()

    print('ok: queue updated from another process, details shown and kept up to date')
    return 0


if __name__ == '__main__':
    sys.exit(main())
