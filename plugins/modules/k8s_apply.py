#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: k8s_apply
short_description: Apply a list of Kubernetes objects as kubernetes.core.k8s does, in-process on the controller
version_added: 1.0.0
description:
  - M(kubernetes.core.k8s) for the options listed here, with the same code and the same result
    (C(changed), C(result), C(diff), C(method), warnings, and the error messages), check mode
    (a server-side dry run) and diff mode included.
  - When the task's host is the controller itself (C(ansible_connection=local)), the action runs
    kubernetes.core.k8s's own code (its C(runner) and C(K8sService)) in-process on the controller;
    that saves the module's start-up (a Python interpreter importing the kubernetes client,
    seconds on a small machine). The task's C(environment) (C(K8S_AUTH_KUBECONFIG),
    C(K8S_AUTH_CONTEXT), C(K8S_AUTH_HOST), C(K8S_AUTH_API_KEY), ..., C(KUBECONFIG)) is honoured as
    the module honours it.
  - On any other connection the action runs the M(kubernetes.core.k8s) module on the host with
    the task's arguments.
author:
  - split-brain deploy team (@split-brain)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - kubernetes.core.k8s_wait_options
options:
  resource_definition:
    description:
      - The objects, as a list of dicts, one dict, or a YAML string of one or more documents.
      - Every object names its C(kind), C(apiVersion), C(metadata.name) and, when namespaced,
        C(metadata.namespace).
      - Applied (or deleted) in order, as M(kubernetes.core.k8s) does.
    type: raw
    required: true
    aliases:
      - definition
      - inline
  apply:
    description:
      - Apply the objects (as M(kubernetes.core.k8s) C(apply=true)) rather than create them when
        absent and patch them when they differ.
    type: bool
    default: false
  server_side_apply:
    description:
      - Apply on the server (server-side apply) with this field manager. Ignored unless O(apply).
    type: dict
    suboptions:
      field_manager:
        description:
          - Name of the manager that owns the applied fields.
        type: str
        required: true
      force_conflicts:
        description:
          - Take the fields other managers own (their values are replaced) rather than fail.
        type: bool
        default: false
  state:
    description:
      - V(present) creates or updates the objects, V(absent) deletes them.
    type: str
    default: present
    choices: [present, absent]
notes:
  - Module defaults given for M(kubernetes.core.k8s) or its action group do not apply to this
    action; give them for C(split_brain.deploy.k8s_apply) (or as task arguments).
  - Objects hold Secret values as given, so a task that applies Secrets should be C(no_log).
attributes:
  action:
    support: full
    description: Runs in-process on the controller for a local connection, as M(kubernetes.core.k8s) otherwise.
  check_mode:
    support: full
    description: A server-side dry run, as M(kubernetes.core.k8s).
  diff_mode:
    support: full
    description: Returns the diff of every object that is patched, as M(kubernetes.core.k8s).
requirements:
  - kubernetes >= 24.2.0
  - PyYAML >= 3.11
  - jsonpatch
seealso:
  - module: kubernetes.core.k8s
"""

EXAMPLES = r"""
- name: Apply the objects with server-side apply
  split_brain.deploy.k8s_apply:
    kubeconfig: ~/.kube/config
    resource_definition: "{{ objects }}"
    apply: true
    server_side_apply:
      field_manager: split-brain-deploy
      force_conflicts: true
  register: applied
  no_log: true  # the objects include Secrets

- name: The same with the kubeconfig from the task's environment
  split_brain.deploy.k8s_apply:
    resource_definition: "{{ lookup('ansible.builtin.file', 'configmap.yaml') }}"
    apply: true
    server_side_apply:
      field_manager: split-brain-deploy
  environment:
    K8S_AUTH_KUBECONFIG: /etc/deploy/kubeconfig
"""

RETURN = r"""
result:
  description:
    - As M(kubernetes.core.k8s) returns it. For one object, the object as the API server returned
      it; for several, C(results), one entry per object in order, each with C(changed), C(method)
      (C(apply), C(create), C(update) or C(delete)), C(result) (the object), C(diff) (diff mode, not
      for a created object), C(warnings) and C(error) when set.
  returned: success
  type: complex
  contains:
    results:
      description: One entry per object, when there are several.
      returned: when resource_definition holds more than one object
      type: list
      elements: dict
method:
  description: For one object, how it was written (C(apply), C(create), C(update) or C(delete)).
  returned: when resource_definition holds one object
  type: str
  sample: apply
diff:
  description: For one object in diff mode, the C(before) and C(after) of the fields that changed.
  returned: when resource_definition holds one object, in diff mode
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402

from ansible_collections.split_brain.deploy.plugins.module_utils.k8s_apply import run  # noqa: E402


def main():
    run(AnsibleModule)


if __name__ == "__main__":
    main()
