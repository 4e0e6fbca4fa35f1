"""No Secret value in any output: every playbook at -vvvv, with a distinct value in every secret
variable, prints none of them (plain, base64 or JSON-escaped), whether it succeeds or fails; nor
does a job event of ansible-runner (AWX's engine) or ansible-navigator's playbook artifact, at
verbosity 0. Offline: against an API server nobody listens on, and a template error in a role.
tests/cluster/test_secret_leaks.py runs the same on the local cluster, an API refusal included.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT
from leaks import distinct_values, leak_inventory, leaks

BIN = Path(sys.executable).parent
PLAYBOOKS = ("site", "status", "history", "rollback", "uninstall", "access")
RELEASE_TASK = "Render the objects and apply them under the release lock"


@pytest.fixture(scope="module")
def secrets(tmp_path_factory):
    """``(values, inventory, kubeconfig)``: the distinct values, the inventory holding them, and a
    kubeconfig whose API server nobody listens on."""
    folder = tmp_path_factory.mktemp("leaks")
    values = distinct_values()
    kubeconfig = folder / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "unreachable", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "nobody", "user": {"token": "not-a-secret-of-the-release"}}],
        "contexts": [{"name": "unreachable", "context": {"cluster": "unreachable", "user": "nobody"}}],
        "current-context": "unreachable",
    }))
    return values, leak_inventory(folder, values), kubeconfig


def env(kubeconfig, **extra):
    return dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                KUBECONFIG=str(kubeconfig), K8S_AUTH_KUBECONFIG=str(kubeconfig), **extra)


def playbook(name, inventory, kubeconfig, *args, **extra_env):
    cmd = [str(BIN / "ansible-playbook"), "-vvvv", str(ROOT / "playbooks" / ("%s.yml" % name)), "-i", str(inventory), *args]
    return subprocess.run(cmd, cwd=ROOT, env=env(kubeconfig, **extra_env), capture_output=True, text=True, check=False)


def assert_no_leak(result, values):
    output = result.stdout + result.stderr
    found = leaks(output, values)
    assert not found, "%s printed in:\n%s" % (found, output[-3000:])


@pytest.mark.parametrize("name", PLAYBOOKS)
def test_no_playbook_prints_a_secret_at_vvvv_when_the_cluster_does_not_answer(name, secrets, tmp_path):
    values, inventory, kubeconfig = secrets
    args = ["-e", "split_brain_access_kubeconfig_path=%s" % (tmp_path / "access.kubeconfig")] if name == "access" else []
    result = playbook(name, inventory, kubeconfig, *args)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "127.0.0.1" in result.stdout + result.stderr, result.stdout[-3000:]
    assert_no_leak(result, values)


@pytest.mark.parametrize("reveal", [False, True])
def test_render_prints_no_secret_at_vvvv(secrets, tmp_path, reveal):
    values, inventory, kubeconfig = secrets
    out = tmp_path / "out"
    result = playbook("render", inventory, kubeconfig, "-e", "split_brain_render_dir=%s" % out,
                      "-e", "split_brain_render_secrets=%s" % str(reveal).lower())
    assert result.returncode == 0, result.stdout[-3000:]
    assert_no_leak(result, values)
    written = "".join(path.read_text() for path in out.glob("*.yaml"))
    assert bool(leaks(written, values)) == reveal  # in the files only when asked for (0600 then)
    assert all(path.stat().st_mode & 0o077 == 0 for path in out.glob("*secret*.yaml")) or not reveal


def test_a_role_alone_prints_no_secret_at_vvvv(secrets, tmp_path):
    values, inventory, kubeconfig = secrets
    play = tmp_path / "router.yml"
    play.write_text(yaml.safe_dump([{"name": "The router alone", "hosts": "split_brain", "gather_facts": False,
                                     "roles": ["split_brain.deploy.router"]}]))
    for args in (["-e", "split_brain_render_dir=%s" % (tmp_path / "out")], []):
        cmd = [str(BIN / "ansible-playbook"), "-vvvv", str(play), "-i", str(inventory), *args]
        result = subprocess.run(cmd, cwd=ROOT, env=env(kubeconfig), capture_output=True, text=True, check=False)
        assert result.returncode == (0 if args else 2), result.stdout[-3000:]
        assert_no_leak(result, values)


@pytest.fixture
def broken_collection(tmp_path):
    """A copy of the collection whose router ConfigMap template fails on the API key (reads the
    text), as a fork with a mistake would: the error quotes the value it choked on."""
    root = tmp_path / "collections" / "ansible_collections" / "split_brain" / "deploy"
    root.mkdir(parents=True)
    for item in ("galaxy.yml", "meta", "plugins", "roles", "playbooks"):
        source = ROOT / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / item)
    template = root / "roles" / "router" / "templates" / "configmap.yaml.j2"
    template.write_text(template.read_text().replace("'DATA_DIR': split_brain_data_mount_path}",
                                                     "'DATA_DIR': split_brain_data_mount_path,\n"
                                                     "          'BROKEN': router_anthropic_api_key | to_datetime}"))
    assert "BROKEN" in template.read_text()
    return root


def test_a_template_error_prints_no_secret_at_vvvv(secrets, broken_collection, tmp_path):
    values, inventory, kubeconfig = secrets
    cmd = [str(BIN / "ansible-playbook"), "-vvvv", str(broken_collection / "playbooks" / "render.yml"), "-i", str(inventory),
           "-e", "split_brain_render_dir=%s" % (tmp_path / "out")]
    result = subprocess.run(cmd, cwd=tmp_path, env=env(kubeconfig, ANSIBLE_COLLECTIONS_PATH=str(broken_collection.parents[2])),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2, result.stdout[-3000:]
    assert "Rendering the objects of router failed" in result.stdout, result.stdout[-3000:]
    assert "********" in result.stdout  # the error quoted the value, which was scrubbed
    assert str(broken_collection) in result.stdout  # the broken copy ran, not the repository's
    assert_no_leak(result, values)


@pytest.mark.parametrize("name, args", [("render", ["-e", "split_brain_render_dir=OUT"]), ("site", [])])
def test_no_job_event_of_ansible_runner_holds_a_secret(secrets, tmp_path, name, args):
    """AWX's engine stores every task result as a job event: none holds a value (verbosity 0)."""
    runner = pytest.importorskip("ansible_runner")
    values, inventory, kubeconfig = secrets
    args = [arg.replace("OUT", str(tmp_path / "out")) for arg in args]
    private = tmp_path / "runner"
    private.mkdir()
    result = runner.run(private_data_dir=str(private), playbook=str(ROOT / "playbooks" / ("%s.yml" % name)),
                        inventory=str(inventory), cmdline=" ".join(args),
                        envvars=dict({k: v for k, v in env(kubeconfig).items() if k.startswith(("ANSIBLE_", "K8S_", "KUBE"))},
                                     PATH="%s:%s" % (BIN, os.environ["PATH"])),
                        quiet=True)
    events = list(result.events)
    assert events and result.status == ("successful" if name == "render" else "failed"), result.status
    assert any(event.get("event") == "runner_on_ok" for event in events)
    text = json.dumps(events) + "".join(path.read_text(errors="replace") for path in private.rglob("*") if path.is_file())
    assert not leaks(text, values), leaks(text, values)


