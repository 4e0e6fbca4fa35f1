# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Readable diffs of the objects a kubernetes.core.k8s call changed."""

from __future__ import annotations

import yaml

from ansible_collections.split_brain.deploy.plugins.module_utils.rollout import deployment_state

# Set by the server on every write: noise in a diff.
_SERVER_FIELDS = ("managedFields", "resourceVersion", "generation", "uid", "creationTimestamp")


def _clean(obj):
    if not isinstance(obj, dict):
        return obj or {}
    out = {k: v for k, v in obj.items() if k != "status"}
    if isinstance(out.get("metadata"), dict):
        out["metadata"] = {k: v for k, v in out["metadata"].items() if k not in _SERVER_FIELDS}
        if not out["metadata"]:
            del out["metadata"]
    return out


def _hide_secret_values(before, after):
    """Secret values are never shown: each becomes ``<hidden>``, or ``<hidden, changed>`` in
    ``after`` when it differs from ``before``."""
    before, after = dict(before), dict(after)
    for field in ("data", "stringData"):
        old, new = before.get(field), after.get(field)
        if isinstance(old, dict):
            before[field] = {key: "<hidden>" for key in old}
        if isinstance(new, dict):
            old = old if isinstance(old, dict) else {}
            after[field] = {
                key: "<hidden>" if key in old and old[key] == value else "<hidden, changed>"
                for key, value in new.items()
            }
    return before, after


def _text(obj):
    return yaml.safe_dump(obj, default_flow_style=False, sort_keys=True) if obj else ""


def applied_results(applied):
    """The per-object results of a registered kubernetes.core.k8s call: ``result.results`` for
    several objects, the call itself for one object, nothing when the call was skipped."""
    result = applied.get("result") if isinstance(applied, dict) else None
    if not isinstance(result, dict):
        return []
    if isinstance(result.get("results"), list):
        return result["results"]
    return [applied]


def object_diffs(results):
    """One ``{before_header, after_header, before, after}`` per changed object of ``results``.

    ``results`` is ``result.results`` of a kubernetes.core.k8s call with a list of objects; each
    item has ``changed``, ``result`` (the object) and, in diff mode, ``diff`` (``before``/``after``
    of the fields that differ).
    """
    diffs = []
    for item in results:
        if not isinstance(item, dict) or not item.get("changed"):
            continue
        obj = item.get("result") or {}
        key = "%s/%s" % (obj.get("kind", "?"), (obj.get("metadata") or {}).get("name", "?"))
        diff = item.get("diff") or {}
        before, after = _clean(diff.get("before")), _clean(diff.get("after"))
        if not before and not after:
            continue  # only server-set fields moved
        if obj.get("kind") == "Secret":
            before, after = _hide_secret_values(before, after)
        diffs.append({"before_header": key, "after_header": key, "before": _text(before), "after": _text(after)})
    return diffs


def pending_rollouts(results):
    """Names of the Deployments in ``results`` whose rollout the apply response does not show
    complete (new generation not yet observed, or replicas not all updated and available).

    The server answers an apply with the whole object, status included, so a Deployment that the
    apply left unchanged and whose pods are all available needs no wait at all.
    """
    names = []
    for item in results:
        obj = item.get("result") if isinstance(item, dict) else None
        if isinstance(obj, dict) and obj.get("kind") == "Deployment" and not deployment_state(obj)["complete"]:
            names.append(obj["metadata"]["name"])
    return names
