# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for driving Right Care Coordinator through its accessibility tree.

The tests run the real application under Xvfb on a private session bus and
look at it the way a screen reader does, through AT-SPI.
"""

import atexit
import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import time

# G_DEBUG=fatal-warnings is meant for the application under test. The AT-SPI
# client library in this process warns about things GTK 4.8 does not
# implement (the a11y cache interface), so take it out of our own
# environment before GLib reads it, and hand it to the application.
APP_G_DEBUG = os.environ.pop('G_DEBUG', None)

import gi  # noqa: E402

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

APP = os.environ.get('RCRP_APP')
CLI = os.environ.get('RCRP_CLI')
APP_NAME = 'rcrp-coordinator'


def fail(message, root=None):
    print('FAIL: ' + message, file=sys.stderr)
    if root is not None:
        print('Accessibility tree at the time:', file=sys.stderr)
        dump(root, out=sys.stderr)
    sys.exit(1)


def dump(node, depth=0, out=sys.stdout):
    if node is None or depth > 40:
        return
    try:
        text = ''
        if 'Text' in node.get_interfaces():
            text = ' text=%r' % node.get_text(0, node.get_character_count())
        description = node.get_description()
        if description:
            text += ' description=%r' % description
        print('  ' * depth + '%s %r%s' % (node.get_role_name(), node.get_name(), text), file=out)
        for i in range(node.get_child_count()):
            dump(node.get_child_at_index(i), depth + 1, out)
    except gi.repository.GLib.Error:
        pass


def walk(node, depth=0):
    if node is None or depth > 40:
        return
    yield node
    try:
        count = node.get_child_count()
    except gi.repository.GLib.Error:
        return
    for i in range(count):
        yield from walk(node.get_child_at_index(i), depth + 1)


def find(root, predicate):
    for node in walk(root):
        try:
            if predicate(node):
                return node
        except gi.repository.GLib.Error:
            continue
    return None


_running = []


def wait_for(what, probe, timeout=15.0, root=None, explain=None):
    """Polls probe() until it returns something truthy; a failure guard, not a timing assertion.

    On a timeout, explain() (if given) says what it can of why, first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for app in _running:
            if app.process.poll() is not None:
                fail('the application exited with status %d while waiting for %s' % (app.process.returncode, what))
        try:
            result = probe()
        except gi.repository.GLib.Error:
            # The tree changed under us (a row went away): look again.
            result = None
        if result:
            return result
        time.sleep(0.1)
    if explain is not None:
        print('# ' + explain(), file=sys.stderr)
    fail('timed out waiting for ' + what, root)


def text_of(node):
    """What a label says: its text where the Text interface gives it, else its name."""
    if 'Text' in node.get_interfaces():
        text = node.get_text(0, node.get_character_count())
        if text:
            return text
    return node.get_name()


def _die_with_parent():
    """Runs in the child: if the test dies, so does the application (Linux)."""
    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Workspace:
    """A temporary folder with a database for one test."""

    def make(self, user=None):
        """Makes the database, as whoever first uses it (who becomes its
        administrator), unless it is there: only `rcrp init` makes one."""
        if os.path.exists(self.database):
            return
        env = dict(os.environ)
        if user is not None:
            env['RCRP_TEST_OPERATOR'] = user
        result = subprocess.run([CLI, 'init', self.database], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            fail('rcrp init failed: ' + result.stderr)

    def rcrp(self, *args, user=None):
        """Runs the rcrp tool on the workspace's database; fails on an error."""
        self.make(user)
        env = dict(os.environ)
        if user is not None:
            env['RCRP_TEST_OPERATOR'] = user
        result = subprocess.run([CLI, *args, '--database', self.database], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            fail('rcrp %s failed: %s' % (' '.join(args), result.stderr))
        return result.stdout

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix='rcrp-ui-')
        self.database = os.path.join(self.dir.name, 'shift.db')

    def ingest(self, document, name='calls.json'):
        path = os.path.join(self.dir.name, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(document)
        self.make()
        result = subprocess.run([CLI, 'ingest', '--database', self.database, path],
                                capture_output=True, text=True)
        if result.returncode != 0:
            fail('rcrp ingest failed: ' + result.stderr)


class App:
    """The application running on a workspace's database."""

    def __init__(self, workspace, *args, user=None, make=True, wait_window=True):
        if not os.environ.get('DISPLAY'):
            fail('UI tests need a display: run them under xvfb-run and dbus-run-session')
        if make and '--demo' not in args:
            workspace.make(user)
        env = dict(os.environ)
        if user is not None:
            # Acting as another user: honoured by test builds only.
            env['RCRP_TEST_OPERATOR'] = user
        env.pop('NO_AT_BRIDGE', None)
        env.pop('GTK_A11Y', None)
        # The workstation's audit checkpoint lives with the workspace.
        env['XDG_STATE_HOME'] = os.path.join(workspace.dir.name, 'state')
        if APP_G_DEBUG:
            env['G_DEBUG'] = APP_G_DEBUG
        self.process = subprocess.Popen([APP, '--database', workspace.database, *args], env=env,
                                        preexec_fn=_die_with_parent)
        # However this test ends, the application does not outlive it.
        atexit.register(self.close)
        _running.append(self)
        self.root = wait_for('the application on the accessibility bus', self._find_app, timeout=30)
        self.window = None
        if wait_window:
            self.window = wait_for('the main window',
                                   lambda: find(self.root, lambda n: n.get_role_name() == 'frame'),
                                   root=self.root)

    def _find_app(self):
        if self.process.poll() is not None:
            fail('the application exited with status %d' % self.process.returncode)
        # By name, as a screen reader lists it, and by process, in case
        # another copy of the application shares the bus.
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            try:
                if child is not None and child.get_name() == APP_NAME and \
                        child.get_process_id() == self.process.pid:
                    return child
            except gi.repository.GLib.Error:
                continue
        return None

    def queue(self):
        return wait_for('the call queue',
                        lambda: find(self.root, lambda n: n.get_role_name() == 'list' and n.get_name() == 'Call queue'),
                        root=self.root)

    def queue_rows(self):
        """The names of the queue's rows, in order."""
        queue = self.queue()
        names = []
        for i in range(queue.get_child_count()):
            item = queue.get_child_at_index(i)
            if item is not None and item.get_child_count() > 0:
                names.append(item.get_child_at_index(0).get_name())
        return names

    def select_row(self, cad_ref):
        queue = self.queue()
        for i in range(queue.get_child_count()):
            item = queue.get_child_at_index(i)
            if item is not None and item.get_child_count() > 0 and \
                    item.get_child_at_index(0).get_name().startswith(cad_ref + ','):
                if not queue.select_child(i):
                    fail('the queue refused to select ' + cad_ref, self.root)
                return
        fail('no row for ' + cad_ref, self.root)

    def close(self):
        if self in _running:
            _running.remove(self)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def call(cad_ref, grade=2, summary='Neighbour worried about the man at number 4', category='concern_for_welfare',
         received_at='2026-11-22T14:03:11Z', extra=''):
    return ('{"schema": "rcrp.call/1", "cad_ref": "%s", "received_at": "%s", "category": "%s", '
            '"initial_grade": %d, "summary": "%s"%s}' % (cad_ref, received_at, category, grade, summary, extra))
