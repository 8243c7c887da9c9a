#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Waits (up to 15 s) until the X display in $DISPLAY accepts connections,
then runs the command given. xvfb-run can hand over before Xvfb listens,
and an application started then fails with "cannot open display"."""

import ctypes
import ctypes.util
import os
import sys
import time

x11 = ctypes.CDLL(ctypes.util.find_library('X11') or 'libX11.so.6')
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]

deadline = time.monotonic() + 15
while True:
    display = x11.XOpenDisplay(None)
    if display:
        x11.XCloseDisplay(display)
        break
    if time.monotonic() > deadline:
        print('error: the X display %s did not come up' % os.environ.get('DISPLAY'), file=sys.stderr)
        sys.exit(2)
    time.sleep(0.1)

os.execvp(sys.argv[1], sys.argv[1:])
