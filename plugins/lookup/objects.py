# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Lookup split_brain.deploy.objects: the Kubernetes objects a template renders."""

from __future__ import annotations

DOCUMENTATION = r"""
name: objects
author: split-brain deploy team (@split-brain)
version_added: 1.1.0
short_description: The Kubernetes objects a template of the collection renders
description:
  - Renders each template named in O(_terms) with the task's variables and returns the objects
    of the YAML documents it renders, empty documents left out, which is what the
    P(ansible.builtin.template#lookup) lookup followed by the P(split_brain.deploy.manifests#filter)
    filter returns.
  - The template is found as M(ansible.builtin.template) finds it (the C(templates) folder of the
    role, then the search path), and may include the other templates of its folder.
  - The rendered text is parsed with the safe YAML loader and never templated again. Invalid YAML
    fails with the problem and where it is (line, column), never the text around it, which may hold
    a Secret value.
  - 'Faster than the template lookup: the templates of this collection are compiled once per
    C(ansible-playbook) run, in its main process, instead of once in every task that renders them,
    and the task variables are not copied for each template.'
  - Unlike the template lookup, it does not set C(template_path), C(template_host) or
    C(ansible_managed) for the template; the collection's templates do not use them.
options:
  _terms:
    description: The templates to render, by file name.
    type: list
    elements: str
    required: true
notes:
  - Use M(ansible.builtin.set_fact) or a module argument to keep the objects; as any lookup, it
    renders again wherever its expression is evaluated.
seealso:
  - plugin: split_brain.deploy.manifests
    plugin_type: filter
  - plugin: ansible.builtin.template
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Render the router's objects from the split_brain role's workload template
  ansible.builtin.set_fact:
    router_objects: "{{ query('split_brain.deploy.objects', 'workload.yaml.j2') }}"
  vars:
    workload: "{{ router_workload }}"
  no_log: true
"""

RETURN = r"""
_raw:
  description: The objects of every template, in document order.
  type: list
  elements: dict
"""

import json
import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.template import trust_as_template

from ansible_collections.split_brain.deploy.plugins.plugin_utils import manifest, templates


def search_path(found, variables):
    """Where the template's includes are looked for: its folder first, then, as the template
    lookup does, ``<path>/templates`` and ``<path>`` of each path of the task's search path."""
    folders = [os.path.dirname(found)]
    for path in (variables or {}).get("ansible_search_path", []):
        folders.extend((os.path.join(path, "templates"), path))
    return folders


def trailing_newlines(text, path):
    """``text`` ending in as many newlines as the template file at ``path`` does, as the template
    lookup renders it (Jinja drops a template's last newline; a YAML block scalar kept with ``|+``
    at the end of a file would notice)."""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 64))
        tail = handle.read()
    wanted = len(tail) - len(tail.rstrip(b"\n"))
    missing = wanted - (len(text) - len(text.rstrip("\n")))
    return text + "\n" * missing if missing > 0 else text


class LookupModule(LookupBase):
    """Render templates into objects; see DOCUMENTATION."""

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        objects = []
        for term in terms:
            found = self.find_file_in_search_path(variables, "templates", term)
            if not found:
                raise AnsibleLookupError("the template %s could not be found" % term)
            # The variables as they are, not a copy: a template's own assignments ({% set %})
            # live in its render context and never reach them.
            templar = templates.use_compiled(
                self._templar.copy_with_new_env(available_variables=variables or {}, searchpath=search_path(found, variables)))
            # The template itself is loaded as an include of a one-line template, so that it, too,
            # comes from the compiled ones. Its name is a JSON string, which Jinja reads as a string.
            text = templar.template(trust_as_template("{%% include %s %%}" % json.dumps(os.path.basename(found))))
            try:
                objects.extend(manifest.manifests(trailing_newlines(text or "", found)))
            except ValueError as exc:
                raise AnsibleLookupError("%s: %s" % (term, exc)) from None
        return objects
