# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Prune: the objects of a release's rendered components that this run no longer renders are
deleted, kind by kind in NAMESPACED_KINDS' order. Volume claims stay (the data): only an
uninstall with split_brain_delete_data deletes them. Objects of another manager, another release
or a component this run does not render are never touched."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import (
    MANAGED_BY,
    NAMESPACED_KINDS,
    delete_objects,
    object_key,
)
from ansible_collections.split_brain.deploy.plugins.module_utils.ownership import (
    COMPONENT_LABEL,
    INSTANCE_LABEL,
    MANAGED_BY_LABEL,
)


def stale(live, keep, components, instance):
    """``[(api_version, kind, name, component)]``: the objects of ``live`` (``{(kind, name):
    object}``) that release ``instance`` created for one of ``components`` and whose ``Kind/name``
    is not in ``keep``, in the order prune deletes them."""
    keep, components = set(keep), set(components)
    found = []
    for api_version, kind in NAMESPACED_KINDS:
        if kind == "PersistentVolumeClaim":
            continue
        for (item_kind, name), item in sorted((k, v) for k, v in live.items() if isinstance(k, tuple)):
            labels = (item.get("metadata") or {}).get("labels") or {}
            if item_kind == kind and labels.get(MANAGED_BY_LABEL) == MANAGED_BY \
                    and labels.get(INSTANCE_LABEL) == instance \
                    and labels.get(COMPONENT_LABEL) in components and object_key(kind, name) not in keep:
                found.append((api_version, kind, name, labels.get(COMPONENT_LABEL)))
    return found


def prune(client, namespace, live, keep, components, instance):
    """Delete what ``stale`` finds (a dry run when ``client`` is the dry-run client); return the
    keys deleted."""
    return delete_objects(client, namespace, stale(live, keep, components, instance))
