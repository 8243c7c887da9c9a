#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A database edited behind the application's back is reported at start:
the background check of the audit chain names the first broken event."""

import sqlite3
import sys

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for


def main():
    workspace = Workspace()
    workspace.ingest('[%s, %s, %s]' % (call('T-1'), call('T-2'), call('T-3')))

    db = sqlite3.connect(workspace.database)
    db.executescript("DROP TRIGGER events_append_only_update;"
                     "UPDATE events SET operator = 'someone else' WHERE id = 2;")
    db.close()

    app = App(workspace)
    try:
        warning = wait_for('the integrity warning',
                           lambda: find(app.root, lambda n: 'failed its integrity check' in (text_of(n) or '')),
                           root=app.root)
        if 'event 2' not in text_of(warning):
            fail('the warning does not name the broken event: %r' % text_of(warning), app.root)
        # The queue still works: a coordinator is warned, not locked out.
        wait_for('the queue', lambda: len(app.queue_rows()) == 3, root=app.root)
    finally:
        app.close()

    print('ok: a tampered log is reported at start, naming the event')
    return 0


if __name__ == '__main__':
    sys.exit(main())
