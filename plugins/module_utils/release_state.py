# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What a run must know about its release before it renders: whether the namespace exists, and the
release's checksum key (the HMAC key of the secret-checksum annotation), read from its Secret or,
before the release's first apply, drawn at random for the apply to store."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import secrets
import string

from ansible_collections.split_brain.deploy.plugins.module_utils.ownership import namespace_object

RELEASE_STATE_FAILURE = "Reading the state of the release in namespace {namespace} failed: {error}"
RELEASE_STATE_ARGUMENT_SPEC = dict(
    namespace=dict(type="str", required=True),
    checksum_key=dict(type="str", default="", no_log=False),
)
KEY_LENGTH = 64
KEY_CHARS = string.ascii_letters + string.digits


def draw_key():
    """A new random key: 64 letters and digits (about 381 bits)."""
    return "".join(secrets.choice(KEY_CHARS) for _index in range(KEY_LENGTH))


def _secret(client, name, namespace):
    """The Secret as a dict, or None when it does not exist."""
    from kubernetes.dynamic.exceptions import NotFoundError

    try:
        return client.get(client.resource("Secret", "v1"), name=name, namespace=namespace).to_dict()
    except NotFoundError:
        return None


def release_state(client, params):
    """``namespace_exists``; with ``checksum_key`` (the Secret's name) also ``key`` and ``new``."""
    namespace = params["namespace"]
    result = dict(changed=False, key="", new=False)
    stored = None
    if params["checksum_key"]:
        secret = _secret(client, params["checksum_key"], namespace)
        stored = base64.b64decode(((secret or {}).get("data") or {}).get("key") or "").decode("utf-8")
        result.update(key=stored or draw_key(), new=not stored)
    # A Secret read means the namespace exists; otherwise ask for it.
    result["namespace_exists"] = bool(stored) or namespace_object(client, namespace) is not None
    return result
