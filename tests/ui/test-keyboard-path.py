#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 8: the keyboard path of a call, counted.

From the queue to a recorded referral and its undo with the keyboard
alone, in 15 key presses or fewer (a chord such as Ctrl+Shift+R counts as
one press): Ctrl+1 to the queue, Down to the call, Return to open it,
Ctrl+J to its checklist, one key per answer, Ctrl+Shift+R to refer and
Ctrl+Z to undo. On the way, the focused answer is never under the edge of
the checklist, and the recommendation stays in sight. F6 goes round the
panes, and the window's keys work from an entry."""

import sys
import time

from rcrpui import App, Workspace, call, fail, find, wait_for

from gi.repository import Atspi  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

# Xvfb's keymap (evdev): presses and releases take keycodes.
CONTROL, SHIFT = 37, 50
KEYCODES = {'1': 10, 's': 39, 'j': 44, 'r': 27, 'z': 52, 'n': 57, 'y': 29, 'Return': 36, 'Down': 116, 'F6': 72}

QUESTIONS = [
    ("Is the person's life at real and immediate risk", 'n'),
    ('Is a crime being committed', 'n'),
    ('Is the person really missing', 'n'),
    ('Is the caller a professional asking police', 'n'),
    ('Has that service done what it can', 'n'),
    ('Is the person known to mental-health services', 'y'),
]

presses = []


def press(key, control=False, shift=False):
    """One key press, a chord counting once."""
    presses.append(('Ctrl+' if control else '') + ('Shift+' if shift else '') + key)
    if control:
        Atspi.generate_keyboard_event(CONTROL, None, Atspi.KeySynthType.PRESS)
    if shift:
        Atspi.generate_keyboard_event(SHIFT, None, Atspi.KeySynthType.PRESS)
    Atspi.generate_keyboard_event(KEYCODES[key], None, Atspi.KeySynthType.PRESSRELEASE)
    if shift:
        Atspi.generate_keyboard_event(SHIFT, None, Atspi.KeySynthType.RELEASE)
    if control:
        Atspi.generate_keyboard_event(CONTROL, None, Atspi.KeySynthType.RELEASE)


def has(node, state):
    return node.get_state_set().contains(state)


def extents(node):
    e = node.get_extents(Atspi.CoordType.WINDOW)
    return e.x, e.y, e.width, e.height


def inside(inner, outer):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return w > 0 and h > 0 and x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


def answer_button(app, answer, question):
    return find(app.window, lambda n: n.get_role_name() in ('push button', 'toggle button', 'radio button')
                and (n.get_name() or '').startswith(answer + ': ' + question))


def focused(app):
    return find(app.window, lambda n: has(n, Atspi.StateType.FOCUSED))


def decisions(workspace, ref):
    import json
    return json.loads(workspace.rcrp('show', ref, '--json'))['decisions']


