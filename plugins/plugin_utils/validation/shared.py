# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Rules between the shared settings of the split_brain role (every component reads them)."""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import credentials, limits, text
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.components import MOUNT_PATH, RESERVED_MOUNT_PATHS
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.formats import as_str, path_problem

ROLLOUT = ("split_brain_rollout_max_surge", "split_brain_rollout_max_unavailable")
NAMESPACE = "split_brain_namespace"
# The namespaces of the cluster itself, and what runs there.
SYSTEM_NAMESPACES = {
    "default": "whatever else runs there (and the kubernetes Service's namespace)",
    "kube-system": "the cluster's own components, cluster DNS included",
    "kube-public": "what the cluster publishes to everyone",
    "kube-node-lease": "the nodes' heartbeats",
}


def _zero(value):
    """Whether a maxSurge/maxUnavailable is 0 (``0``, ``"0"``, ``"0%"``, ``"00"``)."""
    if isinstance(value, bool):
        return False
    text = str(value)
    digits = text[:-1] if text.endswith("%") else text
    return digits.isdigit() and int(digits) == 0


def rollout_problems(values):
    """maxSurge and maxUnavailable cannot both be 0: the rollout of no component (each Deployment
    has this strategy) could ever start."""
    rollout = {name: values[name] for name in ROLLOUT if name in values}
    if len(rollout) == 2 and all(_zero(value) for value in rollout.values()):
        return ["split_brain_rollout_max_surge: cannot be %s while split_brain_rollout_max_unavailable is %s (the rollout"
                " of router, classifier, ui and cloudflared could never start); set either above 0"
                % (rollout[ROLLOUT[0]], rollout[ROLLOUT[1]])]
    return []


def namespace_problems(values):
    """The release's namespace is its own: the collection puts deny-all NetworkPolicies and Pod
    Security labels on it, which in a system namespace would cut off what runs there (cluster DNS
    in kube-system)."""
    namespace = as_str(values.get(NAMESPACE))
    if namespace in SYSTEM_NAMESPACES:
        return ["%s: %s is a namespace of the cluster itself; the release puts a deny-all NetworkPolicy and the"
                " Pod Security level %s on its namespace, which would cut off %s; use a namespace of its own such as"
                " split-brain" % (NAMESPACE, namespace, values.get("split_brain_pod_security_level", "restricted"),
                                  SYSTEM_NAMESPACES[namespace])]
    return []


def mount_path_problems(values):
    """The shared volume's mount point hides nothing the container needs."""
    mount = as_str(values.get(MOUNT_PATH))
    if mount is None or path_problem(mount) or mount not in RESERVED_MOUNT_PATHS:
        return []
    return ["%s: %s would %s; use a folder of its own such as /var/split-brain"
            % (MOUNT_PATH, mount, "hide the container's files" if mount == "/" else "clash with the pods' /tmp volume")]


# The rules of this module, then those of the modules of one concern each (text.py, credentials.py,
# limits.py), which read every role's variables.
RULES = (rollout_problems, namespace_problems, mount_path_problems) + text.RULES + credentials.RULES + limits.RULES
