#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 9: a layout that stays put, and folds at 1024x768.

- The queue keeps its width when a call in it goes on hold (it grew from
  374 to 524 px, shoving the call aside), and when a call opens beside it.
- "Mental health, other" stays on one line of its row, badges and all
  (it wrapped word by word onto three).
- With a call open, the window made 1024x768: the call stays on screen,
  over the queue, with a Back button; Back, Escape and Alt+Left return to
  the queue, and Return on a row opens the call again."""

import ctypes
import ctypes.util
import os
import subprocess
import sys
import time

from rcrpui import App, Workspace, call, fail, find, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

# Xvfb's keymap (evdev): presses and releases take keycodes.
ALT, RETURN, ESCAPE, LEFT = 64, 36, 9, 113


def extents(node):
    e = node.get_extents(Atspi.CoordType.WINDOW)
    return e.x, e.y, e.width, e.height


def resize_toplevels(width, height):
    """Resizes the application's windows as a window manager would (Xvfb
    has none): there is no AT-SPI call for it."""
    x11 = ctypes.CDLL(ctypes.util.find_library('X11') or 'libX11.so.6')
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                               ctypes.POINTER(ctypes.c_uint)]
    x11.XResizeWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_uint, ctypes.c_uint]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]

    display = x11.XOpenDisplay(None)
    if not display:
        fail('cannot open the X display to resize the window')
    root, parent = ctypes.c_ulong(), ctypes.c_ulong()
    children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    x11.XQueryTree(display, x11.XDefaultRootWindow(display), ctypes.byref(root), ctypes.byref(parent),
                   ctypes.byref(children), ctypes.byref(count))
    for i in range(count.value):
        x11.XResizeWindow(display, children[i], width, height)
    if children:
        x11.XFree(children)
    x11.XFlush(display)
    x11.XCloseDisplay(display)


def key(code, alt=False):
    if alt:
        Atspi.generate_keyboard_event(ALT, None, Atspi.KeySynthType.PRESS)
    Atspi.generate_keyboard_event(code, None, Atspi.KeySynthType.PRESSRELEASE)
    if alt:
        Atspi.generate_keyboard_event(ALT, None, Atspi.KeySynthType.RELEASE)


def focused(app):
    return find(app.window, lambda n: n.get_state_set().contains(Atspi.StateType.FOCUSED))


def row_item(app, ref):
    queue = app.queue()
    for i in range(queue.get_child_count()):
        item = queue.get_child_at_index(i)
        if item is not None and (item.get_name() or '').startswith(ref + ','):
            return item
    return None


def label_in(node, text):
    return find(node, lambda n: n.get_role_name() == 'label' and n.get_name() == text)


def main():
    workspace = Workspace()
    workspace.ingest(call('LAY-0001', grade=2, category='mental_health_other', summary='Man shouting in the street'))
    workspace.ingest(call('LAY-0002', grade=1, summary='Neighbour worried about the man at number 4'), name='b.json')
    workspace.rcrp('decide', 'LAY-0001', 'signposted', '--answer', 'mh.risk=no', '--answer', 'mh.crime=no',
                   '--rationale', 'Known to the crisis team, who are with him')

    app = App(workspace)
    try:
        wait_for('the two calls', lambda: row_item(app, 'LAY-0001') is not None and row_item(app, 'LAY-0002')
                 is not None, root=app.root)
        time.sleep(1)
        width = extents(app.queue())[2]

        # The call goes on hold: the queue keeps its width.
        workspace.rcrp('appeals', 'lodge', 'LAY-0001', '--by', 'caller', '--grounds', 'He has a knife')
        wait_for('LAY-0001 on hold', lambda: 'on hold' in (row_item(app, 'LAY-0001').get_name() or ''),
                 root=app.root)
        time.sleep(1)
        if extents(app.queue())[2] != width:
            fail('the queue went from %d to %d px wide when a call went on hold'
                 % (width, extents(app.queue())[2]), app.root)

        # Its category on one line, however many badges share the row.
        row = row_item(app, 'LAY-0001')
        category = label_in(row, 'Mental health, other')
        grade = label_in(row, 'Grade 2')
        if category is None or grade is None:
            fail('no category or grade on the row', app.root)
        if extents(category)[3] > 1.5 * extents(grade)[3]:
            fail('“Mental health, other” takes %d px of height on its row, the grade %d: it wraps'
                 % (extents(category)[3], extents(grade)[3]), app.root)

        # A call open side by side; then the window is made 1024x768.
        app.select_row('LAY-0002')
        reference = wait_for('LAY-0002 open', lambda: find(app.window, lambda n: n.get_role_name() == 'label'
                                                           and n.get_name() == 'LAY-0002'
                                                           and n.get_description() == 'Call reference'),
                             root=app.root)
        time.sleep(1)
        if extents(app.queue())[2] != width:
            fail('the queue went from %d to %d px wide when a call was opened beside it'
                 % (width, extents(app.queue())[2]), app.root)
        resize_toplevels(1024, 768)
        wait_for('the window at 1024 px', lambda: extents(app.window)[2] <= 1024, root=app.root)
        back = find(app.window, lambda n: n.get_role_name() == 'push button' and n.get_name() == 'Back to the queue')
        if back is None:
            fail('no Back button', app.root)

        def on_screen(node):
            x, y, w, h = extents(node)
            return w > 0 and h > 0 and 0 <= x and x + w <= extents(app.window)[2]

        wait_for('the call still on screen, folded over the queue, with Back',
                 lambda: on_screen(reference) and on_screen(back) and extents(reference)[0] < 100, root=app.root)
        shot = os.environ.get('RCRP_SCREENSHOT')
        if shot:
            subprocess.run(['import', '-window', 'root', shot], check=False)

        def in_queue():
            node = focused(app)
            return node is not None and (node.get_name() or '').startswith('LAY-0002,')

        def in_call():
            # The focus in the call's details, the call on screen.
            node = focused(app)
            while node is not None and node.get_name() != 'Call details':
                node = node.get_parent()
            return node is not None and on_screen(reference)

        # Back returns to the queue, on the call's row.
        if not back.do_action(0):
            fail('could not press Back', app.root)
        wait_for('Back: the queue, on the call', in_queue, root=app.root)
        wait_for('Back: the queue over the whole window', lambda: extents(app.queue())[2] > 700, root=app.root)

        # Return opens it again; Escape and Alt+Left go back.
        key(RETURN)
        wait_for('Return: the call', in_call, root=app.root)
        key(ESCAPE)
        wait_for('Escape: the queue', in_queue, root=app.root)
        key(RETURN)
        wait_for('Return: the call again', in_call, root=app.root)
        key(LEFT, alt=True)
        wait_for('Alt+Left: the queue', in_queue, root=app.root)
    finally:
        app.close()

    print('ok: the queue stayed %d px wide, the category on one line; folded, the call stayed on screen '
          'and Back, Escape and Alt+Left returned' % width)
    return 0


if __name__ == '__main__':
    sys.exit(main())
