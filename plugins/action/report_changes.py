# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.report_changes: show the per-object diffs of a multi-object apply
and say which Deployments still have a rollout to wait for."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.split_brain.deploy.plugins.plugin_utils.changes import (
    applied_results,
    object_diffs,
    pending_rollouts,
)


class ActionModule(ActionBase):
    """Turn the ``results`` of a kubernetes.core.k8s call with several objects into diffs.

    kubernetes.core.k8s keeps each object's diff inside ``results``, where Ansible's output
    does not show it; this action returns them as its own ``diff`` so that ``--diff`` prints one
    unified diff per changed object. It changes nothing itself, but reports ``changed`` when
    there are changed objects: Ansible prints a diff only for a changed result. Secret values
    are never shown, only which keys changed.

    The fields the apply took back from other field managers (``taken_back``, read before the
    apply by field_owners) become warnings, which every callback shows.

    It also returns ``pending_rollouts``: the Deployments whose rollout the apply response does
    not show complete, so that the wait step runs only when there is something to wait for.
    """

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("applied", "taken_back"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        results = applied_results(self._task.args.get("applied") or {})
        diffs = object_diffs(results)
        result.update(
            changed=bool(diffs),
            objects=[d["before_header"] for d in diffs],
            pending_rollouts=pending_rollouts(results),
        )
        if self._play_context.diff:
            result["diff"] = diffs
        taken_back = [str(line) for line in self._task.args.get("taken_back") or []]
        if taken_back:
            result["warnings"] = taken_back
        return result
