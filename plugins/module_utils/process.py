# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The process that runs a release: who it is, whether a process of this host still lives, and
whether the controller that started it is gone."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import getpass
import os
import select
import socket


def who_am_i():
    """``user@host`` of this process."""
    try:
        user = getpass.getuser()
    except Exception:  # pylint: disable=broad-exception-caught
        user = str(os.getuid())  # no user name in a bare container
    return "%s@%s" % (user, socket.gethostname())


def process_start(pid):
    """The start time of process ``pid`` (clock ticks after boot, from /proc), or "" when it is
    not known (no /proc, or no such process)."""
    try:
        with open("/proc/%d/stat" % int(pid)) as stat:
            # The command name (field 2) may hold spaces and parentheses: count after its last ")".
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError, ValueError):
        return ""


def local_holder_gone(state, host=None):
    """Whether the holder described by ``state`` (``host``, ``pid``, ``pid_start``) was a
    process of this host that no longer exists: its pid is not running, or runs a process that
    started at another time (the pid was reused)."""
    if state["host"] != (host or socket.gethostname()) or not str(state["pid"]).isdigit():
        return False
    pid = int(state["pid"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, as another user's process
        pass
    started = process_start(pid)
    return bool(state["pid_start"] and started and started != state["pid_start"])


def reader_gone(stream):
    """Whether nobody reads ``stream`` any more: the write end of a pipe whose reader (the Ansible
    worker that runs a module) has exited reports an error when polled."""
    try:
        poller = select.poll()
        poller.register(stream.fileno(), 0)
        return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


class ParentWatch:
    """Whether the process that started this one is gone: on the controller, the parent of the
    Ansible worker (ansible-playbook) was killed, so the worker now has another parent; in a
    module, nobody reads its output any more (``stream``)."""

    def __init__(self, stream=None):
        self.parent = os.getppid()
        self.stream = stream

    def gone(self):
        if os.getppid() != self.parent:
            return True
        return self.stream is not None and reader_gone(self.stream)
