# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.k8s_apply: kubernetes.core.k8s, in-process when the host is the controller.

kubernetes.core.k8s is an action (kubernetes.core's plugins/action/k8s.py: it finds the kubeconfig
among the play's files and decrypts a vaulted one) that runs the module. This action *is* that
action, with one change: where it would run the module and the host is the controller (a local
connection), it runs the module's own code (module_utils/k8s_apply.py: the module's main() over
kubernetes.core's runner and K8sService) in this process, with the task's environment, check mode
and diff mode, and returns the module's result. An exception the module would die of rather than
report (an API server that cannot be reached, at the client's first request, before any object is
written) is left to the module: it runs, and fails in its own words. On any other connection the
kubernetes.core.k8s module runs on the host, as with kubernetes.core.k8s.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.utils.display import Display

from ansible_collections.kubernetes.core.plugins.action.k8s import ActionModule as K8sAction
from ansible_collections.split_brain.deploy.plugins.module_utils.k8s_apply import ACTION_ARGUMENT_SPEC, run
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import (
    ModuleExit,
    ModuleStandIn,
    environment_of,
    runs_in_process,
    task_environment,
)

MODULE = "kubernetes.core.k8s"
display = Display()


class ActionModule(K8sAction):
    """See the module's documentation (plugins/modules/k8s_apply.py)."""

    # kubernetes.core's action transfers no file for these options (no src, no template).
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        # The options this action takes, on either path (the module would take more).
        self.validate_argument_spec(argument_spec=ACTION_ARGUMENT_SPEC)
        return super().run(tmp, task_vars)

    def _execute_module(self, module_name=None, module_args=None, task_vars=None, **kwargs):
        """kubernetes.core's action runs the module here (module_name is this task's action)."""
        if not runs_in_process(self):
            return super()._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars, **kwargs)
        args = dict(self._task.args if module_args is None else module_args)
        validation = ArgumentSpecValidator(ACTION_ARGUMENT_SPEC).validate(args)
        args.update(validation.validated_parameters)
        module_class = ModuleStandIn.factory(
            params=args,
            no_log_values=validation._no_log_values,
            check_mode=self._task.check_mode,
            diff=self._task.diff,
            name=MODULE,
        )
        try:
            with task_environment(environment_of(self)):
                run(module_class)
        except ModuleExit as exit_:
            return exit_.result
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # Only the exception's type: its text could quote an object (a Secret's value).
            display.vvv("k8s_apply: the in-process run raised %s; running %s on the host" % (type(exc).__name__, MODULE))
            return super()._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars, **kwargs)
        # kubernetes.core's main() always ends in exit_json or fail_json.
        return {"failed": True, "msg": "%s returned no result" % MODULE}
