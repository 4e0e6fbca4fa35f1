# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The components' environment, as each role declares it in ``meta/environment.yml``, and the rule
it guards: a key of a ``<component>_config_extra`` map that is one of the component's own.

``config`` names the ConfigMap's keys (the pods' envFrom) and the variable each comes from;
``secrets`` the variables the Deployment reads from a Secret. A key of ``router_config_extra``
named like a setting would replace it silently (the map is added last), and one named like a
secret would put that secret into a ConfigMap: both are refused, saying which variable to set.
"""

from __future__ import annotations

import functools

from ansible_collections.split_brain.deploy.plugins.plugin_utils import role_files
from ansible_collections.split_brain.deploy.plugins.plugin_utils.role_files import COLLECTION_ROOT
SUFFIX = "_config_extra"


@functools.lru_cache(maxsize=4)
def load(root=COLLECTION_ROOT):
    """``{component: {ENV_NAME: (kind, variable)}}``, kind ``setting`` (ConfigMap) or ``secret``."""
    table = {}
    for role, declared in role_files.declared("meta/environment.yml", "environment", root).items():
        entries = {name: ("setting", variable) for name, variable in (declared.get("config") or {}).items()}
        entries.update((name, ("secret", variable)) for name, variable in (declared.get("secrets") or {}).items())
        table[role] = entries
    return table


def config_extra_problems(values, options, root=COLLECTION_ROOT):
    """One line per key of a ``*_config_extra`` map in ``values`` that is one of its component's
    settings or secrets; ``options`` are the variables an inventory may set."""
    table = load(root)
    lines = []
    for name in sorted(values):
        mapping = values[name]
        if not name.endswith(SUFFIX) or not isinstance(mapping, dict):
            continue
        component = name[:-len(SUFFIX)]
        for key in mapping:
            kind, variable = table.get(component, {}).get(str(key), (None, None))
            if kind == "secret":
                lines.append("%s.%s: is the %s's secret; set %s (vault) instead" % (name, key, component, variable))
            elif kind == "setting" and variable in options:
                lines.append("%s.%s: is the %s's setting %s; set %s instead" % (name, key, component, variable, variable))
            elif kind == "setting":
                lines.append("%s.%s: is set by the collection (from %s); it cannot be overridden here"
                             % (name, key, variable))
    return lines
