# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.render: write objects to a folder, one YAML file each."""

from __future__ import annotations

import os

import yaml

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import apply_order, redact


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order and indents lists under their key."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def file_name(index, obj):
    return "%02d-%s-%s.yaml" % (index, obj["kind"].lower(), obj["metadata"]["name"])


def to_yaml(obj):
    # The objects come from templates: turn Ansible's tagged values into plain Python first.
    return yaml.dump(_plain(obj), Dumper=_Dumper, sort_keys=False, default_flow_style=False)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


class ActionModule(ActionBase):
    """Write ``objects`` to ``dest`` in apply order; remove files of objects no longer rendered."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("objects", "dest", "reveal_secrets"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        dest = args.get("dest")
        if not dest:
            raise AnsibleActionFail("dest: the folder to write the objects to is required")
        objects = apply_order(args.get("objects") or [])
        reveal = bool(args.get("reveal_secrets", False))

        wanted = {file_name(i, obj): to_yaml(redact(obj, reveal)) for i, obj in enumerate(objects)}
        written, removed = [], []
        existing = set(os.listdir(dest)) if os.path.isdir(dest) else set()
        for name, text in wanted.items():
            path = os.path.join(dest, name)
            if name in existing:
                with open(path, encoding="utf-8") as handle:
                    if handle.read() == text:
                        continue
            written.append(name)
            if not self._task.check_mode:
                os.makedirs(dest, exist_ok=True)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
        for name in sorted(existing - set(wanted)):
            if name.endswith(".yaml"):
                removed.append(name)
                if not self._task.check_mode:
                    os.remove(os.path.join(dest, name))
        result.update(changed=bool(written or removed), dest=dest, files=sorted(wanted), written=written, removed=removed)
        return result
