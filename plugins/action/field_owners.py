# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.field_owners: field ownership before the apply, in-process when the host is the controller."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.module_utils.fields import (
    FIELD_OWNERS_ARGUMENT_SPEC,
    FIELD_OWNERS_FAILURE,
    field_owners,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.in_process import InProcessAction


class ActionModule(InProcessAction):
    """See plugin_utils/in_process.py; the module runs the same work on other connections."""

    MODULE = "split_brain.deploy.field_owners"
    ARGUMENT_SPEC = FIELD_OWNERS_ARGUMENT_SPEC
    FAILURE = FIELD_OWNERS_FAILURE
    work = staticmethod(field_owners)
