# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.prune: remove what is no longer rendered, in-process when the host is the controller."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import (
    PRUNE_ARGUMENT_SPEC,
    PRUNE_FAILURE,
    prune_release,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    """See plugin_utils/in_process.py; the module runs the same work on other connections."""

    MODULE = "split_brain.deploy.prune"
    ARGUMENT_SPEC = PRUNE_ARGUMENT_SPEC
    FAILURE = PRUNE_FAILURE
    work = staticmethod(prune_release)
