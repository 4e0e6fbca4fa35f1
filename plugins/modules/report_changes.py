#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: report_changes
short_description: Show what a run of split_brain.deploy.release changed
version_added: 1.0.0
description:
  - The task of M(split_brain.deploy.release) is C(no_log), because its arguments hold the
    Secrets' values, so Ansible shows nothing of its result. This action takes the registered
    result and returns its per-object diffs as its own, so that C(--diff) (and C(--check --diff))
    prints one unified diff per changed object, headed C(Kind/name); a Secret's diff names the
    keys that changed and never shows a value.
  - The release's warnings (fields taken back from other field managers, a run that did not
    finish) become this task's warnings, which every callback shows.
  - Runs on the controller and changes nothing; it reports C(changed) when the release changed
    objects, because Ansible prints a diff only for a changed result.
author:
  - split-brain deploy team (@split-brain)
options:
  release:
    description:
      - The registered result of M(split_brain.deploy.release).
    type: dict
    required: true
attributes:
  action:
    support: full
    description: Runs on the controller.
  check_mode:
    support: full
    description: Changes nothing in any mode.
  diff_mode:
    support: full
    description: Returns the release's diffs.
"""

EXAMPLES = r"""
- name: Apply the objects of the release
  split_brain.deploy.release:
    namespace: split-brain
    instance: split-brain
    objects: "{{ split_brain_objects }}"
    components: [router]
  register: release
  no_log: true

- name: Show what changed, object by object
  split_brain.deploy.report_changes:
    release: "{{ release }}"
"""

RETURN = r"""
msg:
  description: The release's one-line summary.
  returned: always
  type: str
diff:
  description: One entry per changed object (C(before_header), C(after_header), C(before), C(after)).
  returned: always
  type: list
  elements: dict
"""
