# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What a release of split_brain.deploy runs, summarised from API objects (plain dicts).

Everything but ``read_release`` is a pure function of dicts, so it can be unit-tested without a
cluster. Of a Secret only the name, type and key names are kept: no value reaches a result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import (
    RELEASE_ARGUMENT_SPEC,
    release_selector,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import (
    _get,
    deployment_state,
    pod_problems,
)


# split_brain.deploy.status: its options besides kubernetes.core's connection options, and what its
# failure says (module_utils/runner.py).
STATUS_FAILURE = "Reading the release {instance} in namespace {namespace} failed: {error}"
STATUS_ARGUMENT_SPEC = RELEASE_ARGUMENT_SPEC


def selector_string(selector):
    """A LabelSelector dict as kubectl writes it (``a=b,c in (d,e)``); "" selects everything."""
    parts = ["%s=%s" % kv for kv in sorted((_get(selector, "matchLabels") or {}).items())]
    for expr in _get(selector, "matchExpressions", default=[]):
        key, operator = expr.get("key"), expr.get("operator")
        if operator == "Exists":
            parts.append(key)
        elif operator == "DoesNotExist":
            parts.append("!" + key)
        else:
            parts.append("%s %s (%s)" % (key, operator.lower(), ",".join(expr.get("values") or [])))
    return ",".join(parts)


def selects(match_labels, obj):
    """Whether every label of ``match_labels`` is on ``obj``; an empty selector selects nothing."""
    labels = _get(obj, "metadata", "labels", default={})
    return bool(match_labels) and all(labels.get(k) == v for k, v in match_labels.items())


def last_rollout(deployment, replica_sets):
    """Newest of: creation of a ReplicaSet the Deployment owns, its Progressing condition update."""
    uid = _get(deployment, "metadata", "uid")
    times = [
        _get(rs, "metadata", "creationTimestamp")
        for rs in replica_sets
        if uid and any(ref.get("uid") == uid for ref in _get(rs, "metadata", "ownerReferences", default=[]))
    ]
    times += [
        c.get("lastUpdateTime")
        for c in _get(deployment, "status", "conditions", default=[])
        if c.get("type") == "Progressing"
    ]
    return max([str(t) for t in times if t] or [""])


def container_states(pods):
    """Total container restarts of ``pods`` and the containers that wait, with the reason."""
    restarts, waiting = 0, []
    for pod in pods:
        statuses = list(_get(pod, "status", "initContainerStatuses", default=[]))
        statuses += list(_get(pod, "status", "containerStatuses", default=[]))
        for cs in statuses:
            restarts += cs.get("restartCount", 0)
            reason = _get(cs, "state", "waiting", "reason")
            if reason:
                waiting.append({
                    "pod": _get(pod, "metadata", "name"),
                    "container": cs.get("name"),
                    "reason": reason,
                    "message": _get(cs, "state", "waiting", "message", default=""),
                })
    return restarts, waiting


def failing_conditions(conditions):
    """The conditions that signal trouble: ReplicaFailure when True, any other when not True."""
    return [c for c in conditions if (c.get("status") == "True") == (c.get("type") == "ReplicaFailure")]


def component_status(deployment, replica_sets, pods):
    """One Deployment: replica counts, images, conditions, its pods' restarts and problems."""
    state = deployment_state(deployment)
    match_labels = _get(deployment, "spec", "selector", "matchLabels", default={})
    own_pods = [p for p in pods if selects(match_labels, p)]
    restarts, waiting = container_states(own_pods)
    raw_conditions = _get(deployment, "status", "conditions", default=[])
    failing = failing_conditions(raw_conditions)
    containers = _get(deployment, "spec", "template", "spec", "containers", default=[])
    reasons = [c.get("reason") or "%s=%s" % (c.get("type"), c.get("status")) for c in failing]
    reasons += [w["reason"] for w in waiting]
    reasons += [  # pods that no node accepts (Unschedulable) have no container status yet
        c.get("reason") for p in own_pods for c in _get(p, "status", "conditions", default=[])
        if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("reason")
    ]
    return {
        "name": state["name"],
        "component": _get(deployment, "metadata", "labels", "app.kubernetes.io/component", default=""),
        "desired": state["desired"],
        "ready": state["ready"],
        "updated": state["updated"],
        "available": state["available"],
        "complete": state["complete"],
        "images": [c.get("image") for c in containers],
        "conditions": [
            {
                "type": c.get("type"),
                "status": c.get("status"),
                "reason": c.get("reason", ""),
                "message": c.get("message", ""),
                "last_update_time": c.get("lastUpdateTime", ""),
            }
            for c in raw_conditions
        ],
        "restarts": restarts,
        "waiting": waiting,
        "reasons": sorted(set(reasons), key=reasons.index),
        "problems": [
            "%s=%s %s: %s" % (c.get("type"), c.get("status"), c.get("reason", ""), c.get("message", ""))
            for c in failing
        ] + pod_problems(own_pods),
        "revision": _get(deployment, "metadata", "annotations", "deployment.kubernetes.io/revision", default=""),
        "last_rollout": last_rollout(deployment, replica_sets),
    }


def pvc_status(pvc):
    return {
        "name": _get(pvc, "metadata", "name"),
        "phase": _get(pvc, "status", "phase", default="Unknown"),
        "capacity": _get(pvc, "status", "capacity", "storage", default=""),
        "requested": _get(pvc, "spec", "resources", "requests", "storage", default=""),
        "access_modes": list(_get(pvc, "status", "accessModes") or _get(pvc, "spec", "accessModes", default=[])),
        "storage_class": _get(pvc, "spec", "storageClassName", default=""),
        "volume": _get(pvc, "spec", "volumeName", default=""),
    }


def secret_status(secret):
    """Name, type and key names of a Secret. Values are never copied."""
    return {
        "name": _get(secret, "metadata", "name"),
        "type": secret.get("type", ""),
        "key_names": sorted(secret.get("data") or {}),
    }


def autoscaler_status(hpa):
    return {
        "name": _get(hpa, "metadata", "name"),
        "target": "%s/%s" % (_get(hpa, "spec", "scaleTargetRef", "kind"), _get(hpa, "spec", "scaleTargetRef", "name")),
        "min_replicas": _get(hpa, "spec", "minReplicas", default=1),
        "max_replicas": _get(hpa, "spec", "maxReplicas"),
        "current_replicas": _get(hpa, "status", "currentReplicas", default=0),
        "desired_replicas": _get(hpa, "status", "desiredReplicas", default=0),
    }


def network_policy_status(policy):
    return {
        "name": _get(policy, "metadata", "name"),
        "pod_selector": selector_string(_get(policy, "spec", "podSelector", default={})),
        "policy_types": list(_get(policy, "spec", "policyTypes", default=[])),
    }


def release_status(deployments, replica_sets, pods, pvcs, secrets, autoscalers, policies):
    """The module's result from the listed objects (lists of dicts), each section sorted by name."""
    def by_name(items):
        return sorted(items, key=lambda item: item["name"])

    return {
        "components": by_name(component_status(d, replica_sets, pods) for d in deployments),
        "pvcs": by_name(pvc_status(p) for p in pvcs),
        "secrets": by_name(secret_status(s) for s in secrets),
        "autoscalers": by_name(autoscaler_status(h) for h in autoscalers),
        "network_policies": by_name(network_policy_status(p) for p in policies),
    }


def read_release(client, namespace, instance):
    """List the release's objects in ``namespace`` and summarise them with release_status."""
    selector = release_selector(instance)

    def listing(kind, api_version):
        resource = client.resource(kind, api_version)
        return client.get(resource, namespace=namespace, label_selector=selector).to_dict().get("items", [])

    return release_status(
        deployments=listing("Deployment", "apps/v1"),
        # The pod template carries the release labels: ReplicaSets and pods have them too.
        replica_sets=listing("ReplicaSet", "apps/v1"),
        pods=listing("Pod", "v1"),
        pvcs=listing("PersistentVolumeClaim", "v1"),
        secrets=listing("Secret", "v1"),  # secret_status keeps only the key names
        autoscalers=listing("HorizontalPodAutoscaler", "autoscaling/v2"),
        policies=listing("NetworkPolicy", "networking.k8s.io/v1"),
    )


def release_result(client, params):
    """The result of split_brain.deploy.status."""
    return dict(read_release(client, params["namespace"], params["instance"]), changed=False)
