#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up of the real app on a year's database: time to the first frame,
to the queue drawn and to the audit chain checked, and resident memory once
started, against a ten-call database measured in the same run.

The year is made with `rcrp simulate --store` (RCRP_BENCH_CALLS calls, a
million by default, all but the newest 200 decided) and kept in the build
folder for the next run, or taken from RCRP_BENCH_DATABASE. It is never
committed. Needs Xvfb when there is no display. Prints figures; never fails
on time."""

import atexit
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# RCRP_BENCH_QUICK=1 (the README's test command): a small database made
# in a folder of its own and thrown away, one start of each, so that the
# benchmark is known to run; its figures mean nothing.
QUICK = os.environ.get('RCRP_BENCH_QUICK') == '1'
CALLS = int(os.environ.get('RCRP_BENCH_CALLS', '2000' if QUICK else '1000000'))
RUNS = int(os.environ.get('RCRP_BENCH_RUNS', '1' if QUICK else '5'))
APP = os.environ['RCRP_APP']
CLI = os.environ['RCRP_CLI']
SETTLE = 0.5 if QUICK else 2.0  # seconds after start-up before memory is read


def simulate(path, count, decided, spread_minutes):
    if not os.path.exists(path):
        subprocess.run([CLI, 'init', path], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([CLI, 'simulate', '--store', '--database', path, '--count', str(count),
                    '--decided', str(decided), '--spread', str(spread_minutes), '--seed', '2026'],
                   check=True, stdout=subprocess.DEVNULL)


def year_database():
    given = os.environ.get('RCRP_BENCH_DATABASE')
    if given:
        return given, 'given'
    if QUICK:
        folder = tempfile.mkdtemp(prefix='rcrp-bench-startup-')
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    else:
        folder = os.environ['RCRP_BENCH_DIR']
    path = os.path.join(folder, 'year-%d.db' % CALLS)
    if os.path.exists(path):
        return path, 'kept from an earlier run'
    begin = time.monotonic()
    partial = path + '.partial'
    for leftover in (partial, partial + '-wal', partial + '-shm'):
        if os.path.exists(leftover):
            os.unlink(leftover)
    simulate(partial, CALLS, max(0, CALLS - 200), 525600)
    os.rename(partial, path)
    return path, 'made in %.0f s' % (time.monotonic() - begin)


def start_display():
    """A private X server and session bus, unless the caller gave them."""
    started = []
    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        read, write = os.pipe()
        xvfb = subprocess.Popen(['Xvfb', '-displayfd', str(write), '-screen', '0', '1400x900x24', '-nolisten', 'tcp'],
                                pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        number = b''
        while not number.endswith(b'\n'):
            chunk = os.read(read, 16)
            if not chunk:
                sys.exit('Xvfb did not start')
            number += chunk
        os.close(read)
        os.environ['DISPLAY'] = ':' + number.decode().strip()
        started.append(xvfb)
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        bus = subprocess.Popen(['dbus-daemon', '--session', '--nofork', '--print-address'],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        os.environ['DBUS_SESSION_BUS_ADDRESS'] = bus.stdout.readline().strip()
        started.append(bus)
    return started


def settings_folder(view):
    folder = tempfile.mkdtemp(prefix='rcrp-bench-startup-')
    os.makedirs(os.path.join(folder, 'glib-2.0', 'settings'))
    with open(os.path.join(folder, 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
        keyfile.write("[io/github/rcrp/Coordinator]\nqueue-view='%s'\n" % view)
    return folder


def status_kib(pid, field):
    with open('/proc/%d/status' % pid) as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def one_start(database, view):
    """Returns (first frame, queue drawn, log checked) in ms from the
    start of the process, and (resident, peak) memory in MB."""
    config = settings_folder(view)
    env = dict(os.environ, G_MESSAGES_DEBUG='Rcrp-Timing', GSETTINGS_BACKEND='keyfile',
               XDG_CONFIG_HOME=config)
    marks = {}
    begin = time.monotonic()
    # GLib writes debug messages to standard output.
    app = subprocess.Popen([APP, '--database', database], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = begin + 600
        while len(marks) < 3 and time.monotonic() < deadline:
            line = app.stdout.readline()
            if not line:
                break
            for mark, words in (('first', 'first frame drawn at '), ('queue', 'queue drawn at '),
                                ('log', 'log checked at ')):
                if words in line:
                    microseconds = int(line.split(words)[1].split()[0])
                    marks[mark] = microseconds / 1000.0 - begin * 1000.0
        if len(marks) < 3:
            sys.exit('the app did not report its start-up (%s): %s' % (sorted(marks), database))
        time.sleep(SETTLE)
        memory = (status_kib(app.pid, 'VmRSS') * 1024 / 1e6, status_kib(app.pid, 'VmHWM') * 1024 / 1e6)
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
        shutil.rmtree(config, ignore_errors=True)
    return (marks['first'], marks['queue'], marks['log']), memory


def measure(database, view):
    one_start(database, view)  # warm the caches; not counted
    times, memories = [], []
    for _ in range(RUNS):
        t, m = one_start(database, view)
        times.append(t)
        memories.append(m)
    return ([statistics.median(t[i] for t in times) for i in range(3)],
            [statistics.median(m[i] for m in memories) for i in range(2)],
            [t[0] for t in times])


def main():
    started = start_display()
    try:
        year, how = year_database()
        small_folder = tempfile.mkdtemp(prefix='rcrp-bench-startup-')
        small = os.path.join(small_folder, 'ten.db')
        simulate(small, 10, 0, 180)

        rows = [('ten calls, view All', measure(small, 'all'))]
        rows.append(('%d calls, view All' % CALLS, measure(year, 'all')))
        rows.append(('%d calls, view Open' % CALLS, measure(year, 'open')))
        shutil.rmtree(small_folder, ignore_errors=True)

        print('Start-up of the app, medians of %d runs after one to warm the caches (renderer: %s)'
              % (RUNS, os.environ.get('GSK_RENDERER') or 'the app\'s choice'))
        print('year database: %s (%s)' % (year, how))
        print('%-28s %12s %12s %12s %10s %10s' % ('', 'first frame', 'queue drawn', 'log checked', 'RSS', 'peak RSS'))
        base = rows[0][1]
        for name, (times, memory, firsts) in rows:
            print('%-28s %9.0f ms %9.0f ms %9.0f ms %7.1f MB %7.1f MB' % ((name,) + tuple(times) + tuple(memory)))
        for name, (times, memory, firsts) in rows[1:]:
            print('%-28s first frame %.2f×, queue %.2f×, RSS %.2f× the ten-call baseline; first frames %s ms'
                  % (name, times[0] / base[0][0], times[1] / base[0][1], memory[0] / base[1][0],
                     ', '.join('%.0f' % f for f in firsts)))
        print('targets: first frame under 500 ms, memory under 150 MB')
    finally:
        for process in started:
            process.terminate()
            process.wait()
    return 0


if __name__ == '__main__':
    sys.exit(main())
