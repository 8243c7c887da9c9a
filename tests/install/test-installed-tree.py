#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The installed tree works on its own: `meson install --destdir` into a
temporary folder, then the installed rcrp, man pages, bash completion and
systemd unit, and with --app the installed application under the test's
display, all finding their files (the GSettings schema above all) through
XDG_DATA_DIRS as an installed program does, never GSETTINGS_SCHEMA_DIR.

    test-installed-tree.py MESON BUILD_ROOT PREFIX BINDIR DATADIR MANDIR SYSCONFDIR VERSION [--app]
"""

import os
import shutil
import subprocess
import sys
import tempfile

APP_ID = 'io.github.rcrp.Coordinator'
CALL = ('{"schema": "rcrp.call/1", "cad_ref": "INSTALLED-1", "received_at": "2026-11-22T14:03:11Z", '
        '"category": "awol_mental_health", "initial_grade": 2, '
        '"summary": "Patient on s3 has not returned from leave", "risk_indicators": ["suicidal_intent"]}')


def fail(message):
    print('FAIL: ' + message, file=sys.stderr)
    sys.exit(1)


def run(argv, env, expect=0, stdin=None):
    result = subprocess.run(argv, env=env, capture_output=True, text=True, input=stdin)
    if expect is not None and result.returncode != expect:
        fail('%s exited %d (expected %d):\n%s%s' % (' '.join(argv), result.returncode, expect,
                                                    result.stdout, result.stderr))
    return result


def main():
    meson, build_root, prefix, bindir, datadir, mandir, sysconfdir, version = sys.argv[1:9]
    with_app = '--app' in sys.argv[9:]

    work = tempfile.TemporaryDirectory(prefix='rcrp-installed-')
    dest = os.path.join(work.name, 'dest')

    def installed(path):
        return os.path.join(dest, os.path.relpath(path, '/'))

    env = {k: v for k, v in os.environ.items()
           if k not in ('GSETTINGS_SCHEMA_DIR', 'RCRP_DATABASE', 'RCRP_CLI', 'RCRP_APP', 'DESTDIR')}
    result = run([meson, 'install', '-C', build_root, '--no-rebuild', '--quiet', '--destdir', dest], env)

    rcrp = installed(os.path.join(bindir, 'rcrp'))
    app = installed(os.path.join(bindir, 'rcrp-coordinator'))
    share = installed(datadir)
    expected = [
        rcrp,
        app,
        os.path.join(share, 'applications', APP_ID + '.desktop'),
        os.path.join(share, 'metainfo', APP_ID + '.metainfo.xml'),
        os.path.join(share, 'glib-2.0', 'schemas', APP_ID + '.gschema.xml'),
        os.path.join(share, 'icons', 'hicolor', 'scalable', 'apps', APP_ID + '.svg'),
        os.path.join(share, 'icons', 'hicolor', 'symbolic', 'apps', APP_ID + '-symbolic.svg'),
        os.path.join(share, 'rcrp-coordinator', 'triage-rules.json'),
        os.path.join(share, 'rcrp-coordinator', 'default-agencies.json'),
        os.path.join(share, 'bash-completion', 'completions', 'rcrp'),
        installed(os.path.join(mandir, 'man1', 'rcrp.1')),
        installed(os.path.join(mandir, 'man1', 'rcrp-coordinator.1')),
        installed(os.path.join(sysconfdir, 'default', 'rcrp')),
    ]
    for path in expected:
        if not os.path.isfile(path):
            fail('not installed: ' + os.path.relpath(path, dest))
    units = [os.path.join(d, f) for d, _, files in os.walk(dest) for f in files if f == 'rcrp-spool.service']
    if len(units) != 1:
        fail('rcrp-spool.service installed %d times' % len(units))
    unit = units[0]

    # What the package's trigger (or gnome.post_install, which skips under a
    # DESTDIR) does on the target system.
    schemas = os.path.join(share, 'glib-2.0', 'schemas')
    run(['glib-compile-schemas', '--strict', schemas], env)

    home = os.path.join(work.name, 'home')
    env.update({
        'HOME': home,
        'XDG_CONFIG_HOME': os.path.join(home, '.config'),
        'XDG_DATA_HOME': os.path.join(home, '.local', 'share'),
        'XDG_STATE_HOME': os.path.join(home, '.local', 'state'),
        'XDG_DATA_DIRS': share + ':/usr/share',
        'GSETTINGS_BACKEND': 'keyfile',
        'LC_ALL': 'C.UTF-8',
    })
    os.makedirs(env['XDG_CONFIG_HOME'])

    # The tool.
    if run([rcrp, '--version'], env).stdout != 'rcrp %s\n' % version:
        fail('rcrp --version does not say %s' % version)
    database = os.path.join(work.name, 'shift.db')
    run([rcrp, 'init', database], env)
    run([rcrp, '--database', database, 'ingest', '-'], env, stdin=CALL)
    listed = run([rcrp, '--database', database, 'list'], env).stdout
    if 'INSTALLED-1' not in listed:
        fail('rcrp list does not list the stored call:\n' + listed)
    shown = run([rcrp, 'show', 'INSTALLED-1', '--database', database], env).stdout
    if 'Recommended: Deploy police' not in shown:
        fail('rcrp show gives no recommendation:\n' + shown)

    # The settings, read through the installed schema: with the database
    # named only by the database-path key, the call is there; with the
    # installed schema out of XDG_DATA_DIRS, the setting is not seen.
    keyfile = os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')
    os.makedirs(os.path.dirname(keyfile))
    with open(keyfile, 'w', encoding='utf-8') as f:
        f.write("[io/github/rcrp/Coordinator]\ndatabase-path='%s'\n" % database)
    if run([rcrp, 'list'], env).stdout != listed:
        fail('rcrp list did not read the database-path setting through the installed schema')
    without = dict(env, XDG_DATA_DIRS='/usr/share')
    if 'INSTALLED-1' in run([rcrp, 'list'], without).stdout:
        fail('the setting was read without the installed schema: the check above proves nothing')

    # The manual pages, as man shows them.
    for page in ('rcrp.1', 'rcrp-coordinator.1'):
        path = installed(os.path.join(mandir, 'man1', page))
        shown = subprocess.run(['man', '--warnings', '-E', 'UTF-8', '-l', path], capture_output=True, text=True,
                               env=dict(env, MANWIDTH='80'))
        if shown.returncode != 0 or shown.stderr or 'NAME' not in shown.stdout:
            fail('man %s: status %d\n%s' % (page, shown.returncode, shown.stderr))

    # bash completion, loaded from where it is installed.
    completion = os.path.join(share, 'bash-completion', 'completions', 'rcrp')
    script = ('source /usr/share/bash-completion/bash_completion; source %s; '
              'COMP_WORDS=(rcrp --database x.db sh); COMP_CWORD=3; COMP_LINE="rcrp --database x.db sh"; '
              'COMP_POINT=${#COMP_LINE}; _rcrp; echo "${COMPREPLY[*]}"; '
              'COMP_WORDS=(rcrp agencies ""); COMP_CWORD=2; COMP_LINE="rcrp agencies "; '
              'COMP_POINT=${#COMP_LINE}; _rcrp; echo "${COMPREPLY[*]}"') % completion
    lines = run(['bash', '-c', script], env).stdout.splitlines()
    if lines != ['show', 'list status import export']:
        fail('bash completion offers %r' % lines)

    # The unit, against the installed binary and man page: systemd-analyze
    # verify under the destination as its root, with systemd's own units.
    root_units = os.path.join(dest, 'lib', 'systemd', 'system')
    if not os.path.isdir(root_units):
        shutil.copytree('/lib/systemd/system', root_units, symlinks=True)
    verify = subprocess.run(['systemd-analyze', 'verify', '--root=' + dest, '/' + os.path.relpath(unit, dest)],
                            capture_output=True, text=True,
                            env=dict(env, MANPATH=installed(mandir), SYSTEMD_LOG_LEVEL='notice'))
    if verify.returncode != 0 or verify.stdout or verify.stderr:
        fail('systemd-analyze verify %s: status %d\n%s%s' % (os.path.basename(unit), verify.returncode,
                                                             verify.stdout, verify.stderr))

    # Its sandboxing: systemd-analyze security's exposure, at most 1.0 (it
    # counts in tenths); the README gives the score.
    security = subprocess.run(['systemd-analyze', 'security', '--offline=true', '--root=' + dest, '--threshold=10',
                               '--no-pager', '/' + os.path.relpath(unit, dest)],
                              capture_output=True, text=True, env=env)
    score = [line for line in security.stdout.splitlines() if 'Overall exposure level' in line]
    if security.returncode != 0 or not score:
        fail('systemd-analyze security: status %d (over 1.0?)\n%s%s' % (security.returncode, security.stdout[-2000:],
                                                                      security.stderr))
    print(score[0].strip())

    print('ok: the installed tool, pages, completion and unit work from %s' % prefix)

    if with_app:
        run_installed_app(app, env, database)

    return 0


def run_installed_app(app, env, database):
    """Starts the installed app with the database named only by its setting
    and sees the stored call in its queue, through AT-SPI."""
    os.environ.clear()
    os.environ.update(env)
    os.environ['G_DEBUG'] = 'fatal-warnings'
    os.environ['RCRP_APP'] = app
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))
    import rcrpui

    class InstalledApp(rcrpui.App):
        def __init__(self):
            if not os.environ.get('DISPLAY'):
                rcrpui.fail('this test needs a display: run it under xvfb-run and dbus-run-session')
            app_env = dict(os.environ)
            app_env.pop('NO_AT_BRIDGE', None)
            if rcrpui.APP_G_DEBUG:
                app_env['G_DEBUG'] = rcrpui.APP_G_DEBUG
            self.process = subprocess.Popen([app], env=app_env, preexec_fn=rcrpui._die_with_parent)
            rcrpui.atexit.register(self.close)
            rcrpui._running.append(self)
            self.root = rcrpui.wait_for('the installed application on the accessibility bus', self._find_app,
                                        timeout=30)
            self.window = rcrpui.wait_for('the main window',
                                          lambda: rcrpui.find(self.root, lambda n: n.get_role_name() == 'frame'),
                                          root=self.root)

    started = InstalledApp()
    try:
        rcrpui.wait_for('the stored call in the queue, from the database its setting names',
                        lambda: any(row.startswith('INSTALLED-1,') for row in started.queue_rows()),
                        root=started.root)
    finally:
        status = started.close()
    if status not in (0, -15):
        fail('the installed application exited with status %d' % status)
    print('ok: the installed application starts and reads its settings through the installed schema')


if __name__ == '__main__':
    sys.exit(main())
