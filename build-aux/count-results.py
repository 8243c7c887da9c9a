#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts meson test results across logs; prints "N passed, N failed".

Each argument is one run's JSON log: meson-logs/testlog.json of a build
tree, or the quick benchmark run's meson-logs/benchmarklog.json. Exits 1
when anything failed, or when a log is missing or holds no result, so a
suite that silently runs nothing cannot look green.
"""

import json
import os
import sys

PASSED = {'OK', 'EXPECTEDFAIL'}
SKIPPED = {'SKIP'}


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        if not os.path.exists(path):
            # A suite that never ran counts as a failure.
            print('%s: missing; counted as one failure' % path, file=sys.stderr)
            failed += 1
            continue
        results = 0
        with open(path, encoding='utf-8') as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                results += 1
                result = json.loads(line).get('result')
                if result in PASSED:
                    passed += 1
                elif result in SKIPPED:
                    skipped += 1
                else:
                    failed += 1
        if results == 0:
            print('%s: no results; counted as one failure' % path, file=sys.stderr)
            failed += 1
    line = '%d passed, %d failed' % (passed, failed)
    if skipped:
        line += ', %d skipped' % skipped
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
