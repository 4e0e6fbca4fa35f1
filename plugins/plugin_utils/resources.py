# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The requests and limits of a component's container: what an operator gives merged into the
role's defaults.

A ``*_resources`` variable need not repeat every quantity: ``{limits: {memory: 2Gi}}`` changes the
memory limit and keeps every other request and limit of the role's default (its argument spec's).
A quantity (or a whole ``requests``/``limits``) given as null is as if not given (Ansible's argument
spec validator fills in every suboption not given as null): it keeps the default. The render
(``container_resources``) and the validation (a request not above its limit) read the same merge.
"""

from __future__ import annotations

import functools

from ansible_collections.split_brain.deploy.plugins.plugin_utils import role_files
from ansible_collections.split_brain.deploy.plugins.plugin_utils.role_files import COLLECTION_ROOT

SECTIONS = ("requests", "limits")


@functools.lru_cache(maxsize=None)
def _spec_default(root, component):
    specs = role_files.read(role_files.role_path(component, "meta", "argument_specs.yml", root=root)).get("argument_specs") or {}
    for entry_point in specs.values():
        option = ((entry_point or {}).get("options") or {}).get(component + "_resources")
        if option:
            return option.get("default") or {}
    return {}


def default_resources(component, root=COLLECTION_ROOT):
    """The default ``<component>_resources`` of the component's role (a copy)."""
    return {section: dict(quantities) for section, quantities in _spec_default(root, str(component)).items()
            if isinstance(quantities, dict)}


def merge_resources(resources, defaults):
    """``defaults`` with ``resources`` merged in, section by section and quantity by quantity; a
    null section or quantity of ``resources`` keeps the default, and an empty section is left out."""
    merged = {section: dict(quantities) for section, quantities in (defaults or {}).items()
              if isinstance(quantities, dict)}
    for section, quantities in (resources or {}).items():
        if quantities is None:
            continue
        if not isinstance(quantities, dict):
            merged[section] = quantities  # a type error, reported by the validation
            continue
        target = merged.setdefault(section, {})
        for key, value in quantities.items():
            if value is not None:
                target[key] = value
    return {section: quantities for section, quantities in merged.items() if quantities != {}}
