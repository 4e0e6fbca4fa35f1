# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The collection's own files: where it is installed, and the data its roles declare.

Every reader of a role's declarations (argument specs, constraints, environment, vars, defaults)
finds and parses the file here, with libyaml's safe loader where PyYAML has it (the specs of
seven roles in 7 ms instead of 80).
"""

from __future__ import annotations

import os

import yaml

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import YAML_LOADER

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def role_path(role, *parts, root=COLLECTION_ROOT):
    """The path of ``roles/<role>/<parts>`` of the collection at ``root``."""
    return os.path.join(root, "roles", role, *parts)


def roles(root=COLLECTION_ROOT):
    """The collection's roles, by name."""
    return sorted(os.listdir(os.path.join(root, "roles")))


def read(path):
    """The data of a YAML file of the collection; ``{}`` when it is missing or empty."""
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER) or {}


def declared(name, key, root=COLLECTION_ROOT):
    """``{role: data}``: ``key`` of ``roles/<role>/<name>`` for every role that has the file
    (``declared("meta/argument_specs.yml", "argument_specs")``)."""
    found = {}
    for role in roles(root):
        path = role_path(role, *name.split("/"), root=root)
        if os.path.isfile(path):
            found[role] = (read(path) if key is None else read(path).get(key)) or {}
    return found
