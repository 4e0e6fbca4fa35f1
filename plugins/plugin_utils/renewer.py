# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Keeps a run's Lease (module_utils/lock.py) fresh while its ansible-playbook process lives.

The lock action starts this file as a detached process (a session of its own) and writes its
settings to its stdin as JSON: the import path, kubernetes.core's connection options, the
namespace, the Lease's holder identity, its duration and the pid of ansible-playbook. Every
third of the duration it sets the Lease's renewTime (a replace with the resourceVersion it
read, so it never overwrites another holder). It exits, without touching the Lease, as soon
as any of these is true:

- ansible-playbook has exited (SIGKILL included): the Lease then expires by itself at most one
  duration after its last renewal;
- the Lease is gone (the run released it) or held by another identity.

An API server that does not answer is retried at the next tick; if it stays away longer than
the duration the Lease expires, which is what a lock must do when its holder cannot be seen.

The kubernetes client is imported at the first tick, not at start: most runs end before it (a
no-op takes a few seconds), and the import costs about half a second of CPU, which a fleet of
releases on a small controller would pay once per release for nothing.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time


def process_gone(pid, pidfd, timeout):
    """Wait up to ``timeout`` seconds; True as soon as process ``pid`` has exited."""
    if pidfd is not None:
        ready, _w, _x = select.select([pidfd], [], [], timeout)
        return bool(ready)
    end = time.monotonic() + timeout
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        left = end - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(1.0, left))


def renew_once(client, settings, lock):
    """Renew the Lease; False when it is no longer ours (released or taken over)."""
    lease = lock.read_lease(client, settings["namespace"])
    if lease is None or (lease.get("spec") or {}).get("holderIdentity") != settings["identity"]:
        return False
    lease["spec"]["renewTime"] = lock.format_time(time.time())
    lease["metadata"].pop("managedFields", None)
    try:
        client.replace(lock.lease_resource(client), lease, name=lock.LEASE_NAME, namespace=settings["namespace"])
    except Exception as exc:
        if getattr(exc, "status", None) == 404:
            return False
        if getattr(exc, "status", None) != 409:  # 409: changed since read; look again next tick
            raise
    return True


def main():
    settings = json.loads(sys.stdin.read())
    sys.stdin.close()
    sys.path[:0] = [p for p in settings["sys_path"] if p not in sys.path]

    pid = settings["watch_pid"]
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    interval = max(1.0, settings["duration"] / 3.0)
    client = None
    while not process_gone(pid, pidfd, interval):
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.split_brain.deploy.plugins.module_utils import lock

        try:
            client = client or get_api_client(**settings["auth"])
            if not renew_once(client, settings, lock):
                return 0
        except Exception:  # API server away: try again at the next tick
            client = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
