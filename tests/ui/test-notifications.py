#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Desktop notifications, asserted on what a real notification server on
the private session bus receives: a new call's title, body, urgency and
actions, with no personal name in any of it; a call already past its
waiting target when the app starts; Open selects the call and
Claim claims it; a changed call replaces its notification; twenty calls
dropped into the spool at once are one summary; Do not disturb, switched
on in the preferences window, holds back all but critical calls."""

import datetime
import json
import os
import subprocess
import sys
import time

from rcrpui import CLI, App, Workspace, call, fail, find, text_of, wait_for
from notifyserver import NotificationServer

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

PEOPLE = (', "subject": {"name": "Jane Doe", "age": 41}'
          ', "caller": {"name": "John Smith", "phone": "07700 900123", "relationship": "family"}'
          ', "location": {"address": "12 Acacia Avenue, Southampton", "postcode": "SO16 6YD"}')
PERSONAL = ('Jane', 'Doe', 'John', 'Smith', '07700', '900123', 'Acacia', 'SO16')


def now(minutes_ago=0):
    """Calls received now, so that none is past its waiting target during the test."""
    time_received = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return time_received.strftime('%Y-%m-%dT%H:%M:%SZ')


def settle(seconds=2.5):
    """Lets the notifier's burst window close, so phases do not count as one burst."""
    time.sleep(seconds)


def drop(spool, name, document):
    """As the feed contract asks of writers: a dot-name, then a rename."""
    temporary = os.path.join(spool, '.' + name + '.tmp')
    with open(temporary, 'w', encoding='utf-8') as f:
        f.write(document)
    os.rename(temporary, os.path.join(spool, name))


def shown_reference(app):
    node = find(app.root, lambda n: n.get_role_name() == 'label' and n.get_description() == 'Call reference')
    return text_of(node) if node is not None else None


def selected_rows(app):
    queue = app.queue()
    names = []
    for i in range(queue.get_child_count()):
        if queue.is_child_selected(i):
            item = queue.get_child_at_index(i)
            names.append(item.get_child_at_index(0).get_name())
    return names


def press(app, root, role, name):
    node = wait_for('the %s “%s”' % (role, name),
                    lambda: find(root, lambda n: n.get_role_name() == role and (n.get_name() or '') == name
                                 and 'Action' in n.get_interfaces() and n.get_n_actions() > 0),
                    root=app.root)
    if not node.do_action(0):
        fail('could not activate the %s “%s”' % (role, name), app.root)
    return node


