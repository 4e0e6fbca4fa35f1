# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.k8s_apply: kubernetes.core.k8s, in-process when the host is the controller.

On a local connection it runs kubernetes.core.k8s's own code (module_utils/k8s_apply.py: the
module's main() over kubernetes.core's runner and service layer) in this process, with the task's
environment, check mode and diff mode; the result is the module's. On any other connection it
runs the kubernetes.core.k8s module on the host with the task's arguments.
"""

from __future__ import annotations

from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.action import ActionBase

from ansible_collections.split_brain.deploy.plugins.module_utils.k8s_apply import ARGUMENT_SPEC, run
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import (
    ModuleExit,
    ModuleStandIn,
    environment_of,
    runs_in_process,
    task_environment,
)

MODULE = "kubernetes.core.k8s"


class ActionModule(ActionBase):
    """See the module's documentation (plugins/modules/k8s_apply.py)."""

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        # The options this action takes, on either path (the module would take more).
        validation, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if not runs_in_process(self):
            result.update(self._execute_module(module_name=MODULE, module_args=self._task.args, task_vars=task_vars))
            return result

        module_class = ModuleStandIn.factory(
            params=params,
            no_log_values=validation._no_log_values,
            check_mode=self._task.check_mode,
            diff=self._task.diff,
            name=MODULE,
        )
        try:
            with task_environment(environment_of(self)):
                run(module_class)
        except ModuleExit as exit_:
            result.update(exit_.result)
        except Exception as exc:  # what the module would die of: its message, as the module's failure
            result.update(failed=True, msg=to_native(exc))
        else:  # kubernetes.core's main() always exits through exit_json or fail_json
            result.update(failed=True, msg="%s returned no result" % MODULE)
        return result
