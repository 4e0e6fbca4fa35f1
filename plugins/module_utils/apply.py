# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Preflight and apply: every object as a server-side dry run first (several at once), then the
objects whose dry run differs from the cluster, with server-side apply (kubernetes.core's
K8SClient), so that a converged release writes nothing and a refusal stops the run before the
first write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor
import json

from ansible_collections.kubernetes.core.plugins.module_utils.k8s.service import decode_response
from ansible_collections.split_brain.deploy.plugins.module_utils.changes import object_diff
from ansible_collections.split_brain.deploy.plugins.module_utils.fields import FIELD_MANAGER
from ansible_collections.split_brain.deploy.plugins.module_utils.objects import object_key

# Requests made at once (the preflight's dry runs, the lists of the namespace).
PARALLEL = 8
# Set by the API server on every write: not a difference between what is rendered and what runs.
SERVER_FIELDS = ("resourceVersion", "generation", "uid", "creationTimestamp", "selfLink")


class Refused(Exception):
    """The API server refused an object (the preflight's every refusal, or an apply)."""


def key_of(obj):
    return object_key(obj.get("kind", "?"), (obj.get("metadata") or {}).get("name", "?"))


def comparable(obj):
    """What of an object this release decides: everything but its status and the fields the API
    server sets on each write; the field managers without the time of their last write."""
    if not obj:
        return None
    out = dict((k, v) for k, v in obj.items() if k != "status")
    metadata = dict(out.get("metadata") or {})
    for field in SERVER_FIELDS:
        metadata.pop(field, None)
    managed = metadata.pop("managedFields", None) or []
    metadata["managedFields"] = sorted(
        json.dumps(dict((k, v) for k, v in entry.items() if k != "time"), sort_keys=True) for entry in managed
    )
    out["metadata"] = metadata
    return out


def refusal_reason(error):
    """The API server's own words for a refused request (its Status ``message``), else the error."""
    text = str(error)
    for candidate in (getattr(getattr(error, "__cause__", None), "body", None), text[text.find("{"):]):
        try:
            status = json.loads(candidate) if isinstance(candidate, (str, bytes)) else None
        except ValueError:
            continue
        if isinstance(status, dict) and status.get("message"):
            return status["message"]
    return text


def server_side_apply(client, resource, definition):
    """Apply ``definition`` server side as the collection's field manager, conflicts forced (a dry
    run when ``client`` is kubernetes.core's dry-run client); return ``(object, warnings)``."""
    namespace = (definition.get("metadata") or {}).get("namespace")
    response = client.apply(resource, definition, namespace, serialize=False, server_side=True,
                            field_manager=FIELD_MANAGER, force_conflicts=True)
    return decode_response(response)


def dry_run(dry_client, definition, namespace, live):
    """The plan of one object, or the line that says why the API server refused it. ``live`` holds
    the namespace's objects by ``(kind, name)`` and each kind's API resource by kind."""
    definition = dict(definition)
    metadata = dict(definition.get("metadata") or {})
    key = key_of(definition)
    try:
        resource = live.get(definition.get("kind")) or dry_client.resource(definition.get("kind"), definition.get("apiVersion"))
        if resource.namespaced:
            metadata.setdefault("namespace", namespace)
        definition["metadata"] = metadata
        current = live.get((definition.get("kind"), metadata.get("name")))
        after, _warnings = server_side_apply(dry_client, resource, definition)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return "%s: %s" % (key, refusal_reason(exc))
    changes = comparable(after) != comparable(current)
    return dict(key=key, resource=resource, definition=definition, live=current,
                after=after if changes else None, current=after)


def preflight(dry_client, objects, namespace, live):
    """Every object of ``objects`` as a server-side dry run; one plan per object, in order, with
    ``after`` None when nothing would change. Every refusal is raised together (Refused), before
    anything is written."""
    with ThreadPoolExecutor(PARALLEL) as pool:
        outcomes = list(pool.map(lambda obj: dry_run(dry_client, obj, namespace, live), objects))
    refused = [outcome for outcome in outcomes if isinstance(outcome, str)]
    if refused:
        raise Refused("The API server refused %d object%s in a dry run (preflight), so nothing was changed: %s"
                      % (len(refused), "" if len(refused) == 1 else "s", " | ".join(refused)))
    return outcomes


def apply_plans(client, plans, check):
    """Apply the plans whose dry run differs (none in check mode); return ``(applied, diffs,
    warnings)``: the keys applied, one diff per changed object (a Secret's keys, never its values)
    and the API server's warnings."""
    applied, diffs, warnings = [], [], []
    for plan in plans:
        if plan["after"] is None:
            continue
        if not check:
            try:
                plan["after"], said = server_side_apply(client, plan["resource"], plan["definition"])
            except Exception as exc:
                raise Refused("Applying %s failed: %s" % (plan["key"], refusal_reason(exc)))
            warnings.extend(said)
            if comparable(plan["after"]) == comparable(plan["live"]):
                plan["after"] = None
                continue
        applied.append(plan["key"])
        diff = object_diff(plan["key"], plan["live"], plan["after"])
        if diff:
            diffs.append(diff)
    return applied, diffs, warnings
