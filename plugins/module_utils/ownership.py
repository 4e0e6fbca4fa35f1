# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Which release a namespace belongs to: its labels, and the objects of the collection in it. A
namespace of another release is refused before anything is touched."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import MANAGED_BY, NAMESPACED_KINDS

INSTANCE_LABEL = "app.kubernetes.io/instance"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
COMPONENT_LABEL = "app.kubernetes.io/component"


class ForeignRelease(Exception):
    """The namespace belongs to another release; ``str()`` says which and what to do."""


def _status(exc):
    return getattr(exc, "status", None)


def namespace_object(client, namespace):
    """The Namespace as a dict, or None when it does not exist."""
    try:
        return client.get(client.resource("Namespace", "v1"), name=namespace).to_dict()
    except Exception as exc:
        if _status(exc) == 404:
            return None
        raise


def create_namespace(client, namespace, instance):
    """Create the release's namespace, labelled as the release's; True when this call created it."""
    body = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": namespace, "labels": {MANAGED_BY_LABEL: MANAGED_BY, INSTANCE_LABEL: instance}},
    }
    try:
        client.create(client.resource("Namespace", "v1"), body)
    except Exception as exc:
        if _status(exc) == 409:  # another run created it first: the Lease decides
            return False
        raise
    return True


def foreign_release(client, namespace, instance, namespace_obj=None):
    """``(what, other_instance)`` when another release of split_brain.deploy owns the namespace
    (its labels, or objects managed by split_brain.deploy with another instance), else None."""
    labels = ((namespace_obj or {}).get("metadata") or {}).get("labels") or {}
    if labels.get(MANAGED_BY_LABEL) == MANAGED_BY and labels.get(INSTANCE_LABEL, instance) != instance:
        return "Namespace/%s" % namespace, labels[INSTANCE_LABEL]
    selector = "%s=%s,%s!=%s" % (MANAGED_BY_LABEL, MANAGED_BY, INSTANCE_LABEL, instance)
    for api_version, kind in NAMESPACED_KINDS:
        listing = client.get(client.resource(kind, api_version), namespace=namespace, label_selector=selector)
        for item in listing.items:
            other = (item.metadata.labels or {}).get(INSTANCE_LABEL, "")
            return "%s/%s" % (kind, item.metadata.name), other
    return None


def ownership_message(namespace, instance, found):
    what, other = found
    return (
        "Namespace %s belongs to release %r (%s is labelled app.kubernetes.io/instance=%s), not to "
        "split_brain_instance %r: two releases never share a namespace. Nothing was changed. Deploy %r "
        "into a namespace of its own (split_brain_namespace), or set split_brain_instance to %r."
        % (namespace, other, what, other, instance, instance, other)
    )


def refuse_foreign(namespace, instance, live):
    """Raise ForeignRelease when an object of ``live`` (``{(kind, name): object}``, the Namespace
    first) is managed by split_brain.deploy for another instance."""
    for key, item in sorted(live.items(), key=lambda entry: entry[0][0] != "Namespace"):
        labels = (item.get("metadata") or {}).get("labels") or {}
        other = labels.get(INSTANCE_LABEL, instance)
        if labels.get(MANAGED_BY_LABEL) == MANAGED_BY and other != instance:
            raise ForeignRelease(ownership_message(namespace, instance, ("%s/%s" % key, other)))
