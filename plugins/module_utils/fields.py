# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Field ownership before a server-side apply: what the apply will take back from other field
managers, and the hand-over of the replicas an HPA is about to own.

Server-side apply records, per object, which manager owns which field (``metadata.managedFields``,
in the ``FieldsV1`` format: ``f:<field>`` for a field of a map, ``k:{"name":"router"}`` for an
item of a list keyed by its merge keys, ``v:<value>`` for an item of a set, ``.`` for the node
itself). The collection applies with ``force_conflicts``, so every field its manifest sets and
another manager changed (``kubectl scale``, ``kubectl set image``, ``kubectl label``, another
tool) is silently taken back. ``taken_back`` names them before the apply, for the run to say so.

Dropping ``spec.replicas`` from the manifest (the HPA takes over) would release the field: the
server would reset it to the default, 1, until the HPA controller scales it back.
``hand_over_replicas`` first applies the live count under a manager of its own (as the
Kubernetes documentation describes for handing a field to a controller), so the field keeps its
value until the HPA controller changes it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import _get

FIELD_MANAGER = "split-brain-deploy"
HANDOVER_MANAGER = "split-brain-deploy-handover"
# The manager that runs the HPA controller (and every other built-in controller).
CONTROLLER_MANAGER = "kube-controller-manager"


def _same(a, b):
    """Equal values, a number and its string (a port, a quantity such as ``"1"``) included."""
    if a == b:
        return True
    scalars = (str, int, float)
    return isinstance(a, scalars) and isinstance(b, scalars) and not isinstance(a, bool) and not isinstance(b, bool) \
        and str(a) == str(b)


def _item(items, keys):
    """The item of the list ``items`` whose fields equal ``keys`` (a FieldsV1 ``k:`` key), or None."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and all(_same(item.get(k), v) for k, v in keys.items()):
            return item
    return None


def owned_differences(fields, live, mine, path=""):
    """``[(path, live value, our value)]`` of the leaves of ``fields`` (a FieldsV1 tree) that our
    manifest ``mine`` sets to something else than the live object ``live`` has.

    Fields our manifest does not set are not ours to take back and are left out, as are items of
    sets (``v:``) and positional items (``i:``).
    """
    found = []
    for key, sub in (fields or {}).items():
        if key == ".":
            continue
        if key.startswith("f:"):
            name = key[2:]
            live_value = live.get(name) if isinstance(live, dict) else None
            mine_value = mine.get(name) if isinstance(mine, dict) else None
            label = "%s.%s" % (path, name) if path else name
        elif key.startswith("k:"):
            try:
                keys = json.loads(key[2:])
            except ValueError:
                continue
            live_value, mine_value = _item(live, keys), _item(mine, keys)
            label = "%s[%s]" % (path, "/".join(str(v) for v in keys.values()))
        else:
            continue
        if mine_value is None:
            continue
        children = {k: v for k, v in (sub or {}).items() if k != "."}
        if children and isinstance(mine_value, (dict, list)):
            found += owned_differences(children, live_value, mine_value, label)
        elif not _same(live_value, mine_value):
            found.append((label, live_value, mine_value))
    return found


def _key(obj):
    return "%s/%s" % (obj.get("kind"), _get(obj, "metadata", "name"))


def taken_back(live, mine, ours):
    """``[{manager, object, field}]``: the fields of ``mine`` (our manifest of one object) that a
    manager not in ``ours`` owns in ``live`` with another value, which a forced apply takes back.

    The HPA's replicas (kube-controller-manager, or our hand-over manager) are not reported: an
    HPA that is being turned off gives the field back to the inventory's count by design. Status
    is never ours. A Secret is never passed here (its values must not be compared or shown).
    """
    found = []
    for entry in _get(live, "metadata", "managedFields", default=[]):
        manager = entry.get("manager", "")
        if manager in ours or entry.get("subresource") == "status":
            continue
        for path, _live_value, _mine_value in owned_differences(entry.get("fieldsV1") or {}, live, mine):
            if path == "spec.replicas" and live.get("kind") == "Deployment" and manager == CONTROLLER_MANAGER:
                continue
            if path.startswith("status"):
                continue
            found.append({"manager": manager, "object": _key(mine), "field": path})
    return found


def owns(live, manager, path):
    """Whether ``manager`` owns the field ``path`` (a tuple of field names) of ``live`` through an apply."""
    for entry in _get(live, "metadata", "managedFields", default=[]):
        if entry.get("manager") != manager or entry.get("operation") != "Apply":
            continue
        node = entry.get("fieldsV1") or {}
        for name in path:
            node = node.get("f:" + name) if isinstance(node, dict) else None
        if node is not None:
            return True
    return False


def replicas_to_hand_over(live, mine, manager):
    """The live replica count of a Deployment whose manifest stops setting ``spec.replicas`` while
    ``manager`` (ours) still owns it, or None: applying without it would reset it to 1."""
    if mine.get("kind") != "Deployment" or "replicas" in (mine.get("spec") or {}):
        return None
    if not owns(live, manager, ("spec", "replicas")):
        return None
    return _get(live, "spec", "replicas")


def field_owners(client, params, live):
    """Hand over the replicas an HPA takes over, and say which fields the apply will take back from
    which manager. ``live`` maps ``(kind, name)`` to the live object (as a dict) and ``kind`` to its
    API resource, as the release module read them."""
    ours = (params["field_manager"], params["handover_manager"])
    found, handed_over = [], []
    for obj in params["objects"]:
        current = live.get((obj.get("kind"), _get(obj, "metadata", "name")))
        if obj.get("kind") == "Secret" or current is None:
            continue
        found += taken_back(current, obj, ours)
        replicas = replicas_to_hand_over(current, obj, params["field_manager"])
        if replicas is not None:
            body = {"apiVersion": obj["apiVersion"], "kind": obj["kind"],
                    "metadata": {"name": _get(obj, "metadata", "name"), "namespace": params["namespace"]},
                    "spec": {"replicas": replicas}}
            extra = {"dry_run": "All"} if client.dry_run else {}
            client.client.server_side_apply(live[obj["kind"]], body=body, namespace=params["namespace"],
                                            field_manager=params["handover_manager"], **extra)
            handed_over.append("%s spec.replicas=%s" % (_key(obj), replicas))
    lines = ["%s from %s: %s %s" % ("Would take back" if client.dry_run else "Took back", f["manager"], f["object"], f["field"])
             for f in found]
    return {"changed": bool(handed_over), "taken_back": found, "lines": lines, "handed_over": handed_over}
