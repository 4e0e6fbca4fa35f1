"""plugin_utils/template_reads.py: what a template reads, from Jinja's syntax tree."""

import pytest

from ansible_collections.split_brain.deploy.plugins.plugin_utils.template_reads import (
    is_expression, reads, reference)


@pytest.mark.parametrize("text, expected", [
    ("v{{ app_version }}", [("app_version", ())]),
    ("{{ versions.router }}-{{ versions['ui'] }}", [("versions", ("router",)), ("versions", ("ui",))]),
    ("{{ tags[1] }}", [("tags", (1,))]),
    ("{{ a }}{{ a }}", [("a", ())]),
    # A string literal, a filter's name, a loop variable and a variable set inside are not reads.
    ("{{ 'app_version' | upper }}", []),
    ("{% for item in items %}{{ item }}{% endfor %}", [("items", ())]),
    ("{% set x = base %}{{ x }}", [("base", ())]),
    # A key that is not a constant: the whole variable is read, and the key's variable too.
    ("{{ versions[name] }}", [("versions", ()), ("name", ())]),
    ("plain text", []),
    ("{{ broken", []),
])
def test_reads(text, expected):
    assert reads(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("{{ replicas }}", ("replicas", ())),
    ("  {{ versions.router }} ", ("versions", ("router",))),
    ("{{ cache | default(true) }}", ("cache", ())),
    ("{{ cache | d('') }}", ("cache", ())),
    ("v{{ replicas }}", None),
    ("{{ replicas | int }}", None),
    ("{{ replicas + 1 }}", None),
    ("{{ a }}{{ b }}", None),
])
def test_reference(text, expected):
    assert reference(text) == expected


def test_is_expression():
    assert is_expression("{{ lookup('pipe', 'id') }}")
    assert not is_expression("sk-{{ lookup('pipe', 'id') }}")
    assert not is_expression("{% if x %}y{% endif %}")
