#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: field_owners
short_description: Before a server-side apply, hand over fields a controller takes next and find the fields it takes back
version_added: 1.0.0
description:
  - Reads the live objects of O(objects) (one list per kind in O(namespace)) with their
    C(metadata.managedFields), and compares them with O(objects), the manifests about to be applied
    by O(field_manager) with C(force_conflicts).
  - Reports in RV(taken_back) every field that a manager other than O(field_manager) and
    O(handover_manager) owns and that the manifest sets to another value, which the forced apply
    takes back (C(kubectl scale), C(kubectl set image), C(kubectl label) with C(--overwrite), another
    tool). Fields the manifest does not set are never reported (they stay the other manager's), nor
    are status fields or the C(spec.replicas) of a Deployment owned by C(kube-controller-manager)
    (the HPA's, given back to the inventory's count when autoscaling is turned off).
  - Hands over the C(spec.replicas) of every Deployment whose manifest no longer sets it (an HPA takes
    over) while O(field_manager) still owns it; it applies the live count as O(handover_manager)
    first, so that the apply without it does not reset it to 1. The HPA controller takes the field
    from O(handover_manager) when it next scales.
  - Secrets are skipped; pass the manifests without them (their values must not pass through).
  - In check mode the hand-over is a server-side dry run and the lines say C(Would take back).
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - split_brain.deploy.in_process
options:
  namespace:
    description: Namespace of the namespaced objects.
    type: str
    required: true
  objects:
    description: The manifests about to be applied (Secrets are skipped).
    type: list
    elements: dict
    required: true
  field_manager:
    description: The field manager of the apply.
    type: str
    default: split-brain-deploy
  handover_manager:
    description: The field manager that keeps a field the apply stops setting until a controller takes it.
    type: str
    default: split-brain-deploy-handover
attributes:
  check_mode:
    description: The hand-over is a server-side dry run in check mode.
    support: full
"""

EXAMPLES = r"""
- name: Find the fields the apply will take back
  split_brain.deploy.field_owners:
    namespace: split-brain
    objects: "{{ objects | rejectattr('kind', '==', 'Secret') }}"
  register: owners

- name: Say which fields were taken back from which manager
  ansible.builtin.debug:
    msg: "{{ owners.lines }}"
  when: owners.lines | length > 0
"""

RETURN = r"""
taken_back:
  description: The fields the apply takes back, one entry per manager, object and field.
  returned: always
  type: list
  elements: dict
  contains:
    manager:
      description: The field manager that owns the field now.
      type: str
      sample: kubectl-set
    object:
      description: C(Kind/name).
      type: str
      sample: Deployment/router
    field:
      description: The field, as a path (list items by their key, such as C(containers[router])).
      type: str
      sample: spec.template.spec.containers[router].image
lines:
  description: RV(taken_back) as readable lines.
  returned: always
  type: list
  elements: str
  sample: ["Took back from kubectl-set: Deployment/router spec.template.spec.containers[router].image"]
handed_over:
  description: The fields handed over to O(handover_manager), with their value.
  returned: always
  type: list
  elements: str
  sample: [Deployment/router spec.replicas=3]
"""

from ansible_collections.split_brain.deploy.plugins.module_utils.fields import (
    FIELD_OWNERS_ARGUMENT_SPEC,
    FIELD_OWNERS_FAILURE,
    field_owners,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import run_module


def main():
    run_module(FIELD_OWNERS_ARGUMENT_SPEC, field_owners, FIELD_OWNERS_FAILURE)


if __name__ == "__main__":
    main()
