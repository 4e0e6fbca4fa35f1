# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The revision history of a release, kept in its namespace as Secrets (like Helm's release records).

Revision N of release I is the Secret ``split-brain.I.vN`` of type ``split-brain.io/release.v1``:
labels say whose it is, its number and its status; annotations say when, who, with which
collection version and why; ``data.release`` holds the applied objects as gzip-compressed JSON
(Secret values included, so the record is protected as the Secrets themselves are).

A run that changes the release writes revision N+1 as ``pending`` before it applies, and marks it
``deployed`` (the one before it ``superseded``) once the rollout finished, or ``failed``. A run
killed in between leaves it ``pending``; the next run marks it ``interrupted`` and says so. A
run whose objects equal the deployed revision's writes nothing (a no-op run stays changed=0).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import gzip
import json

from ansible_collections.split_brain.deploy.plugins.module_utils.version import COLLECTION_VERSION

SECRET_TYPE = "split-brain.io/release.v1"
OWNER_LABEL = "split-brain.io/owner"
OWNER = "split_brain.deploy"
PREFIX = "split-brain.io/"
COMPONENT_LABEL = "app.kubernetes.io/component"
DATA_KEY = "release"
PENDING, DEPLOYED, SUPERSEDED, FAILED, INTERRUPTED = "pending", "deployed", "superseded", "failed", "interrupted"

# split_brain.deploy.history: its options besides kubernetes.core's connection options.
HISTORY_FAILURE = "The revision history of {instance} in {namespace} failed: {error}"
HISTORY_ARGUMENT_SPEC = dict(
    namespace=dict(type="str", required=True),
    instance=dict(type="str", required=True),
    step=dict(type="str", default="list", choices=["list", "get", "begin", "finish", "absent"]),
    revision=dict(type="int", default=0),
    objects=dict(type="list", elements="dict", default=[]),
    components=dict(type="list", elements="str", default=[]),
    status=dict(type="str", default=DEPLOYED, choices=[DEPLOYED, FAILED]),
    by=dict(type="str", default=""),
    description=dict(type="str", default=""),
    limit=dict(type="int", default=10),
)


def now_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def secret_name(instance, revision):
    return "split-brain.%s.v%d" % (instance, revision)


def selector(instance):
    return "%s=%s,%sinstance=%s" % (OWNER_LABEL, OWNER, PREFIX, instance)


def encode_objects(objects):
    """The objects as the base64 of gzip-compressed JSON (a Secret's ``data`` value)."""
    raw = json.dumps(objects, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, mtime=0)).decode("ascii")


def decode_objects(text):
    return json.loads(gzip.decompress(base64.b64decode(text)).decode("utf-8"))


def same_objects(left, right):
    """Whether two lists of objects are the same, whatever their order."""
    def canonical(objects):
        return sorted(json.dumps(o, sort_keys=True) for o in objects)
    return canonical(left) == canonical(right)


def merged_objects(previous, objects, components):
    """What the release is after a run that rendered ``components`` only (``--tags``): the
    previous revision's objects of the other components, and this run's."""
    if not previous:
        return list(objects)
    rendered = set(components)
    kept = [o for o in previous if ((o.get("metadata") or {}).get("labels") or {}).get(COMPONENT_LABEL) not in rendered]
    return kept + list(objects)


def record_secret(namespace, instance, revision, status, objects, by, description, updated=None):
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": SECRET_TYPE,
        "metadata": {
            "name": secret_name(instance, revision),
            "namespace": namespace,
            "labels": {
                OWNER_LABEL: OWNER,
                PREFIX + "instance": instance,
                PREFIX + "revision": str(revision),
                PREFIX + "status": status,
            },
            "annotations": {
                PREFIX + "updated": updated or now_text(),
                PREFIX + "by": by,
                PREFIX + "version": COLLECTION_VERSION,
                PREFIX + "description": description,
            },
        },
        "data": {DATA_KEY: encode_objects(objects)},
    }


def record_meta(secret):
    """Number, status, time, author, version and description of a record (a Secret as a dict)."""
    metadata = secret.get("metadata") or {}
    labels = metadata.get("labels") or {}
    annotations = metadata.get("annotations") or {}
    return {
        "name": metadata.get("name"),
        "revision": int(labels.get(PREFIX + "revision", 0)),
        "status": labels.get(PREFIX + "status", "unknown"),
        "updated": annotations.get(PREFIX + "updated", ""),
        "by": annotations.get(PREFIX + "by", ""),
        "version": annotations.get(PREFIX + "version", ""),
        "description": annotations.get(PREFIX + "description", ""),
    }


def current(records):
    """The newest ``deployed`` record's meta, or None."""
    deployed = [r for r in records if r["status"] == DEPLOYED]
    return max(deployed, key=lambda r: r["revision"]) if deployed else None


