# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """What the collection's cluster-reading modules (prune, rollout, status) share: where they
    run, what they need, and that they return no diff."""

    DOCUMENTATION = r"""
options: {}
notes:
  - When the task's host is the controller itself (C(ansible_connection=local), as in the
    collection's inventories), the module's action plugin does its work in-process on the
    controller, with the same library and options; that saves a module start-up (a Python
    interpreter importing the kubernetes client, about a second). On any other connection the
    module runs on the host like any module.
  - In-process, the task's C(environment) is honoured as the module honours it (kubernetes.core
    reads C(K8S_AUTH_KUBECONFIG), C(K8S_AUTH_CONTEXT), C(K8S_AUTH_HOST), C(K8S_AUTH_API_KEY), ...
    for the connection options left unset, then C(KUBECONFIG) or C(~/.kube/config)).
attributes:
  action:
    support: full
    description: Runs in-process on the controller for a local connection, as a module otherwise.
  diff_mode:
    support: none
    description: Returns no diff.
requirements:
  - kubernetes >= 24.2.0
"""
