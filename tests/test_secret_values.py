"""Secret values are data: from the vault to the Secret literally, whatever characters they hold.

The shipped vaults mark every value `!unsafe`; with that layout a value holding `{{ lookup('pipe',
...) }}`, `{#` or `{%` reaches the rendered Secret unchanged and runs nothing. A vault value that
Ansible would evaluate (template syntax, not `!unsafe`) is refused by validation, before anything
evaluates it, naming the secret and the vault variable, never the value. The bad-input cases of
this file are tests/bad_input/<case>.yml with `# expect:` lines (see CASES).
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, load_dir, run_playbook

ANSIBLE_VAULT = str(Path(sys.executable).with_name("ansible-vault"))
VALIDATE_TASK = "Check the variables of the roles this run deploys and the rules between them"
LATER_TASKS = ("Render the objects and apply them under the release lock",)
CASES = ("secret_template_not_unsafe", "secret_template_in_value", "render_dest_is_file")


def vault(command, *args):
    """ansible-vault with the example password (ansible.cfg names it), as the README's commands run."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    return subprocess.run([ANSIBLE_VAULT, command, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)


def unsafe_line(name, value):
    """``name: !unsafe '<value>'``, as the README tells operators to write a vault value."""
    return "%s: !unsafe '%s'\n" % (name, value.replace("'", "''"))


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_every_shipped_vault_value_is_unsafe_and_unchanged(env):
    text = vault("view", "inventories/%s/group_vars/all/90-vault.yml" % env).stdout
    lines = [line for line in text.splitlines() if line.startswith("vault_")]
    assert lines and all(re.match(r"^vault_\w+: !unsafe 'EXAMPLE-[\w-]+'$", line) for line in lines), lines


def test_the_shipped_values_reach_the_secrets_as_they_are(tmp_path):
    run_playbook("playbooks/render.yml", "dev", "-e", "split_brain_render_dir=%s" % tmp_path,
                 "-e", "split_brain_render_secrets=true", check=True)
    secrets = {obj["metadata"]["name"]: obj["stringData"] for obj in load_dir(tmp_path) if obj["kind"] == "Secret"}
    assert secrets == {"anthropic-api-key": {"ANTHROPIC_API_KEY": "EXAMPLE-sk-ant-dev-0000000000000000"},
                       "cloudflared-credentials": {"TUNNEL_TOKEN": "EXAMPLE-tunnel-token-dev-000000000000"}}


@pytest.fixture
def hostile_inventory(tmp_path):
    """inventories/dev (links resolved) with an encrypted vault of !unsafe values full of template syntax."""
    marker = Path("/tmp/split-brain-pwned-%s" % uuid.uuid4().hex)
    values = {
        "vault_router_anthropic_api_key": "sk-{{ lookup('pipe','touch %s') }}" % marker,
        "vault_cloudflared_tunnel_token": "tok{#en{% if x %}'\"\\ end: {{",
    }
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventories" / "dev", inventory, symlinks=False)
    path = inventory / "group_vars" / "all" / "90-vault.yml"
    path.write_text("---\n" + "".join(unsafe_line(name, value) for name, value in values.items()))
    vault("encrypt", str(path))
    assert path.read_text().startswith("$ANSIBLE_VAULT;")
    yield inventory, values, marker
    if marker.exists():
        marker.unlink()


def test_template_syntax_in_an_unsafe_vault_value_reaches_the_secret_literally(hostile_inventory, tmp_path):
    inventory, values, marker = hostile_inventory
    out = tmp_path / "render"
    result = run_playbook("playbooks/render.yml", inventory, "-e", "split_brain_render_dir=%s" % out,
                          "-e", "split_brain_render_secrets=true", check=True)
    assert not marker.exists(), "a command in a secret value ran"
    objects = {(obj["kind"], obj["metadata"]["name"]): obj for obj in load_dir(out)}
    assert objects[("Secret", "anthropic-api-key")]["stringData"] == {"ANTHROPIC_API_KEY": values["vault_router_anthropic_api_key"]}
    assert objects[("Secret", "cloudflared-credentials")]["stringData"] == {"TUNNEL_TOKEN": values["vault_cloudflared_tunnel_token"]}
    for value in values.values():
        assert value not in result.stdout + result.stderr


# Bad input: tests/bad_input/<case>.yml, its `# expect:` lines -----------------------------------------

@pytest.fixture(scope="module")
def kubeconfig(tmp_path_factory):
    """A kubeconfig whose API server nobody listens on: any cluster access would fail."""
    path = tmp_path_factory.mktemp("kube") / "config"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "unreachable", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "nobody", "user": {}}],
        "contexts": [{"name": "unreachable", "context": {"cluster": "unreachable", "user": "nobody"}}],
        "current-context": "unreachable",
    }))
    return str(path)


def expectations(path):
    return [line.split(":", 1)[1].strip() for line in path.read_text().splitlines() if line.startswith("# expect:")]


@pytest.mark.parametrize("case", CASES)
def test_bad_secret_and_render_input_fails_before_anything_is_touched(case, kubeconfig, tmp_path):
    path = ROOT / "tests" / "bad_input" / (case + ".yml")
    case_vars = yaml.safe_load(path.read_text())
    before = {p: p.stat().st_mtime for p in ROOT.glob("*")}
    result = run_playbook("site.yml", "dev", "-e", "split_brain_kubeconfig=%s" % kubeconfig, "-e", "@%s" % path,
                          env={"KUBECONFIG": kubeconfig, "K8S_AUTH_KUBECONFIG": kubeconfig})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    tasks = re.findall(r"^TASK \[(.*?)\] \*+$", result.stdout, re.M)
    assert tasks and tasks[-1].endswith(VALIDATE_TASK), tasks
    for name in LATER_TASKS:
        assert name not in output, "%s ran after the validation failed" % name
    expected = expectations(path)
    assert expected
    for text in expected:
        assert text in output, "%s: %r not reported in:\n%s" % (case, text, output[-4000:])
    for name, value in case_vars.items():
        if name != "split_brain_render_dir":
            assert str(value) not in output, "the value of %s was printed" % name
    assert "EXAMPLE-" not in output
    assert not os.path.exists("/tmp/split-brain-bad-input-pwned"), "a command in a secret value ran"
    assert {p: p.stat().st_mtime for p in ROOT.glob("*")} == before, "a file was written"
