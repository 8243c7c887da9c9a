#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Without a notification server the app keeps working and shows the alert
in its window, with an Open button that selects the call; with a server
that stops answering, the window stays responsive, the alert is shown in
the window within seconds, and quitting is not held up."""

import datetime
import sys
import time

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for
from notifyserver import NotificationServer


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def toast_saying(app, fragment):
    return find(app.root, lambda n: n.get_role_name() == 'label' and fragment in (text_of(n) or ''))


def main():
    workspace = Workspace()
    app = App(workspace)
    server = None
    try:
        app.queue()

        # No server on the bus at all.
        workspace.ingest(call('NOSRV-0001', grade=2, received_at=now(), summary='Neighbour worried'), 'nosrv.json')
        wait_for('the alert in the window',
                 lambda: toast_saying(app, 'New grade 2 call: Concern for welfare. NOSRV-0001 — Neighbour worried'),
                 timeout=10, root=app.root)
        button = wait_for('the alert\'s Open button',
                          lambda: find(app.root, lambda n: n.get_role_name() == 'push button'
                                       and (n.get_name() or '').startswith('Open')), root=app.root)
        if not button.do_action(0):
            fail('could not press Open', app.root)
        wait_for('Open to show the call',
                 lambda: find(app.root, lambda n: n.get_role_name() == 'label'
                              and n.get_description() == 'Call reference' and text_of(n) == 'NOSRV-0001'),
                 timeout=10, root=app.root)

        # A server that takes the name and then never answers.
        server = NotificationServer(hang=True)
        workspace.ingest(call('HUNG-0002', grade=1, received_at=now(), summary='Man on the bridge'), 'hung.json')
        wait_for('the server to be asked', lambda: any(e['event'] == 'held' for e in server.entries()), timeout=10)

        # The window answers while the server does not. A window blocked on
        # the server would not answer until D-Bus gave up (25 s); the
        # margin is wide so a busy test machine cannot fail it.
        for _ in range(5):
            before = time.monotonic()
            app.queue_rows()
            took = time.monotonic() - before
            if took > 10.0:
                fail('the window took %.1f s to answer while the notification server hung' % took, app.root)
            time.sleep(0.2)

        wait_for('the alert in the window while the server hangs',
                 lambda: toast_saying(app, 'New grade 1 call: Concern for welfare. HUNG-0002'),
                 timeout=10, root=app.root)

        # Later alerts go straight to the window while the server is stuck.
        workspace.ingest(call('HUNG-0003', grade=1, received_at=now(), summary='Second caller about the bridge'),
                         'hung2.json')
        wait_for('the next alert in the window',
                 lambda: toast_saying(app, 'HUNG-0003'), timeout=10, root=app.root)

        before = time.monotonic()
        status = app.close()
        took = time.monotonic() - before
        if status != 0:
            fail('the application exited with status %d' % status)
        if took > 15:
            fail('quitting took %.1f s with a hung notification server' % took)
    finally:
        app.close()
        if server is not None:
            server.stop()

    print('ok: alerts reach the window without a server or with a hung one; nothing blocks')
    return 0


if __name__ == '__main__':
    sys.exit(main())