def main():
    workspace = Workspace()
    workspace.ingest(call('KEY-0001', grade=1, summary='Man on the bridge parapet'), name='a.json')
    workspace.ingest(call('KEY-0002', grade=2, summary='Neighbour has not seen the man at number 4 for a week'),
                     name='b.json')
    workspace.ingest(call('KEY-0003', grade=3, summary='Caller worried about her brother'), name='c.json')

    app = App(workspace)
    try:
        wait_for('the three calls, most urgent first',
                 lambda: [r.split(',')[0] for r in app.queue_rows()] == ['KEY-0001', 'KEY-0002', 'KEY-0003'],
                 root=app.root)

        # To the queue, down to the second call, and open it.
        press('1', control=True)
        wait_for('the focus in the queue', lambda: (focused(app) is not None and
                                                   (focused(app).get_name() or '').startswith('KEY-0001,')),
                 root=app.root)
        press('Down')
        press('Return')
        wait_for('KEY-0002 open', lambda: find(app.window, lambda n: n.get_role_name() == 'label'
                                               and n.get_name() == 'KEY-0002'
                                               and n.get_description() == 'Call reference'), root=app.root)

        # To the checklist, and answer it: each answer moves to the next.
        press('j', control=True)
        panel = wait_for('the triage panel', lambda: find(app.window, lambda n: n.get_name() == 'Triage'
                                                          and n.get_role_name() == 'panel'), root=app.root)
        scroller = find(panel, lambda n: n.get_role_name() == 'scroll pane')
        window_box = extents(app.window)
        for i, (question, key) in enumerate(QUESTIONS):
            wait_for('the focus on “%s”' % question,
                     lambda: has(answer_button(app, 'Yes', question), Atspi.StateType.FOCUSED), root=app.root)
            # The focused answer and its question in full view, and the
            # recommendation with them.
            yes = answer_button(app, 'Yes', question)
            if not inside(extents(yes), extents(scroller)):
                fail('the focused answer to “%s” is at %r, outside the checklist at %r'
                     % (question, extents(yes), extents(scroller)), app.root)
            recommendation = find(panel, lambda n: n.get_role_name() == 'label'
                                  and n.get_description() == 'Recommendation')
            box = extents(recommendation)
            if not (box[2] > 0 and box[1] >= 0 and box[1] + box[3] <= window_box[3]
                    and box[1] + box[3] <= extents(scroller)[1]):
                fail('the recommendation is at %r, not in sight above the checklist at %r'
                     % (box, extents(scroller)), app.root)
            press(key)
            chosen = 'Yes' if key == 'y' else 'No'
            wait_for('“%s” answered %s and said to be checked' % (question, chosen),
                     lambda: has(answer_button(app, chosen, question), Atspi.StateType.CHECKED), root=app.root)

        wait_for('a referral recommended', lambda: recommendation.get_name() == 'Refer to an agency', root=app.root)

        # Refer, then undo.
        press('r', control=True, shift=True)
        recorded = wait_for('the referral recorded', lambda: [d for d in decisions(workspace, 'KEY-0002')
                                                             if d['outcome'] == 'referred'], root=app.root)
        wait_for('the decision in the queue', lambda: any(r.startswith('KEY-0002,') and 'decided' in r
                                                          for r in app.queue_rows()), root=app.root)
        press('z', control=True)
        wait_for('the referral undone', lambda: any(d['event_id'] == recorded[0]['event_id'] and d.get('undone_by')
                                                    for d in decisions(workspace, 'KEY-0002'))
                 or not any(r.startswith('KEY-0002,') and 'decided' in r for r in app.queue_rows()),
                 root=app.root)
        wait_for('the call open again in the queue', lambda: any(r.startswith('KEY-0002,') and 'decided' not in r
                                                                 for r in app.queue_rows()), root=app.root)

        print('key presses: %d (%s)' % (len(presses), ', '.join(presses)))
        if len(presses) > 15:
            fail('the keyboard path took %d key presses, more than 15' % len(presses))
        counted = len(presses)

        # F6 goes round the panes: from the checklist to the queue, the
        # call and back to the checklist.
        press('F6')
        wait_for('F6: the queue', lambda: (focused(app) is not None and
                                          (focused(app).get_name() or '').startswith('KEY-0002,')), root=app.root)
        press('F6')
        wait_for('F6: the call', lambda: (focused(app) is not None and focused(app).get_name() == 'KEY-0002'
                                         and focused(app).get_description() == 'Call reference'), root=app.root)
        press('F6')
        wait_for('F6: the checklist', lambda: has(answer_button(app, 'Yes', QUESTIONS[0][0]),
                                                  Atspi.StateType.FOCUSED), root=app.root)

        # The window's keys from an entry: a signpost departs from the
        # recommendation, so the panel asks why and puts the focus in the
        # rationale; Ctrl+1 from there goes to the queue.
        press('s', control=True, shift=True)
        rationale = wait_for('the rationale entry', lambda: find(panel, lambda n: n.get_role_name() == 'text' and
                                                               (n.get_name() or '').startswith('Rationale')),
                             root=app.root)
        Atspi.generate_keyboard_event(0x78, None, Atspi.KeySynthType.SYM)
        wait_for('a key typed into the rationale',
                 lambda: rationale.get_text(0, rationale.get_character_count()) == 'x', root=app.root)
        press('1', control=True)
        wait_for('Ctrl+1 from the rationale: the queue', lambda: (focused(app) is not None and
                                                                 (focused(app).get_name() or '').startswith('KEY-')),
                 root=app.root)
    finally:
        app.close()

    print('ok: referred and undone in %d key presses' % counted)
    return 0


if __name__ == '__main__':
    sys.exit(main())
