#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: release
short_description: Render, apply, roll back or remove a release of split-brain in one step, under its lock
version_added: 2.0.0
description:
  - Since 3.0.0 an action plugin does the work on the controller. It renders the roles of O(render)
    (each role's C(templates/objects.yaml.j2), through Ansible's template lookup) and either writes
    the objects to O(render_dir) or runs the cluster phase with them, in-process, with
    kubernetes.core's API client. The objects never become an Ansible variable, fact or task
    result. When the task's connection is not local, the cluster phase runs as this module on the
    task's host, the objects passed as its no_log option O(objects).
  - The whole cluster phase of a release in one step, in this order, under the release lock
    (a C(coordination.k8s.io) Lease in the release namespace, renewed by the module while it runs).
  - The release's ownership of the namespace is checked; a namespace of another release is refused
    before anything is touched.
  - The run is recorded as a pending revision (a Secret of type C(split-brain.io/release.v1)),
    unless its objects equal those of the deployed revision.
  - The replicas an HPA has taken over are handed to a field manager that keeps them, and the fields
    the apply takes back from other field managers are reported as warnings.
  - B(Preflight.) Every object is applied as a server-side dry run first. Any refusal (an immutable
    field, a volume claim that would shrink, an admission webhook, a quota) stops the run before the
    first write; the message names each refused object and the API server's reason, and the revision
    is recorded as failed with nothing changed.
  - Only the objects whose dry run differs from the cluster are applied (server-side apply with the
    field manager C(split-brain-deploy), conflicts forced), so a converged release writes nothing.
  - The objects of the release's O(components) that are no longer rendered are deleted (volume claims
    never), and the Deployments whose rollout is not complete are waited for.
  - The revision is marked C(deployed), or C(failed); with O(atomic) a failed run applies the
    deployed revision again before it fails.
  - With O(revision) the objects come from that recorded revision instead of O(objects) (a rollback).
  - With O(state=absent) the release's objects, its revision history and its lock are removed; its
    volume claims and namespace stay unless O(delete_data).
  - If the holder of the lock is a process of this host that no longer exists, the lock is taken
    over at once; a lock held from another host is waited for (O(lock_timeout)) and taken over once
    it has expired. When the process that started the module goes away (the controller was
    stopped), the module stops, releases the lock and leaves the revision pending.
  - The result carries every step, the per-object diffs (shown with C(--diff); a Secret's keys,
    never its values) and the warnings; no Secret value, so the task needs no C(no_log). Every
    message of a failure is scrubbed of the Secrets' values (plain, base64 and JSON-escaped).
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - split_brain.deploy.connection
  - split_brain.deploy.release
