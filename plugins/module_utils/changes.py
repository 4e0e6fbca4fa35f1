# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Readable diffs of the objects a release changed, Secret values never shown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

try:
    import yaml
except ImportError:  # kubernetes.core needs PyYAML anyway; without it the diffs are JSON
    yaml = None

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.service import diff_objects

# Set by the server on every write: noise in a diff.
SERVER_FIELDS = ("managedFields", "resourceVersion", "generation", "uid", "creationTimestamp")


def clean(obj):
    """``obj`` without its status and the fields the server sets on every write."""
    if not isinstance(obj, dict):
        return obj or {}
    out = dict((k, v) for k, v in obj.items() if k != "status")
    if isinstance(out.get("metadata"), dict):
        out["metadata"] = dict((k, v) for k, v in out["metadata"].items() if k not in SERVER_FIELDS)
        if not out["metadata"]:
            del out["metadata"]
    return out


def hide_secret_values(before, after):
    """Secret values are never shown: each becomes ``<hidden>``, or ``<hidden, changed>`` in
    ``after`` when it differs from ``before``."""
    before, after = dict(before), dict(after)
    for field in ("data", "stringData"):
        old, new = before.get(field), after.get(field)
        if isinstance(old, dict):
            before[field] = dict((key, "<hidden>") for key in old)
        if isinstance(new, dict):
            old = old if isinstance(old, dict) else {}
            after[field] = dict(
                (key, "<hidden>" if key in old and old[key] == value else "<hidden, changed>")
                for key, value in new.items()
            )
    return before, after


def text(obj):
    if not obj:
        return ""
    if yaml is None:
        return json.dumps(obj, indent=2, sort_keys=True) + "\n"
    return yaml.safe_dump(obj, default_flow_style=False, sort_keys=True)


def object_diff(key, live, applied):
    """The diff Ansible prints for one object (``before_header``, ``after_header``, ``before``,
    ``after``: the fields that differ, as YAML), or None when only server-set fields moved."""
    _same, diff = diff_objects(clean(live or {}), clean(applied or {}))
    before, after = clean(diff.get("before")), clean(diff.get("after"))
    if not before and not after:
        return None
    if (applied or live or {}).get("kind") == "Secret":
        before, after = hide_secret_values(before, after)
    return {"before_header": key, "after_header": key, "before": text(before), "after": text(after)}
