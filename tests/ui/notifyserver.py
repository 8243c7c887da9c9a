#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A desktop notification server for tests, on the session bus.

Run as a program, it owns org.freedesktop.Notifications, writes every call
it receives as a line of JSON to a log file, and takes commands on its
standard input: "invoke ID ACTION" emits ActionInvoked, "close ID" emits
NotificationClosed, "hang" stops answering (as a server stuck in a modal
dialog would), "answer" answers again, "quit" ends it.

Imported, NotificationServer starts one and reads its log.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

INTERFACE = '''
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities">
      <arg direction="out" type="as"/>
    </method>
    <method name="Notify">
      <arg direction="in" type="s" name="app_name"/>
      <arg direction="in" type="u" name="replaces_id"/>
      <arg direction="in" type="s" name="app_icon"/>
      <arg direction="in" type="s" name="summary"/>
      <arg direction="in" type="s" name="body"/>
      <arg direction="in" type="as" name="actions"/>
      <arg direction="in" type="a{sv}" name="hints"/>
      <arg direction="in" type="i" name="expire_timeout"/>
      <arg direction="out" type="u" name="id"/>
    </method>
    <method name="CloseNotification">
      <arg direction="in" type="u" name="id"/>
    </method>
    <method name="GetServerInformation">
      <arg direction="out" type="s" name="name"/>
      <arg direction="out" type="s" name="vendor"/>
      <arg direction="out" type="s" name="version"/>
      <arg direction="out" type="s" name="spec_version"/>
    </method>
    <signal name="NotificationClosed">
      <arg type="u" name="id"/>
      <arg type="u" name="reason"/>
    </signal>
    <signal name="ActionInvoked">
      <arg type="u" name="id"/>
      <arg type="s" name="action_key"/>
    </signal>
  </interface>
</node>
'''

PATH = '/org/freedesktop/Notifications'
NAME = 'org.freedesktop.Notifications'


def serve(log_path):
    from gi.repository import Gio, GLib

    log = open(log_path, 'a', encoding='utf-8')
    state = {'next_id': 1, 'hung': False, 'stuck': [], 'open': set()}
    loop = GLib.MainLoop()
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gio.DBusNodeInfo.new_for_xml(INTERFACE)

    def write(entry):
        entry['time'] = time.monotonic()
        log.write(json.dumps(entry) + '\n')
        log.flush()

    def emit(signal, parameters):
        bus.emit_signal(None, PATH, NAME, signal, parameters)

    def on_method_call(connection, sender, path, interface, method, parameters, invocation):
        if state['hung'] and method in ('Notify', 'GetServerInformation'):
            write({'event': 'held', 'method': method})
            state['stuck'].append(invocation)
            return
        if method == 'GetCapabilities':
            invocation.return_value(GLib.Variant('(as)', (['actions', 'body', 'persistence', 'sound'],)))
        elif method == 'GetServerInformation':
            invocation.return_value(GLib.Variant('(ssss)', ('rcrp-test-server', 'rcrp', '1.0', '1.2')))
        elif method == 'Notify':
            app_name, replaces_id, icon, summary, body, actions, hints, timeout = parameters.unpack()
            if replaces_id != 0 and replaces_id in state['open']:
                notification_id = replaces_id
            else:
                notification_id = state['next_id']
                state['next_id'] += 1
            state['open'].add(notification_id)
            write({'event': 'notify', 'id': notification_id, 'replaces_id': replaces_id,
                   'app_name': app_name, 'icon': icon, 'summary': summary, 'body': body,
                   'actions': actions, 'hints': {k: _plain(v) for k, v in hints.items()},
                   'timeout': timeout, 'sender': sender})
            invocation.return_value(GLib.Variant('(u)', (notification_id,)))
        elif method == 'CloseNotification':
            (notification_id,) = parameters.unpack()
            write({'event': 'close', 'id': notification_id})
            state['open'].discard(notification_id)
            invocation.return_value(None)
            emit('NotificationClosed', GLib.Variant('(uu)', (notification_id, 3)))

    bus.register_object(PATH, node.interfaces[0], on_method_call, None, None)

    def on_name_acquired(connection, name):
        write({'event': 'ready', 'pid': os.getpid()})

    def on_name_lost(connection, name):
        write({'event': 'name-lost'})
        loop.quit()

    Gio.bus_own_name_on_connection(bus, NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE, on_name_acquired, on_name_lost)

    def on_command(channel, condition):
        line = sys.stdin.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if not words:
            return True
        if words[0] == 'invoke':
            emit('ActionInvoked', GLib.Variant('(us)', (int(words[1]), words[2])))
            write({'event': 'invoked', 'id': int(words[1]), 'action': words[2]})
        elif words[0] == 'close':
            state['open'].discard(int(words[1]))
            emit('NotificationClosed', GLib.Variant('(uu)', (int(words[1]), 2)))
        elif words[0] == 'hang':
            state['hung'] = True
            write({'event': 'hanging'})
        elif words[0] == 'answer':
            state['hung'] = False
            write({'event': 'answering'})
        elif words[0] == 'quit':
            loop.quit()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.PRIORITY_DEFAULT, GLib.IOCondition.IN | GLib.IOCondition.HUP,
                      on_command)
    loop.run()


def _plain(value):
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    return value


class NotificationServer:
    """The server above, in a process of its own on this session bus."""

    def __init__(self, hang=False):
        self.dir = tempfile.TemporaryDirectory(prefix='rcrp-notify-')
        self.log = os.path.join(self.dir.name, 'notifications.jsonl')
        open(self.log, 'w').close()
        env = dict(os.environ)
        env.pop('G_DEBUG', None)
        self.process = subprocess.Popen([sys.executable, os.path.abspath(__file__), self.log],
                                        stdin=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 15
        while not any(e['event'] == 'ready' for e in self.entries()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError('the test notification server did not start')
            time.sleep(0.05)
        if hang:
            self.command('hang')

    def entries(self):
        with open(self.log, encoding='utf-8') as f:
            return [json.loads(line) for line in f if line.strip()]

    def notifications(self):
        """Every Notify call received, in order."""
        return [e for e in self.entries() if e['event'] == 'notify']

    def command(self, text):
        self.process.stdin.write(text + '\n')
        self.process.stdin.flush()

    def invoke(self, notification_id, action):
        self.command('invoke %d %s' % (notification_id, action))

    def stop(self):
        if self.process.poll() is None:
            try:
                self.command('quit')
                self.process.wait(timeout=5)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


if __name__ == '__main__':
    serve(sys.argv[1])
