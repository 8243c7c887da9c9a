#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is missing, builds, and starts Right Care Coordinator on a
# demo database full of simulated calls (more arrive every 15 seconds).
# Extra arguments go to the application, e.g. --database PATH instead of
# the demo.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

# shellcheck source=build-aux/deps.sh
. build-aux/deps.sh
rcrp_install_dependencies

# A build of its own, never the test build (which lets an environment
# variable choose the user).
if [ ! -f _build-app/build.ninja ]; then
  meson setup _build-app -Dtest_identity=false
fi
meson compile -C _build-app

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "error: no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)." >&2
  echo "Run this from a desktop session, or headless with:" >&2
  echo "  xvfb-run -a build-aux/setup-and-run.sh" >&2
  exit 2
fi

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--demo)
fi

export GSETTINGS_SCHEMA_DIR="$top/_build-app/data"
exec "$top/_build-app/src/app/rcrp-coordinator" "${args[@]}"
