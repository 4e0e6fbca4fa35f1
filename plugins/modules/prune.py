#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: prune
short_description: Delete the objects of a split-brain release that are no longer rendered
version_added: 1.0.0
description:
  - Lists the objects in O(namespace) labelled C(app.kubernetes.io/managed-by=split_brain.deploy)
    and C(app.kubernetes.io/instance=)O(instance) whose C(app.kubernetes.io/component) is one of
    O(components), and deletes every one that is not in O(keep).
  - Objects without those labels are never touched.
  - In check mode nothing is deleted (server-side dry run) and RV(pruned) says what would be.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - split_brain.deploy.in_process
  - split_brain.deploy.release
options:
  components:
    description:
      - Components rendered by this run; only their objects are candidates.
      - A run limited by tags passes only the components it rendered.
    type: list
    elements: str
    required: true
  keep:
    description: C(Kind/name) of every object this run rendered.
    type: list
    elements: str
    required: true
  skip_kinds:
    description: Kinds never pruned.
    type: list
    elements: str
    default: [PersistentVolumeClaim]
attributes:
  check_mode:
    description: Deletes nothing in check mode; RV(pruned) lists what would be deleted.
    support: full
"""

EXAMPLES = r"""
- name: Delete what the inventory no longer renders
  split_brain.deploy.prune:
    namespace: split-brain
    instance: split-brain
    components: [router]
    keep:
      - Deployment/router
      - Service/router
"""

RETURN = r"""
pruned:
  description: C(Kind/name) of every object deleted (or, in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: [HorizontalPodAutoscaler/router]
"""

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import (
    PRUNE_ARGUMENT_SPEC,
    PRUNE_FAILURE,
    prune_release,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import run_module


def main():
    run_module(PRUNE_ARGUMENT_SPEC, prune_release, PRUNE_FAILURE)


if __name__ == "__main__":
    main()
