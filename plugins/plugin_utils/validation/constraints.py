# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The ranges and formats of the variables, read from each role's meta/constraints.yml.

A variable's type, default, choices and documentation are declared in its role's
meta/argument_specs.yml, its range (``min``, ``max``, ``above``) and ``format`` in the same role's
meta/constraints.yml and nowhere else: ansible-lint's schema of argument specs refuses keys of its
own (ansible-core would ignore them). A string variable whose default is empty may be empty (it
means unset); one marked ``nonempty`` may not be empty or blank (a model name, the namespace),
and is refused as such, not by its format; the format of a list variable is that of each element.
``integers: text`` (on a ``labels`` format) takes an integer value as its decimal text.
"""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils import role_files
from ansible_collections.split_brain.deploy.plugins.plugin_utils.role_files import COLLECTION_ROOT
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import formats

KEYS = frozenset(("min", "max", "above", "format", "unit", "example", "nonempty", "integers"))

_LOADED = {}


def load(root=COLLECTION_ROOT):
    """``read(root)``, read once per root."""
    if root not in _LOADED:
        _LOADED[root] = read(root)
    return _LOADED[root]


def read(root=COLLECTION_ROOT):
    """``{variable: constraint}`` of every role under ``root``.

    A constraint is the variable's entry of constraints.yml, with ``type`` and ``default`` from its
    argument spec, and ``example`` (the entry's own, else the default). Raises
    ValueError for an unknown key or format, or a variable that no argument spec declares.
    """
    constraints, options = {}, {}
    for entry_points in role_files.declared("meta/argument_specs.yml", "argument_specs", root).values():
        for entry_point in entry_points.values():
            options.update((entry_point or {}).get("options") or {})
    for declared in role_files.declared("meta/constraints.yml", "constraints", root).values():
        constraints.update(declared)
    for name, constraint in constraints.items():
        unknown = set(constraint) - KEYS
        if unknown:
            raise ValueError("constraints.yml: %s: unknown keys %s" % (name, ", ".join(sorted(unknown))))
        if "format" in constraint and constraint["format"] not in formats.FORMATS:
            raise ValueError("constraints.yml: %s: unknown format %s" % (name, constraint["format"]))
        if name not in options:
            raise ValueError("constraints.yml: %s is no option of an argument spec" % name)
        option = options[name]
        constraint["type"] = option.get("type", "str")
        constraint["default"] = option.get("default")
        constraint["example"] = constraint.get("example", option.get("default"))
    return constraints


def constraint_problems(values, constraints=None):
    """The values outside their range or not of their format, one line each."""
    problems = []
    for name, constraint in (load() if constraints is None else constraints).items():
        if name not in values:
            continue
        value = values[name]
        if constraint.get("nonempty") and isinstance(value, str) and not value.strip():
            example = constraint.get("example")
            problems.append("%s: empty; it is required (such as %s), or leave it unset for the default"
                            % (name, example) if example else "%s: empty; it is required" % name)
            continue
        number = formats.as_int(value)
        if number is not None:
            problems += formats.range_problems(name, number, constraint)
        if "format" not in constraint:
            continue
        kind, check = formats.FORMATS[constraint["format"]]
        if constraint["type"] == "list" and isinstance(value, list):
            items = [("%s[%d]" % (name, index), item) for index, item in enumerate(value)]
        elif value == "" and constraint["default"] == "":
            items = []  # empty means unset
        else:
            items = [(name, value)]
        for path, item in items:
            if kind is object or isinstance(item, kind):
                problems += check(path, item, constraint)
    return problems
