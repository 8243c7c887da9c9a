#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 2: after a second workstation takes a call over, the
first says so ("Taken over by NAME") and stops offering the actions, and a
Signpost pressed there is not recorded; its queue row says who holds the
call."""

import subprocess
import sys
import time

from rcrpui import CLI, App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)


def decisions(workspace, cad_ref):
    shown = subprocess.run([CLI, 'show', '--json', '--database', workspace.database, cad_ref],
                           capture_output=True, text=True, check=True).stdout
    import json
    return json.loads(shown)['decisions']


def main():
    workspace = Workspace()
    workspace.ingest(call('LOST-0001', grade=2, summary='Carer cannot get an answer at the door'))
    workspace.rcrp('users', 'add', 'colleague', 'coordinator')

    first = App(workspace)
    second = None
    try:
        wait_for('the call on the first workstation',
                 lambda: any(n.startswith('LOST-0001,') for n in first.queue_rows()), root=first.root)
        first.select_row('LOST-0001')
        panel = wait_for('the triage panel', lambda: find(first.root, lambda n: n.get_name() == 'Triage'
                                                          and n.get_role_name() != 'label'), root=first.root)
        wait_for('the first workstation working the call',
                 lambda: panel.get_state_set().contains(Atspi.StateType.SENSITIVE), root=first.root)

        # Police ruled out on the first workstation, so Signpost is what it
        # would record at once.
        for question in ("No: Is the person's life at real and immediate risk", 'No: Is a crime being committed',
                         'No: Is the person really missing'):
            node = wait_for(question, lambda: find(panel, lambda n: (n.get_name() or '').startswith(question)),
                            root=first.root)
            node.do_action(0)

        second = App(workspace, user='colleague')
        wait_for('the call on the second workstation',
                 lambda: any(n.startswith('LOST-0001,') for n in second.queue_rows()), root=second.root)
        second.select_row('LOST-0001')
        take_over = wait_for('the take-over button',
                             lambda: find(second.root, lambda n: n.get_role_name() == 'push button'
                                          and (n.get_name() or '').startswith('Take over the call')),
                             root=second.root)
        if not take_over.do_action(0):
            fail('could not take the call over', second.root)
        # Looked for again while the take-over rebuilds the panel's rows.
        second_panel = wait_for('the second workstation’s triage panel',
                                lambda: find(second.root, lambda n: n.get_name() == 'Triage'
                                             and n.get_role_name() != 'label'), root=second.root)
        wait_for('the second workstation working the call',
                 lambda: second_panel.get_state_set().contains(Atspi.StateType.SENSITIVE), root=second.root)

        # The first workstation notices, says who, and offers nothing.
        wait_for('the first workstation told who took the call',
                 lambda: find(first.root, lambda n: n.get_role_name() == 'label'
                              and 'Taken over by colleague' in (text_of(n) or '')), root=first.root)
        wait_for('the first workstation read-only',
                 lambda: not panel.get_state_set().contains(Atspi.StateType.SENSITIVE), root=first.root)
        wait_for('the queue row saying who holds the call',
                 lambda: any(n.startswith('LOST-0001,') and 'holds: colleague' in n for n in first.queue_rows()),
                 root=first.root)

        # A Signpost pressed there anyway is not recorded.
        signpost = find(panel, lambda n: n.get_role_name() == 'push button' and n.get_name() == 'Signpost')
        if signpost is not None:
            signpost.do_action(0)
        time.sleep(1.5)
        if decisions(workspace, 'LOST-0001'):
            fail('a decision was recorded from the workstation that lost the call: %r'
                 % decisions(workspace, 'LOST-0001'))
    finally:
        if second is not None:
            second.close()
        first.close()

    print('ok: a workstation that lost its claim says who has the call and records nothing')
    return 0


if __name__ == '__main__':
    sys.exit(main())
