#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Opening and creating are different acts: started on a database that is
not there, the app asks before making one. Quit leaves nothing behind;
Make New Database makes it, and the queue opens on it; once it is there,
nothing is asked.

Each start of the app runs in a process of this script of its own (the
phase is its argument): a second start from one AT-SPI client process
was seen to end at once under Xvfb, which is not what is tested here."""

import os
import subprocess
import sys

from rcrpui import App, Workspace, fail, find, wait_for


def dialog_button(app, label):
    dialog = wait_for('the question whether to make a database',
                      lambda: find(app.root, lambda n: n.get_name() == 'No Database There'), root=app.root)
    # By the words on it: libadwaita 1.2 names a response button twice
    # (issue 25, point 10), which is not this test's to check.
    return wait_for('the %s button' % label,
                    lambda: find(dialog, lambda n: n.get_role_name() == 'push button' and
                                 n.get_child_count() > 0 and n.get_child_at_index(0).get_name() == label),
                    root=app.root)


def main_window(app):
    return find(app.root, lambda n: n.get_role_name() == 'frame' and n.get_name() != 'No Database There')


def phase(name, folder):
    workspace = Workspace()
    workspace.database = os.path.join(folder, 'mistyped', 'shfit.db')

    if name == 'quit':
        app = App(workspace, make=False, wait_window=False)
        quit_button = dialog_button(app, 'Quit')
        if main_window(app) is not None:
            fail('the main window opened before the question was answered', app.root)
        if not quit_button.do_action(0):
            fail('Quit could not be pressed', app.root)
        try:
            status = app.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            fail('the app did not quit when asked', app.root)
        if status != 0:
            fail('the app quit with status %d' % status)
        if os.path.exists(os.path.dirname(workspace.database)):
            fail('answering Quit still made %s' % os.path.dirname(workspace.database))
    elif name == 'make':
        app = App(workspace, make=False, wait_window=False)
        if not dialog_button(app, 'Make New Database').do_action(0):
            fail('Make New Database could not be pressed', app.root)
        wait_for('the main window', lambda: main_window(app), root=app.root)
        app.queue()
        if not os.path.isfile(workspace.database):
            fail('Make New Database did not make %s' % workspace.database)
        app.close()
    elif name == 'again':
        app = App(workspace, make=False)
        app.queue()
        app.close()


def main():
    if len(sys.argv) == 3:
        phase(sys.argv[1], sys.argv[2])
        return 0

    folder = Workspace()
    for name in ('quit', 'make', 'again'):
        result = subprocess.run([sys.executable, __file__, name, folder.dir.name])
        if result.returncode != 0:
            fail('the %s phase failed' % name)
    print('ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
