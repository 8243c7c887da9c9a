#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Work the checklist on a call, watch the recommendation follow the answers,
record a decision against it: refused without a rationale, stored with one,
and visible in the history and in `rcrp show`."""

import subprocess
import sys

from rcrpui import CLI, App, Workspace, call, fail, find, text_of, wait_for


def main():
    workspace = Workspace()
    workspace.ingest(call('CFW-0001', grade=3, summary='Sister worried, no contact for two days',
                          extra=', "caller": {"relationship": "family"}'))

    app = App(workspace)
    try:
        wait_for('the call in the queue', lambda: any(n.startswith('CFW-0001,') for n in app.queue_rows()),
                 root=app.root)
        app.select_row('CFW-0001')

        panel = wait_for('the triage panel',
                         lambda: find(app.root, lambda n: n.get_name() == 'Triage' and n.get_role_name() != 'label'),
                         root=app.root)

        def label_with(fragment):
            return find(panel, lambda n: n.get_role_name() == 'label' and fragment in (text_of(n) or ''))

        def button(name):
            node = wait_for('the button “%s”' % name,
                            lambda: find(panel, lambda n: n.get_role_name() in ('push button', 'toggle button', 'radio button')
                                         and (n.get_name() or '').startswith(name)),
                            root=app.root)
            return node

        def click(name):
            node = button(name)
            if not node.do_action(0):
                fail('could not press “%s”' % name, app.root)

        def recommendation():
            node = find(panel, lambda n: n.get_role_name() == 'label' and n.get_description() == 'Recommendation')
            return text_of(node) if node is not None else None

        # Nothing answered: no silent "no police".
        wait_for('an incomplete recommendation', lambda: label_with('Incomplete: police not yet ruled out'),
                 root=app.root)

        click("Yes: Is the person's life at real and immediate risk")
        wait_for('police recommended on a threshold yes', lambda: recommendation() == 'Deploy police', root=app.root)

        click("No: Is the person's life at real and immediate risk")
        click('No: Is a crime being committed')
        click('No: Is the person really missing')
        wait_for('the threshold answered', lambda: label_with('Threshold questions answered'), root=app.root)
        wait_for('signposting recommended', lambda: recommendation() == 'Signpost', root=app.root)

        click('Yes: Is the person known to mental-health services')
        wait_for('a referral recommended', lambda: recommendation() == 'Refer to an agency', root=app.root)

        # Against the recommendation, without a rationale: refused, said plainly.
        click('No further action')
        wait_for('the refusal', lambda: label_with('write down why'), root=app.root)

        shown = subprocess.run([CLI, 'show', '--database', workspace.database, 'CFW-0001'],
                               capture_output=True, text=True, check=True).stdout
        if 'none yet' not in shown:
            fail('a refused decision reached the store:\n' + shown)

        rationale = wait_for('the rationale entry',
                             lambda: find(panel, lambda n: n.get_role_name() == 'text'
                                          and (n.get_name() or '').startswith('Rationale')),
                             root=app.root)
        if not rationale.set_text_contents('Sister has now reached him; he is safe at home.'):
            fail('could not type the rationale', app.root)

        click('No further action')
        wait_for('the decision in the history, with who and why',
                 lambda: label_with('— Sister has now reached him; he is safe at home.'),
                 root=app.root)
        wait_for('the queue row to say the outcome',
                 lambda: any(n.startswith('CFW-0001,') and 'decided: No further action' in n for n in app.queue_rows()),
                 root=app.root)

        shown = subprocess.run([CLI, 'show', '--database', workspace.database, 'CFW-0001'],
                               capture_output=True, text=True, check=True).stdout
        for expected in ('No further action', 'Recommended: Refer to an agency (departed from)',
                         'Rationale: Sister has now reached him; he is safe at home.',
                         'Rules version:', 'cfw.known_to_services', 'Decision recorded'):
            if expected not in shown:
                fail('rcrp show lacks “%s”:\n%s' % (expected, shown))
    finally:
        app.close()

    print('ok: recommendation follows the answers; a departing decision needs a rationale and is stored')
    return 0


if __name__ == '__main__':
    sys.exit(main())
