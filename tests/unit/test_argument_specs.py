"""The roles' meta/argument_specs.yml against their defaults/main.yml, and how validate loads them."""

import re

import pytest
import yaml

from unit_helpers import ROLES, ROOT, role_defaults

from ansible_collections.split_brain.deploy.plugins.action import validate
from ansible_collections.split_brain.deploy.plugins.plugin_utils.template_reads import reads
from ansible.module_utils.common.parameters import DEFAULT_TYPE_VALIDATORS

TYPES = set(DEFAULT_TYPE_VALIDATORS)


def entry_points(role):
    return yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]


def walk(options, path=()):
    """Yield ``(path, option)`` for every option and suboption."""
    for name, option in (options or {}).items():
        yield path + (name,), option
        yield from walk(option.get("options"), path + (name,))


@pytest.mark.parametrize("role", ROLES)
def test_every_default_is_documented_with_its_default(role):
    options = {}
    for entry_point in validate.ENTRY_POINTS:
        options.update((entry_points(role).get(entry_point) or {}).get("options") or {})
    for name, value in role_defaults(role).items():
        assert name in options, "%s: %s has no argument spec" % (role, name)
        assert options[name].get("default") == value, "%s: spec default of %s differs from defaults/main.yml" % (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_every_option_is_typed_and_described(role):
    for entry_point, spec in entry_points(role).items():
        assert spec.get("short_description"), (role, entry_point)
        for path, option in walk(spec.get("options")):
            assert option.get("type") in TYPES, (role, path)
            assert option.get("description"), (role, path)
            if option["type"] == "list":
                assert option.get("elements") in TYPES, (role, path)


def test_every_role_has_a_main_entry_point_and_meta():
    for role in ROLES:
        assert "main" in entry_points(role), role
        meta = yaml.safe_load((ROOT / "roles" / role / "meta" / "main.yml").read_text())
        assert meta["dependencies"] == []
        assert meta["galaxy_info"]["license"] == "Apache-2.0"
        assert meta["galaxy_info"]["min_ansible_version"] == "2.19"
    # The roles import these files of the split_brain role with tasks_from; each renders its own objects.
    assert {"main", "apply"} <= set(entry_points("split_brain"))
    assert "objects" not in entry_points("split_brain")
    # Options on split_brain's `main` would be validated before split_brain.deploy.validate runs.
    assert not entry_points("split_brain")["main"].get("options")


def test_resources_reject_unknown_keys():
    for role in ("router", "classifier", "ui", "cloudflared"):
        resources = entry_points(role)["main"]["options"][role + "_resources"]
        assert set(resources["options"]) == {"requests", "limits"}
        for section in ("requests", "limits"):
            assert set(resources["options"][section]["options"]) == {"cpu", "memory", "ephemeral-storage"}


def test_load_specs_merges_every_role_and_finds_the_secrets():
    options, secrets = validate.load_specs()
    defaults = {}
    for role in ROLES:
        defaults.update(role_defaults(role))
    assert set(defaults) <= set(options)
    assert "workload" not in options
    assert secrets == [
        "cloudflared_tunnel_token",
        "router_anthropic_api_key",
        "router_scalarlm_api_key",
        "ui_google_client_secret",
        "ui_google_session_secret",
    ]
    # Anything named like a secret is no_log.
    for name in options:
        if name.endswith(("_secret", "_token", "_api_key", "_password")):
            assert name in secrets, name


def test_every_variable_a_template_reads_is_declared():
    """What the roles' templates read (Jinja's syntax tree) is an option of an entry point, a derived
    value of a role's vars/main.yml, or not the collection's (an Ansible variable, a loop variable);
    so the validation, which reads the declarations, knows every variable that reaches an object."""
    declared = set(validate.load_specs()[0]) | validate.internal_names()
    read = set()
    for template in ROOT.glob("roles/*/templates/*.j2"):
        read |= {name for name, _path in reads(template.read_text())}
    for vars_file in ROOT.glob("roles/*/vars/main.yml"):
        for value in (yaml.safe_load(vars_file.read_text()) or {}).values():
            read |= {name for name, _path in reads(value)} if isinstance(value, str) else set()
    ours = {name for name in read if name.startswith(validate.PREFIXES)}
    assert ours and ours <= declared, sorted(ours - declared)
    assert {"split_brain_common_labels", "split_brain_probe_timings", "router_replicas"} <= ours


RESTATED_RANGE = re.compile(r"\bat (?:least|most) -?\d|\b\d+ to \d+\b|\bnumber from\b", re.I)


@pytest.mark.parametrize("role", ROLES)
def test_descriptions_leave_ranges_to_the_constraints(role):
    """A range is declared in meta/constraints.yml only (docs/reference.md and defaults/main.yml show it);
    a description that restated it could drift from it."""
    for entry_point, spec in entry_points(role).items():
        for path, option in walk(spec.get("options")):
            text = " ".join(option["description"]) if isinstance(option["description"], list) else option["description"]
            assert not RESTATED_RANGE.search(text), (role, entry_point, path, text)
