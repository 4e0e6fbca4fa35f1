# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Invisible characters: no value of an operator holds a format character (Unicode category Cf).

Zero-width spaces and joiners, the byte order mark, the bidirectional controls and the soft
hyphen show as nothing (or reorder what is shown), so that ``sk-ant-...`` with a zero-width space
pasted in looks right in the vault, in a review and in ``kubectl describe``, and fails at the API
it is sent to, or a name looks like another. Every string the inventory gives is checked: every
string variable, every element of a list, every key and value of a dict (the free-form maps
included), secrets too. A line names the variable, the character and its position (the first
character is 1), never the value.
"""

from __future__ import annotations

import unicodedata

CATEGORY = "Cf"


def invisible_character(text):
    """``(position, character)`` of the first format character of ``text`` (1-based), or None."""
    for index, char in enumerate(text):
        if unicodedata.category(char) == CATEGORY:
            return index + 1, char
    return None


def describe_character(char):
    """``U+200B ZERO WIDTH SPACE``."""
    return "U+%04X %s" % (ord(char), unicodedata.name(char, "FORMAT CHARACTER"))


def _strings(name, value):
    """``(path, text, is_key)`` of every string in ``value``: keys and values of dicts, elements."""
    if isinstance(value, str):
        yield name, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield name, key, True
            yield from _strings("%s.%s" % (name, key), item)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings("%s[%d]" % (name, index), item)


def invisible_problems(values):
    """One line per variable path holding a format character (``router_anthropic_api_key: contains
    an invisible character (U+200B ZERO WIDTH SPACE) at position 12``)."""
    problems = []
    for name in sorted(values):
        for path, text, is_key in _strings(name, values[name]):
            found = invisible_character(text)
            if found:
                position, char = found
                if is_key:
                    visible = "".join(c for c in text if unicodedata.category(c) != CATEGORY)
                    problems.append("%s: the key %r contains an invisible character (%s) at position %d"
                                    % (path, visible, describe_character(char), position))
                else:
                    problems.append("%s: contains an invisible character (%s) at position %d; retype the value"
                                    " (a paste can carry it)" % (path, describe_character(char), position))
    return problems


RULES = (invisible_problems,)
