#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue #25, point 10: what a screen reader hears, in every window.

Walks the whole accessibility tree of the main window and of each dialog
while it is open (preferences, keyboard shortcuts, the export dialog, the
appeal dialog, the override dialog) and fails on:
- a control (something that can be focused or acted on) with no name, or
  with only the toolkit's type name ("GtkImage");
- a name with a mnemonic underscore ("_Lodge Appeal…");
- a name that says a word twice in a row ("Undo Undo"), or a control's
  name that ends as it begins ("Take over the call Take Over");
- a toggle that does not say it is pressed (the answers, the search
  button).
And Tab, through the checklist and the decision and through the export
dialog, never lands where AT-SPI reports no focus (the THRIVE entries,
the rationale, the shift date)."""

import re
import sys
import time

from rcrpui import App, Workspace, call, fail, find, wait_for

from gi.repository import Atspi, GLib  # noqa: E402  (after rcrpui, which sets up G_DEBUG)

# Xvfb's keymap (evdev): presses and releases take keycodes.
CONTROL, SHIFT = 37, 50
KEYS = {'2': 11, 'Tab': 23, 'Escape': 9, 'j': 44, 'e': 26, 'comma': 59, 'slash': 61, 'a': 38, 'n': 57, 'f': 41}

CONTROL_ROLES = {'push button', 'toggle button', 'check box', 'radio button', 'combo box', 'entry', 'text',
                 'password text', 'spin button', 'menu item', 'page tab', 'link', 'switch', 'slider', 'list item'}
TYPE_NAME = re.compile(r'^(Gtk|Adw)[A-Z]\w+$')
MNEMONIC = re.compile(r'(^|[^\w])_[^\W_]')
TWICE = re.compile(r'\b([^\W\d_]+) \1\b', re.IGNORECASE)


def key(name, control=False, shift=False):
    if control:
        Atspi.generate_keyboard_event(CONTROL, None, Atspi.KeySynthType.PRESS)
    if shift:
        Atspi.generate_keyboard_event(SHIFT, None, Atspi.KeySynthType.PRESS)
    Atspi.generate_keyboard_event(KEYS[name], None, Atspi.KeySynthType.PRESSRELEASE)
    if shift:
        Atspi.generate_keyboard_event(SHIFT, None, Atspi.KeySynthType.RELEASE)
    if control:
        Atspi.generate_keyboard_event(CONTROL, None, Atspi.KeySynthType.RELEASE)


def has(node, state):
    return node.get_state_set().contains(state)


def said_twice(name):
    """A control's name that ends as it begins: "Take over the call Take
    Over" (its own name, then its label's)."""
    words = name.lower().split()
    return any(words[:k] == words[-k:] for k in range(1, len(words) // 2 + 1))


def is_control(node):
    """Something a person acts on or Tabs to; containers (lists, panes)
    are named by what they hold."""
    role = node.get_role_name()
    if role in CONTROL_ROLES:
        return True
    if role == 'label':
        return has(node, Atspi.StateType.FOCUSABLE)
    # A clickable icon, such as a search entry's clear icon.
    if role == 'image':
        parent = node.get_parent()
        return parent is not None and parent.get_role_name() == 'entry'
    return False


class Problems(list):
    """Said as they are found, so that a window that fails to open later
    does not hide them."""

    def append(self, problem):
        print(problem, file=sys.stderr)
        super().append(problem)

    def __iadd__(self, problems):
        for problem in problems:
            self.append(problem)
        return self


def problems_in(window, where):
    """What a screen reader would stumble on in one open window."""
    found = []

    def visit(node, path, depth=0):
        if node is None or depth > 60:
            return
        try:
            role = node.get_role_name()
            name = node.get_name() or ''
            here = '%s > %s %r' % (path, role, name)
            if is_control(node) and role not in ('frame', 'dialog', 'window'):
                if not name.strip() or TYPE_NAME.match(name):
                    found.append('%s: a %s with no name (%s)' % (where, role, here))
            if MNEMONIC.search(name):
                found.append('%s: a mnemonic underscore in %r (%s)' % (where, name, here))
            if TWICE.search(name):
                found.append('%s: a word said twice in %r (%s)' % (where, name, here))
            elif is_control(node) and said_twice(name):
                found.append('%s: a name said twice over in %r (%s)' % (where, name, here))
            children = [node.get_child_at_index(i) for i in range(node.get_child_count())]
        except GLib.Error:
            return
        for child in children:
            visit(child, here if len(here) < 300 else path, depth + 1)

    visit(window, where)
    return found


def windows(app):
    app.root.clear_cache()
    return [app.root.get_child_at_index(i) for i in range(app.root.get_child_count())]


def wait_for_window(app, what, predicate):
    return wait_for(what, lambda: next((w for w in windows(app) if w is not None and predicate(w)), None),
                    root=app.root)


def wait_closed(app, window_name):
    wait_for('“%s” closed' % window_name, lambda: all(w is None or w.get_name() != window_name
                                                       for w in windows(app)), root=app.root)


def focused(root):
    return find(root, lambda n: has(n, Atspi.StateType.FOCUSED))


def tab_through(app, root, where, until, problems, limit=40):
    """Tabs through @root until @until(name) names the focused control;
    every stop must be reported as focused."""
    seen = []
    for _ in range(limit):
        key('Tab')
        time.sleep(0.15)
        node = focused(root)
        if node is None:
            problems.append('%s: after Tab from %r, AT-SPI reports the focus nowhere' % (where, seen[-1:]))
            seen.append(None)
            continue
        seen.append(node.get_name())
        if until(node.get_name() or ''):
            return
    problems.append('%s: %d Tabs never reached a reported focus there; focus went through %r' % (where, limit, seen))


def main():
    workspace = Workspace()
    workspace.ingest(call('ACC-0001', grade=2, summary='Neighbour worried about the man at number 4'))
    workspace.ingest(call('ACC-0002', grade=3, summary='Caller asked for police for her brother'), name='b.json')
    workspace.rcrp('decide', 'ACC-0002', 'signposted', '--answer', 'cfw.risk_to_life=no', '--answer', 'cfw.crime=no',
                   '--answer', 'cfw.missing=no')

    app = App(workspace)
    problems = Problems()
    try:
        wait_for('the calls', lambda: len(app.queue_rows()) == 2, root=app.root)
        app.select_row('ACC-0001')
        panel = wait_for('the triage panel', lambda: find(app.window, lambda n: n.get_name() == 'Triage'
                                                          and n.get_role_name() == 'panel'), root=app.root)

        # An answer given, a search open and a toast up: then the main
        # window, all of it.
        no = wait_for('the first answer', lambda: find(panel, lambda n: (n.get_name() or '').startswith(
            "No: Is the person's life")), root=app.root)
        if not no.do_action(0):
            fail('could not answer No', app.root)
        time.sleep(0.5)

        def pressed(node):
            return has(node, Atspi.StateType.PRESSED) or has(node, Atspi.StateType.CHECKED)

        # The three answers are one choice: radio buttons, the chosen one
        # checked (a pressed push button is not read as an answer).
        for answer in ('Yes', 'No', 'Unknown'):
            node = find(panel, lambda n: (n.get_name() or '').startswith(answer + ": Is the person's life"))
            if node.get_role_name() not in ('radio button', 'toggle button', 'check box'):
                problems.append('the answer “%s” is a %s to a screen reader, not a choice' % (answer, node.get_role_name()))
            if (answer == 'No') != has(node, Atspi.StateType.CHECKED):
                problems.append('the answer “%s” says checked=%s with “No” the answer'
                                % (answer, has(node, Atspi.StateType.CHECKED)))

        key('f', control=True)
        search = wait_for('the search toggle', lambda: find(app.window, lambda n: n.get_name() == 'Search'
                                                            and n.get_role_name() != 'entry'), root=app.root)
        time.sleep(0.5)
        if not pressed(search):
            problems.append('the search toggle does not say it is pressed with the search open')
        entry = find(app.window, lambda n: n.get_role_name() == 'entry' and n.get_name() == 'Search calls')
        entry.set_text_contents('zzz')  # the clear icon shows with text
        time.sleep(0.5)
        problems += problems_in(app.window, 'main window')
        entry.set_text_contents('')
        key('Escape')

        # Tab from the call's details through the triage panel: the
        # THRIVE entries and the rationale say when they have the focus.
        key('2', control=True)
        wait_for('the focus in the call', lambda: focused(app.window) is not None, root=app.root)
        tab_through(app, app.window, 'the call and its triage', lambda name: name.startswith('Rationale'), problems,
                    limit=80)

        # Preferences.
        key('comma', control=True)
        prefs = wait_for_window(app, 'the preferences', lambda w: w.get_role_name() in ('frame', 'dialog', 'window')
                                and w.get_name() == 'Preferences')
        time.sleep(0.5)
        problems += problems_in(prefs, 'preferences')
        key('Escape')
        wait_closed(app, 'Preferences')

        # Keyboard shortcuts.
        key('slash', control=True, shift=True)
        shortcuts = wait_for_window(app, 'the keyboard shortcuts', lambda w: w.get_name() == 'Keyboard Shortcuts')
        time.sleep(0.5)
        problems += problems_in(shortcuts, 'keyboard shortcuts')
        key('Escape')
        wait_closed(app, 'Keyboard Shortcuts')

        # The export dialog, and Tab to its shift date.
        key('e', control=True)
        export = wait_for_window(app, 'the export dialog', lambda w: find(w, lambda n: (n.get_name() or '')
                                                                         .startswith('Shift date')) is not None)
        export_name = export.get_name()
        time.sleep(0.5)
        problems += problems_in(export, 'export dialog')
        tab_through(app, export, 'the export dialog', lambda name: name.startswith('Shift date'), problems)
        key('Escape')
        wait_closed(app, export_name)

        # The override dialog: No further action with police not ruled out.
        key('n', control=True, shift=True)
        override = wait_for_window(app, 'the override dialog', lambda w: w.get_role_name() == 'dialog' and find(
            w, lambda n: (n.get_name() or '').startswith('Why police are not needed')) is not None)
        override_name = override.get_name()
        time.sleep(0.5)
        problems += problems_in(override, 'override dialog')
        key('Escape')
        wait_closed(app, override_name)

        # The appeal dialog, on the decided call.
        app.select_row('ACC-0002')
        wait_for('ACC-0002 open', lambda: find(app.window, lambda n: n.get_role_name() == 'label'
                                               and n.get_name() == 'ACC-0002'), root=app.root)
        time.sleep(0.5)
        key('a', control=True, shift=True)
        appeal = wait_for_window(app, 'the appeal dialog', lambda w: w.get_role_name() == 'dialog' and find(
            w, lambda n: (n.get_name() or '').startswith('Grounds')) is not None)
        appeal_name = appeal.get_name()
        time.sleep(0.5)
        problems += problems_in(appeal, 'appeal dialog')
        key('Escape')
        wait_closed(app, appeal_name)
    finally:
        app.close()

    if problems:
        fail('%d things a screen reader would stumble on' % len(problems))

    print('ok: every control named once, without mnemonics, in the main window and five dialogs; '
          'toggles say they are pressed; Tab stops are reported')
    return 0


if __name__ == '__main__':
    sys.exit(main())
