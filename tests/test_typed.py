"""plugins/plugin_utils/validation/typed.py: variable files read again as typed (PyYAML's composer),
the YAML 1.1 readings that are not what was written, duplicate keys, the files of a run, and the
values built by templates (validation/templated.py). No playbook runs here."""

import datetime
import sys
import textwrap

import pytest
import yaml

from helpers import ROOT

sys.path.insert(0, str(ROOT / "collections"))

from ansible_collections.split_brain.deploy.plugins.action.validate import internal_names, internal_problems, load_specs  # noqa: E402
from ansible.template import trust_as_template  # noqa: E402

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import metadata, spec, templated, typed  # noqa: E402

OPTIONS = load_specs()[0]


def scan(tmp_path, text, name="vars.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return typed.read(str(path))


@pytest.mark.parametrize("text, value, reason", [
    ("010", 8, "integer"),
    ("0o10", "0o10", None),  # YAML 1.1 has no 0o: a string, as written
    ("0x1F", 31, "integer"),
    ("12:00", 720, "integer"),
    ("1_000", 1000, "integer"),
    ("+3", 3, "integer"),
    ("1.10", 1.1, "float"),
    ("1_0.5", 10.5, "float"),
    (".inf", float("inf"), "float"),
    ("off", False, "boolean word"),
    ("yes", True, "boolean word"),
    ("On", True, "boolean word"),
    ("2026-01-01", datetime.date(2026, 1, 1), "timestamp"),
    ("2026-01-01 10:00:00", datetime.datetime(2026, 1, 1, 10, 0), "timestamp"),
    ("!!binary aGVsbG8=", b"hello", "the tag !!binary"),
    ('!!int "7"', 7, "the tag !!int"),
])
def test_changed_readings(tmp_path, text, value, reason):
    root, _dups = scan(tmp_path, "x: %s\n" % text)
    scalar = root.items["x"]
    if reason is None:
        assert scalar.kind == "string" and scalar.value == value
    else:
        assert scalar.kind == "changed", scalar
        assert scalar.reason == reason
        assert scalar.value == value


@pytest.mark.parametrize("text, kind", [
    ("8080", "canonical"), ("-3", "canonical"), ("0", "canonical"), ("1.5", "canonical"), ("true", "canonical"),
    ("False", "canonical"), ("", "canonical"), ("~", "canonical"), ('"010"', "string"), ("'off'", "string"),
    ("!!str 010", "string"), ("y", "string"), ("n", "string"), ("1e3", "string"), ("v1.10", "string"),
    ("!unsafe '{{ x }}'", "string"), ("!vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3132", "secret"),
])
def test_readings_as_written(tmp_path, text, kind):
    root, _dups = scan(tmp_path, "x: %s\n" % text)
    assert root.items["x"].kind == kind


def test_duplicate_keys_at_every_level(tmp_path):
    root, dups = scan(tmp_path, """\
        ---
        a: 1
        b:
          C: x
          C: y
        a: 2
        """)
    assert [(line, key, first) for _file, line, key, first in dups] == [(5, "b.C", 4), (6, "a", 2)]
    lines = typed.duplicate_lines(dups)
    assert any(line.startswith("a: given twice in ") and "(line 2, and line 6)" in line for line in lines), lines


def test_a_vault_file_is_skipped(tmp_path):
    assert scan(tmp_path, "$ANSIBLE_VAULT;1.1;AES256\n6162\n") == (None, ())


def test_messages_quote_the_text_as_written(tmp_path):
    root, _dups = scan(tmp_path, "r: 010\nu: 0022\nt: 12:00\nb: yes\n")
    assert typed.finding_line("router_replicas", root.items["r"], "int") == (
        'router_replicas: 010 is read by YAML 1.1 as the integer 8; write 10, or quote it ("010") if you mean text')
    assert typed.finding_line("router_config_extra.UMASK", root.items["u"], "str") == (
        'router_config_extra.UMASK: 0022 is read by YAML 1.1 as the integer 18; quote it: "0022"')
    assert "(base 60)" in typed.finding_line("ui_session_ttl_hours", root.items["t"], "int")
    assert typed.finding_line("router_cache_enabled", root.items["b"], "bool").startswith(
        "router_cache_enabled: yes is read by YAML 1.1 as the boolean true; write true")
    # A secret's text is never quoted.
    assert "0022" not in typed.finding_line("router_anthropic_api_key", root.items["u"], "str", secret=True)


def test_no_message_names_a_python_class():
    class _AnsibleTaggedDate(datetime.date):
        pass

    value = _AnsibleTaggedDate(2026, 1, 1)
    problems, _bad = spec.type_problems({"router_image_tag": {"type": "str"}}, {"router_image_tag": value},
                                        written={"router_image_tag": "2026-01-01"})
    assert problems == ['router_image_tag: must be a string, got the date 2026-01-01; quote it in YAML ("2026-01-01")'
                        ' so it stays a string']
    for value in (b"x", {1, 2}, object(), datetime.datetime(2026, 1, 1)):
        assert "_" not in spec.describe(value) and "object" not in spec.describe(value)


def _host_vars(tmp_path, files, task_vars):
    """The task vars of host h1 of an inventory made of ``files`` (written under ``tmp_path``)."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    base = {"ansible_inventory_sources": [str(tmp_path / "hosts.yml")], "inventory_hostname": "h1",
            "group_names": ["split_brain"], "playbook_dir": str(tmp_path / "playbooks")}
    base.update(task_vars)
    return base


def _run(tmp_path, files, task_vars, extra_vars=()):
    values = {name: task_vars[name] for name in task_vars if name in OPTIONS}
    return typed.check(_host_vars(tmp_path, files, task_vars), OPTIONS, values, extra_vars)[:4]


def test_the_files_of_a_run_and_what_is_in_effect(tmp_path):
    files = {
        "hosts.yml": "split_brain:\n  hosts:\n    h1:\n      ui_replicas: 0x2\n  vars:\n    classifier_replicas: 010\n",
        "group_vars/all/10-base.yml": "router_replicas: 010\nrouter_max_in_flight: 010\n",
        "group_vars/all/local.yml": "router_max_in_flight: 20\n",
        "host_vars/h1/a.yml": "router_config_extra:\n  UMASK: 0022\n  PORT: 8080\n  ON: off\n  KEY: '0022'\n",
        "group_vars/other.yml": "router_cache_ttl_seconds: 010\n",  # not a group of the host
        "playbooks/group_vars/split_brain.yml": "ui_session_ttl_hours: 12:00\n",
        "extra.yml": "cloudflared_replicas: 0b11\n",
    }
    task_vars = {"router_replicas": 8, "router_max_in_flight": 20, "classifier_replicas": 8, "ui_replicas": 2,
                 "router_config_extra": {"UMASK": 18, "PORT": 8080, "ON": False, "KEY": "0022"},
                 "ui_session_ttl_hours": 720, "cloudflared_replicas": 3}
    lines, bad, written, names = _run(tmp_path, files, task_vars, ["@%s" % (tmp_path / "extra.yml"), "a=b"])
    assert sorted(bad) == ["classifier_replicas", "cloudflared_replicas", "router_config_extra", "router_replicas",
                           "ui_replicas", "ui_session_ttl_hours"]
    text = "\n".join(lines)
    assert "router_max_in_flight" not in text  # 010 lost to local.yml's 20, which is in effect
    assert 'router_config_extra.UMASK: 0022 is read by YAML 1.1 as the integer 18; quote it: "0022"' in text
    assert 'router_config_extra.ON: off is read by YAML 1.1 as the boolean false; quote it: "off"' in text
    assert "PORT" not in text and "KEY" not in text  # 8080 renders as written; '0022' is a string
    assert "ui_replicas: 0x2 is read by YAML 1.1 as the integer 2" in text
    assert "cloudflared_replicas: 0b11 is read by YAML 1.1 as the integer 3" in text
    assert "ui_session_ttl_hours: 12:00" in text
    assert written["router_config_extra.PORT"] == "8080"
    assert {"router_replicas", "router_config_extra", "cloudflared_replicas"} <= names


def test_an_inventory_folder_is_read_like_ansible_reads_it(tmp_path):
    """`-i inventories/dev`: the YAML files of the folder are inventory files, its group_vars too."""
    (tmp_path / "inv" / "group_vars" / "all").mkdir(parents=True)
    (tmp_path / "inv" / "hosts.yml").write_text("all:\n  children:\n    split_brain:\n      hosts:\n        h1:\n"
                                                "          router_replicas: 010\n")
    (tmp_path / "inv" / "group_vars" / "all" / "10-base.yml").write_text("router_max_in_flight: 1_0\n")
    task_vars = {"ansible_inventory_sources": [str(tmp_path / "inv")], "inventory_hostname": "h1",
                 "group_names": ["split_brain"], "router_replicas": 8, "router_max_in_flight": 10}
    lines, bad, _written, _names, _effect = typed.check(task_vars, OPTIONS, {}, ())
    assert bad == {"router_replicas", "router_max_in_flight"}, lines


def test_free_form_values_from_elsewhere_are_typed_too(tmp_path):
    """A value no file holds (-e as JSON, a template): a string or an integer, nothing else."""
    task_vars = {"ui_config_extra": {"A": True, "B": [1], "C": None, "D": "x", "E": 3}}
    lines, bad, _written, _names = _run(tmp_path, {"hosts.yml": "all: {}\n"}, task_vars)
    assert bad == {"ui_config_extra"}
    assert lines == ["ui_config_extra.A: must be a string, got the boolean true; every value of ui_config_extra is one string",
                     "ui_config_extra.B: must be a string, got a list; every value of ui_config_extra is one string",
                     "ui_config_extra.C: must be a string, got null; every value of ui_config_extra is one string"]


def test_free_form_maps_of_the_specs():
    free = sorted(name for name, option in OPTIONS.items() if typed.free_form(option))
    assert free == ["classifier_config_extra", "router_config_extra", "split_brain_dns_pod_labels",
                    "split_brain_extra_annotations", "split_brain_extra_labels", "ui_config_extra"]


def test_internal_variables():
    internal = internal_names()
    assert {"split_brain_common_labels", "split_brain_managed_selector", "split_brain_connection"} <= internal
    assert not internal & set(OPTIONS)
    assert internal_problems({"split_brain_common_labels", "router_replicas"}, internal) == [
        "split_brain_common_labels: is internal to split_brain.deploy (its roles set it) and cannot be set from the"
        " inventory or -e; add labels of your own with split_brain_extra_labels"]


def test_extra_metadata_keeps_the_collections_keys():
    assert metadata.reserved_prefixes() == ("app.kubernetes.io/", "split-brain.io/")
    assert metadata.extra_metadata_problems({"split_brain_extra_labels": {"example.com/team": "a"},
                                             "split_brain_extra_annotations": {"example.com/owner": "b"}}) == []
    found = metadata.extra_metadata_problems({"split_brain_extra_labels": {"app.kubernetes.io/name": "x"},
                                              "split_brain_extra_annotations": {"split-brain.io/secret-checksum": "x",
                                                                                "bad key": "x"}})
    assert [line.split(":")[0] for line in found] == [
        "split_brain_extra_labels.app.kubernetes.io/name", "split_brain_extra_annotations.split-brain.io/secret-checksum",
        "split_brain_extra_annotations"]


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings, strategies as st  # noqa: E402

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import config_data  # noqa: E402

PLAIN = st.text(alphabet=st.sampled_from("0123456789_:.-+eExXoObB yesnoffalstrueYN~!@#TZ/[]{},'\"aGVsbG8="), min_size=0, max_size=14)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=PLAIN)
@example(text="0022")
@example(text="1:30")
@example(text="off")
@example(text="2026-01-01")
@example(text="8080")
@example(text="!!binary aGVsbG8=")
@example(text="[true, false]")
@example(text="1.10")
def test_a_free_form_value_renders_as_typed_or_is_refused(tmp_path, text):
    """Whatever is typed as a value of router_config_extra: the ConfigMap gets exactly that text, or
    the validation refuses it, naming the key."""
    source = "router_config_extra:\n  K: %s\n" % text
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return  # Ansible refuses the file itself
    if not isinstance(data, dict) or not isinstance(data.get("router_config_extra"), dict) \
            or list(data["router_config_extra"]) != ["K"]:
        return
    path = tmp_path / ("case-%d.yml" % abs(hash(text)))
    path.write_text(source)
    task_vars = {"ansible_inventory_sources": [], "inventory_hostname": "h1", "group_names": [],
                 "router_config_extra": data["router_config_extra"]}
    lines = typed.check(task_vars, OPTIONS, {"router_config_extra": data["router_config_extra"]}, ["@%s" % path])[0]
    root, _dups = typed.read(str(path))
    typed_text = root.items["router_config_extra"].items["K"]
    if any(line.startswith("router_config_extra.K:") for line in lines):
        return
    assert isinstance(typed_text, typed.Scalar) and typed_text.kind in ("string", "canonical"), (text, lines)
    rendered = config_data(data["router_config_extra"])["K"]
    # A string is rendered as its text; an accepted number exactly as it was typed.
    assert rendered == (typed_text.value if typed_text.kind == "string" else typed_text.text), (text, rendered)


# Files as Ansible finds them, -e as text, merge keys (issue 25) ------------------------------------

def test_a_file_beside_a_folder_of_the_same_group_is_ignored_by_ansible_and_named(tmp_path):
    files = {"hosts.yml": "all: {}\n", "group_vars/all/main.yml": "router_replicas: 3\n",
             "group_vars/all.yml": "router_replicas: 010\n", "host_vars/h1.yml": "ui_replicas: 2\n",
             "host_vars/h1.yaml": "ui_replicas: 0x2\n"}
    lines, bad, _written, _names = _run(tmp_path, files, {"router_replicas": 3, "ui_replicas": 2})
    assert bad == set(), lines  # the ignored files' 010 and 0x2 are not in effect, and not read
    text = "\n".join(lines)
    assert "group_vars/all.yml: Ansible ignores this file, as it reads %s/ (a folder) for group all first" % (
        typed._where(str(tmp_path / "group_vars" / "all"))) in text
    assert "host_vars/h1.yaml: Ansible ignores this file, as it reads %s for host h1 first" % (
        typed._where(str(tmp_path / "host_vars" / "h1.yml"))) in text


def test_a_vars_file_without_extension_in_a_folder_is_read(tmp_path):
    files = {"hosts.yml": "all: {}\n", "group_vars/split_brain/vars": "router_replicas: 010\n",
             "group_vars/split_brain/backup.yml~": "ui_replicas: 010\n", "group_vars/split_brain/x.json": '{"classifier_replicas": 2}\n'}
    lines, bad, _written, names = _run(tmp_path, files, {"router_replicas": 8, "ui_replicas": 8, "classifier_replicas": 2})
    assert bad == {"router_replicas"}, lines
    assert "classifier_replicas" in names and "ui_replicas" not in names


def test_inline_extra_vars_are_read_as_typed(tmp_path):
    lines, bad, _written, names = _run(tmp_path, {"hosts.yml": "all: {}\n"}, {"router_replicas": 8, "ui_replicas": 3},
                                       ["{router_replicas: 010}", '{"ui_replicas": 3}', "a=b"])
    assert bad == {"router_replicas"}
    assert lines == ['router_replicas: 010 is read by YAML 1.1 as the integer 8; write 10, or quote it ("010") if you mean text']
    assert {"router_replicas", "ui_replicas"} <= names
    assert typed.inline_extra_vars(["@f.yml", "a=b", "[1]", "{a: 1}"]) == ["[1]", "{a: 1}"]


def test_merge_keys_are_followed(tmp_path):
    files = {"hosts.yml": "all: {}\n", "group_vars/all.yml": """\
        x_base: &base
          UMASK: 0022
          LEVEL: info
        x_more: &more
          LEVEL: debug
          ON: off
        router_config_extra:
          <<: [*base, *more]
          LEVEL: warn
        """}
    value = {"UMASK": 18, "LEVEL": "warn", "ON": False}
    lines, bad, _written, _names = _run(tmp_path, files, {"router_config_extra": value, "x_base": {}, "x_more": {}})
    assert bad == {"router_config_extra"}
    assert sorted(lines) == ['router_config_extra.ON: off is read by YAML 1.1 as the boolean false; quote it: "off"',
                             'router_config_extra.UMASK: 0022 is read by YAML 1.1 as the integer 18; quote it: "0022"']


def test_ini_inventory_variables_and_their_hints(tmp_path):
    (tmp_path / "hosts.ini").write_text("# a=1\n[split_brain]\nh1 ansible_connection=local router_image_tag=1.10\n"
                                        "[split_brain:vars]\nui_google_client_id = 0022\n")
    found = typed.ini_variables({"ansible_inventory_sources": [str(tmp_path / "hosts.ini")]})
    assert found == {"ansible_connection": "host", "router_image_tag": "host", "ui_google_client_id": "vars"}
    lines = typed.ini_hints(["router_image_tag: ... quote it in YAML", "ui_google_client_id: ... quote it",
                             "router_replicas: quote it", "router_image_tag: other"], found)
    assert lines[0].endswith("write router_image_tag='\"...\"' there, or set it in a YAML host_vars/group_vars file")
    assert lines[1].endswith('write ui_google_client_id="..." there (double quotes), or set it in a YAML group_vars file')
    assert lines[2:] == ["router_replicas: quote it", "router_image_tag: other"]


def _built(tmp_path, files, task_vars, extra_vars=()):
    """templated.built_from_lines over the run of ``files`` (templates trusted, as Ansible loads them)."""
    base = _host_vars(tmp_path, files, {name: trust_as_template(value) if isinstance(value, str) else value
                                        for name, value in task_vars.items()})
    effect = typed.check(base, OPTIONS, {}, extra_vars)[4]
    secrets = {name for name, option in OPTIONS.items() if option.get("no_log")}
    return templated.built_from_lines(OPTIONS, base, effect, secrets)


def test_a_template_is_judged_by_what_it_reads_from_inline_extra_vars(tmp_path):
    lines, names = _built(tmp_path, {"hosts.yml": "all: {}\n"},
                          {"app_version": 1.1, "router_image_tag": "v{{ app_version }}", "count": 8,
                           "router_replicas": "{{ count }}"},
                          ["{app_version: 1.10, count: 010}", "router_image_tag=v{{ app_version }}"])
    assert lines == [
        'router_image_tag: is built from app_version, whose 1.10 is read by YAML 1.1 as the float 1.1; quote it: "1.10"',
        'router_replicas: is built from count, whose 010 is read by YAML 1.1 as the integer 8; write 10, or quote it'
        ' ("010") if you mean text']
    assert names == {"router_image_tag", "router_replicas"}


def test_a_template_reading_what_renders_as_written_passes(tmp_path):
    """A date made text is its own text again; a canonical number too; an unused key is not judged;
    a secret's mapping is the secret rules' concern; an !unsafe value is not a template."""
    files = {"hosts.yml": "all: {}\n",
             "group_vars/all.yml": "day: 2026-01-01\nport: 8080\nversions: {router: '1.10', other: 010}\n"}
    lines, names = _built(tmp_path, files, {
        "day": datetime.date(2026, 1, 1), "port": 8080, "versions": {"router": "1.10", "other": 8},
        "router_image_tag": "r{{ day }}-{{ port }}", "ui_image_tag": "{{ versions.router }}",
        "router_anthropic_api_key": "{{ port }}"})
    assert (lines, names) == ([], set())
