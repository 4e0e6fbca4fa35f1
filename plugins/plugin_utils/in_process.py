# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Run a cluster-reading module's work in-process when the task's host is the controller.

A module start-up costs a Python interpreter that imports the whole kubernetes client (about a
second on two cores) for what is often a handful of API calls. When the task's connection is
local the host *is* the controller, so the action does the same ``work`` in its own process,
with the same library and the same parameters (kubernetes.core's connection options included).
On any other connection it runs the module on the host, as Ansible would without the action.

The kubernetes client is imported at the top on purpose: ansible-playbook's main process loads
each task's action class before it queues the task (to read BYPASS_HOST_LOOP), so the import
happens once there, and every worker it forks afterwards (one per task) inherits it. Prune on a
converged cluster then costs its handful of API calls, about 0.1 s.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.split_brain.deploy.plugins.module_utils.api_errors import describe_api_error
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import failure_message

LOCAL_TRANSPORTS = ("local", "ansible.builtin.local")


class InProcessAction(ActionBase):
    """Subclasses set MODULE, ARGUMENT_SPEC, FAILURE and ``work`` (a staticmethod), as the
    module passes them to module_utils.runner.run_module."""

    TRANSFERS_FILES = False
    MODULE = ""
    ARGUMENT_SPEC: dict = {}
    FAILURE = ""

    @staticmethod
    def work(client, params):
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if self._connection.transport not in LOCAL_TRANSPORTS:
            result.update(self._execute_module(module_name=self.MODULE, module_args=self._task.args, task_vars=task_vars))
            return result

        _validated, params = self.validate_argument_spec(argument_spec=dict(AUTH_ARG_SPEC, **self.ARGUMENT_SPEC))
        auth = {name: params[name] for name in AUTH_ARG_SPEC if params.get(name) is not None}
        try:
            client = get_api_client(**auth)
            client.dry_run = bool(self._task.check_mode)  # as the module's client in check mode
            result.update(self.work(client, params))
        except CoreException as exc:
            unreachable = describe_api_error(exc) is not None
            result.update(failed=True, msg=failure_message(self.FAILURE, params, exc) if unreachable else str(exc))
        except Exception as exc:  # the API server's errors: say which step failed
            result.update(failed=True, msg=failure_message(self.FAILURE, params, exc))
        return result
