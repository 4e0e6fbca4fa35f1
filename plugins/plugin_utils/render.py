# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Rendering a release's objects on the controller, inside the release action: each component
role's ``templates/objects.yaml.j2`` (which includes one template per object) with the task's
templar, as Ansible's own template action renders a file, parsed as plain data by the
``manifests`` filter's code. The objects stay in the action: they never become an Ansible
variable, fact or task result.

A role's defaults are the lowest precedence of all variables, so they are layered under the
task's variables: a role used alone sees the same values as site.yml does.
"""

from __future__ import annotations

import os

from ansible.template import trust_as_template

from ansible_collections.split_brain.deploy.plugins.plugin_utils import role_files
from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import manifests, secret_refs
from ansible_collections.split_brain.deploy.plugins.plugin_utils.role_files import role_path
from ansible_collections.split_brain.deploy.plugins.plugin_utils.workload import extra_annotations

INTERNAL_ROLE = "split_brain"
# The roles whose objects a release renders, in apply order of their objects' kinds.
COMPONENT_ROLES = ("namespace", "storage", "router", "classifier", "ui", "cloudflared")


class RenderFailed(Exception):
    """A template of a role could not be rendered; ``str()`` names the role and the reason."""


def trusted(value):
    """A role file's data as Ansible loads it: its strings are templates."""
    if isinstance(value, dict):
        return {key: trusted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [trusted(item) for item in value]
    return trust_as_template(value) if isinstance(value, str) else value


def _role_file(role, folder):
    return trusted(role_files.read(role_path(role, folder, "main.yml")))


def variables_for(task_vars, roles):
    """What the roles' templates see: the defaults of the internal role and of ``roles`` under the
    task's variables, the internal role's vars over them (as Ansible's precedence has it)."""
    variables = {}
    for role in [INTERNAL_ROLE] + [r for r in roles if r != INTERNAL_ROLE]:
        variables.update(_role_file(role, "defaults"))
    variables.update(task_vars)
    variables.update(_role_file(INTERNAL_ROLE, "vars"))
    return variables


def render_role(templar, variables, role):
    """The objects of ``role``, in the order its objects.yaml.j2 includes them."""
    templates = role_path(role, "templates")
    try:
        with open(os.path.join(templates, "objects.yaml.j2"), encoding="utf-8") as handle:
            text = handle.read()
        role_templar = templar.copy_with_new_env(searchpath=[templates], available_variables=variables)
        return manifests(role_templar.template(trust_as_template(text), escape_backslashes=False))
    except Exception as exc:  # pylint: disable=broad-exception-caught
        reason = str(getattr(exc, "message", None) or exc).strip()
        raise RenderFailed("Rendering the objects of %s failed: %s" % (role, reason.splitlines()[0] if reason else type(exc).__name__))


def render(templar, task_vars, roles, annotations=None):
    """``(objects, required_secrets)`` of ``roles``: every object, the operator's annotations
    added, and the Secrets their Deployments read (``[{name, env}]``, never a value)."""
    variables = variables_for(task_vars, roles)
    objects = []
    for role in roles:
        objects.extend(render_role(templar, variables, role))
    objects = extra_annotations(objects, annotations or {})
    return objects, secret_refs([o for o in objects if o.get("kind") == "Deployment"])
