#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Searching the queue while the caller is on the line: words from the
summary, a post code, a name with a diacritic typed without it; text that
is not a word finds nothing and breaks nothing."""

import sys

from rcrpui import App, Workspace, call, fail, find, wait_for



def main():
    workspace = Workspace()
    workspace.ingest(call('SRCH-0001', summary='Patient left ward 4 barefoot',
                          extra=', "location": {"postcode": "SO16 6YD"}, "subject": {"name": "Zoë Hart"}'))
    workspace.ingest(call('SRCH-0002', summary='Neighbour worried about the man at number 4'), name='b.json')

    app = App(workspace)
    try:
        wait_for('both calls', lambda: len(app.queue_rows()) == 2, root=app.root)

        toggle = wait_for('the search button', lambda: find(app.root, lambda n: n.get_role_name() in ('push button', 'toggle button')
                                                            and (n.get_name() or '').startswith('Search')),
                          root=app.root)
        if not toggle.do_action(0):
            fail('could not open the search bar', app.root)
        entry = wait_for('the search entry', lambda: find(app.root, lambda n: 'EditableText' in n.get_interfaces()
                                                          and (n.get_name() or '').startswith('Search calls')),
                         root=app.root)

        def shows(expected):
            return lambda: [r.split(',')[0] for r in app.queue_rows()] == expected

        for words, expected in (('barefoot', ['SRCH-0001']), ('so16', ['SRCH-0001']), ('zoe', ['SRCH-0001']),
                                ('number', ['SRCH-0002']), ('"; DROP', []), ('', ['SRCH-0001', 'SRCH-0002'])):
            if not entry.set_text_contents(words):
                fail('could not type “%s”' % words, app.root)
            wait_for('the queue for “%s”' % words, shows(expected), root=app.root)
    finally:
        app.close()

    print('ok: the queue is searched as you type')
    return 0


if __name__ == '__main__':
    sys.exit(main())
