# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Checks of an inventory beyond what Ansible's argument spec validator does (controller side).

- spec.py: the values against the roles' argument specs (strict types, choices, unknown keys);
- constraints.py and formats.py: the range and format of each variable, declared in its role's
  meta/constraints.yml;
- components.py, shared.py, secrets.py: the rules between variables, by component;
- connection.py: the kubeconfig of a deploy.

Every check takes ``values`` (variable name -> resolved value, as the argument spec validator
returns them) and returns a list of problems, one line each, starting with the variable's name.
No check puts the value of a secret variable into a line. The checks tolerate values of the wrong
type (the spec reports those): such a value is skipped, not reported twice.
"""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import components, constraints, credentials, shared
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.connection import kubeconfig_problems
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.constraints import constraint_problems
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.formats import (
    domain_problem, parse_quantity, path_problem, url_problem)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.secrets import redact, secret_problems
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.spec import (
    spec_problems, type_problems, unknown_variables)

__all__ = ("check", "domain_problem", "kubeconfig_problems", "parse_quantity", "path_problem", "redact", "spec_problems",
           "type_problems", "unknown_variables", "url_problem")


def check(values, secrets=(), deploying=False):
    """Every range, format and cross-field problem of ``values`` (already type-validated)."""
    problems = constraint_problems(values)
    for rule in components.RULES + shared.RULES:
        problems.extend(rule(values))
    problems.extend(secret_problems(values, secrets, deploying))
    problems.extend(credentials.plain_credential_problems(
        values, secrets, {name: c.get("format") for name, c in constraints.load().items()}))
    return problems
