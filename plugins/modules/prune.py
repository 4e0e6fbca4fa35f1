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
  diff_mode:
    description: Returns no diff.
    support: none
requirements:
  - kubernetes >= 24.2.0
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

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.split_brain.deploy.plugins.module_utils.objects import (
    delete_objects,
    list_release_objects,
    stale_objects,
)


def main():
    argument_spec = dict(
        AUTH_ARG_SPEC,
        namespace=dict(type="str", required=True),
        instance=dict(type="str", required=True),
        components=dict(type="list", elements="str", required=True),
        keep=dict(type="list", elements="str", required=True, no_log=False),
        skip_kinds=dict(type="list", elements="str", default=["PersistentVolumeClaim"]),
    )
    module = AnsibleK8SModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if not params["components"]:
        module.exit_json(changed=False, pruned=[])
    try:
        client = get_api_client(module)
        found = list_release_objects(
            client, params["namespace"], params["instance"], params["components"], params["skip_kinds"]
        )
        pruned = delete_objects(client, params["namespace"], stale_objects(found, params["keep"]))
    except CoreException as exc:
        module.fail_from_exception(exc)
    except Exception as exc:  # the API server's errors: say which step failed
        module.fail_json(msg="Pruning namespace %s failed: %s" % (params["namespace"], exc))
    module.exit_json(changed=bool(pruned), pruned=pruned)


if __name__ == "__main__":
    main()
