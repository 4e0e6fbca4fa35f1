# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.rollout: wait for Deployments, in-process when the host is the controller."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import (
    ROLLOUT_ARGUMENT_SPEC,
    ROLLOUT_FAILURE,
    wait_for_rollouts,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    """See plugin_utils/in_process.py; the module runs the same work on other connections."""

    MODULE = "split_brain.deploy.rollout"
    ARGUMENT_SPEC = ROLLOUT_ARGUMENT_SPEC
    FAILURE = ROLLOUT_FAILURE
    work = staticmethod(wait_for_rollouts)