def main():
    workspace = Workspace()
    spool = os.path.join(workspace.dir.name, 'spool')
    os.mkdir(spool)
    # Waiting half an hour already, against grade 2's target of 15 minutes.
    workspace.ingest(call('LATE-0000', grade=2, received_at=now(minutes_ago=30), summary='Carer cannot get in'),
                     'late.json')
    server = NotificationServer()
    app = App(workspace, '--spool', spool)
    try:
        app.queue()

        late = wait_for('the late call notified at start',
                        lambda: [n for n in server.notifications() if 'LATE-0000' in n['body']], timeout=10)[0]
        if not (late['summary'].startswith('Grade 2 call waiting 3') and late['summary'].endswith(' min: Concern for welfare')):
            fail('unexpected title for a late call: %r' % late['summary'])
        if late['body'] != 'LATE-0000 — Carer cannot get in\nNo decision yet; the target for grade 2 is 15 min.':
            fail('unexpected body for a late call: %r' % late['body'])

        # A new grade 1 call: grade and category in the title, the reference
        # and the summary's first line in the body, names left out.
        workspace.ingest(call('NEW-0001', grade=1, received_at=now(),
                              summary='John Smith says his sister Jane Doe left 12 Acacia Avenue with a knife\\n'
                                      'Jane Doe was sectioned last year',
                              extra=PEOPLE), 'new.json')
        first = wait_for('the new call notified',
                         lambda: [n for n in server.notifications() if 'NEW-0001' in n['body']], timeout=10)[0]
        if first['summary'] != 'New grade 1 call: Concern for welfare':
            fail('unexpected title: %r' % first['summary'])
        if first['body'] != 'NEW-0001 — [name] says his sister [name] left [address] with a knife':
            fail('unexpected body: %r' % first['body'])
        if first['hints'].get('urgency') != 2:
            fail('a grade 1 call is not critical: %r' % first['hints'])
        actions = dict(zip(first['actions'][::2], first['actions'][1::2]))
        if actions.get('open') != 'Open' or actions.get('claim') != 'Claim':
            fail('the notification lacks Open and Claim: %r' % first['actions'])
        if first['app_name'] != 'Right Care Coordinator':
            fail('unexpected application name %r' % first['app_name'])

        # Open brings the window up with the call selected and on show.
        server.invoke(first['id'], 'open')
        wait_for('Open to select the call',
                 lambda: any(n.startswith('NEW-0001,') for n in selected_rows(app)), timeout=10, root=app.root)
        wait_for('the call on show', lambda: shown_reference(app) == 'NEW-0001', timeout=10, root=app.root)

        # Claim claims a call without opening it.
        settle()
        workspace.ingest(call('CLAIM-0002', grade=2, received_at=now(), summary='Neighbour worried'), 'claim.json')
        second = wait_for('the second call notified',
                          lambda: [n for n in server.notifications() if 'CLAIM-0002' in n['body']], timeout=10)[0]
        if second['hints'].get('urgency') != 1:
            fail('a grade 2 call is not of normal urgency: %r' % second['hints'])
        server.invoke(second['id'], 'claim')
        wait_for('the claim in the record',
                 lambda: 'Opened to work on' in subprocess.run(
                     [CLI, 'show', '--database', workspace.database, 'CLAIM-0002'],
                     capture_output=True, text=True).stdout, timeout=10, root=app.root)
        if shown_reference(app) != 'NEW-0001':
            fail('Claim changed the call on show to %r' % shown_reference(app), app.root)

        # The C&C system changes the call: its notification is replaced, not joined.
        workspace.ingest(call('CLAIM-0002', grade=1, received_at=now(), summary='Neighbour now hears screaming'),
                         'claim-update.json')
        updated = wait_for('the update notified',
                           lambda: [n for n in server.notifications() if 'CLAIM-0002' in n['body']
                                    and n['summary'].startswith('Updated')], timeout=10)[0]
        if updated['replaces_id'] != second['id'] or updated['id'] != second['id']:
            fail('the update did not replace the call\'s notification: %r then %r' % (second, updated))
        if updated['summary'] != 'Updated grade 1 call: Concern for welfare' or updated['hints'].get('urgency') != 2:
            fail('unexpected update: %r' % updated)

        # Twenty calls dropped at once, three of them grade 1: one summary.
        settle()
        before = len(server.entries())
        for i in range(20):
            drop(spool, 'burst-%02d.json' % i,
                 call('BURST-%02d' % i, grade=1 if i in (4, 9, 14) else 3, received_at=now(),
                      summary='Burst call %d' % i))

        def burst_done():
            burst = [n for n in server.entries()[before:] if n['event'] == 'notify']
            return burst if burst and burst[-1]['summary'] == '20 new calls, 3 grade 1' else None

        burst = wait_for('one summary of the burst', burst_done, timeout=15, root=app.root)
        settle()
        entries = server.entries()[before:]
        notified = [e for e in entries if e['event'] == 'notify']
        closed = {e['id'] for e in entries if e['event'] == 'close'}
        on_screen = {n['id'] for n in notified} - closed
        if len(on_screen) != 1:
            fail('the burst left %d notifications on screen, not one: %s' % (len(on_screen), json.dumps(entries)))
        if len(notified) > 8:
            fail('the burst took %d notification calls: %s' % (len(notified), json.dumps(notified)))
        if burst[-1]['hints'].get('urgency') != 2:
            fail('a burst with grade 1 calls is not critical: %r' % burst[-1])
        if not burst[-1]['body'].startswith('Most urgent: BURST-04, grade 1'):
            fail('the summary does not name the most urgent call: %r' % burst[-1]['body'])

        # Do not disturb, from the preferences window: a grade 3 call waits
        # in the queue unannounced, a grade 1 call is still notified.
        press(app, app.root, 'push button', 'Main menu')
        press(app, app.root, 'menu item', 'Preferences')
        preferences = wait_for('the preferences window',
                               lambda: find(app.root, lambda n: n.get_role_name() == 'frame'
                                            and n.get_name() == 'Preferences'), root=app.root)
        for grade, minutes in ((1, '5'), (2, '15'), (3, '60'), (4, '240')):
            spin = find(preferences, lambda n: n.get_role_name() == 'spin button' and n.get_name() == 'Grade %d' % grade)
            if spin is None or text_of(spin) != minutes or 'in minutes' not in spin.get_description():
                fail('no control for the grade %d target of %s minutes' % (grade, minutes), preferences)
        switch = press(app, preferences, 'check box', 'Do Not Disturb')
        wait_for('Do not disturb on', lambda: switch.get_state_set().contains(Atspi.StateType.CHECKED),
                 root=app.root)

        settle()
        before = len(server.notifications())
        workspace.ingest(call('QUIET-0003', grade=3, received_at=now(), summary='Routine welfare check'),
                         'quiet.json')
        wait_for('the quiet call in the queue', lambda: any(n.startswith('QUIET-0003,') for n in app.queue_rows()),
                 root=app.root)
        settle(1.5)
        workspace.ingest(call('LOUD-0004', grade=1, received_at=now(), summary='Man on the bridge'), 'loud.json')
        wait_for('the grade 1 call notified despite Do not disturb',
                 lambda: [n for n in server.notifications() if 'LOUD-0004' in n['body']], timeout=5)
        if any('QUIET-0003' in n['body'] for n in server.notifications()[before:]):
            fail('Do not disturb let a grade 3 call through')

        # Nothing personal left the app, in any field of any call.
        everything = json.dumps(server.entries())
        for word in PERSONAL:
            if word in everything:
                fail('“%s” reached the notification server' % word)
    finally:
        app.close()
        server.stop()

    print('ok: notifications carry no names, act on Open and Claim, replace, coalesce and keep quiet')
    return 0


if __name__ == '__main__':
    sys.exit(main())
