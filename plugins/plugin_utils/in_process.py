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
converged cluster then costs its handful of API calls, about 0.1 s. The filter and test plugins
are loaded there too, and what the process holds by then is frozen out of the garbage collector
(plugin_utils/warm.py).

The module would read the task's ``environment:`` (kubernetes.core falls back to ``K8S_AUTH_*``
variables for every connection option left unset, then to ``KUBECONFIG`` or ``~/.kube/config``);
in-process the controller's ``os.environ`` is not that environment, so ``task_environment`` puts
the task's environment into ``os.environ`` for the duration of the work and restores it after.
"""

from __future__ import annotations

import contextlib
import os

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

try:
    from kubernetes.config import kube_config
except ImportError:  # kubernetes.core says that the kubernetes library is missing when it makes a client
    kube_config = None

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.split_brain.deploy.plugins.module_utils.api_errors import describe_api_error
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import failure_message
from ansible_collections.split_brain.deploy.plugins.plugin_utils.warm import prepare_workers

LOCAL_TRANSPORTS = ("local", "ansible.builtin.local")

# Like the kubernetes client above: done once in the main process, for every worker it forks.
prepare_workers()


def runs_in_process(action):
    """Whether the task's host is the controller itself (a local connection)."""
    return action._connection.transport in LOCAL_TRANSPORTS


def environment_of(action):
    """The task's ``environment:`` (play, block and task merged, templated) as a module on the host
    would get it: Ansible's own computation, the variables as strings."""
    environment = {}
    action._compute_environment_string(raw_environment_out=environment)
    return {str(name): str(value) for name, value in environment.items()}


@contextlib.contextmanager
def task_environment(environment):
    """``os.environ`` with ``environment`` on top while the block runs, restored after.

    The kubernetes client reads ``KUBECONFIG`` once, when it is imported (its default kubeconfig
    path, ``kube_config.KUBE_CONFIG_DEFAULT_LOCATION``); a module process would import it with
    the task's environment, so the default path follows the environment here too."""
    saved_environ = dict(os.environ)
    saved_default = getattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", None)
    try:
        os.environ.update(environment)
        if kube_config is not None:
            kube_config.KUBE_CONFIG_DEFAULT_LOCATION = os.environ.get("KUBECONFIG", "~/.kube/config")
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        if kube_config is not None:
            kube_config.KUBE_CONFIG_DEFAULT_LOCATION = saved_default


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
        if not runs_in_process(self):
            result.update(self._execute_module(module_name=self.MODULE, module_args=self._task.args, task_vars=task_vars))
            return result

        _validated, params = self.validate_argument_spec(argument_spec=dict(AUTH_ARG_SPEC, **self.ARGUMENT_SPEC))
        # Options left unset: kubernetes.core reads K8S_AUTH_* (and KUBECONFIG) of the task's environment.
        auth = {name: params[name] for name in AUTH_ARG_SPEC if params.get(name) is not None}
        try:
            with task_environment(environment_of(self)):
                client = get_api_client(**auth)
                client.dry_run = bool(self._task.check_mode)  # as the module's client in check mode
                result.update(self.work(client, params))
        except CoreException as exc:
            unreachable = describe_api_error(exc) is not None
            result.update(failed=True, msg=failure_message(self.FAILURE, params, exc) if unreachable else str(exc))
        except Exception as exc:  # the API server's errors: say which step failed
            result.update(failed=True, msg=failure_message(self.FAILURE, params, exc))
        return result


class ModuleExit(Exception):
    """What a module would print and exit with: ``result``."""

    def __init__(self, result):
        super().__init__("module exit")
        self.result = result


class ModuleStandIn:
    """The part of Ansible's AnsibleModule that kubernetes.core's AnsibleK8SModule and its service
    layer use, for running a module's code in-process: ``params`` validated by the action (the
    same argument spec), ``check_mode`` and ``_diff`` of the task, ``warn`` and ``deprecate``
    collected, and ``exit_json`` / ``fail_json`` raising ModuleExit with the result the module
    would return: ``invocation`` added, warnings gathered, and every no_log value (a password,
    an API key) masked as AnsibleModule masks it."""

    def __init__(self, *, params, no_log_values, check_mode, diff, name, **_module_kwargs):
        self.params = params
        self.no_log_values = set(no_log_values)
        self.check_mode = bool(check_mode)
        self._diff = bool(diff)
        self._name = name
        self._warnings = []
        self._deprecations = []

    @classmethod
    def factory(cls, **settings):
        """A module_class for AnsibleK8SModule: it passes the argument spec, we pass the rest."""
        return lambda **module_kwargs: cls(**settings, **module_kwargs)

    def warn(self, warning):
        self._warnings.append(str(warning))

    def deprecate(self, msg, version=None, date=None, collection_name=None, **_kwargs):
        self._deprecations.append({"msg": str(msg), "version": version, "date": date, "collection_name": collection_name})

    def debug(self, msg):
        pass

    def _result(self, result):
        result.setdefault("invocation", {"module_args": self.params})
        warnings = result.pop("warnings", None)
        if warnings:
            self._warnings.extend(str(warning) for warning in (warnings if isinstance(warnings, list) else [warnings]))
        if self._warnings:
            result["warnings"] = self._warnings
        if self._deprecations:
            result["deprecations"] = self._deprecations
        result.pop("exception", None)  # a traceback: the module shows one only when tracebacks are enabled
        return remove_values(result, self.no_log_values)

    def exit_json(self, **kwargs):
        raise ModuleExit(self._result(kwargs))

    def fail_json(self, msg, **kwargs):
        kwargs.update(failed=True, msg=str(msg))
        raise ModuleExit(self._result(kwargs))
