# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The variables against the roles' argument specs: strict types, then Ansible's validator.

No line puts the value of a ``no_log`` option into words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import constraints
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.credentials import looks_like_token
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.formats import INT32_MAX, INT32_MIN
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.typed import reading, yaml_type

_INTEGER = re.compile(r"[+-]?[0-9]+")
# Unicode categories no name, URL, path, tag or secret holds: controls (newline, tab, NUL, ...),
# surrogates, and the line and paragraph separators.
_CONTROL_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")
# Quantities (cpu, memory) may be YAML numbers: 1 and "1", 0.5 and "0.5" are the same quantity.
QUANTITY_KEYS = ("cpu", "memory")

_TYPE_ERROR = re.compile(
    r"^argument '(?P<name>[^']+)' is of type (?P<got>\S+)(?: found in '(?P<ctx>[^']+)')?"
    r" and we were unable to convert to (?P<want>\w+): (?P<detail>.*)$", re.S)
_VALUE_ERROR = re.compile(
    r"^value of (?P<name>\S+) must be one of: (?P<choices>.*), got: (?P<got>.*?)"
    r"(?: found in '(?P<ctx>[^']+)')?$", re.S)


def _reword(message):
    """Turn the validator's wording into ``variable: what is wrong``; unknown shapes stay as they are."""
    match = _TYPE_ERROR.match(message)
    if match:
        path = ".".join((match["ctx"] or "").split(" -> ") + [match["name"]]).lstrip(".")
        return "%s: must be of type %s, got %s (%s)" % (path, match["want"], match["got"], match["detail"])
    match = _VALUE_ERROR.match(message)
    if match:
        path = ".".join((match["ctx"] or "").split(" -> ") + [match["name"]]).lstrip(".")
        return "%s: must be one of %s, got %s" % (path, match["choices"], match["got"])
    return message


def _suboptions(argument_spec, path):
    spec = {"options": argument_spec}
    for key in path:
        spec = (spec.get("options") or {}).get(key) or {}
    return sorted(spec.get("options") or {})


def describe(value, secret=False):
    """``the float 1.1``, ``a dict``: what a value is, in words, with plain YAML type names (never a
    Python class). A secret's value is never quoted."""
    if isinstance(value, bool):
        return "the boolean %s" % ("true" if value else "false") if not secret else "a boolean"
    if isinstance(value, int):
        return "the integer %d" % value if not secret else "an integer"
    if isinstance(value, float):
        return "the float %r" % value if not secret else "a float"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "null (an empty YAML value)"
    if isinstance(value, str):
        return "the string %r" % value if not secret else "a string"
    kind = yaml_type(value)
    if secret:
        return "a %s" % kind
    return reading(value) if kind != "value" else "a value of another kind"


def _string_hint(value, secret=False, text=None):
    """How to write ``value``'s option so that it is a string: quoting ``text``, what was typed,
    when the variable file says (a secret's value never quoted)."""
    if text is not None and not secret and value is not None:
        return 'quote it in YAML ("%s") so it stays a string' % text.replace('"', '\\"')
    if isinstance(value, bool):
        return 'quote it in YAML (e.g. "true" or "yes") so it stays a string'
    if isinstance(value, float):
        return 'quote it in YAML (e.g. "1.10") so it stays a string; unquoted, 1.10 is the number 1.1'
    if isinstance(value, int):
        return 'quote it in YAML (e.g. "%s") so it stays a string' % ("1234" if secret else value)
    if value is None:
        return 'write "" for an empty value'
    return "give a single string"


def _text_problem(text):
    """Why ``text`` is no clean single-line value (control characters, outer whitespace), or None."""
    for char in text:
        if unicodedata.category(char) in _CONTROL_CATEGORIES:
            return "contains the control character U+%04X (a newline, tab or similar)" % ord(char)
    if text != text.strip():
        return "has leading or trailing whitespace"
    return None


def type_problems(argument_spec, values, path="", written=None):
    """Values whose YAML type is not the option's type, before any conversion; one line each.

    - ``str``: a string only. A float, int, bool, dict, list or null is an error that says how to
      write it (``1.10`` unquoted is the float 1.1, never the tag "1.10"). A string with control
      characters or outer whitespace is an error too (a newline is not part of a name or a path).
    - ``int``: an int, or a string of digits (what ``-e name=3`` gives); not a float or a bool;
      within int32 (Kubernetes stores every count, port and second as one).
    - ``bool``: a bool, or the strings true/false in any case (``-e name=true``).
    - ``list``/``dict``: a list/dict (no comma-separated string), elements and suboptions likewise.
    - ``raw``: left to the rules of the variable.
    Returns ``(problems, bad)``: the lines, and the names (top-level) of the variables they are about.
    A ``no_log`` option's value is never quoted. ``written`` maps a value's path (``a.b[0]``) to
    its text as typed in a variable file, which the hints quote.
    """
    problems, bad = [], set()
    for name, option in argument_spec.items():
        if name not in values:
            continue
        full = path + name
        line = _type_problem(full, option, values[name], bool(option.get("no_log")), written or {})
        if line:
            problems.extend(line)
            bad.add(name)
    return problems, bad


