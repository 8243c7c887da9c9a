#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two workstations on one database: the first to open a call holds it;
the second sees who does, cannot decide on it, and takes it over only by
an explicit action."""

import subprocess
import sys

from rcrpui import CLI, App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)


def main():
    workspace = Workspace()
    workspace.ingest(call('CLAIM-0001', grade=2, summary='Neighbour concerned, door open'))

    first = App(workspace)
    second = None
    try:
        wait_for('the call on the first workstation',
                 lambda: any(n.startswith('CLAIM-0001,') for n in first.queue_rows()), root=first.root)
        first.select_row('CLAIM-0001')
        wait_for('the first workstation to hold the call',
                 lambda: 'Opened to work on' in subprocess.run(
                     [CLI, 'show', '--database', workspace.database, 'CLAIM-0001'],
                     capture_output=True, text=True).stdout, root=first.root)

        second = App(workspace)
        wait_for('the call on the second workstation',
                 lambda: any(n.startswith('CLAIM-0001,') for n in second.queue_rows()), root=second.root)
        second.select_row('CLAIM-0001')

        banner = wait_for('who holds the call',
                          lambda: find(second.root, lambda n: n.get_role_name() == 'label'
                                       and 'CLAIM-0001 is being worked by' in (text_of(n) or '')),
                          root=second.root)
        panel = find(second.root, lambda n: n.get_name() == 'Triage' and n.get_role_name() != 'label')
        if panel.get_state_set().contains(Atspi.StateType.SENSITIVE):
            fail('the second workstation can decide on a call it does not hold', second.root)

        take_over = find(second.root, lambda n: n.get_role_name() == 'push button'
                         and (n.get_name() or '').startswith('Take over the call'))
        if take_over is None or not take_over.do_action(0):
            fail('no way to take the call over', second.root)

        wait_for('the triage panel to open for the new holder',
                 lambda: panel.get_state_set().contains(Atspi.StateType.SENSITIVE), root=second.root)

        shown = subprocess.run([CLI, 'show', '--database', workspace.database, 'CLAIM-0001'],
                               capture_output=True, text=True, check=True).stdout
        if 'Taken over from another operator' not in shown:
            fail('the take-over is not in the history:\n' + shown)
        del banner
    finally:
        if second is not None:
            second.close()
        first.close()

    print('ok: a held call is shown as held and taken over only explicitly, logged')
    return 0


if __name__ == '__main__':
    sys.exit(main())
