# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The one way the collection's cluster-reading modules run (status, history, release_state).

Each module is its documentation plus ``run_module(ARGUMENT_SPEC, work, FAILURE)``: ``work`` takes
a kubernetes.core client and the module's parameters and returns the result; a result with
``failed`` set is a failure. ``failure_message`` also words the release action's failures.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.split_brain.deploy.plugins.module_utils.api_errors import api_server, describe_api_error


def failure_message(failure, params, error):
    """``failure`` (a str.format template over the parameters and ``error``) filled in; an API
    server that cannot be reached or cannot answer gets one line naming it and the likely cause."""
    unreachable = describe_api_error(error, api_server(params) if describe_api_error(error) else None)
    return failure.format(error=unreachable or error, **params)


def run_module(argument_spec, work, failure):
    """Run ``work(client, params)`` as a module with kubernetes.core's connection options added to
    ``argument_spec``; errors of the API become ``failure`` (which step failed, and why)."""
    module = AnsibleK8SModule(argument_spec=dict(AUTH_ARG_SPEC, **argument_spec), supports_check_mode=True)
    try:
        result = work(get_api_client(module), module.params)
    except CoreException as exc:
        if describe_api_error(exc) is None:
            module.fail_from_exception(exc)
        module.fail_json(msg=failure_message(failure, module.params, exc))
    except Exception as exc:  # the API server's errors: say which step failed
        module.fail_json(msg=failure_message(failure, module.params, exc))
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)
