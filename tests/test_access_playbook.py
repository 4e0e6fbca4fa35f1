"""playbooks/access.yml without a cluster: bad settings stop it before any object is touched, and
the tables of docs/permissions.md are the rules the playbook grants (roles/split_brain/vars)."""

import re

import pytest
import yaml

from helpers import ROOT, run_playbook

RULES = yaml.safe_load((ROOT / "roles" / "split_brain" / "vars" / "main.yml").read_text())
CLUSTER_TASKS = ("Find out whether the release namespace exists", "Apply the identity")


def readme_rows():
    """``{(group, resources, verbs)}`` of the tables of docs/permissions.md."""
    section = (ROOT / "docs" / "permissions.md").read_text()
    rows = set()
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("`"):
            group = cells[0].strip("`").strip('"')
            verbs = cells[3] if len(cells) == 5 else cells[2]
            rows.add((group, tuple(r.strip() for r in cells[1].split(",")), tuple(v.strip() for v in verbs.split(","))))
    return rows


@pytest.mark.parametrize("name", ["split_brain_access_namespaced_rules", "split_brain_access_namespace_rules"])
def test_the_readme_documents_every_rule(name):
    rows = readme_rows()
    for rule in RULES[name]:
        for group in rule["apiGroups"]:
            assert (group, tuple(rule["resources"]), tuple(rule["verbs"])) in rows, rule


def test_the_cluster_role_names_only_the_release_namespace():
    (rule,) = RULES["split_brain_access_namespace_rules"]
    assert rule["resources"] == ["namespaces"] and rule["resourceNames"] == ["{{ split_brain_namespace }}"]
    assert not {"create", "delete", "update", "*"} & set(rule["verbs"])


@pytest.mark.parametrize("args, message", [
    ([], "split_brain_access_kubeconfig_path: set it to the file"),
    (["-e", "split_brain_access_kubeconfig_path=/tmp/x", "-e", "split_brain_access_service_account=Deploy_Bot"],
     'split_brain_access_service_account: "Deploy_Bot" is not a DNS-1123 label'),
    (["-e", "split_brain_access_kubeconfig_path=/tmp/x", "-e", "split_brain_access_server=http://10.0.0.1"],
     'split_brain_access_server: "http://10.0.0.1" is not an https:// URL'),
    (["-e", "split_brain_access_kubeconfig_path=/tmp/x", "-e", "split_brain_kubeconfig=/tmp/x"],
     "split_brain_access_kubeconfig_path: is the admin's split_brain_kubeconfig"),
])
def test_bad_settings_stop_access_before_the_cluster(args, message):
    result = run_playbook("playbooks/access.yml", "dev", *args)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in re.sub(r"\s+", " ", output), output[-3000:]
    for task in CLUSTER_TASKS:
        assert task not in output
