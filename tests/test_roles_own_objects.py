"""Each component role owns its objects: its templates (one per object) read its own variables and
the shared settings, never another component's, its templates/objects.yaml.j2 includes exactly
those templates, and the role alone renders exactly the objects that site.yml renders for it.
(tests/test_package.py deploys each installed role alone, its main entry point, in render mode.)"""

import re

import pytest

from helpers import ROOT, by_key, load_dir, run_playbook

COMPONENTS = ("router", "classifier", "ui", "cloudflared")
ROLES_WITH_TEMPLATES = ("namespace", "storage") + COMPONENTS
# A component's variable: its name and an underscore (split_brain_classifier_url is a shared one).
COMPONENT_VARIABLE = re.compile(r"\b(%s)_[a-z0-9_]+" % "|".join(COMPONENTS))
PLAYBOOK = ROOT / "tests" / "playbooks" / "role_alone.yml"


def rendered_templates(role):
    """The templates the release action renders for a role: its objects.yaml.j2 (its objects in
    apply order) and those it includes."""
    return ["objects.yaml.j2"] + re.findall(r"\{% include '([\w-]+\.yaml\.j2)' %\}",
                                            (ROOT / "roles" / role / "templates" / "objects.yaml.j2").read_text())


@pytest.mark.parametrize("role", ROLES_WITH_TEMPLATES)
def test_a_role_renders_each_of_its_templates_once(role):
    templates = sorted(path.name for path in (ROOT / "roles" / role / "templates").glob("*.j2"))
    assert templates, role
    assert sorted(rendered_templates(role)) == templates


@pytest.mark.parametrize("component", COMPONENTS)
def test_a_component_reads_only_its_own_variables(component):
    files = sorted((ROOT / "roles" / component / "templates").glob("*.j2"))
    files.append(ROOT / "roles" / component / "tasks" / "main.yml")
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


@pytest.mark.parametrize("role", ROLES_WITH_TEMPLATES)
def test_a_role_alone_renders_exactly_its_objects(role, rendered, tmp_path):
    """A role used alone (prod: every Secret there) renders exactly the objects that site.yml
    renders for that component, no other."""
    out = tmp_path / "out"
    result = run_playbook(PLAYBOOK, "prod", "-e", "role_alone=%s" % role, "-e", "split_brain_render_dir=%s" % out)
    assert result.returncode == 0, result.stdout[-4000:]
    alone = load_dir(out)
    assert alone and {component(obj) for obj in alone} == {role}
    assert by_key(alone) == by_key(obj for obj in rendered["prod"] if component(obj) == role)
