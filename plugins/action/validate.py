# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Action split_brain.deploy.validate: check the whole inventory at once, before anything is touched.

Runs on the controller and contacts no cluster. It validates the variables of every role of the
collection (or of the roles named in ``roles`` and the split_brain role's shared settings) against
the roles' argument specs (the ``main``, ``apply`` and ``access`` entry points), the ranges and
formats of their meta/constraints.yml and the rules between variables (plugin_utils/validation/),
reads the run's variable files again as typed (validation/typed.py: YAML 1.1 readings that are
not what was written, duplicate keys, free-form maps), refuses unknown prefixed variables and
internal ones set from outside, and fails with one line per problem.
Secret values (options with ``no_log`` in the specs) never appear in the result.
"""

from __future__ import annotations

import os
import re
import time


from ansible import context
from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.vars import load_extra_vars

from ansible_collections.split_brain.deploy.plugins.plugin_utils import role_files, secret_sources, validation
from ansible_collections.split_brain.deploy.plugins.plugin_utils.role_files import COLLECTION_ROOT
from ansible_collections.split_brain.deploy.plugins.plugin_utils.render import COMPONENT_ROLES, variables_for
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import (
    credentials, environment, metadata, render_dir, templated, typed)


# Entry points whose options are inventory variables (`access`: playbooks/access.yml; `rollback` and
# `uninstall` read the options of `apply`).
ENTRY_POINTS = ("main", "apply", "access")

# Prefixes of the collection's variables; an inventory variable with one of them that the
# collection does not declare (an option of an entry point, or a derived value) is most likely a
# typo, and an error.
PREFIXES = ("split_brain_", "router_", "classifier_", "ui_", "cloudflared_", "namespace_", "storage_")


def load_specs(root=COLLECTION_ROOT, roles=None):
    """Return ``(options, secrets)``: the options of the entry points of ``roles`` (every role when
    None; the split_brain role's shared settings always), and the no_log ones."""
    options = {}
    for role, entry_points in role_files.declared("meta/argument_specs.yml", "argument_specs", root).items():
        if roles is not None and role not in set(roles) | {"split_brain"}:
            continue
        for entry_point in ENTRY_POINTS:
            options.update((entry_points.get(entry_point) or {}).get("options") or {})
    secrets = sorted(name for name, option in options.items() if option.get("no_log"))
    return options, secrets


def internal_names(root=COLLECTION_ROOT):
    """The prefixed names the collection sets itself: the derived values its roles declare in
    ``vars/main.yml``. (What a task registers or a play sets for itself carries a leading
    underscore, outside the prefixes an inventory variable has.)"""
    return {name for variables in role_files.declared("vars/main.yml", None, root).values()
            for name in variables if name.startswith(PREFIXES)}


def internal_problems(names, internal):
    """A variable the collection sets itself, set by the operator (inventory or -e)."""
    lines = []
    for name in sorted(set(names) & set(internal)):
        hint = ("; add labels of your own with split_brain_extra_labels" if "labels" in name or "selector" in name
                else "")
        lines.append("%s: is internal to split_brain.deploy (its roles set it) and cannot be set from the inventory"
                     " or -e%s" % (name, hint))
    return lines


class ActionModule(ActionBase):
    """Fail with every problem of the inventory, one line each; pass silently otherwise."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("deploying", "roles"))

    def run(self, tmp=None, task_vars=None):
        started = (time.perf_counter(), time.process_time())
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        _validated, args = self.validate_argument_spec(argument_spec={
            "deploying": {"type": "bool", "default": False},
            "roles": {"type": "list", "elements": "str"},
        })

        # A component role used alone checks its own variables and the shared ones, not those of
        # roles it does not run (a cloudflared token is no concern of the router alone).
        options, secrets = load_specs(roles=args["roles"])
        all_options = load_specs()[0] if args["roles"] is not None else options
        # Before anything is templated: a secret whose vault value Ansible would evaluate is never
        # resolved (that would run it), only named.
        problems, unsafe = secret_sources.template_problems(secrets, task_vars)
        # The roles' defaults under the task's variables, as the release action renders with them: a
        # site.yml run imports no component role, so their defaults are not among the task's.
        variables = variables_for(task_vars, args["roles"] or COMPONENT_ROLES)
        templar = self._templar.copy_with_new_env(available_variables=variables)
        values = {}
        for name in sorted(options):
            if name not in variables or name in unsafe:
                continue
            try:
                values[name] = templar.template(variables[name])
            except AnsibleError as exc:
                problems.append("%s: cannot be resolved: %s" % (name, str(exc.message).splitlines()[0]))

        # What was typed: the variable files of the run read again, as written (typed.py).
        extra_vars = tuple(context.CLIARGS.get("extra_vars") or ())
        typed_lines, bad, written, operator_names, effect = typed.check(task_vars, options, values, extra_vars)
        # What a template of the collection's variables reads, judged as written (templated.py): its
        # lines name the variable it was built from, so they replace the typed ones of the result.
        built_lines, built = templated.built_from_lines(options, task_vars, effect, secrets)
        problems += [line for line in typed_lines if re.split(r"[:.\[]", line, maxsplit=1)[0] not in built]
        problems += built_lines
        bad |= built
        operator_names |= set(load_extra_vars(self._loader)) if extra_vars else set()
        internal = internal_names()
        problems += internal_problems(operator_names, internal)

        spec_lines, validated = validation.spec_problems(
            {n: options[n] for n in values if n not in bad}, {n: v for n, v in values.items() if n not in bad}, written)
        problems += render_dir.render_dir_problems(values.get(render_dir.RENDER_DIR))
        problems += render_dir.shared_render_dir_problems(
            task_vars.get("inventory_hostname"), values.get(render_dir.RENDER_DIR), self._play_render_dirs(task_vars))
        problems += spec_lines + validation.check(validated, secrets, deploying=args["deploying"])
        problems += metadata.extra_metadata_problems(validated)
        problems += environment.config_extra_problems(validated, set(all_options))
        # The kubeconfig that split_brain_kubeconfig, K8S_AUTH_KUBECONFIG or KUBECONFIG names must be
        # there. With none of them, the connection may come from the play's module_defaults, which
        # only the cluster tasks see: the first of them (it writes nothing) names what is missing.
        if args["deploying"]:
            problems += [line for line in validation.kubeconfig_problems(
                values.get("split_brain_kubeconfig", ""), os.environ, lambda path: os.path.isfile(os.path.expanduser(path)))
                if not line.startswith("split_brain_kubeconfig: empty,")]
        # A misspelled variable of the collection would deploy with the default instead: an error.
        unknown, warnings = validation.unknown_variables(task_vars, internal | set(all_options), PREFIXES,
                                                         set(all_options))
        # A value from an INI inventory is not quoted as in YAML: the hint says how to write it there.
        problems = typed.ini_hints(problems, typed.ini_variables(task_vars))
        # No line quotes a secret's value, nor any string that looks like a credential (whichever
        # variable holds it: a token pasted into a model name, a label, an argument).
        problems = validation.redact(sorted(set(problems + unknown)), [values.get(name) for name in secrets]
                                     + sorted(credentials.credential_like(values)))

        if warnings:
            result["warnings"] = warnings
        if problems:
            count = "%d problem%s" % (len(problems), "" if len(problems) == 1 else "s")
            result.update(
                failed=True,
                msg="Invalid inventory (%s):\n%s" % (count, "\n".join("- " + line for line in problems)),
                problems=problems,
            )
        else:
            result.update(changed=False, msg="%d variables valid" % len(values))
        # Wall and CPU seconds of the check (the benchmark reads them).
        result["timings"] = {"validate": {"wall": round(time.perf_counter() - started[0], 3),
                                          "cpu": round(time.process_time() - started[1], 3)}}
        return result

    def _play_render_dirs(self, task_vars):
        """``{host: split_brain_render_dir}`` of the play's other hosts that set one (templated
        with the host's own variables; a value that cannot be resolved is left out)."""
        folders = {}
        hostvars = task_vars.get("hostvars") or {}
        for host in task_vars.get("ansible_play_hosts_all") or ():
            if host == task_vars.get("inventory_hostname") or host not in hostvars:
                continue
            try:
                host_vars = hostvars[host]
                raw = host_vars.get(render_dir.RENDER_DIR) if hasattr(host_vars, "get") else None
                if not raw:
                    continue
                folders[host] = self._templar.copy_with_new_env(available_variables=host_vars).template(raw) \
                    if isinstance(raw, str) and "{{" in raw else raw
            except (AnsibleError, KeyError, TypeError, AttributeError):
                continue
        return folders