@pytest.mark.parametrize("name, args", [("render", ["-e", "split_brain_render_dir=OUT"]), ("site", [])])
def test_ansible_navigator_s_playbook_artifact_holds_no_secret(secrets, tmp_path, name, args):
    values, inventory, kubeconfig = secrets
    navigator = BIN / "ansible-navigator"
    if not navigator.exists():
        pytest.skip("ansible-navigator is not installed")
    artifact, log = tmp_path / "artifact.json", tmp_path / "navigator.log"
    cmd = [str(navigator), "run", str(ROOT / "playbooks" / ("%s.yml" % name)), "-i", str(inventory),
           "--ee", "false", "--mode", "stdout", "--pae", "true", "--pas", str(artifact), "--lf", str(log), "--ll", "debug",
           *[arg.replace("OUT", str(tmp_path / "out")) for arg in args]]
    result = subprocess.run(cmd, cwd=tmp_path, env=env(kubeconfig, PATH="%s:%s" % (BIN, os.environ["PATH"])),
                            capture_output=True, text=True, check=False)
    assert artifact.exists(), result.stdout[-2000:] + result.stderr[-2000:]
    assert (result.returncode == 0) == (name == "render"), result.stdout[-2000:]
    text = artifact.read_text() + log.read_text() + result.stdout + result.stderr
    assert not leaks(text, values), leaks(text, values)