options:
  state:
    description:
      - V(present) applies the release, V(absent) removes it.
    type: str
    default: present
    choices: [present, absent]
  render:
    description:
      - The roles of the collection whose objects this run renders (C(namespace), C(storage),
        C(router), C(classifier), C(ui), C(cloudflared)), each role's defaults under the task's
        variables. A run with C(--tags) renders some components only and leaves the others as
        they are.
    type: list
    elements: str
    default: []
    version_added: 3.0.0
  render_dir:
    description:
      - Write the rendered objects to this folder, one YAML file each, instead of applying them;
        contacts no cluster. Files an earlier render wrote that are no longer rendered are removed;
        a file no render wrote is never replaced.
    type: str
    default: ""
    version_added: 3.0.0
  reveal_secrets:
    description: With O(render_dir), write the Secrets' values in clear (files 0600) instead of redacted.
    type: bool
    default: false
    version_added: 3.0.0
  extra_annotations:
    description: Annotations added to every rendered object (an object's own are kept).
    type: dict
    default: {}
    version_added: 3.0.0
  external_secrets:
    description:
      - The Secrets are managed out of band; before anything is touched, each Secret the rendered
        Deployments read must exist in the namespace with the keys they read.
    type: bool
    default: false
    version_added: 3.0.0
  secret_variables:
    description:
      - Names of the variables that hold secrets; their values are scrubbed from every message, also
        when rendering fails before any Secret object exists.
    type: list
    elements: str
    default: []
    version_added: 3.0.0
  objects:
    description:
      - Set by the action from what it rendered, when the cluster phase runs as the module on a remote
        host; a task that sets it is refused.
    type: list
    elements: dict
    default: []
  required_secrets:
    description:
      - Set by the action with O(external_secrets) - the Secrets the rendered Deployments read
        (C(name), C(env)); a task that sets it is refused.
    type: list
    elements: dict
    default: []
    version_added: 3.0.0
  components:
    description:
      - The components (C(app.kubernetes.io/component) values) that this run renders in full; prune
        deletes their objects that it no longer renders. Defaults to O(render).
    type: list
    elements: str
    default: []
  release_components:
    description:
      - Every component of the release. A rollback and O(state=absent) act on all of them.
    type: list
    elements: str
    default: []
  revision:
    description:
      - Apply the objects of this recorded revision instead of O(objects) (a rollback). V(0) is the
        newest revision older than the deployed one that was deployed once.
    type: int
  description:
    description:
      - What the revision record says of this run (default V(install), V(upgrade) or
        V(rollback to N)).
    type: str
    default: ""
  prune:
    description: Delete the objects of O(components) that are no longer rendered.
    type: bool
    default: true
  wait:
    description: Wait for the Deployments whose rollout is not complete.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for the rollouts (and, on removal, for deleted objects to be gone).
    type: int
    default: 300
  atomic:
    description: On failure, apply the deployed revision again (and wait for it) before failing.
    type: bool
    default: false
  history_limit:
    description: Revision records kept (oldest deleted first); V(0) keeps all.
    type: int
    default: 10
  lock_timeout:
    description: Seconds to wait for another run's lock.
    type: int
    default: 300
  lock_duration:
    description: Seconds the lock outlives its last renewal.
    type: int
    default: 30
  delete_data:
    description: With O(state=absent), delete the volume claims and the namespace too.
    type: bool
    default: false
  checksum_key:
    description:
      - Name of the Secret that holds the release's checksum key (created with a random key by the
        release's first apply, never changed after). Each Deployment whose pod-template annotation
        C(split-brain.io/secret-checksum) is C(<keyed at apply>) gets the HMAC-SHA256 of its
        component's Secrets' values under that key instead, so that a change of a Secret rolls the
        pods that read it and a reader of the Deployment cannot test a guessed secret against it.
      - Empty (the default) leaves the annotations as they are.
    type: str
    default: ""
notes:
  - Check mode takes no lock and writes nothing; the preflight (a dry run) still runs, so
    C(--check --diff) shows what would change and what the API server would refuse.
  - The release's host is normally the controller (C(ansible_connection=local)); then everything
    runs in the Ansible worker's process, which holds the lock. If ansible-playbook is killed, the
    worker ends itself; the next run of this host takes the lock over at once.
seealso:
  - module: kubernetes.core.k8s
requirements:
  - kubernetes >= 36.0.2
"""

EXAMPLES = r"""
- name: Render the release's roles and apply them, prune and wait
  split_brain.deploy.release:
    namespace: split-brain
    instance: split-brain
    render: [namespace, storage, router, classifier, ui, cloudflared]

- name: Write the objects to a folder instead (Secret values redacted)
  split_brain.deploy.release:
    namespace: split-brain
    instance: split-brain
    render: [namespace, storage, router, classifier, ui, cloudflared]
    render_dir: /tmp/split-brain

- name: Roll back to revision 3
  split_brain.deploy.release:
    namespace: split-brain
    instance: split-brain
    revision: 3
    release_components: [namespace, storage, router, classifier, ui, cloudflared]

- name: Remove the release, keeping its data
  split_brain.deploy.release:
    namespace: split-brain
    instance: split-brain
    state: absent
    release_components: [namespace, storage, router, classifier, ui, cloudflared]
"""

RETURN = r"""
msg:
  description: One line saying what the run did (or, on failure, which step failed and why).
  returned: always
  type: str
  sample: applied 1 object (ConfigMap/router-config); waited for the rollout of router; revision 4 deployed.
applied:
  description: The objects this run applied (in check mode, would apply), as C(Kind/name).
  returned: always
  type: list
  elements: str
pruned:
  description: The objects this run deleted (in check mode, would delete).
  returned: always
  type: list
  elements: str
revision:
  description: The revision this run recorded (V(0) when nothing differed from the deployed one).
  returned: always
  type: int
diffs:
  description:
    - One entry per changed object (C(before_header), C(after_header), C(before), C(after)), the
      fields that differ as YAML; a Secret's values are never shown, only which keys changed.
  returned: always
  type: list
  elements: dict
notices:
  description:
    - What the run must hear about, one line each - fields taken back from other field managers,
      a run that did not finish, another run holding the lock (check mode), a lock that could not
      be released. M(split_brain.deploy.report_changes) shows them as warnings.
  returned: always
  type: list
  elements: str
steps:
  description:
    - Every step of the run, for a report - C(lock) (holder, since, waited, previous), C(taken_back),
      C(handed_over), C(applied), C(pruned), C(waited_for), C(revision), C(previous), C(status),
      C(restored_from); on removal C(removed), C(kept) and C(history).
  returned: always
  type: dict
"""

import sys

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.split_brain.deploy.plugins.module_utils.process import ParentWatch
from ansible_collections.split_brain.deploy.plugins.module_utils.release import RELEASE_ARGUMENT_SPEC, RELEASE_FAILURE, run
from ansible_collections.split_brain.deploy.plugins.module_utils.runner import failure_message
from ansible_collections.split_brain.deploy.plugins.module_utils.scrub import scrub


def main():
    """The release on a remote host: what plugins/action/release.py runs in-process on the
    controller, here with the rendered objects as the no_log option O(objects)."""
    module = AnsibleK8SModule(argument_spec=dict(AUTH_ARG_SPEC, **RELEASE_ARGUMENT_SPEC), supports_check_mode=True)
    try:
        result = run(module.params, get_api_client(module), module.check_mode, ParentWatch(sys.stdout).gone)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # kubernetes.core's errors (CoreException) and the API server's: which step failed, and
        # why, Secret values masked.
        module.fail_json(msg=scrub(failure_message(RELEASE_FAILURE, module.params, exc), module.params["objects"]))
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
