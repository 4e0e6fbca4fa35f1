#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: validate
short_description: Check every variable of every role of split_brain.deploy, and the rules between them
version_added: 1.0.0
description:
  - Validates the variables of all roles of the collection against their C(meta/argument_specs.yml)
    (types, choices, unknown keys of dict options), the ranges and formats their
    C(meta/constraints.yml) declare (Kubernetes quantities, image references, URLs, names, CIDRs),
    and the cross-field rules a type check cannot express (PDB below replicas, ReadWriteOnce
    co-location, ScalarLM URL and credential, Google sign-in settings).
  - Reports every problem at once, one line per problem naming the variable; never prints a secret value.
  - Runs on the controller and contacts no cluster, so it fails before any object is touched.
author:
  - split-brain deploy team (@split-brain)
options:
  deploying:
    description:
      - Whether this run applies to a cluster (not a render). When true and
        C(split_brain_production) is true, the shipped example secrets are refused.
    type: bool
    default: false
  roles:
    description:
      - The roles whose variables are checked, besides the shared settings of the C(split_brain)
        role. A component role used alone passes its own name. Every role when omitted.
    type: list
    elements: str
attributes:
  action:
    description: Runs as an action plugin on the controller.
    support: full
  check_mode:
    description: Runs unchanged in check mode; it only reads variables.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Check every variable of every role and the rules between them
  split_brain.deploy.validate:
    deploying: true

- name: Check the router's variables and the shared settings only
  split_brain.deploy.validate:
    deploying: true
    roles: [router]
"""

RETURN = r"""
problems:
  description: One line per problem, each starting with the variable it is about.
  returned: failure
  type: list
  elements: str
  sample: ["router_pdb_min_available: 3 is not below router_replicas (1)"]
"""
