# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""A variable of the collection built by a template is judged by the text of what it reads.

``router_image_tag: "v{{ app_version }}"`` with ``app_version: 1.10`` deploys the tag ``v1.1``:
the template is fine, the variable it reads was typed as a float. So the YAML 1.1 readings of
typed.py are followed through templates: each variable a collection variable's template reads
(plugin_utils/template_reads.py, Jinja's syntax tree), and each variable those read in turn, is
judged as written in the run's files. The message names both: the collection variable and the
variable it is built from, and what to write there.

The field the value lands in decides what counts. A template that is one plain reference
(``{{ replicas }}``, ``{{ versions.router }}``) keeps the type of what it reads, so the read value
is judged as the collection variable's own (``010`` for an integer field is 8). Any other
template makes text of it, so any reading that is not the text as written is a problem.
"""

from __future__ import annotations

from ansible_collections.split_brain.deploy.plugins.plugin_utils import secret_sources, template_reads
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import typed

# A value a template makes text of: every reading that is not what was written is reported.
_TEXT = {"type": "str", "free": True}


def _subtree(node, path):
    """The part of a typed tree at ``path`` (keys and list indexes), or None."""
    for key in path:
        if not isinstance(node, typed.Collection):
            return None
        if node.kind == "list":
            if not isinstance(key, int) or not 0 <= key < len(node.items):
                return None
            node = node.items[key]
        else:
            node = node.items.get(str(key))
            if node is None:
                return None
    return node


def _changes_text(scalar):
    """Whether a scalar a template makes text of is not the text written: ``1.10`` becomes ``1.1``,
    ``0x10`` becomes ``16``, ``yes`` and ``true`` become ``True``, ``null`` becomes ``None``; a date,
    ``8080`` and ``1.5`` become their own text again."""
    if not isinstance(scalar, typed.Scalar) or scalar.kind not in ("changed", "canonical"):
        return False
    return scalar.reason.startswith("the tag") or str(scalar.value) != scalar.text


def _text_line(path, scalar):
    """The problem of a scalar a template makes other text of (``path: ...``)."""
    if scalar.value is None and not scalar.reason:
        return '%s: %s is read by YAML 1.1 as null, which a template writes as None; quote the text you mean' \
               ' ("" for none)' % (path, scalar.text or '""')
    return typed.finding_line(path, scalar, "str")


def _field(option):
    """The option a plain reference's value is judged as: the option itself, a string field
    reporting any changed reading (the spec would refuse a non-string without saying why)."""
    return _TEXT if (option or {}).get("type", "str") == "str" else option


def _templates(value, option, at, chain):
    """``(template, option, path, chain)`` of every string of ``value`` Ansible evaluates: the
    value itself, or the values of its mappings and lists, each with the option of its place."""
    stack = [(value, option, at)]
    while stack:
        item, opt, where = stack.pop()
        if secret_sources.is_evaluated(item):
            yield item, opt, where, chain
        elif isinstance(item, dict):
            stack.extend((child, typed.child_option(opt, key), "%s.%s" % (where, key)) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, typed.child_option(opt, index), "%s[%d]" % (where, index))
                         for index, child in enumerate(item))


def built_from_lines(options, task_vars, effect, secrets=()):
    """``(lines, names)``: the problems of the collection variables whose template reads a variable
    typed as something other than what was written, and those variables' names.

    ``options``: the collection's options; ``task_vars``: the raw (untemplated) variables;
    ``effect``: typed.in_effect(), the trees of the variables as written in the run's files."""
    lines, names = [], set()
    for name in sorted(options):
        if name in secrets or name not in task_vars:
            continue
        found = []
        # (template, option its result is judged as, where it is, chain of variables followed)
        pending = list(_templates(task_vars[name], options[name], name, (name,)))
        while pending:
            template, option, at, chain = pending.pop(0)
            whole = template_reads.reference(template)
            for source, path in template_reads.reads(template):
                if source in chain or source in secrets:
                    continue
                field = _field(option) if whole == (source, path) else _TEXT
                raw = task_vars.get(source)
                if not path and secret_sources.is_evaluated(raw):
                    pending.append((raw, field, at, chain + (source,)))
                    continue
                node = _subtree(effect.get(source), path)
                if node is None:
                    continue
                where = source + "".join("[%d]" % key if isinstance(key, int) else ".%s" % key for key in path)
                problems = []
                if field is _TEXT:
                    problems = [_text_line(path_, scalar) for path_, scalar in typed.walk(node, where)
                                if _changes_text(scalar)]
                else:
                    typed.findings(where, node, field, False, {}, problems)
                via = "".join(" through %s" % step for step in chain[1:])
                for line in problems:
                    read, what = line.split(": ", 1)
                    found.append("%s: is built from %s%s, whose %s" % (at, read, via, what))
        if found:
            lines += sorted(set(found), key=found.index)
            names.add(name)
    return lines, names
