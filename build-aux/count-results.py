#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts meson test results across build trees; prints "N passed, N failed".

Exits 1 when anything failed or when no test ran at all, so a silent
build that runs nothing cannot look green.
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
            failed += 1
            continue
        with open(path, encoding='utf-8') as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                result = json.loads(line).get('result')
                if result in PASSED:
                    passed += 1
                elif result in SKIPPED:
                    skipped += 1
                else:
                    failed += 1
    line = '%d passed, %d failed' % (passed, failed)
    if skipped:
        line += ', %d skipped' % skipped
    print(line)
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
