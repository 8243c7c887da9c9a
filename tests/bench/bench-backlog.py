#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up of the real app on a backlog: a database of N calls nobody has
decided yet, made through the feed as a C&C outage or an imported history
would make it (`rcrp simulate` in documents of 5,000 piped to
`rcrp ingest`). Times from the start of the process to the first frame and
to the first queue row that AT-SPI sees, each also as a ratio against a
ten-call database measured in the same run, and resident memory 30 s and
5 min after start.

The backlog is kept in the build folder as backlog-N.db for the next run
(N = RCRP_BENCH_CALLS, a million by default), or taken from
RCRP_BENCH_DATABASE. Needs Xvfb when there is no display. Prints figures
and the targets; never fails on time."""

import atexit
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'ui'))

# The start-up benchmark's way of starting the app, its display and its
# settings, shared rather than copied.
_spec = importlib.util.spec_from_file_location('bench_startup', os.path.join(HERE, 'bench-startup.py'))
startup = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(startup)

import rcrpui  # noqa: E402  (after the start-up module: both read the environment)

QUICK = startup.QUICK
CALLS = int(os.environ.get('RCRP_BENCH_CALLS', '2000' if QUICK else '1000000'))
RUNS = int(os.environ.get('RCRP_BENCH_RUNS', '1' if QUICK else '5'))
CLI = os.environ['RCRP_CLI']
APP = os.environ['RCRP_APP']
DOCUMENT = 5000          # calls a feed document, well under the feed's 8 MiB
SPREAD_MINUTES = 43200   # a month of calls
# When resident memory is read, in seconds after start: the 30 s and
# 5 min, or a few seconds only in quick mode.
MEMORY_AT = (2.0, 5.0) if QUICK else (30.0, 60.0, 120.0, 180.0, 240.0, 300.0)


def make_backlog(path, count):
    """Through the feed, as the C&C system would deliver it."""
    for leftover in (path, path + '-wal', path + '-shm'):
        if os.path.exists(leftover):
            os.unlink(leftover)
    subprocess.run([CLI, 'init', path], check=True, stdout=subprocess.DEVNULL)
    seed = 0
    left = count
    while left > 0:
        seed += 1
        n = min(DOCUMENT, left)
        simulate = subprocess.Popen([CLI, 'simulate', '--count', str(n), '--seed', str(seed),
                                     '--spread', str(SPREAD_MINUTES)], stdout=subprocess.PIPE)
        subprocess.run([CLI, 'ingest', '--database', path, '-'], stdin=simulate.stdout, check=True,
                       stdout=subprocess.DEVNULL)
        simulate.stdout.close()
        if simulate.wait() != 0:
            sys.exit('rcrp simulate failed')
        left -= n


def backlog_database():
    given = os.environ.get('RCRP_BENCH_DATABASE')
    if given:
        return given, 'given'
    if QUICK:
        folder = tempfile.mkdtemp(prefix='rcrp-bench-backlog-')
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    else:
        folder = os.environ['RCRP_BENCH_DIR']
    path = os.path.join(folder, 'backlog-%d.db' % CALLS)
    if os.path.exists(path):
        return path, 'kept from an earlier run'
    begin = time.monotonic()
    partial = path + '.partial'
    make_backlog(partial, CALLS)
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(partial + suffix):
            os.rename(partial + suffix, path + suffix)
    return path, 'made in %.0f s' % (time.monotonic() - begin)


class Start:
    """One start of the app: the first frame from its timing log, the first
    queue row from the accessibility tree, as a screen reader would see it."""

    def __init__(self, database, state):
        self.config = startup.settings_folder('all')
        env = dict(os.environ, G_MESSAGES_DEBUG='Rcrp-Timing', GSETTINGS_BACKEND='keyfile',
                   XDG_CONFIG_HOME=self.config, XDG_STATE_HOME=state)
        env.pop('NO_AT_BRIDGE', None)
        env.pop('GTK_A11Y', None)
        self.seen = []
        self.begin = time.monotonic()
        # GLib writes debug messages to standard output.
        self.process = subprocess.Popen([APP, '--database', database], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        atexit.register(self.stop)

    def first_frame(self):
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit('the app exited before its first frame')
            # The check of the log may end before the first frame.
            self.seen.append(line)
            if 'first frame drawn at ' in line:
                microseconds = int(line.split('first frame drawn at ')[1].split()[0])
                return microseconds / 1000.0 - self.begin * 1000.0

    def wait_for_line(self, words, timeout=900.0):
        """Reads the app's timing log until a line has @words, or finds
        it among the lines read while waiting for the first frame."""
        for line in self.seen:
            if words in line:
                return line
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                sys.exit('the app exited before saying "%s"' % words)
            if words in line:
                return line
        sys.exit('the app did not say "%s" within %.0f s' % (words, timeout))

    def first_row(self, timeout=600.0):
        """ms from the start of the process to a queue row on the bus."""
        deadline = self.begin + timeout
        app = queue = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit('the app exited before showing a queue row')
            try:
                if app is None:
                    app = self._find_app()
                if app is not None and queue is None:
                    queue = self._find_queue(app)
                if queue is not None and queue.get_child_count() > 0:
                    item = queue.get_child_at_index(0)
                    if item is not None and item.get_child_count() > 0 and \
                            item.get_child_at_index(0).get_name():
                        return (time.monotonic() - self.begin) * 1000.0
            except rcrpui.gi.repository.GLib.Error:
                queue = None
            time.sleep(0.01)
        sys.exit('no queue row on the accessibility bus within %.0f s' % timeout)

    # Walking the whole tree over the bus takes half a second, which would
    # be measured too; the queue's place in it is the same at every start,
    # so it is walked once (in the start that warms the caches) and then
    # followed straight there.
    queue_path = None

    def _find_queue(self, app):
        def is_queue(node):
            return node is not None and node.get_role_name() == 'list' and node.get_name() == 'Call queue'

        if Start.queue_path is not None:
            node = app
            for index in Start.queue_path:
                if node is None or index >= node.get_child_count():
                    node = None
                    break
                node = node.get_child_at_index(index)
            if is_queue(node):
                return node

        def search(node, path, depth):
            if node is None or depth > 40:
                return None
            if is_queue(node):
                return path
            for i in range(node.get_child_count()):
                found = search(node.get_child_at_index(i), path + [i], depth + 1)
                if found is not None:
                    return found
            return None

        path = search(app, [], 0)
        if path is None:
            return None
        Start.queue_path = path
        node = app
        for index in path:
            node = node.get_child_at_index(index)
        return node

    def _find_app(self):
        desktop = rcrpui.Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is not None and child.get_name() == rcrpui.APP_NAME and \
                    child.get_process_id() == self.process.pid:
                return child
        return None

    def resident_mb(self):
        return startup.status_kib(self.process.pid, 'VmRSS') * 1024 / 1e6

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.config, ignore_errors=True)


def measure(database, state):
    """Medians of first frame and first row over RUNS starts, after one to
    warm the caches. That one also waits for the start-up check of the
    audit log, which on a database new to this workstation walks the whole
    log and then keeps a checkpoint, as a workstation in service has."""
    frames, rows = [], []
    for run in range(RUNS + 1):
        start = Start(database, state)
        try:
            frame = start.first_frame()
            row = start.first_row()
            if run == 0:
                start.wait_for_line('log checked at ')
        finally:
            start.stop()
        if run > 0:
            frames.append(frame)
            rows.append(row)
    return statistics.median(frames), statistics.median(rows), frames, rows


def memory_over_time(database, state):
    """Resident memory at each of MEMORY_AT seconds after one start."""
    start = Start(database, state)
    try:
        start.first_frame()
        start.first_row()
        readings = []
        for at in MEMORY_AT:
            time.sleep(max(0.0, start.begin + at - time.monotonic()))
            readings.append(start.resident_mb())
        return readings
    finally:
        start.stop()


def main():
    started = startup.start_display()
    try:
        backlog, how = backlog_database()
        small_folder = tempfile.mkdtemp(prefix='rcrp-bench-backlog-')
        atexit.register(shutil.rmtree, small_folder, ignore_errors=True)
        small = os.path.join(small_folder, 'ten.db')
        make_backlog(small, 10)
        # Each database with a workstation of its own, whose audit
        # checkpoint is kept across the starts as it would be.
        states = [tempfile.mkdtemp(prefix='rcrp-bench-backlog-state-') for _ in range(2)]
        for state in states:
            atexit.register(shutil.rmtree, state, ignore_errors=True)

        base = measure(small, states[0])
        big = measure(backlog, states[1])
        memory = memory_over_time(backlog, states[1])

        print('Start-up on a backlog of undecided calls, medians of %d starts after one to warm the caches'
              % RUNS)
        print('backlog: %s, %d calls (%s)' % (backlog, CALLS, how))
        print('%-24s %12s %12s' % ('', 'first frame', 'first row'))
        print('%-24s %9.0f ms %9.0f ms' % ('ten calls', base[0], base[1]))
        print('%-24s %9.0f ms %9.0f ms' % ('%d calls' % CALLS, big[0], big[1]))
        print('ratio to ten calls: first frame %.2f×, first row %.2f×' % (big[0] / base[0], big[1] / base[1]))
        print('each start, first frame: %s ms; first row: %s ms'
              % (', '.join('%.0f' % f for f in big[2]), ', '.join('%.0f' % r for r in big[3])))
        print('resident memory: %s' % ', '.join('%.1f MB at %.0f s' % (m, at) for m, at in zip(memory, MEMORY_AT)))
        print('targets: first frame < 500 ms and <= 1.2x ten calls; first row < 800 ms; '
              'memory < 150 MB, the first and last readings within 5 MB')
        print('held: first frame %s, first row %s, memory %s'
              % ('yes' if big[0] < 500 and big[0] <= 1.2 * base[0] else 'no',
                 'yes' if big[1] < 800 else 'no',
                 'yes' if max(memory) < 150 and abs(memory[-1] - memory[0]) <= 5 else 'no'))
    finally:
        for process in started:
            process.terminate()
            process.wait()
    return 0


if __name__ == '__main__':
    sys.exit(main())
