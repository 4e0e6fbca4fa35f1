"""A removed module or plugin is named as removed, with its version and what replaces it.

meta/runtime.yml's plugin_routing holds a tombstone for every name an earlier version had; ansible-doc
and a playbook that use one print its warning_text instead of "couldn't resolve module/action".
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

BIN = Path(sys.executable).parent
RUNTIME = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())

# (plugin type, name, version that removed it, what the message must name instead)
REMOVED = [
    ("module", "prune", "2.0.0", "split_brain.deploy.release"),
    ("module", "rollout", "2.0.0", "split_brain.deploy.release"),
    ("module", "k8s_apply", "2.0.0", "split_brain.deploy.release"),
    ("module", "lock", "2.0.0", "split_brain.deploy.release"),
    ("module", "field_owners", "2.0.0", "split_brain.deploy.release"),
    ("lookup", "objects", "2.0.0", "split_brain.deploy.manifests"),
    ("filter", "redact", "2.0.0", "split_brain.deploy.scrub"),
    ("module", "render", "3.0.0", "split_brain.deploy.release"),
    ("module", "report_changes", "3.0.0", "split_brain.deploy.release"),
]

# Modules the release rewrite (one split_brain.deploy.release action) removes in 3.0.0. A tombstone
# wins over the plugin file, so it may only be added once the module is gone: while the roles still
# call the module, its tombstone would break every playbook.
REMOVED_IN_3 = ["render", "report_changes", "release_state"]


def _env(tmp_path):
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(ROOT / "collections"), ANSIBLE_NOCOLOR="1",
                ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
                ANSIBLE_HOME=str(tmp_path / "home"))


def _run(cmd, tmp_path):
    # From an empty folder: no ansible.cfg of the repository, only the collections path.
    result = subprocess.run(cmd, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def _section(plugin_type):
    return "modules" if plugin_type == "module" else plugin_type


@pytest.mark.parametrize("plugin_type,name,version,replacement", REMOVED, ids=[r[1] for r in REMOVED])
def test_ansible_doc_names_the_version_and_the_replacement(tmp_path, plugin_type, name, version, replacement):
    rc, output = _run([str(BIN / "ansible-doc"), "-t", plugin_type, "split_brain.deploy." + name], tmp_path)
    assert rc != 0
    text = " ".join(output.split())
    assert "split_brain.deploy.%s' %s" % (name, "module" if plugin_type == "module" else plugin_type + " plugin") \
        + " has been removed" in text, text
    assert "removed in %s" % version in text, text
    assert replacement in text, text


def _playbook(tmp_path, task):
    path = tmp_path / "play.yml"
    path.write_text(yaml.safe_dump([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                                     "tasks": [task]}], sort_keys=False))
    return [str(BIN / "ansible-playbook"), "-i", "localhost,", str(path)]


def test_a_playbook_that_uses_a_removed_module_is_told_what_to_use(tmp_path):
    rc, output = _run(_playbook(tmp_path, {"name": "Prune", "split_brain.deploy.prune": {"namespace": "x"}}),
                      tmp_path)
    text = " ".join(output.split())
    assert rc != 0
    assert "split_brain.deploy.prune' module has been removed" in text, text
    assert "removed in 2.0.0" in text and "use split_brain.deploy.release" in text, text
    assert "couldn't resolve module" not in text


def test_a_playbook_that_uses_the_removed_lookup_is_told_what_to_use(tmp_path):
    task = {"name": "Objects", "ansible.builtin.debug": {"msg": "{{ lookup('split_brain.deploy.objects', 'x') }}"}}
    rc, output = _run(_playbook(tmp_path, task), tmp_path)
    text = " ".join(output.split())
    assert rc != 0
    assert "removed in 2.0.0" in text and "split_brain.deploy.manifests" in text, text


def test_every_tombstone_is_tested_and_names_a_replacement():
    routing = RUNTIME["plugin_routing"]
    tested = {(_section(t), n) for t, n, _v, _r in REMOVED}
    for section, plugins in routing.items():
        for name, entry in plugins.items():
            tombstone = entry["tombstone"]
            assert (section, name) in tested or name in REMOVED_IN_3, (section, name)
            assert "removed in %s" % tombstone["removal_version"] in tombstone["warning_text"]
            assert " use " in tombstone["warning_text"]


@pytest.mark.parametrize("name", REMOVED_IN_3)
def test_a_module_of_the_release_rewrite_has_a_tombstone_once_it_is_gone(name):
    modules = RUNTIME["plugin_routing"].get("modules", {})
    if (ROOT / "plugins" / "modules" / (name + ".py")).exists():
        # Still used by the roles: a tombstone now would shadow it and break every playbook.
        assert name not in modules, "%s still exists; its tombstone must land with its removal" % name
        return
    tombstone = modules[name]["tombstone"]
    assert tombstone["removal_version"] == "3.0.0"
    assert "removed in 3.0.0" in tombstone["warning_text"]
    assert "split_brain.deploy.release" in tombstone["warning_text"]
