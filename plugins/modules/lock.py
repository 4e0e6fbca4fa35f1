#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: lock
short_description: Take or release the run lock of a split-brain release
version_added: 1.1.0
description:
  - The lock is a C(coordination.k8s.io/v1) Lease named C(split-brain-lock) in O(namespace), one
    per namespace (a namespace holds one release). Its holder is the run (C(user@host), the
    ansible-playbook pid, a random token); annotations say what the run does, since when and with
    which collection version.
  - O(state=present) first refuses a namespace that another release of split_brain.deploy owns
    (the Namespace's or any managed object's C(app.kubernetes.io/instance) differs from
    O(instance)), naming both. It then takes the Lease, waiting up to O(timeout) seconds while
    another live run holds it and printing who does; then fails saying who holds it since when.
  - A Lease not renewed for O(duration) seconds has expired (its run died); it is taken over and
    RV(previous) says which run did not finish.
  - While the lock is held, a detached process renews it every third of O(duration) seconds for
    as long as the ansible-playbook process lives, and exits when that process exits (SIGKILL
    included) or the lock is released. A killed run's lock therefore expires at most O(duration)
    seconds after the kill, and never needs removing by hand.
  - When O(namespace) does not exist and O(create_namespace) is true, it is created first
    (labelled as the release's), since a Lease lives in a namespace.
  - O(state=absent) deletes the Lease if O(identity) still holds it and stops the renewer. It
    fails when another run had taken the lock over (RV(lost)), since that run may have changed
    the release meanwhile. A Lease it cannot delete (the API server away) is not a failure, since it
    expires by itself O(duration) seconds after the run ends; a warning says so, and the run's
    own outcome stands.
  - In check mode nothing is taken or created; RV(held_by) says whether another run holds it.
  - What the run must hear is also a warning, shown by every callback without a task of its own,
    namely RV(previous), and in check mode another run holding the lock.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - split_brain.deploy.release
options:
  state:
    description: C(present) takes the lock, C(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  operation:
    description: What the run does (C(deploy), C(rollback), C(uninstall)), shown to a waiting run.
    type: str
    default: deploy
  timeout:
    description: Seconds to wait for another run's lock; 0 fails at once.
    type: int
    default: 300
  duration:
    description:
      - Seconds a lock lasts without renewal (the Lease's C(leaseDurationSeconds)).
      - With O(state=absent), what the warning says when the Lease cannot be deleted.
    type: int
    default: 30
  create_namespace:
    description: Create O(namespace) when it does not exist (a first install); false reports that there is nothing to lock.
    type: bool
    default: true
  identity:
    description: O(state=absent) RV(identity) of the run that took the lock.
    type: str
    default: ""
  renewer_pid:
    description: O(state=absent) RV(renewer_pid) of the run that took the lock.
    type: int
    default: 0
  interval:
    description: Seconds between two looks at a held lock.
    type: float
    default: 1.0
attributes:
  action:
    support: full
    description: Always runs on the controller, whatever the host's connection; the lock belongs to the ansible-playbook process.
  check_mode:
    support: full
    description: Takes nothing; reports who holds the lock.
  diff_mode:
    support: none
    description: Returns no diff.
notes:
  - Releasing deletes the Lease, so an existing Lease that is not renewed is always a run that did not finish.
requirements:
  - kubernetes >= 24.2.0
"""

EXAMPLES = r"""
- name: Take the release lock
  split_brain.deploy.lock:
    namespace: split-brain
    instance: split-brain
    timeout: 300
  register: release_lock

- name: Release the lock
  split_brain.deploy.lock:
    namespace: split-brain
    instance: split-brain
    state: absent
    identity: "{{ release_lock.identity }}"
    renewer_pid: "{{ release_lock.renewer_pid }}"
    duration: 30
"""

RETURN = r"""
acquired:
  description: Whether this run holds the lock now.
  returned: state is present
  type: bool
identity:
  description: The holder identity of this run (pass it to O(state=absent)).
  returned: state is present
  type: str
  sample: alice@ctl/4242/1f2e3d4c
holder:
  description: Who runs it, C(user@host).
  returned: when acquired
  type: str
renewer_pid:
  description: Pid of the detached process that renews the lock.
  returned: when acquired
  type: int
waited:
  description: Seconds waited for another run.
  returned: when acquired
  type: float
previous:
  description: When the lock of a run that did not finish was taken over (or, in check mode, found expired), what that run was.
  returned: state is present
  type: str
  sample: the previous run by bob@ctl (pid 77, deploy) started 2026-11-27T04:10:38Z did not finish; converging
held_by:
  description: Who holds the lock, when another run does (check mode, or a timeout).
  returned: state is present
  type: str
lost:
  description: O(state=absent) true when another run had taken the lock over from this one (the task then fails).
  returned: state is absent
  type: bool
"""
