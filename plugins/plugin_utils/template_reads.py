# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What a template reads: the variables a value such as ``"v{{ app_version }}"`` is built from.

Read from Jinja's own syntax tree (``jinja2.Environment.parse``), never from the text: a name in a
string literal, a loop variable or a filter's name is not a read. A read is ``(name, path)``:
``{{ versions.router }}`` and ``{{ versions['router'] }}`` read ``("versions", ("router",))``.
Nothing here renders a template or resolves a variable.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateSyntaxError

_ENVIRONMENT = Environment()
_SYNTAX = ("{{", "{%", "{#")


def has_syntax(text):
    """Whether ``text`` holds template syntax Jinja acts on."""
    return isinstance(text, str) and any(mark in text for mark in _SYNTAX)


def parse(text):
    """The syntax tree of ``text``, or None when it is no template or Jinja cannot parse it
    (templating reports that itself). Parsed once: ``reads``, ``reference`` and
    ``is_expression`` of the same value share it (the tree is only read)."""
    return _parse(str(text)) if has_syntax(text) else None


@functools.lru_cache(maxsize=256)
def _parse(text):
    try:
        return _ENVIRONMENT.parse(text)
    except TemplateSyntaxError:
        return None


def _chain(node):
    """``(name, path)`` of a variable read through constant attributes and keys, or None."""
    path = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            path.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
            path.append(node.arg.value)
        else:
            return None
        node = node.node
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return node.name, tuple(reversed(path))
    return None


def reads(text):
    """The ``(name, path)`` reads of the template ``text``, in order, each once; ``[]`` when it
    is no template."""
    tree = parse(text)
    if tree is None:
        return []
    # A name the template binds itself ({% set %}, a loop or macro variable) is not a read of a
    # variable (a simplification of Jinja's scopes: bound anywhere, it is local everywhere).
    bound = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    found = []
    pending = [tree]
    while pending:
        node = pending.pop()
        read = _chain(node) if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)) else None
        if read is not None:
            if read[0] not in bound and read not in found:
                found.append(read)
            continue
        pending.extend(reversed(list(node.iter_child_nodes())))
    return found


def _expression(tree):
    """The expression of a template that is one ``{{ expression }}`` and nothing else (whitespace
    around it aside), or None."""
    if tree is None or len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
        return None
    parts = [part for part in tree.body[0].nodes
             if not (isinstance(part, nodes.TemplateData) and not part.data.strip())]
    if len(parts) != 1 or isinstance(parts[0], nodes.TemplateData):
        return None
    return parts[0]


def is_expression(text):
    """Whether ``text`` is one ``{{ expression }}`` (code, such as a reference or a lookup)."""
    return _expression(parse(text)) is not None


def reference(text):
    """``(name, path)`` when ``text`` is one plain reference, ``{{ name }}`` or ``{{ name.key }}``,
    optionally through ``default`` with an empty string or a constant (``{{ name | default('') }}``):
    its value is the variable's own, type included. None otherwise."""
    expression = _expression(parse(text))
    if isinstance(expression, nodes.Filter) and expression.name in ("default", "d") \
            and all(isinstance(arg, nodes.Const) for arg in expression.args):
        expression = expression.node
    if isinstance(expression, (nodes.Name, nodes.Getattr, nodes.Getitem)):
        return _chain(expression)
    return None
