# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Rules between the shared settings of the split_brain role (every component reads them)."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.components import MOUNT_PATH, RESERVED_MOUNT_PATHS
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.formats import as_str, path_problem

ROLLOUT = ("split_brain_rollout_max_surge", "split_brain_rollout_max_unavailable")


def rollout_problems(values):
    """maxSurge and maxUnavailable cannot both be 0: a rollout could never start."""
    rollout = {name: values[name] for name in ROLLOUT if name in values}
    if len(rollout) == 2 and all(str(value).rstrip("%") == "0" for value in rollout.values()):
        return ["split_brain_rollout_max_surge: cannot be 0 while split_brain_rollout_max_unavailable is 0"
                " (a rollout could never start)"]
    return []


def mount_path_problems(values):
    """The shared volume's mount point hides nothing the container needs."""
    mount = as_str(values.get(MOUNT_PATH))
    if mount is None or path_problem(mount) or mount not in RESERVED_MOUNT_PATHS:
        return []
    return ["%s: %s would %s; use a folder of its own such as /var/split-brain"
            % (MOUNT_PATH, mount, "hide the container's files" if mount == "/" else "clash with the pods' /tmp volume")]


RULES = (rollout_problems, mount_path_problems)
