# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The secret variables (``no_log`` in the argument specs): which are needed, and their masking."""

from __future__ import annotations

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.credentials import secret_in_plain_problems

EXAMPLE_PREFIX = "EXAMPLE-"


def secret_problems(values, secrets=(), deploying=False):
    """Missing secrets and settings that need them; shipped example secrets in production.

    ``secrets`` names the secret variables (no_log in the specs). With
    ``split_brain_secrets_create`` false no Secret is written, so the secret variables are not
    needed (the play checks the Secrets in the cluster instead).
    """
    problems = []
    create = values.get("split_brain_secrets_create", True) is True

    def empty(name):
        # A variable that is absent (e.g. could not be resolved, reported elsewhere) is not empty.
        return name in values and values[name] in ("", None)

    if create:
        for name in ("router_anthropic_api_key", "cloudflared_tunnel_token"):
            if empty(name):
                problems.append("%s: empty, but split_brain_secrets_create is true; put it in the inventory's vault" % name)
        url_empty, key_empty = empty("router_scalarlm_base_url"), empty("router_scalarlm_api_key")
        if key_empty and "router_scalarlm_base_url" in values and not url_empty:
            problems.append("router_scalarlm_api_key: empty, but router_scalarlm_base_url is set"
                            " (the Secret scalarlm-credentials needs it)")
        if url_empty and "router_scalarlm_api_key" in values and not key_empty:
            problems.append("router_scalarlm_api_key: set, but router_scalarlm_base_url is empty (ScalarLM is off);"
                            " set the URL or remove the key")
    if values.get("ui_google_signin_enabled") is True:
        needed = ["ui_google_client_id"] + (["ui_google_client_secret", "ui_google_session_secret"] if create else [])
        for name in needed:
            if empty(name):
                problems.append("%s: empty, but ui_google_signin_enabled is true" % name)
    problems += secret_in_plain_problems(values, secrets)
    if deploying and create and values.get("split_brain_production") is True:
        for name in sorted(secrets):
            value = values.get(name)
            if isinstance(value, str) and value.startswith(EXAMPLE_PREFIX):
                problems.append("%s: still the shipped example value; replace it in the production inventory's"
                                " vault before deploying" % name)
    return problems


def redact(lines, secret_values):
    """``lines`` with every secret value (4 characters or more) masked as Ansible masks ``no_log``
    values (``remove_values``): ``********`` where a line holds it, ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``
    for a line that is the value."""
    return remove_values(list(lines), _mask_values(secret_values))


def _mask_values(values):
    """The values worth masking: shorter ones (``""``, ``0``, ``ab``) would only shred the text."""
    return {str(value) for value in values if value is not None and len(str(value)) >= 4}
