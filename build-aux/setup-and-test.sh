#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is missing, builds, and runs every test: the core, data and
# UI suites under Xvfb on a private session bus, every benchmark once in its
# quick mode, then the core suite again built with AddressSanitizer and
# UndefinedBehaviorSanitizer, then each input parser's libFuzzer harness
# for about a minute. Ends with one line "N passed, N failed" and exits
# non-zero on any failure.
set -uo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top" || exit 2

# shellcheck source=build-aux/deps.sh
. build-aux/deps.sh
rcrp_install_dependencies || exit 2

status=0

# run_suite LOG COMMAND...: LOG is the meson log that COMMAND writes and
# count-results.py reads.
run_suite ()
{
  local log=$1
  shift

  rm -f "$log"
  "$@" || status=1
}

under_display ()
{
  # -a finds a free display; starting the search at a number of our own
  # keeps two runs on one machine from racing for :99.
  xvfb-run -a -n $((100 + $$ % 400)) -s "-screen 0 1400x900x24 -noreset" \
    python3 build-aux/wait-for-display.py \
    dbus-run-session -- "$@"
}

# Leftover results must not be counted again, not even when a build fails
# and its suites never run: a missing log counts as a failure.
rm -f _build/meson-logs/testlog.json _build/meson-logs/benchmarklog.json \
      _build-sanitize/meson-logs/testlog.json _build-fuzz/meson-logs/testlog.json

# The main build: every suite, the GUI under Xvfb through AT-SPI.
# Tests act as several users (RCRP_TEST_OPERATOR), which only a test
# build allows; the app the run command starts is built without it.
if [ ! -f _build/build.ninja ]; then
  meson setup _build -Dtest_identity=true || exit 2
else
  meson configure _build -Dtest_identity=true || exit 2
fi
if meson compile -C _build; then
  run_suite _build/meson-logs/testlog.json \
    under_display meson test -C _build --print-errorlogs --num-processes 2

  # Every benchmark once, on tiny counts, so that one which no longer runs
  # fails here rather than rotting unseen; the figures mean nothing (full
  # runs: meson test -C _build --benchmark). Its own log, or it would
  # replace the tests'. A tenth of the full runs' timeouts stops a hang.
  run_suite _build/meson-logs/benchmarklog.json \
    under_display env RCRP_BENCH_QUICK=1 meson test -C _build --benchmark --logbase benchmarklog \
      --print-errorlogs --timeout-multiplier 0.1
else
  echo "error: the build failed" >&2
  status=1
fi

# The core again, with the sanitizers.
if [ ! -f _build-sanitize/build.ninja ]; then
  meson setup _build-sanitize -Dgui=false -Dtest_identity=true -Db_sanitize=address,undefined -Db_lundef=false \
    || exit 2
fi
if meson compile -C _build-sanitize; then
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:print_stacktrace=1:fast_unwind_on_malloc=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  export LSAN_OPTIONS="suppressions=$top/build-aux/lsan.supp:print_suppressions=0"
  run_suite _build-sanitize/meson-logs/testlog.json \
    meson test -C _build-sanitize --suite core --print-errorlogs --num-processes 2
else
  echo "error: the sanitizer build failed" >&2
  status=1
fi

# The fuzzers: each input parser under libFuzzer with AddressSanitizer and
# UndefinedBehaviorSanitizer for about a minute (RCRP_FUZZ_SECONDS), from
# the seed corpus in tests/fuzz/corpus. A crash, leak or GLib critical
# fails the run; the input is kept in _build-fuzz/tests/fuzz/.
if [ ! -f _build-fuzz/build.ninja ]; then
  CC=clang meson setup _build-fuzz -Dgui=false -Dfuzzing=true -Dtest_identity=true \
    -Db_sanitize=address,undefined -Db_lundef=false || exit 2
fi
if meson compile -C _build-fuzz; then
  run_suite _build-fuzz/meson-logs/testlog.json \
    meson test -C _build-fuzz --suite fuzz --print-errorlogs
else
  echo "error: the fuzzing build failed" >&2
  status=1
fi

summary=$(python3 build-aux/count-results.py _build/meson-logs/testlog.json \
                                             _build/meson-logs/benchmarklog.json \
                                             _build-sanitize/meson-logs/testlog.json \
                                             _build-fuzz/meson-logs/testlog.json)
count_status=$?
echo "$summary"

if [ $count_status -ne 0 ]; then
  status=1
fi

exit $status
