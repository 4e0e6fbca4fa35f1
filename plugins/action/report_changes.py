# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.report_changes: show what a release run changed."""

from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Turn the registered result of split_brain.deploy.release into Ansible's own output.

    The release task is no_log (its arguments hold the Secrets' values), so Ansible shows none of
    its result. This action returns the run's per-object diffs as its own ``diff`` (``--diff``
    prints one unified diff per changed object; Secret values are hidden by the module already)
    and the run's warnings (fields taken back from other managers, a run that did not finish), and
    says ``changed`` when the release changed objects: Ansible prints a diff only for a changed
    result. It changes nothing itself.
    """

    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _valid, args = self.validate_argument_spec(argument_spec=dict(release=dict(type="dict", required=True)))
        release = args["release"]
        result.update(
            changed=bool(release.get("applied") or release.get("pruned")),
            msg=str(release.get("msg", "")),
            diff=list(release.get("diffs") or []),
        )
        warnings = [str(line) for line in release.get("notices") or []]
        if warnings:
            result["warnings"] = warnings
        return result
