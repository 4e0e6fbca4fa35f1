#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: release_state
short_description: Read what a run must know about a split-brain release before it renders
version_added: 2.0.0
description:
  - Says whether the release's namespace exists (a dry run cannot place objects in a namespace
    that is not there yet, so C(--check) before the first install previews instead).
  - With O(checksum_key), reads the release's checksum key from that Secret (its key C(key)), the
    HMAC key of the C(split-brain.io/secret-checksum) pod annotation. Before the release's first
    apply there is none, and the module draws a random one (64 letters and digits) that the apply
    then stores; RV(new) says so.
  - Changes nothing. Register the result with C(no_log), it holds the key.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - split_brain.deploy.connection
options:
  namespace:
    description: The release's namespace.
    type: str
    required: true
  checksum_key:
    description: Name of the Secret holding the release's checksum key; empty to read no key.
    type: str
    default: ""
attributes:
  check_mode:
    description: Runs unchanged in check mode; it only reads.
    support: full
"""

EXAMPLES = r"""
- name: Read the release's checksum key, or draw the key of its first apply
  split_brain.deploy.release_state:
    namespace: split-brain
    checksum_key: split-brain-checksum-key
  register: release
  no_log: true
"""

RETURN = r"""
namespace_exists:
  description: Whether the namespace exists.
  returned: success
  type: bool
  sample: true
key:
  description: The checksum key (stored, or drawn when RV(new)); empty without O(checksum_key).
  returned: success
  type: str
new:
  description: Whether the key was drawn by this call (no Secret holds one yet).
  returned: success
  type: bool
  sample: false
"""

from ansible_collections.split_brain.deploy.plugins.module_utils.release_state import (
    RELEASE_STATE_ARGUMENT_SPEC,
    RELEASE_STATE_FAILURE,
    release_state,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import run_module


def main():
    run_module(RELEASE_STATE_ARGUMENT_SPEC, release_state, RELEASE_STATE_FAILURE)


if __name__ == "__main__":
    main()
