# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters the object templates and the roles use to turn inventory values into Kubernetes fields.

Each filter is documented in its own file beside this one (``<name>.yml``: ``ansible-doc -t filter
split_brain.deploy.<name>``); the functions are in plugins/plugin_utils/manifest.py. Helpers that
only the plugins use (``redact``, ``parse_url``, ...) are not filters.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.split_brain.deploy.plugins.plugin_utils import manifest

# The public filters: each has plugins/filter/<name>.yml (tests/unit/test_filters_doc.py).
FILTERS = (
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
    "scrub",
    "secret_checksum",
    "secret_refs",
    "to_json",
    "url_egress",
)


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
        return {name: _wrap(getattr(manifest, name)) for name in FILTERS}
