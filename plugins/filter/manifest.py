# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters the object templates use to turn inventory values into Kubernetes fields."""

from __future__ import annotations

DOCUMENTATION = r"""
name: manifest
short_description: Filters that turn inventory values into Kubernetes fields
description:
  - C(api_error), C(api_failure), C(apply_order), C(config_data), C(image_ref), C(int_or_string), C(labels), C(manifests), C(redact), C(name_refs),
    C(public_egress), C(secret_checksum), C(to_json) and C(url_egress); see the plugin_utils module C(manifest) for each.
  - C(to_json) is what the object templates put every value through, so that it reaches the object as a typed
    value (JSON that YAML reads back exactly), never as YAML text.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.split_brain.deploy.plugins.plugin_utils import manifest


def _wrap(func):
    def filt(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValueError as exc:
            raise AnsibleFilterError(str(exc)) from exc

    filt.__doc__ = func.__doc__
    return filt


class FilterModule:
    """Kubernetes manifest filters."""

    def filters(self):
        return {
            name: _wrap(getattr(manifest, name))
            for name in (
                "api_error",
                "api_failure",
                "apply_order",
                "config_data",
                "image_ref",
                "int_or_string",
                "labels",
                "manifests",
                "missing_secret_keys",
                "name_refs",
                "object_keys",
                "public_egress",
                "redact",
                "scrub",
                "secret_checksum",
                "secret_refs",
                "to_json",
                "url_egress",
            )
        }
