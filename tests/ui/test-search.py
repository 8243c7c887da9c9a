#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Searching the queue while the caller is on the line: words from the
summary, a post code, a name with a diacritic typed without it; text that
is not a word finds nothing and breaks nothing. While searching, each row
says where it matched; without a search it does not."""

import sys

from rcrpui import App, Workspace, call, fail, find, text_of, walk, wait_for


def row_texts(app, cad_ref):
    """What the labels of the row for cad_ref say, or None without that row."""
    queue = app.queue()
    for i in range(queue.get_child_count()):
        item = queue.get_child_at_index(i)
        if item is None or item.get_child_count() == 0:
            continue
        row = item.get_child_at_index(0)
        if (row.get_name() or '').startswith(cad_ref + ','):
            return [text_of(n) or '' for n in walk(row) if n.get_role_name() == 'label']
    return None


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

            # Where each row matched, in a line of its own; nothing more without a search.
            match_line = {'barefoot': 'Patient left ward 4 barefoot', 'so16': 'Postcode: SO16 6YD',
                          'zoe': 'Person: Zoë Hart', 'number': 'Neighbour worried about the man at number 4'}
            if words in match_line:
                wait_for('“%s” in the row found by “%s”' % (match_line[words], words),
                         lambda: match_line[words] in (row_texts(app, expected[0]) or []), root=app.root)
                name = app.queue_rows()[0]
                if not name.startswith(expected[0] + ',') or not name.endswith(', matched: ' + match_line[words]):
                    fail('the row found by “%s” is named “%s”' % (words, name), app.root)
            if words == '':
                for ref in expected:
                    wait_for('no match line in %s' % ref,
                             lambda: not any(('barefoot' in t or 'number' in t or 'Zoë' in t)
                                             for t in row_texts(app, ref) or ['barefoot']), root=app.root)
                if any('matched:' in name for name in app.queue_rows()):
                    fail('rows still say where they matched: %r' % app.queue_rows(), app.root)
    finally:
        app.close()

    print('ok: the queue is searched as you type')
    return 0


if __name__ == '__main__':
    sys.exit(main())
