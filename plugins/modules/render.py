#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: render
short_description: Write Kubernetes objects to a folder, one YAML file each
version_added: 1.0.0
description:
  - The C(helm template) of the collection. Writes O(objects) to O(dest) in apply order as
    C(NN-kind-name.yaml), and removes the files of objects no longer rendered, so that its files in
    O(dest) are exactly what C(site.yml) would apply.
  - It keeps the names of the files it wrote in C(.split-brain-render) in O(dest) (one name a
    line; no C(.json) extension, which C(kubectl apply -f) would read), and only ever replaces or
    removes those. Any other file (an operator's own C(notes.yaml)) is left alone; one that
    has the name of a file to write and other content is an error, and nothing is written.
  - Secret values are replaced by C(<redacted>) (names and keys kept) unless O(reveal_secrets); a
    Secret written with its values is mode 0600, every other file 0644.
  - An O(dest) that exists and is not a folder is an error.
  - Runs on the controller; contacts no cluster.
author:
  - split-brain deploy team (@split-brain)
options:
  objects:
    description: The objects.
    type: list
    elements: dict
    required: true
  dest:
    description: Folder to write to; created when missing. Must not be a file.
    type: path
    required: true
  reveal_secrets:
    description: Write Secret values in clear.
    type: bool
    default: false
attributes:
  action:
    description: Runs as an action plugin on the controller.
    support: full
  check_mode:
    description: Writes and removes nothing in check mode; RV(written) and RV(removed) say what would change.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Write the objects
  split_brain.deploy.render:
    objects: "{{ split_brain_objects }}"
    dest: out/dev
"""

RETURN = r"""
dest:
  description: The folder written to.
  returned: always
  type: str
files:
  description: Every file of the render, in apply order.
  returned: always
  type: list
  elements: str
  sample: [00-namespace-split-brain.yaml]
written:
  description: Files created or changed by this run.
  returned: always
  type: list
  elements: str
removed:
  description: Files an earlier render wrote for objects no longer rendered, removed by this run.
  returned: always
  type: list
  elements: str
"""
