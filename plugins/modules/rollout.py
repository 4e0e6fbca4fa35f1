#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rollout
short_description: Wait for several Deployments to finish their rollout, all at once
version_added: 1.0.0
description:
  - Polls every Deployment of O(names) in O(namespace) together until each has all its desired
    replicas updated and available and no old replica left, one reports
    C(ProgressDeadlineExceeded), or O(timeout) seconds pass.
  - On failure the message names, per Deployment that is not done, the pods and containers that
    hold it back with their waiting reason (C(CrashLoopBackOff), C(ImagePullBackOff), ...) and the
    last events, not a bare "timed out".
  - Changes nothing.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
options:
  namespace:
    description: Namespace of the Deployments.
    type: str
    required: true
  names:
    description: Names of the Deployments to wait for.
    type: list
    elements: str
    required: true
  timeout:
    description: Seconds to wait for all of them.
    type: int
    default: 600
  interval:
    description: Seconds between two polls.
    type: float
    default: 1.0
attributes:
  check_mode:
    description: Runs unchanged in check mode; it only reads.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
requirements:
  - kubernetes >= 24.2.0
"""

EXAMPLES = r"""
- name: Wait for the four Deployments
  split_brain.deploy.rollout:
    namespace: split-brain
    names: [router, classifier, ui, cloudflared]
    timeout: 300
"""

RETURN = r"""
deployments:
  description: Rollout state of each Deployment when the wait ended.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Deployment name.
      type: str
    desired:
      description: C(spec.replicas).
      type: int
    ready:
      description: Ready replicas.
      type: int
    updated:
      description: Replicas of the newest template.
      type: int
    available:
      description: Available replicas.
      type: int
    complete:
      description: Whether the rollout finished.
      type: bool
    problems:
      description: Pod and container problems, one line each (only for unfinished rollouts).
      type: list
      elements: str
    events:
      description: The last events of the Deployment, its ReplicaSets and pods (only for unfinished rollouts).
      type: list
      elements: str
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
"""

import time

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import RolloutWaiter


def main():
    argument_spec = dict(
        AUTH_ARG_SPEC,
        namespace=dict(type="str", required=True),
        names=dict(type="list", elements="str", required=True),
        timeout=dict(type="int", default=600),
        interval=dict(type="float", default=1.0),
    )
    module = AnsibleK8SModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    started = time.monotonic()
    try:
        waiter = RolloutWaiter(get_api_client(module), params["namespace"])
        states = waiter.wait(params["names"], params["timeout"], params["interval"])
        result = []
        messages = []
        for name in params["names"]:
            state = states[name]
            selector = state.pop("selector", {})
            if not state["complete"]:
                problems, events = waiter.diagnose(name, selector)
                state["problems"], state["events"] = problems, events
                messages.append(
                    "Deployment %s: %s/%s updated, %s/%s available%s. %s%s"
                    % (name, state.get("updated", 0), state.get("desired", "?"), state.get("available", 0),
                       state.get("desired", "?"), " (" + state["failed"] + ")" if state["failed"] else "",
                       " ".join(p + "." for p in problems) or "No pod reports a problem.",
                       " Last events: " + " | ".join(events) if events else "")
                )
            result.append(state)
    except CoreException as exc:
        module.fail_from_exception(exc)
    except Exception as exc:
        module.fail_json(msg="Waiting for the rollouts in %s failed: %s" % (params["namespace"], exc))
    elapsed = round(time.monotonic() - started, 2)
    if messages:
        module.fail_json(
            msg="Rollout not finished after %ss. %s" % (elapsed, " ".join(messages)),
            deployments=result,
            elapsed=elapsed,
        )
    module.exit_json(changed=False, deployments=result, elapsed=elapsed)


if __name__ == "__main__":
    main()
