# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.release_state: read the release's state, in-process when the host is the controller."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.module_utils.release_state import (
    RELEASE_STATE_ARGUMENT_SPEC,
    RELEASE_STATE_FAILURE,
    release_state,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    """See plugin_utils/in_process.py; the module runs the same work on other connections."""

    MODULE = "split_brain.deploy.release_state"
    ARGUMENT_SPEC = RELEASE_STATE_ARGUMENT_SPEC
    FAILURE = RELEASE_STATE_FAILURE
    work = staticmethod(release_state)
