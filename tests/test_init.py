"""split_brain.deploy.init writes a new inventory: hosts, base values, a vault of placeholder secrets
encrypted with the run's vault password, and an ansible.cfg; it never overwrites a file; the new
inventory renders, and a deploy refuses its placeholders.

Every run is from a folder outside the repository (no ansible.cfg of the repository), as a user
runs the installed collection: ``ansible-playbook split_brain.deploy.init``.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, load_dir

BIN = Path(sys.executable).parent
FILES = ["hosts.yml", "group_vars/split_brain/10-base.yml", "group_vars/split_brain/90-vault.yml", "ansible.cfg"]
VAULT = "group_vars/split_brain/90-vault.yml"


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_") and k not in ("KUBECONFIG",)}
    env.update(ANSIBLE_COLLECTIONS_PATH=str(ROOT / "collections"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_HOME=str(tmp_path / ".ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / ".ansible-tmp"))
    env.update(extra)
    return env


def _run(cmd, cwd, env):
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def _init(tmp_path, *args, env=None):
    return _run([BIN / "ansible-playbook", "split_brain.deploy.init", *args], tmp_path, env or _env(tmp_path))


@pytest.fixture
def password(tmp_path):
    path = tmp_path / "vault-pass"
    path.write_text("correct horse battery staple\n")
    return path


@pytest.fixture
def inventory(tmp_path, password):
    target = tmp_path / "inv"
    rc, output = _init(tmp_path, "-e", "split_brain_init_dir=%s" % target,
                       "-e", "split_brain_init_vault_password_file=%s" % password)
    assert rc == 0, output[-4000:]
    return target, output


def _view(tmp_path, vault, password_file):
    """``(rc, the decrypted text)``: standard output only (a warning of a library goes to stderr)."""
    cmd = [str(BIN / "ansible-vault"), "view", "--vault-password-file", str(password_file), str(vault)]
    result = subprocess.run(cmd, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, check=False)
    return result.returncode, result.stdout


def test_it_writes_the_inventory(tmp_path, inventory, password):
    target, output = inventory
    assert all((target / name).is_file() for name in FILES)
    assert "kept (already there, not changed) nothing" in output

    hosts = yaml.safe_load((target / "hosts.yml").read_text())
    (host,) = hosts["all"]["children"]["split_brain"]["hosts"].values()
    assert host["ansible_connection"] == "local"

    base = yaml.safe_load((target / "group_vars/split_brain/10-base.yml").read_text())
    assert base["split_brain_namespace"] == "split-brain"
    assert base["split_brain_production"] is True  # what makes a deploy refuse the placeholders
    assert base["split_brain_storage_access_mode"] == "ReadWriteOnce"

    assert "vars_plugins_enabled = split_brain.deploy.host_group_vars" in (target / "ansible.cfg").read_text()


def test_the_vault_decrypts_with_the_runs_password_only(tmp_path, inventory, password):
    target, _output = inventory
    vault = target / VAULT
    text = vault.read_text()
    assert text.startswith("$ANSIBLE_VAULT;1.1;AES256\n")
    assert "EXAMPLE-" not in text and "router_anthropic_api_key" not in text
    assert stat.S_IMODE(vault.stat().st_mode) == 0o600

    rc, output = _view(tmp_path, vault, password)
    assert rc == 0, output
    secrets = yaml.load(output, Loader=yaml.BaseLoader)  # !unsafe kept as text
    assert secrets["router_anthropic_api_key"].startswith("EXAMPLE-")
    assert secrets["cloudflared_tunnel_token"].startswith("EXAMPLE-")

    wrong = tmp_path / "wrong-pass"
    wrong.write_text("not it\n")
    rc, output = _view(tmp_path, vault, wrong)
    assert rc != 0 and "EXAMPLE-" not in output


def test_a_second_run_overwrites_nothing(tmp_path, inventory, password):
    target, _output = inventory
    (target / "hosts.yml").write_text("# mine\n")
    before = {name: (target / name).read_bytes() for name in FILES}
    rc, output = _init(tmp_path, "-e", "split_brain_init_dir=%s" % target,
                       "-e", "split_brain_init_vault_password_file=%s" % password)
    assert rc == 0, output[-4000:]
    assert {name: (target / name).read_bytes() for name in FILES} == before
    assert "changed=0" in output
    assert "written nothing; kept (already there, not changed) %s." % ", ".join(
        ["hosts.yml", "group_vars/split_brain/10-base.yml", "ansible.cfg", VAULT]) in " ".join(output.split())


def test_the_new_inventory_renders_with_its_placeholders(tmp_path, inventory, password):
    target, _output = inventory
    out = tmp_path / "out"
    # From the inventory's folder: its ansible.cfg (the collection's vars plugin) is the one read.
    rc, output = _run([BIN / "ansible-playbook", ROOT / "playbooks" / "render.yml", "-i", target / "hosts.yml",
                       "-e", "split_brain_render_dir=%s" % out, "--vault-password-file", password],
                      target, _env(tmp_path))
    assert rc == 0, output[-6000:]
    kinds = {(obj["kind"], obj["metadata"]["name"]) for obj in load_dir(out)}
    assert ("Deployment", "router") in kinds and ("Secret", "anthropic-api-key") in kinds
    assert ("PodDisruptionBudget", "cloudflared") in kinds and ("PodDisruptionBudget", "router") not in kinds
    assert "EXAMPLE-" not in "".join(p.read_text() for p in out.glob("*.yaml"))  # Secrets are redacted


def test_a_deploy_refuses_the_placeholders(tmp_path, inventory, password):
    """Validation stops the run before anything touches a cluster (there is none here)."""
    target, _output = inventory
    rc, output = _run([BIN / "ansible-playbook", "split_brain.deploy.site", "-i", target / "hosts.yml",
                       "--vault-password-file", password], target,
                      _env(tmp_path, KUBECONFIG=str(tmp_path / "no-kubeconfig")))
    assert rc != 0
    for name in ("router_anthropic_api_key", "cloudflared_tunnel_token"):
        assert "%s: still the shipped example value" % name in output, output[-4000:]


def test_the_password_file_of_the_configuration_and_an_executable_one(tmp_path):
    script = tmp_path / "vault-client"
    script.write_text("#!/bin/sh\necho from-a-script\n")
    script.chmod(0o700)
    target = tmp_path / "inv"
    rc, output = _init(tmp_path, "-e", "split_brain_init_dir=%s" % target,
                       env=_env(tmp_path, ANSIBLE_VAULT_PASSWORD_FILE=str(script)))
    assert rc == 0, output[-4000:]
    plain = tmp_path / "plain-pass"
    plain.write_text("from-a-script\n")
    rc, output = _view(tmp_path, target / VAULT, plain)
    assert rc == 0 and "EXAMPLE-" in output, output


@pytest.mark.parametrize("option", ["--vault-password-file", "--vault-id"])
def test_the_runs_own_password_file_encrypts_the_vault(tmp_path, password, option):
    """The README's form: the run's --vault-password-file (or --vault-id dev@FILE) is the one the
    vault is encrypted with, relative to the folder the run starts in."""
    (tmp_path / "pass").write_text(password.read_text())
    given = "pass" if option == "--vault-password-file" else "dev@pass"
    rc, output = _init(tmp_path, "-e", "split_brain_init_dir=mine", option, given)
    assert rc == 0, output[-4000:]
    rc, output = _view(tmp_path, tmp_path / "mine" / VAULT, password)
    assert rc == 0 and "EXAMPLE-" in output, output


@pytest.mark.parametrize("args,message", [
    ([], "split_brain_init_dir: set it to the folder the new inventory is written to"),
    (["-e", "split_brain_init_dir=DIR"], "No vault password file"),
    (["-e", "split_brain_init_dir=DIR", "-e", "split_brain_init_vault_password_file=/nonexistent/pass"],
     "The vault password file /nonexistent/pass does not exist"),
])
def test_it_fails_clearly(tmp_path, args, message):
    args = [a.replace("DIR", str(tmp_path / "inv")) for a in args]
    rc, output = _init(tmp_path, *args)
    assert rc != 0
    assert message in " ".join(output.split()), output[-3000:]
    assert not (tmp_path / "inv" / "hosts.yml").exists()
