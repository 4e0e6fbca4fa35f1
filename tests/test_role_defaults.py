"""Each role's defaults/main.yml is generated from its meta/argument_specs.yml and must not drift."""

import subprocess
import sys

import yaml

from helpers import ROOT

ROLES = sorted(path.parent.parent.name for path in (ROOT / "roles").glob("*/meta/argument_specs.yml"))


def test_defaults_files_match_the_argument_specs():
    result = subprocess.run([sys.executable, "scripts/role_defaults.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def _typed(value):
    """``value`` with the type of every leaf: ``"1"`` and ``1``, ``1`` and ``true`` differ."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value).__name__, value


def test_defaults_hold_the_spec_defaults_with_their_types():
    for role in ROLES:
        entry_points = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
        spec = {name: option["default"] for entry_point in entry_points.values()
                for name, option in (entry_point.get("options") or {}).items() if "default" in option}
        defaults = yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text()) or {}
        assert _typed(defaults) == _typed(spec), role
        assert list(defaults) == list(spec), "%s: defaults out of the spec's order" % role
