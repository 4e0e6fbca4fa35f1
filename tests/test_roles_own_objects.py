"""Each component role owns its objects: its templates (one per object) read its own variables and
the shared settings, never another component's, its tasks/objects.yml renders exactly those
templates, and that entry point alone renders exactly the objects that site.yml renders for it.
(tests/test_package.py deploys each installed role alone, its main entry point, in render mode.)"""

import json
import re

import pytest

from helpers import ROOT, by_key, run_playbook

COMPONENTS = ("router", "classifier", "ui", "cloudflared")
ROLES_WITH_TEMPLATES = ("namespace", "storage") + COMPONENTS
# A component's variable: its name and an underscore (split_brain_classifier_url is a shared one).
COMPONENT_VARIABLE = re.compile(r"\b(%s)_[a-z0-9_]+" % "|".join(COMPONENTS))
PLAYBOOK = ROOT / "tests" / "playbooks" / "role_alone.yml"


def rendered_templates(role):
    """The templates that roles/<role>/tasks/objects.yml renders: those it names, and those that
    the role's objects.yaml.j2 (its objects in apply order, rendered in one lookup) includes."""
    names = re.findall(r"'([\w-]+\.yaml\.j2)'", (ROOT / "roles" / role / "tasks" / "objects.yml").read_text())
    if "objects.yaml.j2" in names:
        names += re.findall(r"\{% include '([\w-]+\.yaml\.j2)' %\}",
                            (ROOT / "roles" / role / "templates" / "objects.yaml.j2").read_text())
    return names


@pytest.mark.parametrize("role", ROLES_WITH_TEMPLATES)
def test_a_role_renders_each_of_its_templates_once(role):
    templates = sorted(path.name for path in (ROOT / "roles" / role / "templates").glob("*.j2"))
    assert templates, role
    assert sorted(rendered_templates(role)) == templates


@pytest.mark.parametrize("component", COMPONENTS)
def test_a_component_reads_only_its_own_variables(component):
    files = sorted((ROOT / "roles" / component / "templates").glob("*.j2"))
    files.append(ROOT / "roles" / component / "tasks" / "objects.yml")
    for path in files:
        others = {match.group(0) for match in COMPONENT_VARIABLE.finditer(path.read_text())
                  if match.group(1) != component}
        assert not others, "%s reads %s" % (path.relative_to(ROOT), sorted(others))


def test_no_component_describes_itself_in_role_vars():
    """The templates read the inventory's variables themselves: no vars/main.yml in between."""
    assert [path.parent.parent.name for path in ROOT.glob("roles/*/vars/main.yml")] == ["split_brain"]
    for component in COMPONENTS:
        assert (ROOT / "roles" / component / "templates" / "deployment.yaml.j2").is_file()
    assert "%s_replicas" % "router" in (ROOT / "roles" / "router" / "templates" / "deployment.yaml.j2").read_text()


def component(obj):
    return obj["metadata"]["labels"]["app.kubernetes.io/component"]


def redacted(obj):
    """An object as the render folder holds it: Secret values redacted."""
    if obj["kind"] != "Secret":
        return obj
    return dict(obj, stringData={key: "<redacted>" for key in obj["stringData"]})


# What each component's pods read from Secrets with prod's settings (ScalarLM and Google sign-in on).
REQUIRED_SECRETS = {
    "router": [{"name": "anthropic-api-key", "env": {"ANTHROPIC_API_KEY": "ANTHROPIC_API_KEY"}},
               {"name": "scalarlm-credentials", "env": {"SCALARLM_API_KEY": "SCALARLM_API_KEY"}}],
    "classifier": [],
    "ui": [{"name": "google-oauth", "env": {"GOOGLE_CLIENT_SECRET": "clientSecret", "SESSION_SECRET": "sessionSecret"}}],
    "cloudflared": [{"name": "cloudflared-credentials", "env": {"TUNNEL_TOKEN": "TUNNEL_TOKEN"}}],
    "namespace": [],
    "storage": [],
}


@pytest.mark.parametrize("role", ROLES_WITH_TEMPLATES)
def test_a_role_s_objects_entry_point_alone_renders_exactly_its_objects(role, rendered, tmp_path):
    """tasks/objects.yml of one role, after the start of a run, gathers exactly the objects site.yml
    renders for that component (prod: every Secret there), and the Secrets its pods read."""
    out = tmp_path / "gathered.json"
    result = run_playbook(PLAYBOOK, "prod", "-e", "role_alone=%s" % role, "-e", "role_alone_out=%s" % out,
                          "-e", "split_brain_render_dir=%s" % (tmp_path / "unused"))
    assert result.returncode == 0, result.stdout[-4000:]
    gathered = json.loads(out.read_text())
    assert gathered["components"] == [role]
    assert gathered["objects"] and {component(obj) for obj in gathered["objects"]} == {role}
    assert by_key(redacted(obj) for obj in gathered["objects"]) == by_key(
        obj for obj in rendered["prod"] if component(obj) == role)
    assert gathered["required_secrets"] == REQUIRED_SECRETS[role]
