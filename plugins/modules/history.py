#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: history
short_description: Read and write the revision history of a split-brain release
version_added: 2.0.0
description:
  - The history of release O(instance) is kept in O(namespace) as Secrets of type
    C(split-brain.io/release.v1) named C(split-brain.<instance>.v<N>), one per revision, like
    Helm's release records. Labels carry the revision number and its status (C(pending),
    C(deployed), C(superseded), C(failed), C(interrupted)); annotations the time, who ran it, the
    collection version and a description; C(data.release) the applied objects, gzip-compressed
    JSON. The objects include the Secrets' values, so a record is protected as the Secrets are.
  - O(step=list) returns the records (never their objects).
  - O(step=get) returns the objects of revision O(revision) (or, when it is 0, of the newest
    revision older than the deployed one that was deployed itself) for a rollback.
  - O(step=begin) records a run before it applies O(objects). It marks records left C(pending)
    by an unfinished run C(interrupted), returns them in RV(unfinished) and warns about them. When the objects
    (merged with the deployed revision's objects of the components not in O(components)) equal
    the deployed revision's, it records nothing and returns RV(revision) 0.
  - O(step=finish) sets revision O(revision) to O(status); C(deployed) marks the previously
    deployed revision C(superseded). Keeps at most O(limit) records, deleting the oldest.
  - O(step=absent) deletes every record of the release.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - split_brain.deploy.connection
  - split_brain.deploy.release
options:
  step:
    description: What to do (see the description).
    type: str
    choices: [list, get, begin, finish, absent]
    default: list
  revision:
    description:
      - O(step=get) the revision whose objects to return, 0 for the latest-but-one.
      - O(step=finish) the revision to finish.
    type: int
    default: 0
  objects:
    description: O(step=begin) the objects this run applies. They hold Secret values; use C(no_log).
    type: list
    elements: dict
    default: []
  components:
    description:
      - O(step=begin) the components this run rendered; the objects of the others are taken from
        the deployed revision (a run limited by tags).
    type: list
    elements: str
    default: []
  status:
    description: O(step=finish) the outcome.
    type: str
    choices: [deployed, failed]
    default: deployed
  by:
    description: O(step=begin) who runs it (C(user@host)).
    type: str
    default: ""
  description:
    description: O(step=begin) why; C(install) or C(upgrade) when empty.
    type: str
    default: ""
  limit:
    description: O(step=finish) the most records kept; 0 keeps all.
    type: int
    default: 10
attributes:
  check_mode:
    description: Writes nothing in check mode (server-side dry run).
    support: partial
    details: O(step=list) and O(step=get) only read; the other steps send their writes as server-side dry runs.
"""

EXAMPLES = r"""
- name: Read the revisions of the release
  split_brain.deploy.history:
    namespace: split-brain
    instance: split-brain
  register: history

- name: Read the objects of revision 3
  split_brain.deploy.history:
    namespace: split-brain
    instance: split-brain
    step: get
    revision: 3
  register: revision
  no_log: true
"""

RETURN = r"""
revisions:
  description: O(step=list) every record, oldest first.
  returned: step is list
  type: list
  elements: dict
  sample:
    - {revision: 1, status: superseded, updated: "2026-11-27T04:10:38Z", by: alice@ctl, version: 1.0.0,
       description: install, name: split-brain.split-brain.v1}
current:
  description: The record of the deployed revision, or null.
  returned: step is list or get
  type: dict
revision:
  description:
    - O(step=get) the record whose objects are returned.
    - O(step=begin) the number of the pending revision, 0 when nothing was recorded.
    - O(step=finish) the number finished.
  returned: step is get, begin or finish
  type: raw
objects:
  description: O(step=get) the objects of the revision (Secret values included).
  returned: step is get
  type: list
  elements: dict
unfinished:
  description: O(step=begin) records an unfinished run had left C(pending), now C(interrupted).
  returned: step is begin
  type: list
  elements: dict
previous:
  description: O(step=begin) the record deployed before this run, or null.
  returned: step is begin
  type: dict
dropped:
  description: O(step=finish) revision numbers deleted to keep O(limit).
  returned: step is finish
  type: list
  elements: int
removed:
  description: O(step=absent) C(Secret/name) of every record deleted.
  returned: step is absent
  type: list
  elements: str
"""

from ansible_collections.split_brain.deploy.plugins.module_utils.history import (
    HISTORY_ARGUMENT_SPEC,
    HISTORY_FAILURE,
    history_work,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import run_module


def main():
    run_module(HISTORY_ARGUMENT_SPEC, history_work, HISTORY_FAILURE)


if __name__ == "__main__":
    main()
