# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.report_changes: show the per-object diffs of a multi-object apply."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.split_brain.deploy.plugins.plugin_utils.changes import object_diffs


class ActionModule(ActionBase):
    """Turn the ``results`` of a kubernetes.core.k8s call with several objects into diffs.

    kubernetes.core.k8s keeps each object's diff inside ``results``, where Ansible's output
    does not show it; this action returns them as its own ``diff`` so that ``--diff`` prints one
    unified diff per changed object. It changes nothing itself, but reports ``changed`` when
    there are changed objects: Ansible prints a diff only for a changed result.
    """

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("results",))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        diffs = object_diffs(self._task.args.get("results") or [])
        result.update(changed=bool(diffs), objects=[d["before_header"] for d in diffs])
        if self._play_context.diff:
            result["diff"] = diffs
        return result
