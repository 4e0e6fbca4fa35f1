#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: report_changes
short_description: Show the per-object diffs of a kubernetes.core.k8s call that applied several objects
version_added: 1.0.0
description:
  - M(kubernetes.core.k8s) with a list of objects keeps each object's diff inside its C(results),
    where C(--diff) does not print it. This action returns those diffs as its own, so that
    C(--diff) (and C(--check --diff)) prints one unified diff per changed object, headed
    C(Kind/name). Server-set fields (managedFields, resourceVersion, ...) and status are left out.
    A Secret's diff names the keys that changed and never shows a value.
  - It also returns the Deployments whose rollout the apply response does not show complete, so
    that waiting (M(split_brain.deploy.rollout)) happens only when there is a rollout to wait for.
  - With O(taken_back), it warns of each field the apply took back from another field manager
    (the lines of M(split_brain.deploy.field_owners), read before the apply), so that every
    callback shows them after the apply, without a task of their own.
  - Runs on the controller and changes nothing; it reports C(changed) when objects changed,
    because Ansible prints a diff only for a changed result.
author:
  - split-brain deploy team (@split-brain)
options:
  applied:
    description:
      - The registered result of the M(kubernetes.core.k8s) call (one object or several; a
        skipped call reports nothing).
    type: dict
    required: true
  taken_back:
    description:
      - Lines to warn of after the apply, one per field taken back from another field manager
        (RV(split_brain.deploy.field_owners#module:lines)).
    type: list
    elements: str
    default: []
attributes:
  action:
    support: full
    description: Runs on the controller.
  check_mode:
    support: full
    description: Changes nothing in any mode.
  diff_mode:
    support: full
    description: Returns the diffs only in diff mode.
"""

EXAMPLES = r"""
- name: Apply the objects
  kubernetes.core.k8s:
    resource_definition: "{{ objects }}"
    apply: true
  register: applied

- name: Show what changed, object by object, and which fields were taken back
  split_brain.deploy.report_changes:
    applied: "{{ applied }}"
    taken_back: "{{ owners.lines | default([]) }}"
  register: changes

- name: Wait only for the Deployments that are still rolling out
  split_brain.deploy.rollout:
    namespace: split-brain
    names: "{{ changes.pending_rollouts }}"
  when: changes.pending_rollouts | length > 0
"""

RETURN = r"""
objects:
  description: C(Kind/name) of every object that changed (or, in check mode, would change).
  returned: always
  type: list
  elements: str
  sample: [ConfigMap/router-config, Deployment/router]
pending_rollouts:
  description:
    - Names of the Deployments whose rollout is not complete according to the apply response
      (a new generation not yet observed, or replicas not all updated and available).
    - Empty when every Deployment was left unchanged and has all its replicas available.
  returned: always
  type: list
  elements: str
  sample: [router]
warnings:
  description: O(taken_back), one warning per line.
  returned: when O(taken_back) is not empty
  type: list
  elements: str
  sample: ["Took back from kubectl-set: Deployment/router spec.template.spec.containers[router].image"]
"""
