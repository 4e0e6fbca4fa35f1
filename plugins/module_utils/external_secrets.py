# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Secrets managed out of band (split_brain_secrets_create false): each Secret the pods read must
exist in the release namespace with the keys they read. Reads the Secrets, never returns a value."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def absent(secret):
    """The line of a Secret of ``required`` that does not exist."""
    return "Secret %s does not exist (keys %s)" % (secret["name"], ", ".join(sorted(set(secret["env"].values()))))


def missing_secret_keys(client, namespace, required):
    """One line per Secret of ``required`` (``[{"name", "env": {variable: key}}]``) that is absent
    from ``namespace`` or lacks keys."""
    resource = client.resource("Secret", "v1")
    lines = []
    for secret in required:
        try:
            found = client.get(resource, name=secret["name"], namespace=namespace).to_dict()
        except Exception as exc:
            if getattr(exc, "status", None) != 404:
                raise
            lines.append(absent(secret))
            continue
        have = set((found.get("data") or {})) | set((found.get("stringData") or {}))
        lacking = sorted(key for key in set(secret["env"].values()) if key not in have)
        if lacking:
            lines.append("Secret %s lacks key(s) %s" % (secret["name"], ", ".join(lacking)))
    return lines
