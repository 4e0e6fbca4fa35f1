# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.lock: take or release the run lock of a release, on the controller.

The lock belongs to the ansible-playbook process, so this action always runs on the controller
(whatever the host's connection): it talks to the API server with kubernetes.core's client, and
after taking the Lease it starts plugin_utils/renewer.py detached, watching the ansible-playbook
process (the parent of the worker this action runs in). Releasing deletes the Lease and stops
the renewer.
"""

from __future__ import annotations

import getpass
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.split_brain.deploy.plugins.module_utils import lock
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import failure_message
from ansible_collections.split_brain.deploy.plugins.plugin_utils import renewer
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import environment_of, task_environment

display = Display()


def whoami():
    try:
        user = getpass.getuser()
    except Exception:  # no user name in a bare container
        user = str(os.getuid())
    return "%s@%s" % (user, socket.gethostname())


def collection_roots():
    """The folders holding ``ansible_collections`` for this collection and kubernetes.core: Ansible
    imports collections through its own loader, so the renewer needs them on its sys.path."""
    roots = []
    for module in (lock, get_api_client):
        path = os.path.abspath(sys.modules[module.__module__].__file__ if callable(module) else module.__file__)
        root = path[:path.rindex(os.sep + "ansible_collections" + os.sep)]
        if root not in roots:
            roots.append(root)
    return roots


def start_renewer(auth, params, identity, watch_pid):
    """Start plugin_utils/renewer.py detached; return its pid."""
    settings = {
        "sys_path": collection_roots() + sys.path, "auth": auth, "namespace": params["namespace"], "identity": identity,
        "duration": params["duration"], "watch_pid": watch_pid,
    }
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, renewer.__file__], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True,
    )
    proc.stdin.write(json.dumps(settings).encode())
    proc.stdin.close()
    return proc.pid


def stop_renewer(pid):
    if pid > 0:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


class ActionModule(ActionBase):
    """Take (state=present) or release (state=absent) the Lease; see module_utils/lock.py."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validated, params = self.validate_argument_spec(argument_spec=dict(AUTH_ARG_SPEC, **lock.LOCK_ARGUMENT_SPEC))
        auth = {name: params[name] for name in AUTH_ARG_SPEC if params.get(name) is not None}
        try:
            # Options left unset: kubernetes.core reads K8S_AUTH_* (and KUBECONFIG) of the task's
            # environment, as for the other in-process actions; the renewer inherits it.
            with task_environment(environment_of(self)):
                result.update(self._work(get_api_client(**auth), auth, params))
        except CoreException as exc:
            result.update(failed=True, msg=str(exc))
        except Exception as exc:  # the API server's errors: say which step failed
            result.update(failed=True, msg=failure_message(lock.LOCK_FAILURE, params, exc))
        return self._say(result, params)

    @staticmethod
    def _say(result, params):
        """What the run must hear about the lock, as warnings (shown by every callback, no task of
        its own): a run that did not finish (taken over, or found expired in check mode), another
        run holding it (check mode), and a lock that cannot be released (the API server away; it
        expires by itself, so the run's own outcome stands). Losing the lock to another run while
        this one ran is a failure: that run may have changed the release meanwhile."""
        warnings = result.setdefault("warnings", [])
        if params["state"] == "absent":
            if result.get("lost"):
                result["failed"] = True
            elif result.pop("failed", False):
                result.update(released=False, lost=False)
                warnings.append(
                    "The lock of namespace %s could not be released (%s); it expires by itself %d s after this run ends."
                    % (params["namespace"], result.get("msg"), params["duration"]))
        elif not result.get("failed"):
            warnings.extend(message for message in (result.get("previous"), result.get("held_by") and result.get("msg")) if message)
        if not warnings:
            del result["warnings"]
        return result

    def _work(self, client, auth, params):
        now = time.time()
        if params["state"] == "absent":
            stop_renewer(params["renewer_pid"])
            if self._task.check_mode:
                return {"changed": False, "released": False, "lost": False, "msg": "Check mode: no lock was taken."}
            return lock.release(client, params, now)

        namespace, instance = params["namespace"], params["instance"]
        namespace_obj = lock.namespace_object(client, namespace)
        found = lock.foreign_release(client, namespace, instance, namespace_obj) if namespace_obj else None
        if found:
            return {"failed": True, "acquired": False, "msg": lock.ownership_message(namespace, instance, found)}
        if self._task.check_mode or (namespace_obj is None and not params["create_namespace"]):
            result = lock.check(client, params, now) if namespace_obj else {
                "changed": False, "acquired": False, "identity": "", "previous": "", "held_by": "",
                "msg": "Namespace %s does not exist: nothing to lock." % namespace}
            return result
        if namespace_obj is None:
            lock.create_namespace(client, namespace, instance)

        who = whoami()
        watch_pid = os.getppid()  # the ansible-playbook process: this action runs in its forked worker
        identity = "%s/%d/%s" % (who, watch_pid, uuid.uuid4().hex[:8])
        result = lock.acquire(client, params, identity, who, watch_pid, say=display.display)
        if not result.get("acquired"):
            return result
        result["renewer_pid"] = start_renewer(auth, params, identity, watch_pid)
        # Under the lock, again: a release that came in while this run waited.
        found = lock.foreign_release(client, namespace, instance, lock.namespace_object(client, namespace))
        if found:
            stop_renewer(result["renewer_pid"])
            lock.release(client, dict(params, identity=identity), time.time())
            return {"failed": True, "acquired": False, "msg": lock.ownership_message(namespace, instance, found)}
        return result
