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
  - On failure the message names, per Deployment that is not done, what holds it back, not a bare
    "timed out" - a change the deployment controller never picked up (is kube-controller-manager
    running?), no ReplicaSet for the current template, a ReplicaSet that cannot create pods, the
    scheduler's reason for Pending pods, the containers of the new pods with their waiting reason
    (C(CrashLoopBackOff), C(ImagePullBackOff), ...) - and the last events.
  - Changes nothing.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - split_brain.deploy.in_process
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
    observed:
      description:
        - Whether the deployment controller has seen the current generation; when not, the counts
          are those of the previous one (is kube-controller-manager running?).
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

from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import (
    ROLLOUT_ARGUMENT_SPEC,
    ROLLOUT_FAILURE,
    wait_for_rollouts,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import run_module


def main():
    run_module(ROLLOUT_ARGUMENT_SPEC, wait_for_rollouts, ROLLOUT_FAILURE)


if __name__ == "__main__":
    main()
