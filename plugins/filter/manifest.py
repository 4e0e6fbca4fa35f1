# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters the object templates and the roles use to turn inventory values into Kubernetes fields.

Each filter is documented in its own file beside this one (``<name>.yml``: ``ansible-doc -t filter
split_brain.deploy.<name>``); the functions are in plugins/plugin_utils/manifest.py, and those
that build what the four components' objects share (selectors, security contexts, probes, volumes,
placement, checksum annotations, network policy rules) in plugins/plugin_utils/workload.py.
Helpers that only the plugins use (``redact``, ``parse_url``, ...) are not filters.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.split_brain.deploy.plugins.module_utils import objects
from ansible_collections.split_brain.deploy.plugins.plugin_utils import manifest, workload

# The public filters: each has plugins/filter/<name>.yml (tests/unit/test_filters_doc.py).
FILTERS = (
    "api_error",
    "api_failure",
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
# The public filters of plugins/plugin_utils/workload.py, documented alike.
WORKLOAD_FILTERS = (
    "checksum_annotations",
    "container_resources",
    "container_security_context",
    "extra_annotations",
    "http_probe",
    "network_policy_spec",
    "pod_labels",
    "pod_placement",
    "pod_security_context",
    "pod_volumes",
    "secret_env",
    "selector",
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
        filters = {name: _wrap(getattr(manifest, name)) for name in FILTERS}
        filters.update((name, _wrap(getattr(workload, name))) for name in WORKLOAD_FILTERS)
        # The order split_brain.deploy.release applies in (module_utils/objects.py).
        filters["apply_order"] = _wrap(objects.apply_order)
        return filters
