#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzzer.sh HARNESS SEEDS: runs a libFuzzer harness for
# $RCRP_FUZZ_SECONDS (default 60) on a scratch copy of the seed corpus in
# SEEDS, which is only read. Exits non-zero on a crash, leak, sanitizer
# report, timeout or GLib critical; the input that did it is kept in
# $RCRP_FUZZ_ARTIFACTS (default: the build folder) and printed in hex.
set -u

harness=$1
seeds=$2
seconds=${RCRP_FUZZ_SECONDS:-60}
name=$(basename "$harness")
artifacts=${RCRP_FUZZ_ARTIFACTS:-$(dirname "$harness")/$name-artifacts}

work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts" || exit 2

# New inputs go into the first folder, the scratch one; the seeds stay as
# they are in the tree.
"$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" 2>"$work.log"
status=$?

# The figures the README reports: runs, coverage, corpus.
grep -E '^(#[0-9]+.*(DONE|INITED)|stat::|Done [0-9]+ runs)' "$work.log"
if [ $status -ne 0 ]; then
  tail -n 60 "$work.log"
  for input in "$artifacts"/*; do
    [ -f "$input" ] && { echo "input: $input"; od -A x -t x1z "$input" | head -n 20; }
  done
fi
rm -f "$work.log"

exit $status
