#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 3: once an urgent appeal is lodged against a decision,
its Undo is gone: the toast is withdrawn, and nothing pressed undoes the
decision under appeal, which stays the call's outcome, on hold."""

import sqlite3
import sys
import time

from rcrpui import App, Workspace, call, fail, find, text_of, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

# A press and a release take a keycode (Control_L is 37 in Xvfb's keymap);
# a whole key stroke takes a keysym.
KEYCODE_CONTROL, KEY_Z = 37, 0x7a


def kinds(database, cad_ref):
    db = sqlite3.connect('file:%s?mode=ro' % database, uri=True)
    try:
        return [k for (k,) in db.execute("SELECT e.kind FROM events e JOIN calls c ON c.id = e.call_id "
                                         "WHERE c.cad_ref = ? ORDER BY e.id", (cad_ref,))]
    finally:
        db.close()


def main():
    workspace = Workspace()
    workspace.ingest(call('UND-0001', grade=3, summary='Caller asked for police for her brother'))

    app = App(workspace)
    try:
        wait_for('the call in the queue', lambda: any(n.startswith('UND-0001,') for n in app.queue_rows()),
                 root=app.root)
        app.select_row('UND-0001')
        panel = wait_for('the triage panel', lambda: find(app.root, lambda n: n.get_name() == 'Triage'
                                                          and n.get_role_name() != 'label'), root=app.root)

        def in_dialogs(predicate):
            # A dialog is a window of its own: list the windows afresh.
            app.root.clear_cache()
            for i in range(app.root.get_child_count()):
                window = app.root.get_child_at_index(i)
                if window is not None and window.get_role_name() == 'dialog':
                    node = find(window, predicate)
                    if node is not None:
                        return node
            return None

        def press(root, name, role='push button'):
            # The checklist's answers are radio buttons; pressed like buttons.
            node = wait_for('“%s”' % name, lambda: find(root, lambda n: n.get_role_name() in (role, 'radio button')
                                                       and (n.get_name() or '').replace('_', '').startswith(name)
                                                       and n.get_state_set().contains(Atspi.StateType.SENSITIVE)),
                            root=app.root)
            if not node.do_action(0):
                fail('could not press “%s”' % name, app.root)

        for question in ("No: Is the person's life at real and immediate risk", 'No: Is a crime being committed',
                         'No: Is the person really missing'):
            press(panel, question)
        press(panel, 'Signpost')
        wait_for('the decision', lambda: 'call.decided' in kinds(workspace.database, 'UND-0001'), root=app.root)
        wait_for('the Undo toast', lambda: find(app.window, lambda n: n.get_role_name() == 'push button'
                                                and (n.get_name() or '').startswith('Undo')), root=app.root)

        # The caller appeals at once.
        deadline = time.monotonic() + 15
        grounds = None
        while grounds is None and time.monotonic() < deadline:
            press(panel, 'Lodge appeal')
            for _ in range(20):
                grounds = in_dialogs(lambda n: n.get_role_name() == 'text'
                                     and (n.get_name() or '').startswith('Grounds'))
                if grounds is not None:
                    break
                time.sleep(0.1)
        if grounds is None or not grounds.set_text_contents('She says he has taken tablets.'):
            fail('no appeal dialog', app.root)
        lodge = wait_for('Lodge Appeal', lambda: in_dialogs(lambda n: n.get_role_name() == 'push button'
                                                            and (n.get_name() or '').replace('_', '')
                                                            .split(' Lodge Appeal')[0] == 'Lodge Appeal'),
                         root=app.root)
        lodge.do_action(0)
        wait_for('the appeal lodged', lambda: 'appeal.lodged' in kinds(workspace.database, 'UND-0001'),
                 root=app.root)

        # The decision's Undo is withdrawn at once: no toast offers it...
        def undo_button():
            app.root.clear_cache()
            return find(app.root, lambda n: n.get_role_name() == 'push button'
                        and (n.get_name() or '').startswith('Undo')
                        and n.get_state_set().contains(Atspi.StateType.SENSITIVE))
        time.sleep(1)
        offered = undo_button()
        if offered is not None:
            # Pressed anyway, it must not undo the decision under appeal.
            offered.do_action(0)
            time.sleep(1.5)
            if 'call.decision_undone' in kinds(workspace.database, 'UND-0001'):
                fail('the decision under appeal was undone from its toast: %r' % kinds(workspace.database, 'UND-0001'))
            fail('the Undo toast is still offered for a decision under appeal', app.root)

        # ...and Ctrl+Z, from the queue, does nothing to it.
        row = wait_for('the queue row', lambda: find(app.queue(), lambda n: n.get_role_name() == 'list item'
                                                     and (n.get_name() or '').startswith('UND-0001,')),
                       root=app.root)
        box = row.get_extents(Atspi.CoordType.WINDOW)  # the window sits at 0,0 on Xvfb
        Atspi.generate_mouse_event(box.x + box.width // 2, box.y + box.height // 2, 'b1c')
        time.sleep(0.5)
        Atspi.generate_keyboard_event(KEYCODE_CONTROL, None, Atspi.KeySynthType.PRESS)
        Atspi.generate_keyboard_event(KEY_Z, None, Atspi.KeySynthType.SYM)
        Atspi.generate_keyboard_event(KEYCODE_CONTROL, None, Atspi.KeySynthType.RELEASE)
        time.sleep(1.5)
        if 'call.decision_undone' in kinds(workspace.database, 'UND-0001'):
            fail('Ctrl+Z undid the decision under appeal: %r' % kinds(workspace.database, 'UND-0001'))

        wait_for('the call on hold with its outcome',
                 lambda: any(n.startswith('UND-0001,') and 'on hold' in n and 'decided: Signposted' in n
                             for n in app.queue_rows()), root=app.root)
        if 'call.decision_undone' in kinds(workspace.database, 'UND-0001'):
            fail('the decision under appeal was undone')
    finally:
        app.close()

    print('ok: no undo once an appeal is lodged on the decision')
    return 0


if __name__ == '__main__':
    sys.exit(main())
