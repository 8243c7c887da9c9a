#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what the project needs on Debian 12, and nothing if it is all
# there. Sourced by setup-and-run.sh and setup-and-test.sh; the one place
# the package list lives.

RCRP_PACKAGES=(
  # Build
  build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev libnotify-dev libjson-glib-dev libcairo2-dev libpango1.0-dev
  # Ed25519 signatures of the audit checkpoints kept outside the database
  libgnutls28-dev
  # Reading the PDF report back in the export tests
  poppler-utils
  # Validators that the data tests require
  desktop-file-utils appstream-util
  # Running and testing the GUI headless, through its accessibility tree
  xvfb xauth dbus dbus-x11 at-spi2-core gir1.2-atspi-2.0 python3 python3-gi
  # The sqlite3 shell, used by the tamper tests and handy for audits
  sqlite3
  # The libFuzzer harnesses (tests/fuzz): clang, and its fuzzer and
  # sanitizer runtimes
  clang libclang-rt-14-dev
  # Manual pages: scdoc builds them, man (man-db) checks they render
  scdoc man-db
  # bash completion's install folder (pkg-config) and the completion test
  bash-completion
  # The service: its install folders (systemd.pc) and systemd-analyze verify
  systemd
  # The Debian package and its test: dpkg-buildpackage, dh with meson, lintian
  dpkg-dev debhelper fakeroot lintian
)

rcrp_install_dependencies ()
{
  local missing=()
  local package

  for package in "${RCRP_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done

  if [ ${#missing[@]} -eq 0 ]; then
    echo "All build and test dependencies are installed."
    return 0
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "error: these packages are missing and you are not root (and sudo is not installed):" >&2
      echo "  ${missing[*]}" >&2
      return 2
    fi
  fi

  echo "Installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}
