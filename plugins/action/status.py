# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.status: read what the release runs, in-process when the host is the controller."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.module_utils.status import (
    STATUS_ARGUMENT_SPEC,
    STATUS_FAILURE,
    release_result,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    """See plugin_utils/in_process.py; the module runs the same work on other connections."""

    MODULE = "split_brain.deploy.status"
    ARGUMENT_SPEC = STATUS_ARGUMENT_SPEC
    FAILURE = STATUS_FAILURE
    work = staticmethod(release_result)