def rollback_target(records, revision=0):
    """The record to roll back to: ``revision`` when given, else the newest record older than
    the deployed one that was itself deployed once (``superseded``). Raises ValueError with
    what is wrong."""
    numbers = sorted(r["revision"] for r in records)
    if revision:
        for record in records:
            if record["revision"] == revision:
                if record["status"] in (PENDING, INTERRUPTED):
                    raise ValueError("split_brain_revision: revision %d never finished (%s); roll back to one "
                                     "that was deployed" % (revision, record["status"]))
                return record
        raise ValueError("split_brain_revision: there is no revision %d (revisions: %s)"
                         % (revision, ", ".join(map(str, numbers)) or "none"))
    now = current(records)
    older = [r for r in records if r["status"] == SUPERSEDED and (now is None or r["revision"] < now["revision"])]
    if not older:
        raise ValueError("there is no earlier deployed revision to roll back to (revisions: %s)"
                         % (", ".join("%d %s" % (r["revision"], r["status"]) for r in sorted(records, key=lambda r: r["revision"])) or "none"))
    return max(older, key=lambda r: r["revision"])


def beyond_limit(records, limit, keep):
    """Records to delete so that at most ``limit`` remain (oldest first; never ``keep``)."""
    if limit <= 0 or len(records) <= limit:
        return []
    ordered = sorted((r for r in records if r["revision"] != keep), key=lambda r: r["revision"])
    return ordered[:len(records) - limit]


def unfinished_message(unfinished):
    """What a run says of the revisions it found pending (their runs did not finish)."""
    revisions = ", ".join(str(record["revision"]) for record in unfinished)
    by = ", ".join(dict.fromkeys(record["by"] for record in unfinished))  # each once, in order
    return ("Revision %s by %s did not finish (now marked interrupted); this run converges the release."
            % (revisions, by))


def _resource(client):
    return client.resource("Secret", "v1")


def list_secrets(client, namespace, instance):
    try:
        listing = client.get(_resource(client), namespace=namespace, label_selector=selector(instance))
    except Exception as exc:
        if getattr(exc, "status", None) == 404:
            return []
        raise
    return [d for d in (item.to_dict() for item in listing.items) if d.get("type") == SECRET_TYPE]


def set_status(client, namespace, instance, revision, status):
    patch = {"metadata": {"labels": {PREFIX + "status": status}, "annotations": {PREFIX + "updated": now_text()}}}
    client.patch(_resource(client), patch, name=secret_name(instance, revision), namespace=namespace,
                 content_type="application/merge-patch+json")


def history_work(client, params):
    """The result of split_brain.deploy.history for ``params['step']``."""
    namespace, instance = params["namespace"], params["instance"]
    secrets = list_secrets(client, namespace, instance)
    records = sorted((record_meta(s) for s in secrets), key=lambda r: r["revision"])
    by_number = dict((record_meta(s)["revision"], s) for s in secrets)
    step = params["step"]

    if step == "list":
        return {"changed": False, "revisions": records, "current": current(records)}

    if step == "get":
        try:
            target = rollback_target(records, params["revision"])
        except ValueError as exc:
            return {"failed": True, "msg": "Cannot roll back release %s: %s." % (instance, exc), "revisions": records}
        objects = decode_objects(by_number[target["revision"]]["data"][DATA_KEY])
        return {"changed": False, "revision": target, "objects": objects, "current": current(records)}

    if step == "absent":
        for record in records:
            client.delete(_resource(client), name=record["name"], namespace=namespace)
        return {"changed": bool(records), "removed": ["Secret/%s" % r["name"] for r in records]}

    if step == "begin":
        unfinished = [r for r in records if r["status"] == PENDING]
        for record in unfinished:
            set_status(client, namespace, instance, record["revision"], INTERRUPTED)
        deployed = current(records)
        previous_objects = decode_objects(by_number[deployed["revision"]]["data"][DATA_KEY]) if deployed else []
        objects = merged_objects(previous_objects, params["objects"], params["components"])
        result = {"unfinished": unfinished, "previous": deployed, "changed": bool(unfinished)}
        if unfinished:
            result["warnings"] = [unfinished_message(unfinished)]
        if deployed and same_objects(previous_objects, objects):
            result.update(revision=0, msg="Nothing differs from revision %d: no revision recorded." % deployed["revision"])
            return result
        number = (records[-1]["revision"] if records else 0) + 1
        description = params["description"] or ("install" if not records else "upgrade")
        client.create(_resource(client), record_secret(namespace, instance, number, PENDING, objects, params["by"], description))
        result.update(changed=True, revision=number, msg="Revision %d recorded as pending." % number)
        return result

    # finish
    number = params["revision"]
    set_status(client, namespace, instance, number, params["status"])
    if params["status"] == DEPLOYED:
        for record in records:
            if record["status"] == DEPLOYED and record["revision"] != number:
                set_status(client, namespace, instance, record["revision"], SUPERSEDED)
    dropped = beyond_limit(records, params["limit"], number)
    for record in dropped:
        client.delete(_resource(client), name=record["name"], namespace=namespace)
    return {
        "changed": True, "revision": number, "dropped": [r["revision"] for r in dropped],
        "msg": "Revision %d %s." % (number, params["status"]),
    }
