# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""split_brain.deploy.k8s_apply: kubernetes.core.k8s's own code path for the options it takes.

``run(module_class)`` is kubernetes.core's ``k8s`` module ``main()`` (AnsibleK8SModule, then
``runner.run_module``: ``get_api_client``, ``K8sService``, ``create_definitions``,
``perform_action``) with this module's options. The module runs it with Ansible's AnsibleModule;
the action runs it in-process on the controller with a stand-in (plugin_utils/k8s_apply.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import (
    AUTH_ARG_SPEC,
    NAME_ARG_SPEC,
    RESOURCE_ARG_SPEC,
    WAIT_ARG_SPEC,
)
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.runner import run_module

# Each option as kubernetes.core.k8s declares it (modules/k8s.py, argspec()).
ARGUMENT_SPEC = copy.deepcopy(AUTH_ARG_SPEC)
ARGUMENT_SPEC.update(copy.deepcopy(WAIT_ARG_SPEC))
ARGUMENT_SPEC.update(
    resource_definition=copy.deepcopy(RESOURCE_ARG_SPEC["resource_definition"]),
    apply=dict(type="bool", default=False),
    server_side_apply=dict(
        type="dict",
        default=None,
        options=dict(
            field_manager=dict(type="str", required=True),
            force_conflicts=dict(type="bool", default=False),
        ),
    ),
    state=dict(default="present", choices=["present", "absent"]),
)
ARGUMENT_SPEC["resource_definition"]["required"] = True
# What the action validates the task's arguments with: kubernetes.core.k8s's own type for
# resource_definition (a list, a dict or a string), which the documentation can only call raw.
ACTION_ARGUMENT_SPEC = copy.deepcopy(ARGUMENT_SPEC)
ARGUMENT_SPEC["resource_definition"]["type"] = "raw"

# kubernetes.core.k8s's other options, at their defaults: its code reads them all.
K8S_DEFAULTS = dict(
    {name: spec.get("default") for name, spec in NAME_ARG_SPEC.items()},
    src=None,
    template=None,
    merge_type=None,
    validate=None,
    append_hash=False,
    delete_options=None,
    continue_on_error=False,
    force=False,
    label_selectors=None,
    generate_name=None,
    delete_all=False,
    hidden_fields=None,
)


def run(module_class=None, **module_kwargs):
    """kubernetes.core.k8s's main() with this module's options; exits through module_class's
    exit_json or fail_json. ``module_kwargs`` go to module_class (besides the argument spec)."""
    settings = {"module_class": module_class} if module_class is not None else {}
    module = AnsibleK8SModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, **dict(settings, **module_kwargs))
    for name, value in K8S_DEFAULTS.items():
        module.params.setdefault(name, copy.deepcopy(value))
    try:
        run_module(module)
    except CoreException as exc:
        module.fail_from_exception(exc)
