#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 6: queue rows say it in words. A grade-1 call waiting
past its 5-minute target reads "12 min past the 5 min target" on the row and
to a screen reader, where it used to read "12 min" like a fresh call; a call
within its target does not; a call on hold for an urgent appeal reads
"on hold: appeal"."""

import datetime
import os
import re
import subprocess
import sys

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for

LATE = re.compile(r'\b1[23] min past the 5 min target\b')


def received(minutes_ago):
    at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return at.strftime('%Y-%m-%dT%H:%M:%SZ')


def row_item(app, cad_ref):
    """The queue's list item for @cad_ref."""
    queue = app.queue()
    for i in range(queue.get_child_count()):
        item = queue.get_child_at_index(i)
        if item is not None and item.get_child_count() > 0 and \
                (item.get_child_at_index(0).get_name() or '').startswith(cad_ref + ','):
            return item
    return None


def row_name(app, cad_ref):
    return next((n for n in app.queue_rows() if n.startswith(cad_ref + ',')), None)


def shown_texts(item):
    """What the row's labels say on screen."""
    texts = []
    stack = [item]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.get_role_name() == 'label':
            texts.append(text_of(node) or '')
        for i in range(node.get_child_count()):
            stack.append(node.get_child_at_index(i))
    return texts


def main():
    workspace = Workspace()
    # 12½ minutes: the row reads 12 min for half a minute, then 13.
    workspace.ingest(call('LATE-0001', grade=1, summary='Man on the bridge parapet', received_at=received(12.5)))
    workspace.ingest(call('FRESH-0001', grade=3, summary='Neighbour worried about the man at number 4',
                          received_at=received(2)), name='b.json')
    workspace.ingest(call('HOLD-0001', grade=2, summary='Caller asked for police for her brother',
                          received_at=received(30)), name='c.json')
    workspace.rcrp('decide', 'HOLD-0001', 'signposted', '--answer', 'cfw.risk_to_life=no', '--answer', 'cfw.crime=no',
                   '--answer', 'cfw.missing=no', '--rationale', 'Brother is with the crisis team already')
    workspace.rcrp('appeals', 'lodge', 'HOLD-0001', '--by', 'caller', '--grounds', 'She says he has taken tablets')

    app = App(workspace)
    try:
        wait_for('the three calls in the queue', lambda: all(row_name(app, r) for r in
                                                               ('LATE-0001', 'FRESH-0001', 'HOLD-0001')),
                 root=app.root)

        # Past its target: in words, to a screen reader and on the row.
        late = wait_for('the late call said to be late', lambda: LATE.search(row_name(app, 'LATE-0001') or ''),
                        root=app.root).group(0)
        if not row_name(app, 'LATE-0001').startswith('LATE-0001, Concern for welfare, grade 1, ' + late):
            fail('the late call is read as %r' % row_name(app, 'LATE-0001'), app.root)
        item = row_item(app, 'LATE-0001')
        if not any(LATE.fullmatch(t) for t in shown_texts(item)):
            fail('the late call’s row does not show “%s”: %r' % (late, shown_texts(item)), app.root)

        # Within its target: no such words.
        fresh = row_name(app, 'FRESH-0001')
        if 'past the' in fresh or 'waiting 2 minutes' not in fresh:
            fail('the fresh call reads %r' % fresh, app.root)
        if any('past the' in t for t in shown_texts(row_item(app, 'FRESH-0001'))):
            fail('the fresh call’s row says it is late: %r' % shown_texts(row_item(app, 'FRESH-0001')), app.root)

        # On hold for an urgent appeal.
        held = row_name(app, 'HOLD-0001')
        if 'on hold: appeal' not in held:
            fail('the call on hold reads %r' % held, app.root)
        if 'On hold: appeal' not in shown_texts(row_item(app, 'HOLD-0001')):
            fail('the held call’s row shows %r' % shown_texts(row_item(app, 'HOLD-0001')), app.root)
        if 'past the' in held:
            fail('a call on hold (decided) is said to be late: %r' % held, app.root)

        # For a look by eye, when asked for.
        shot = os.environ.get('RCRP_SCREENSHOT')
        if shot:
            subprocess.run(['import', '-window', 'root', shot], check=False)
    finally:
        app.close()

    print('ok: the late call reads “%s”; the fresh one waits; the held one is on hold: appeal' % late)
    return 0


if __name__ == '__main__':
    sys.exit(main())
