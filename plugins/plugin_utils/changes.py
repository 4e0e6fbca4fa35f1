# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Readable diffs of the objects a kubernetes.core.k8s call changed."""

from __future__ import annotations

import yaml

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


def _text(obj):
    return yaml.safe_dump(obj, default_flow_style=False, sort_keys=True) if obj else ""


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
        diffs.append({"before_header": key, "after_header": key, "before": _text(before), "after": _text(after)})
    return diffs
