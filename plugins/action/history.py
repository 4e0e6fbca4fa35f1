# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.history: read and write the revision history, in-process when the host is the controller."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.module_utils.history import (
    HISTORY_ARGUMENT_SPEC,
    HISTORY_FAILURE,
    history_work,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    """See plugin_utils/in_process.py; the module runs the same work on other connections."""

    MODULE = "split_brain.deploy.history"
    ARGUMENT_SPEC = HISTORY_ARGUMENT_SPEC
    FAILURE = HISTORY_FAILURE
    work = staticmethod(history_work)
