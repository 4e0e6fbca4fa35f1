# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What the API server would refuse, refused first and named by the variable.

- a ConfigMap or a Secret holds at most 1 MiB of data (its keys and values, in UTF-8): estimated
  from the values that go into each object;
- a ConfigMap key is at most 253 characters of ``[-._a-zA-Z0-9]``;
- a list that becomes a list-map (keyed by name) holds each name once: the image pull secrets;
- no two objects of one kind in the release share a name: the NetworkPolicies the namespace role
  names after variables, the ServiceAccount of the deploying identity (whose name the access
  entry point checks as a DNS-1123 label, which keeps the names built from it within bounds).

Label values (at most 63 characters) are the formats' (``label_value``, ``labels``) and a URL's
host labels (``url``); the names of objects are the formats' too (``dns1123_subdomain``).
"""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.formats import as_str

# The API server's limit on the data of a ConfigMap or a Secret.
DATA_LIMIT = 1024 * 1024
CONFIGMAP_KEY_MAX = 253

# Each component's ConfigMap: its name, and the variables whose values it holds besides its
# *_config_extra (an estimate: the fixed keys are short).
CONFIGMAPS = {
    "router": ("router-config", ("router_classifier_threshold", "router_anthropic_model", "router_scalarlm_base_url",
                                 "router_scalarlm_model", "split_brain_data_mount_path")),
    "classifier": ("classifier-config", ("classifier_model_kind", "classifier_head_path", "classifier_head_version",
                                         "classifier_keywords_path", "split_brain_data_mount_path")),
    "ui": ("ui-config", ("ui_cloudflare_access_team_domain", "ui_cloudflare_access_audience", "ui_google_client_id",
                         "ui_google_redirect_url", "ui_google_allowed_domains", "ui_google_allowed_emails",
                         "split_brain_data_mount_path")),
}
# Room for the keys and the values the templates add (URLs, numbers, booleans).
CONFIGMAP_FIXED_BYTES = 1024
# Each Secret the release writes: its name and {key: variable}.
SECRETS = {
    "anthropic-api-key": {"ANTHROPIC_API_KEY": "router_anthropic_api_key"},
    "scalarlm-credentials": {"SCALARLM_API_KEY": "router_scalarlm_api_key"},
    "cloudflared-credentials": {"TUNNEL_TOKEN": "cloudflared_tunnel_token"},
    "google-oauth": {"clientSecret": "ui_google_client_secret", "sessionSecret": "ui_google_session_secret"},
}
# The NetworkPolicies of the release: those the namespace role names after variables, and those of
# the components (named after them).
POLICY_VARIABLES = ("namespace_default_deny_name", "namespace_allow_dns_name")
COMPONENT_POLICIES = ("router", "classifier", "ui", "cloudflared")
ACCESS_ACCOUNT = "split_brain_access_service_account"
COMPONENT_ACCOUNTS = ("router-sa", "classifier-sa", "ui-sa", "cloudflared-sa")


def _size(value):
    """Bytes of ``value`` as a ConfigMap/Secret value (lists joined by commas)."""
    if isinstance(value, (list, tuple)):
        return sum(_size(item) for item in value) + max(len(value) - 1, 0)
    if value is None:
        return 0
    return len(str(value).encode("utf-8", "surrogatepass"))


def _mib(size):
    return "%d bytes" % size


def data_size_problems(values):
    """ConfigMaps and Secrets within the 1 MiB the API server takes."""
    problems = []
    for component, (configmap, variables) in CONFIGMAPS.items():
        name = component + "_config_extra"
        extra = values.get(name)
        extra = extra if isinstance(extra, dict) else {}
        sizes = {variable: _size(values.get(variable)) for variable in variables}
        sizes[name] = sum(_size(key) + _size(value) for key, value in extra.items())
        size = CONFIGMAP_FIXED_BYTES + sum(sizes.values())
        if size > DATA_LIMIT:
            biggest = max(sorted(sizes), key=sizes.get)
            problems.append("%s: the ConfigMap %s would hold about %s, above the 1 MiB (1048576 bytes) the API server"
                            " takes; put large data on the shared volume instead" % (biggest, configmap, _mib(size)))
    for secret, keys in SECRETS.items():
        size = sum(_size(key) + _size(values.get(variable)) for key, variable in keys.items())
        if size > DATA_LIMIT:
            biggest = max(keys.values(), key=lambda variable: _size(values.get(variable)))
            problems.append("%s: the Secret %s would hold %s, above the 1 MiB (1048576 bytes) the API server takes"
                            % (biggest, secret, _mib(size)))
    return problems


def configmap_key_problems(values):
    """The keys of a *_config_extra are ConfigMap keys: at most 253 characters of [-._a-zA-Z0-9]."""
    problems = []
    for component in CONFIGMAPS:
        name = component + "_config_extra"
        extra = values.get(name)
        for key in extra if isinstance(extra, dict) else ():
            text = str(key)
            # Its characters are the format's (environment: an environment variable name, a subset).
            if len(text) > CONFIGMAP_KEY_MAX:
                problems.append("%s: the key %s... is %d characters; a ConfigMap key is at most %d"
                                % (name, text[:40], len(text), CONFIGMAP_KEY_MAX))
    return problems


def duplicate_problems(values):
    """A list that becomes a list-map (imagePullSecrets, keyed by name) names each entry once;
    server-side apply refuses a duplicate key."""
    problems = []
    for name in ("split_brain_image_pull_secrets",):
        items = values.get(name)
        if not isinstance(items, list):
            continue
        seen = set()
        for index, item in enumerate(items):
            if isinstance(item, str) and item in seen:
                problems.append("%s[%d]: %s is listed twice; list each pull secret once" % (name, index, item))
            seen.add(item)
    return problems


def name_collision_problems(values):
    """No two NetworkPolicies (or ServiceAccounts) of the release share a name."""
    problems = []
    taken = {policy: "the %s component's NetworkPolicy" % policy for policy in COMPONENT_POLICIES}
    for name in POLICY_VARIABLES:
        policy = as_str(values.get(name))
        if not policy:
            continue
        if policy in taken:
            problems.append("%s: %s is also the name of %s; give each NetworkPolicy of the release its own name"
                            % (name, policy, taken[policy]))
        else:
            taken[policy] = name
    account = as_str(values.get(ACCESS_ACCOUNT))
    if account in COMPONENT_ACCOUNTS:
        problems.append("%s: %s is the ServiceAccount of the %s pods; give the deploying identity its own name"
                        % (ACCESS_ACCOUNT, account, account[:-3]))
    return problems


RULES = (data_size_problems, configmap_key_problems, duplicate_problems, name_collision_problems)
