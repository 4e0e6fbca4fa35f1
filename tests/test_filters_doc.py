"""Every public filter of the collection has its own documentation (plugins/filter/<name>.yml, the
format of ansible-core 2.14+), as ``ansible-doc -t filter`` shows it; the public set is what the
roles, the playbooks and their templates use, and no helper beyond it is a filter."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

ANSIBLE_DOC = str(Path(sys.executable).with_name("ansible-doc"))
PUBLIC = {
    "api_error", "api_failure", "apply_order", "config_data", "image_ref", "int_or_string", "labels", "manifests",
    "missing_secret_keys", "name_refs", "object_keys", "public_egress", "scrub", "secret_checksum", "secret_refs",
    "to_json", "url_egress",
    # What the four components' objects share (plugins/plugin_utils/workload.py).
    "checksum_annotations", "container_resources", "container_security_context", "extra_annotations", "http_probe",
    "network_policy_spec", "pod_labels",
    "pod_placement", "pod_security_context", "pod_volumes", "secret_env", "selector",
}
# Functions of plugins/plugin_utils/manifest.py that only the plugins call: not filters.
INTERNAL = {"redact", "parse_url"}


def ansible_doc(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    result = subprocess.run([ANSIBLE_DOC, "-t", "filter", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def docs():
    """``ansible-doc --json`` of every listed filter, in one call."""
    names = sorted(json.loads(ansible_doc("--list", "--json", "split_brain.deploy")))
    return json.loads(ansible_doc("--json", *names))


def used_filters():
    """Every ``split_brain.deploy.<name>`` used as a filter in roles/, playbooks/ and site.yml."""
    text = "\n".join(path.read_text() for folder in ("roles", "playbooks") for path in (ROOT / folder).rglob("*")
                     if path.is_file() and path.suffix in (".yml", ".yaml", ".j2"))
    text += (ROOT / "site.yml").read_text()
    piped = re.findall(r"\|\s*split_brain\.deploy\.(\w+)", text)
    mapped = re.findall(r"map\(\s*'split_brain\.deploy\.(\w+)'", text)
    return set(piped + mapped)


def test_the_list_is_the_public_set():
    listed = json.loads(ansible_doc("--list", "--json", "split_brain.deploy"))
    assert set(listed) == {"split_brain.deploy." + name for name in PUBLIC}
    assert not {"split_brain.deploy." + name for name in INTERNAL} & set(listed)


def test_every_filter_the_roles_use_is_public():
    used = used_filters()
    assert used, "found no filter use in roles/ or playbooks/"
    assert used <= PUBLIC, used - PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_each_filter_has_its_own_documentation(docs, name):
    entry = docs["split_brain.deploy." + name]
    doc = entry["doc"]
    assert doc["name"] == name
    assert Path(doc["filename"]).name == name + ".yml"
    assert doc["short_description"] and doc["description"]
    assert "_input" in doc["options"] and all(option.get("description") for option in doc["options"].values())
    assert "split_brain.deploy." + name in entry["examples"]
    yaml.safe_load(entry["examples"])  # the examples are YAML
    assert entry["return"]["_value"]["description"]


def test_no_two_filters_share_a_short_description(docs):
    shorts = [entry["doc"]["short_description"] for entry in docs.values()]
    assert len(set(shorts)) == len(shorts) == len(PUBLIC)


def test_the_text_output_shows_a_filter(docs):
    text = ansible_doc("split_brain.deploy.url_egress")
    assert "excluded_cidrs" in text and "EXAMPLES" in text and "url_egress.yml" in text
