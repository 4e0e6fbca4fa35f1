"""The objects lookup (plugins/lookup/objects.py) and the compiled templates it renders with
(plugins/plugin_utils/templates.py).

The lookup runs with Ansible's templating in a child process (the plugin loader is set up once
per process, as in ansible-playbook), which prints what it saw as JSON.
"""

import json
import os
import subprocess
import sys
import textwrap

import jinja2
import pytest

from unit_helpers import ROOT

from ansible_collections.split_brain.deploy.plugins.plugin_utils import templates

CHILD = textwrap.dedent("""
    import copy, json, sys
    import jinja2
    from ansible.plugins.loader import init_plugin_loader
    init_plugin_loader([%(collections)r])
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar, trust_as_template
    from ansible_collections.split_brain.deploy.plugins.plugin_utils import templates

    folder, expression = sys.argv[1], sys.argv[2]
    variables = {"ansible_search_path": [folder], "name": "web", "token": "s3cr3t-value", "ports": [80, 443],
                 "workload": {"name": "router"}}
    before = copy.deepcopy(variables)
    if "--compiled" in sys.argv:
        templates.compile_templates([folder + "/templates"])
    if "--edit" in sys.argv:
        with open(folder + "/templates/part.yaml.j2", "a") as handle:
            handle.write("  edited: true\\n")
    compiled = []
    original = jinja2.Environment.compile
    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)
    jinja2.Environment.compile = counting
    out = {"variables_unchanged": variables == before}
    try:
        out["value"] = Templar(loader=DataLoader(), variables=variables).template(trust_as_template(expression))
    except Exception as exc:
        out["error"] = str(exc)
    out["compiled"] = sorted(name for name in compiled if name)
    out["variables_unchanged"] = variables == before
    print(json.dumps(out, default=str))
""")

TOP = """\
{%- set greeting = 'hello ' ~ name -%}
{% include 'part.yaml.j2' %}

---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ (name ~ '-config') | split_brain.deploy.to_json }}
data:
  greeting: {{ greeting | split_brain.deploy.to_json }}
{% for port in ports %}
  port-{{ port }}: {{ port | string | split_brain.deploy.to_json }}
{% endfor %}
---
"""

PART = """\
apiVersion: v1
kind: Secret
metadata:
  name: {{ name | split_brain.deploy.to_json }}
stringData:
  token: {{ token | split_brain.deploy.to_json }}
"""

BROKEN = """\
apiVersion: v1
kind: Secret
stringData:
  token: {{ token | split_brain.deploy.to_json }}
  other: [
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "top.yaml.j2").write_text(TOP)
    (tmp_path / "templates" / "part.yaml.j2").write_text(PART)
    (tmp_path / "templates" / "broken.yaml.j2").write_text(BROKEN)
    for newlines in range(4):  # a kept block scalar at the end shows every trailing newline
        (tmp_path / "templates" / ("kept%d.yaml.j2" % newlines)).write_text("kept: |+\n  {{ name }}" + "\n" * newlines)
    return tmp_path


def run(folder, expression, *flags):
    script = CHILD % {"collections": str(ROOT / "collections")}
    out = subprocess.run([sys.executable, "-c", script, str(folder), expression, *flags], capture_output=True, text=True,
                         check=True, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(ROOT / "collections")))
    return json.loads(out.stdout)


EXPECTED = [
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "web"}, "stringData": {"token": "s3cr3t-value"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config"},
     "data": {"greeting": "hello web", "port-80": "80", "port-443": "443"}},
]


def test_it_renders_the_objects_the_template_lookup_and_manifests_render(folder):
    ours = run(folder, "{{ query('split_brain.deploy.objects', 'top.yaml.j2') }}")
    theirs = run(folder, "{{ lookup('ansible.builtin.template', 'top.yaml.j2') | split_brain.deploy.manifests }}")
    assert ours["value"] == theirs["value"] == EXPECTED
    names = ["kept%d.yaml.j2" % newlines for newlines in range(4)]
    ours = run(folder, "{{ query('split_brain.deploy.objects', %s) }}" % ", ".join(map(repr, names)))
    theirs = run(folder, "{{ %s }}" % " + ".join(
        "(lookup('ansible.builtin.template', %r) | split_brain.deploy.manifests)" % name for name in names))
    assert ours["value"] == theirs["value"] == [{"kept": "web" + "\n" * newlines} for newlines in range(4)]
    # Several templates: their objects one after the other.
    both = run(folder, "{{ query('split_brain.deploy.objects', 'part.yaml.j2', 'top.yaml.j2') }}")
    assert both["value"] == EXPECTED[:1] + EXPECTED


def test_a_template_s_own_assignments_never_reach_the_task_variables(folder):
    (folder / "templates" / "top.yaml.j2").write_text("{% set name = 'changed' %}{% set ports = [] %}\n" + TOP)
    out = run(folder, "{{ query('split_brain.deploy.objects', 'top.yaml.j2') }}")
    assert out["value"][1]["metadata"]["name"] == "changed-config"  # the template saw its own assignment
    assert out["variables_unchanged"]


def test_precompiled_templates_are_not_compiled_again(folder):
    # Without the main process's compilation, each render compiles the templates it loads.
    assert run(folder, "{{ query('split_brain.deploy.objects', 'top.yaml.j2') }}")["compiled"] == ["part.yaml.j2", "top.yaml.j2"]
    out = run(folder, "{{ query('split_brain.deploy.objects', 'top.yaml.j2') }}", "--compiled")
    assert out["compiled"] == [] and out["value"] == EXPECTED


def test_a_template_changed_after_it_was_compiled_is_compiled_again(folder):
    out = run(folder, "{{ query('split_brain.deploy.objects', 'top.yaml.j2') }}", "--compiled", "--edit")
    assert out["compiled"] == ["part.yaml.j2"]
    assert out["value"][0]["stringData"] == {"token": "s3cr3t-value", "edited": True}


def test_invalid_yaml_names_the_template_and_where_never_the_text(folder):
    out = run(folder, "{{ query('split_brain.deploy.objects', 'broken.yaml.j2') }}")
    assert "broken.yaml.j2" in out["error"] and "line 6, column 1" in out["error"], out["error"]
    assert "s3cr3t-value" not in out["error"]


def test_a_missing_template_is_named(folder):
    out = run(folder, "{{ query('split_brain.deploy.objects', 'nothing.yaml.j2') }}")
    assert "the template nothing.yaml.j2 could not be found" in out["error"]


def test_compiled_code_is_reused_only_by_environments_that_would_compile_the_same():
    cache = templates.CompiledTemplates()
    source = {"t": "{% if true %}\nkept{% endif %}|{{ '<b>' }}"}

    def render(**settings):
        env = jinja2.Environment(loader=jinja2.DictLoader(source), bytecode_cache=cache, **settings)
        return env.get_template("t").render()

    assert render(trim_blocks=False) == "\nkept|<b>"
    assert render(trim_blocks=True) == "kept|<b>"  # not the code compiled without trim_blocks
    assert render(trim_blocks=True, autoescape=True) == "kept|&lt;b&gt;"
    assert len(cache.codes) == 3
    assert render(trim_blocks=False) == "\nkept|<b>" and len(cache.codes) == 3


def test_the_collection_s_templates_all_compile():
    expected = sorted(path.name for path in ROOT.glob("roles/*/templates/*.j2"))
    script = ("import sys; from ansible.plugins.loader import init_plugin_loader; init_plugin_loader([%r]);"
              "from ansible_collections.split_brain.deploy.plugins.plugin_utils import templates;"
              "print(templates.compile_collection_templates())" % str(ROOT / "collections"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(expected) > 10