def _type_problem(name, option, value, secret, written):
    kind = option.get("type", "str")
    if kind == "str":
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and _bytes(name):
                # A size: quoting the number alone would ask for that many bytes.
                return ['%s: must be a size with its unit, got %s; write it with one, e.g. "%sGi"'
                        % (name, describe(value, secret), written.get(name) or value)]
            return ["%s: must be a string, got %s; %s" % (name, describe(value, secret),
                                                          _string_hint(value, secret, written.get(name)))]
        reason = _text_problem(value)
        if reason:
            # A pasted token keeps its outer whitespace: such a value is not quoted either.
            hidden = secret or any(looks_like_token(word) for word in value.split())
            return ["%s: %s" % (name, reason) if hidden else "%s: %r %s" % (name, value, reason)]
        return []
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, (int, str)) or (
                isinstance(value, str) and not _INTEGER.fullmatch(value)):
            return ["%s: must be an integer, got %s" % (name, describe(value, secret))]
        number = int(value)
        if not INT32_MIN <= number <= INT32_MAX:
            return ["%s: must be at most %d (Kubernetes stores it as a 32-bit integer), got %d"
                    % (name, INT32_MAX, number) if number > 0 else
                    "%s: must be at least %d, got %d" % (name, INT32_MIN, number)]
        return []
    if kind == "bool":
        if isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false")):
            return []
        return ["%s: must be true or false, got %s" % (name, describe(value, secret))]
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            return ["%s: must be a list (e.g. [a, b]), got %s" % (name, describe(value, secret))]
        element = {"type": option["elements"]} if option.get("elements") else None
        lines = []
        for index, item in enumerate(value if element else ()):
            lines += _type_problem("%s[%d]" % (name, index), element, item, secret, written)
        return lines
    if kind == "dict":
        if not isinstance(value, dict):
            return ["%s: must be a dict (key: value), got %s" % (name, describe(value, secret))]
        lines = []
        for key, sub in (option.get("options") or {}).items():
            if key in value and value[key] is not None:
                if key in QUANTITY_KEYS and sub.get("type") == "raw":
                    lines += _quantity_type_problem("%s.%s" % (name, key), value[key])
                else:
                    lines += _type_problem("%s.%s" % (name, key), sub, value[key], secret or bool(sub.get("no_log")), written)
        return lines
    return []


def _bytes(name):
    """Whether the variable ``name`` is a quantity of bytes (``unit: bytes`` in its constraints)."""
    return (constraints.read().get(name) or {}).get("unit") == "bytes"


def _quantity_type_problem(name, value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ["%s: must be a quantity such as 250m or 1Gi, got %s" % (name, describe(value))]
    return []


def spec_problems(argument_spec, values, written=None):
    """Validate ``values`` against ``argument_spec`` (the options of role entry points).

    Strict types first (type_problems: no silent conversion), then Ansible's argument spec
    validator on the variables whose types are right (choices, unknown keys, and the conversion of
    "3" and "true" from ``-e``). Returns ``(problems, validated)``: one line per problem, and the
    values converted to their types (what the other checks read); a variable with a problem is
    left out of ``validated``, so that the other checks do not report it twice.
    """
    problems, bad = type_problems(argument_spec, values, written=written)
    values = {name: value for name, value in values.items() if name not in bad}
    result = ArgumentSpecValidator(argument_spec).validate(values)
    problems += [_reword(error.msg) for error in result.errors if not isinstance(error, UnsupportedError)]
    unknown = [path if isinstance(path, tuple) else (path,) for path in result.unsupported_parameters]
    for path in sorted(unknown):
        allowed = ", ".join(_suboptions(argument_spec, path[:-1])) or "none"
        problems.append("%s: unknown key %s (allowed: %s)" % (".".join(path[:-1]) or path[-1], path[-1], allowed))
    validated = {name: value for name, value in result.validated_parameters.items() if name not in bad}
    return problems, validated


def unknown_variables(names, known, prefixes, options=None):
    """``(errors, warnings)`` for ``names`` that look like the collection's variables but are not
    ``known``.

    A name with one of ``prefixes`` that the collection never mentions is an error (a typo would
    otherwise deploy with the default: a misspelled namespace deploys into another one), naming
    the closest documented variable. A name without a prefix that is very close to one of
    ``options`` (``routr_replicas``) gets a warning: it may be a variable of something else.
    Suggestions come from ``options`` alone (the documented variables), never from other names the
    roles mention.
    """
    options = sorted(options if options is not None else known)
    errors, warnings = [], []
    for name in sorted(names):
        if name in known:
            continue
        if name.startswith(tuple(prefixes)):
            close = (difflib.get_close_matches(name, options, n=1, cutoff=0.8)
                     or difflib.get_close_matches(name, options, n=1, cutoff=0.6))
            hint = " (did you mean %s?)" % close[0] if close else ""
            errors.append("%s: is not a variable of split_brain.deploy%s" % (name, hint))
            continue
        close = difflib.get_close_matches(name, options, n=1, cutoff=0.9)
        if close:
            warnings.append("%s is not a variable of split_brain.deploy and is ignored (did you mean %s?)" % (name, close[0]))
    return errors, warnings
