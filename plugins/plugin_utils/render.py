# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Rendering a release's objects on the controller, inside the release action: each component
role's ``templates/objects.yaml.j2`` (which includes one template per object) through Ansible's
own template lookup, parsed as plain data by the ``manifests`` filter's code. The objects stay in
the action: they never become an Ansible variable, fact or task result.

A role's defaults are the lowest precedence of all variables, so they are layered under the
task's variables: a role used alone sees the same values as site.yml does.
"""

from __future__ import annotations

import os

from ansible.plugins.loader import lookup_loader

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import manifests, secret_refs
from ansible_collections.split_brain.deploy.plugins.plugin_utils.workload import extra_annotations

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTERNAL_ROLE = "split_brain"


class RenderFailed(Exception):
    """A template of a role could not be rendered; ``str()`` names the role and the reason."""


def role_path(role, *parts):
    return os.path.join(COLLECTION_ROOT, "roles", role, *parts)


def role_defaults(loader, roles):
    """The defaults of the internal role and of ``roles``, merged in that order."""
    defaults = {}
    for role in [INTERNAL_ROLE] + [r for r in roles if r != INTERNAL_ROLE]:
        path = role_path(role, "defaults", "main.yml")
        if os.path.isfile(path):
            defaults.update(loader.load_from_file(path, trusted_as_template=True) or {})
    return defaults


def role_vars(loader):
    """The internal role's vars (the labels, the component list, the connection)."""
    path = role_path(INTERNAL_ROLE, "vars", "main.yml")
    return (loader.load_from_file(path, trusted_as_template=True) or {}) if os.path.isfile(path) else {}


def variables_for(loader, task_vars, roles):
    """What the roles' templates see: their defaults under the task's variables, the internal
    role's vars over them (as Ansible's precedence has it)."""
    variables = role_defaults(loader, roles)
    variables.update(task_vars)
    variables.update(role_vars(loader))
    return variables


def render_role(loader, templar, variables, role):
    """The objects of ``role``, in the order its objects.yaml.j2 includes them."""
    template = role_path(role, "templates", "objects.yaml.j2")
    lookup = lookup_loader.get("ansible.builtin.template", loader=loader, templar=templar)
    try:
        texts = lookup.run([template], variables=variables)
        return [obj for text in texts for obj in manifests(text)]
    except Exception as exc:  # pylint: disable=broad-exception-caught
        reason = getattr(exc, "message", None) or str(exc)
        raise RenderFailed("Rendering the objects of %s failed: %s" % (role, str(reason).splitlines()[0] if reason else type(exc).__name__))


def render(loader, templar, task_vars, roles, annotations=None):
    """``(objects, required_secrets)`` of ``roles``: every object, the operator's annotations
    added, and the Secrets their Deployments read (``[{name, env}]``, never a value)."""
    variables = variables_for(loader, task_vars, roles)
    objects = []
    for role in roles:
        objects.extend(render_role(loader, templar, variables, role))
    objects = extra_annotations(objects, annotations or {})
    return objects, secret_refs([o for o in objects if o.get("kind") == "Deployment"])
