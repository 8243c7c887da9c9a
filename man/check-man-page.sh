#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-man-page.sh PAGE: formats PAGE as man would show it and fails on any
# warning groff or man gives (man --warnings), or on a page with no text.
set -u

page=$1
warnings=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
text=$(MANWIDTH=80 LC_ALL=C.UTF-8 man -E UTF-8 -l "$page" 2>/dev/null)

if [ -n "$warnings" ]; then
  echo "$page: man --warnings says:" >&2
  echo "$warnings" >&2
  exit 1
fi

if [ -z "$text" ]; then
  echo "$page: formats to nothing" >&2
  exit 1
fi

echo "$page: $(printf '%s\n' "$text" | wc -l) lines, no warnings"
