# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Finding and deleting the objects a release of split_brain.deploy created."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

MANAGED_BY = "split_brain.deploy"

# The order objects are applied in (a kind before the kinds that refer to it); unknown kinds last.
APPLY_ORDER = (
    "Namespace",
    "NetworkPolicy",
    "ServiceAccount",
    "Secret",
    "ConfigMap",
    "PersistentVolumeClaim",
    "Service",
    "Deployment",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
)


def apply_order(objects):
    """Sort objects into apply order (stable within a kind; unknown kinds last)."""
    rank = dict((kind, index) for index, kind in enumerate(APPLY_ORDER))
    return sorted(objects or [], key=lambda obj: rank.get(obj.get("kind"), len(rank)))


# Every namespaced kind the collection creates, in the order prune deletes them.
NAMESPACED_KINDS = (
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"),
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("v1", "PersistentVolumeClaim"),
)


# The options that name a release (doc fragment split_brain.deploy.release): status.
RELEASE_ARGUMENT_SPEC = dict(
    namespace=dict(type="str", required=True),
    instance=dict(type="str", required=True),
)


def release_selector(instance, components=None):
    """Label selector of the objects of release ``instance`` (optionally some components)."""
    parts = [
        "app.kubernetes.io/managed-by=%s" % MANAGED_BY,
        "app.kubernetes.io/instance=%s" % instance,
    ]
    if components:
        parts.append("app.kubernetes.io/component in (%s)" % ",".join(sorted(components)))
    return ",".join(parts)


def object_key(kind, name):
    return "%s/%s" % (kind, name)


def list_release_objects(client, namespace, instance, components=None, skip_kinds=()):
    """Return ``[(api_version, kind, name, component)]`` of the release's objects."""
    selector = release_selector(instance, components)
    found = []
    for api_version, kind in NAMESPACED_KINDS:
        if kind in skip_kinds:
            continue
        resource = client.resource(kind, api_version)
        listing = client.get(resource, namespace=namespace, label_selector=selector)
        for item in listing.items:
            labels = item.metadata.labels or {}
            found.append(
                (api_version, kind, item.metadata.name, labels.get("app.kubernetes.io/component", ""))
            )
    return found


def delete_objects(client, namespace, entries):
    """Delete ``entries`` (dry-run when the client is in check mode); return their keys."""
    deleted = []
    for api_version, kind, name, _component in entries:
        resource = client.resource(kind, api_version)
        client.delete(resource, name=name, namespace=namespace)
        deleted.append(object_key(kind, name))
    return deleted
