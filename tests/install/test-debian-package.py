#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Debian packages build from a scratch copy of the source tree with
dpkg-buildpackage, lintian finds nothing wrong with them, and each holds
exactly the files it should, with the maintainer scripts that make the
service's user before the folders it owns.

    test-debian-package.py SOURCE_ROOT VERSION

Skipped (77) only where dpkg-buildpackage itself is missing; build-aux/deps.sh
installs it, with everything else this needs.
"""

import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

# Every file (not folder) of each package, /usr/share/doc aside.
EXPECTED = {
    'rcrp': [
        'etc/default/rcrp',
        'lib/systemd/system/rcrp-spool.service',
        'usr/bin/rcrp',
        'usr/lib/sysusers.d/rcrp.conf',
        'usr/lib/tmpfiles.d/rcrp.conf',
        'usr/share/bash-completion/completions/rcrp',
        'usr/share/glib-2.0/schemas/io.github.rcrp.Coordinator.gschema.xml',
        'usr/share/man/man1/rcrp.1.gz',
        'usr/share/rcrp-coordinator/default-agencies.json',
        'usr/share/rcrp-coordinator/triage-rules.json',
    ],
    'rcrp-coordinator': [
        'usr/bin/rcrp-coordinator',
        'usr/share/applications/io.github.rcrp.Coordinator.desktop',
        'usr/share/icons/hicolor/scalable/apps/io.github.rcrp.Coordinator.svg',
        'usr/share/icons/hicolor/symbolic/apps/io.github.rcrp.Coordinator-symbolic.svg',
        'usr/share/man/man1/rcrp-coordinator.1.gz',
        'usr/share/metainfo/io.github.rcrp.Coordinator.metainfo.xml',
    ],
}


def fail(message):
    print('FAIL: ' + message, file=sys.stderr)
    sys.exit(1)


def source_files(root):
    """The source tree as git sees it (tracked and new files, not ignored
    ones such as _build), or, outside a checkout, everything but builds."""
    listed = subprocess.run(['git', '-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                            capture_output=True)
    if listed.returncode == 0:
        names = [n for n in listed.stdout.decode().split('\0') if n]
        return [n for n in names if not n.startswith('_build') and os.path.lexists(os.path.join(root, n))]
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith('_build') and d != '.git' and not d.startswith('obj-')]
        names += [os.path.relpath(os.path.join(folder, f), root) for f in files]
    return names


def main():
    source_root, version = sys.argv[1:3]

    if shutil.which('dpkg-buildpackage') is None:
        print('dpkg-buildpackage is not installed (build-aux/deps.sh installs dpkg-dev)')
        return SKIP
    for tool in ('lintian', 'dpkg-deb', 'fakeroot'):
        if shutil.which(tool) is None:
            fail('%s is not installed: run build-aux/deps.sh' % tool)

    work = tempfile.TemporaryDirectory(prefix='rcrp-package-')
    tree = os.path.join(work.name, 'rcrp-coordinator-' + version)
    for name in source_files(source_root):
        target = os.path.join(tree, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(source_root, name), target, follow_symlinks=False)
    if not os.path.isfile(os.path.join(tree, 'debian', 'control')):
        fail('the scratch copy has no debian/control')

    env = {k: v for k, v in os.environ.items()
           if not k.startswith('MESON') and k not in ('DESTDIR', 'GSETTINGS_SCHEMA_DIR', 'RCRP_DATABASE')}
    env['DEB_BUILD_OPTIONS'] = 'parallel=2'
    build = subprocess.run(['nice', 'dpkg-buildpackage', '-us', '-uc', '-b'], cwd=tree, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if build.returncode != 0:
        fail('dpkg-buildpackage -us -uc -b failed (%d):\n%s' % (build.returncode, build.stdout[-6000:]))

    changes = os.path.join(work.name, 'rcrp-coordinator_%s_amd64.changes' % version)
    debs = {}
    for package in EXPECTED:
        found = [f for f in os.listdir(work.name) if f.startswith(package + '_' + version + '_') and f.endswith('.deb')]
        if len(found) != 1:
            fail('expected one %s package, found %r' % (package, found))
        debs[package] = os.path.join(work.name, found[0])
    if not os.path.isfile(changes):
        changes = next((os.path.join(work.name, f) for f in os.listdir(work.name) if f.endswith('.changes')), None)
        if changes is None:
            fail('no .changes file')

    # Errors and warnings both fail; information is printed.
    lint = subprocess.run(['lintian', '--fail-on', 'error,warning', '--display-info', changes],
                          capture_output=True, text=True, env=env)
    print(lint.stdout, end='')
    if lint.returncode != 0:
        fail('lintian (%d):\n%s%s' % (lint.returncode, lint.stdout, lint.stderr))

    for package, deb in debs.items():
        listing = subprocess.run(['dpkg-deb', '-c', deb], capture_output=True, text=True, check=True).stdout
        files = sorted(line.split()[5].lstrip('./') for line in listing.splitlines()
                       if not line.startswith('d') and './usr/share/doc/' not in line)
        if files != sorted(EXPECTED[package]):
            fail('%s holds:\n  %s\nexpected:\n  %s' % (package, '\n  '.join(files), '\n  '.join(EXPECTED[package])))
        print('ok: %s holds the %d files it should' % (package, len(files)))

    control = os.path.join(work.name, 'control')
    subprocess.run(['dpkg-deb', '-e', debs['rcrp'], control], check=True)
    with open(os.path.join(control, 'postinst'), encoding='utf-8') as f:
        postinst = f.read()
    users = postinst.find('systemd-sysusers')
    folders = postinst.find('systemd-tmpfiles')
    if users < 0 or folders < 0 or users > folders:
        fail('rcrp.postinst must make the user (systemd-sysusers) before its folders (systemd-tmpfiles):\n' + postinst)
    with open(os.path.join(control, 'conffiles'), encoding='utf-8') as f:
        if '/etc/default/rcrp' not in f.read().split():
            fail('/etc/default/rcrp is not a conffile')
    fields = subprocess.run(['dpkg-deb', '-f', debs['rcrp-coordinator'], 'Depends'], capture_output=True, text=True,
                            check=True).stdout
    if 'rcrp (= %s)' % version not in fields:
        fail('rcrp-coordinator does not depend on its own version of rcrp: ' + fields)

    print('ok: dpkg-buildpackage built %s, lintian is clean' % ', '.join(sorted(os.path.basename(d)
                                                                           for d in debs.values())))
    return 0


if __name__ == '__main__':
    sys.exit(main())
