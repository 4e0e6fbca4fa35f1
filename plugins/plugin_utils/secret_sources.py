# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Secret values are data: find the ones Ansible would evaluate as a template, before it does.

ansible-core 2.19 tags every string it loads from a trusted source (inventory, vars files, the
vault, ``-e``) as trusted for templating; a value marked ``!unsafe`` is not, and is never
evaluated. A secret variable maps a vault variable (``router_anthropic_api_key: "{{
vault_router_anthropic_api_key }}"``): that mapping is code the operator wrote and is evaluated,
but the vault variable it reads is a *value* and must reach the Secret literally. A vault value
such as ``sk-{{ lookup('pipe', 'id') }}`` that is not ``!unsafe`` would run the command, and a
token holding ``{#`` would break the run. These checks look at the raw (never templated) values
of ``task_vars`` and name the variables, never a value.
"""

from __future__ import annotations

from ansible.template import is_trusted_as_template

from ansible_collections.split_brain.deploy.plugins.plugin_utils import template_reads

FIX = "mark the value !unsafe in the vault (ansible-vault edit, then write: %s: !unsafe '<the value>')"


def is_evaluated(value):
    """True when Ansible would evaluate ``value`` as a template: a trusted string with template syntax."""
    return isinstance(value, str) and is_trusted_as_template(value) and template_reads.has_syntax(value)


def _referenced(expression, variables):
    """The names of ``variables`` that the template ``expression`` reads."""
    return sorted({name for name, _path in template_reads.reads(expression) if name in variables})


def template_problems(secrets, variables):
    """Problems of the secret variables ``secrets`` whose value, or the value of a variable it reads,
    is template syntax Ansible would evaluate; and the names not to template because of them.

    ``variables`` are the raw task vars. A secret variable may be one ``{{ expression }}`` (its
    mapping); every variable that expression reads is a source and must be literal (not trusted as
    a template), or itself a plain ``{{ reference }}`` that is followed. Returns
    ``(problems, unsafe_names)``; no line holds a value.
    """
    problems, unsafe = [], set()
    for secret in secrets:
        if secret not in variables:
            continue
        value = variables[secret]
        if not is_evaluated(value):
            continue
        if not template_reads.is_expression(value):
            problems.append(
                "%s: holds template syntax ({{, {%% or {#) that Ansible would evaluate instead of taking the "
                "value literally; %s" % (secret, FIX % secret)
            )
            unsafe.add(secret)
            continue
        pending = [(name, [secret]) for name in _referenced(value, variables)]
        while pending:
            name, chain = pending.pop(0)
            if name in chain:
                continue
            source = variables[name]
            if not is_evaluated(source):
                continue
            reference = template_reads.reference(source)
            if reference and reference[0] in variables:
                pending.append((reference[0], chain + [name]))
                continue
            if reference:
                continue  # an undefined reference: templating reports it by name
            problems.append(
                "%s: its source %s holds template syntax ({{, {%% or {#) that Ansible would evaluate instead "
                "of taking the secret literally; %s" % (secret, " -> ".join(chain[1:] + [name]), FIX % name)
            )
            unsafe.add(secret)
    return problems, unsafe
