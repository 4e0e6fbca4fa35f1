#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: status
short_description: Report what a split-brain release runs in its namespace
version_added: 1.0.0
description:
  - Reads the objects in O(namespace) labelled C(app.kubernetes.io/managed-by=split_brain.deploy)
    and C(app.kubernetes.io/instance=)O(instance) and summarises them per kind.
  - Per Deployment (component) the desired, ready, updated and available replicas, the images, the
    conditions, the restarts and waiting reasons (C(CrashLoopBackOff), C(ImagePullBackOff), ...)
    of its pods and the time of its last rollout.
  - The PersistentVolumeClaims (phase, capacity, access modes), the Secrets with the names of their
    keys (never a value), the HorizontalPodAutoscalers (current and desired replicas) and the
    NetworkPolicies (pod selector, policy types).
  - Changes nothing. A namespace that does not exist gives empty lists.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - split_brain.deploy.connection
  - split_brain.deploy.release
attributes:
  check_mode:
    description: Runs unchanged in check mode; it only reads.
    support: full
"""

EXAMPLES = r"""
- name: Read what the release runs
  split_brain.deploy.status:
    namespace: split-brain
    instance: split-brain
  register: status

- name: Fail unless every component is rolled out
  ansible.builtin.assert:
    that: status.components | rejectattr('complete') | list | length == 0
"""

RETURN = r"""
components:
  description: One entry per Deployment of the release, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Deployment name.
      type: str
      sample: router
    component:
      description: Its C(app.kubernetes.io/component) label.
      type: str
      sample: router
    desired:
      description: C(spec.replicas).
      type: int
      sample: 1
    ready:
      description: Ready replicas.
      type: int
      sample: 1
    updated:
      description: Replicas of the newest pod template.
      type: int
      sample: 1
    available:
      description: Available replicas.
      type: int
      sample: 1
    complete:
      description: Whether the rollout finished (every desired replica updated and available, no old one left).
      type: bool
      sample: true
    images:
      description: Image of each container of the pod template.
      type: list
      elements: str
      sample: [ghcr.io/split-brain/router:1.0.0]
    conditions:
      description: The Deployment's conditions.
      type: list
      elements: dict
      contains:
        type:
          description: C(Available), C(Progressing) or C(ReplicaFailure).
          type: str
        status:
          description: C(True), C(False) or C(Unknown).
          type: str
        reason:
          description: Machine-readable reason.
          type: str
        message:
          description: Human-readable message.
          type: str
        last_update_time:
          description: When the condition was last updated.
          type: str
    restarts:
      description: Container restarts summed over the pods of the Deployment.
      type: int
      sample: 0
    waiting:
      description: Containers of its pods that are waiting, with the reason.
      type: list
      elements: dict
      contains:
        pod:
          description: Pod name.
          type: str
        container:
          description: Container name.
          type: str
        reason:
          description: Why it waits (C(CrashLoopBackOff), C(ImagePullBackOff), C(ContainerCreating), ...).
          type: str
        message:
          description: The kubelet's message, if any.
          type: str
    reasons:
      description: >-
        Short reasons of what is wrong, each once: those of the failing conditions (C(Available) or
        C(Progressing) not C(True), C(ReplicaFailure) C(True)), of the waiting containers and of
        the pods that cannot be scheduled (C(Unschedulable)). Empty when all is well.
      type: list
      elements: str
      sample: [MinimumReplicasUnavailable, CrashLoopBackOff]
    problems:
      description: >-
        What holds the Deployment back, one line each: every failing condition with its message,
        then every pod or container that is waiting, terminated or not ready. Empty when all is well.
      type: list
      elements: str
      sample: ["pod router-7d9f-x2x container router waiting: CrashLoopBackOff (restarts 4)"]
    revision:
      description: The Deployment's C(deployment.kubernetes.io/revision) annotation.
      type: str
      sample: "2"
    last_rollout:
      description: >-
        Time of the last rollout: the newest of the creation of its ReplicaSets and the last update
        of its C(Progressing) condition (RFC 3339, UTC). Empty if unknown.
      type: str
      sample: "2026-11-26T05:27:41Z"
pvcs:
  description: PersistentVolumeClaims of the release (C(split-brain-data)).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Claim name.
      type: str
      sample: split-brain-data
    phase:
      description: C(Pending), C(Bound) or C(Lost).
      type: str
      sample: Bound
    capacity:
      description: Capacity of the bound volume (empty until bound).
      type: str
      sample: 10Gi
    requested:
      description: Storage requested by the claim.
      type: str
      sample: 10Gi
    access_modes:
      description: Access modes of the bound volume, or the requested ones until bound.
      type: list
      elements: str
      sample: [ReadWriteOnce]
    storage_class:
      description: Storage class of the claim.
      type: str
      sample: civo-volume
    volume:
      description: Name of the bound PersistentVolume.
      type: str
      sample: pvc-3f6c
secrets:
  description: Secrets of the release, with the names of their keys only; values are never read into the result.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Secret name.
      type: str
      sample: anthropic-api-key
    type:
      description: Secret type.
      type: str
      sample: Opaque
    key_names:
      description: Names of the keys in C(data), sorted.
      type: list
      elements: str
      sample: [ANTHROPIC_API_KEY]
autoscalers:
  description: HorizontalPodAutoscalers of the release.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: HPA name.
      type: str
      sample: router
    target:
      description: C(Kind/name) of what it scales.
      type: str
      sample: Deployment/router
    min_replicas:
      description: C(spec.minReplicas).
      type: int
      sample: 3
    max_replicas:
      description: C(spec.maxReplicas).
      type: int
      sample: 10
    current_replicas:
      description: Replicas the HPA last saw.
      type: int
      sample: 3
    desired_replicas:
      description: Replicas the HPA wants.
      type: int
      sample: 4
network_policies:
  description: NetworkPolicies of the release in force in the namespace.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Policy name.
      type: str
      sample: router
    pod_selector:
      description: The pods it applies to, as a kubectl label selector; empty means every pod of the namespace.
      type: str
      sample: app.kubernetes.io/instance=split-brain,app.kubernetes.io/name=router
    policy_types:
      description: C(Ingress) and/or C(Egress).
      type: list
      elements: str
      sample: [Ingress, Egress]
"""

from ansible_collections.split_brain.deploy.plugins.module_utils.runner import run_module
from ansible_collections.split_brain.deploy.plugins.module_utils.status import (
    STATUS_ARGUMENT_SPEC,
    STATUS_FAILURE,
    release_result,
)


def main():
    run_module(STATUS_ARGUMENT_SPEC, release_result, STATUS_FAILURE)


if __name__ == "__main__":
    main()
