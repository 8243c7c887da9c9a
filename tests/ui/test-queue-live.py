#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A call ingested by another process appears in the queue; selecting it shows its details."""

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

        rows = wait_for('the second call to appear in the queue',
                        lambda: (lambda r: r if any(n.startswith('SECOND-0002,') for n in r) else None)(app.queue_rows()),
                        root=app.root)

        # Grade 1 with a threshold risk goes to the top, said in words as well as shown.
        if not rows[0].startswith('SECOND-0002, Concern for welfare, grade 1'):
            fail('the urgent call is not first: %r' % rows, app.root)
        if 'risks: Suicidal intent' not in rows[0]:
            fail('the row does not say its risk in words: %r' % rows[0], app.root)

        app.select_row('SECOND-0002')

        details = wait_for('the call details pane',
                           lambda: find(app.root, lambda n: n.get_name() == 'Call details' and n.get_role_name() != 'label'),
                           root=app.root)
        wait_for('the selected call\'s reference in the details',
                 lambda: find(details, lambda n: n.get_role_name() == 'label' and text_of(n) == 'SECOND-0002'),
                 root=app.root)
        wait_for('the selected call\'s summary in the details',
                 lambda: find(details, lambda n: n.get_role_name() == 'label'
                              and text_of(n) == 'Man on the footbridge threatening to jump'),
                 root=app.root)
        wait_for('the history entry',
                 lambda: find(details, lambda n: text_of(n) == 'Received from the C&C feed'),
                 root=app.root)
    finally:
        app.close()

    print('ok: queue updated from another process and details shown')
    return 0


if __name__ == '__main__':
    sys.exit(main())
