# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The secret checksums of a release: the pod-template annotation that rolls a component's pods when
a Secret they read changes, keyed with the release's checksum key (a Secret of the release that no
later run changes), so that a reader of a Deployment cannot test a guessed secret against it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import hmac
import json

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import MANAGED_BY
from ansible_collections.split_brain.deploy.plugins.module_utils.ownership import COMPONENT_LABEL

# The templates render the annotation as KEYED_AT_APPLY; the release puts in the HMAC-SHA256.
SECRET_CHECKSUM = "split-brain.io/secret-checksum"
KEYED_AT_APPLY = "<keyed at apply>"
CHECKSUM_KEY_COMPONENT = "checksum-key"


def secret_values(secret):
    """A Secret's values as text (``stringData``, or ``data`` decoded), in the Secret's key order."""
    if secret.get("stringData") is not None:
        return dict(secret["stringData"])
    return dict((key, base64.b64decode(value).decode("utf-8")) for key, value in (secret.get("data") or {}).items())


def component_of(obj):
    return ((obj.get("metadata") or {}).get("labels") or {}).get(COMPONENT_LABEL)


def keyed_checksums(objects, key):
    """``objects`` with every Deployment's secret-checksum placeholder replaced by the HMAC-SHA256,
    under ``key``, of the JSON list of the values of its component's Secrets (those of
    ``objects`` with its ``app.kubernetes.io/component`` label, in their order), the text the
    templates' ``checksum_annotations`` filter keys. Other objects are returned as they are."""
    out = []
    for obj in objects:
        annotations = ((((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("annotations")) or {}
        if obj.get("kind") != "Deployment" or annotations.get(SECRET_CHECKSUM) != KEYED_AT_APPLY:
            out.append(obj)
            continue
        component = component_of(obj)
        values = [secret_values(o) for o in objects if o.get("kind") == "Secret" and component_of(o) == component]
        digest = hmac.new(key.encode("utf-8"), json.dumps(values).encode("utf-8"), hashlib.sha256).hexdigest()
        obj = json.loads(json.dumps(obj))  # a copy: the caller's objects stay as rendered
        obj["spec"]["template"]["metadata"]["annotations"][SECRET_CHECKSUM] = digest
        out.append(obj)
    return out


def checksum_key_object(name, namespace, instance, key):
    labels = {"app.kubernetes.io/part-of": "split-brain", "app.kubernetes.io/instance": instance,
              "app.kubernetes.io/managed-by": MANAGED_BY, "app.kubernetes.io/name": CHECKSUM_KEY_COMPONENT,
              "app.kubernetes.io/component": CHECKSUM_KEY_COMPONENT}
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": name, "namespace": namespace, "labels": labels}, "stringData": {"key": key}}
