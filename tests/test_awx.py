"""Under AWX's engine: ansible-runner with an AWX-style private data dir. The inventory is an
executable script (as AWX passes an inventory sourced from a project), the vault password is
answered from env/passwords (AWX's vault credential), the connection comes from K8S_AUTH_*
variables (AWX's bearer-token credential). render works; site --check against a server nobody
listens on fails with one line naming that server, not a kubeconfig."""

import os
import sys
from pathlib import Path

import pytest

from helpers import AWX_PROJECT_VARS, ROOT, awx_private_data_dir

runner = pytest.importorskip("ansible_runner")
BIN = Path(sys.executable).parent


@pytest.fixture
def private_data_dir(tmp_path):
    return awx_private_data_dir(tmp_path / "awx", "split-brain-awx")


def awx_run(private, playbook, *extra, env=None):
    envvars = dict({k: v for k, v in os.environ.items() if k in ("HOME", "LANG")},
                   PATH="%s:%s" % (BIN, os.environ["PATH"]), ANSIBLE_CONFIG=str(private / "ansible.cfg"),
                   **(env or {}))
    return runner.run(private_data_dir=str(private), playbook=str(ROOT / "playbooks" / playbook),
                      cmdline=" ".join(["--ask-vault-pass", *AWX_PROJECT_VARS, *extra]), envvars=envvars, quiet=True)


def test_render_runs_from_a_script_inventory_with_the_vault_answered(private_data_dir, tmp_path):
    out = tmp_path / "out"
    result = awx_run(private_data_dir, "render.yml", "-e", "split_brain_render_dir=%s" % out)
    events = list(result.events)
    assert result.status == "successful", [e.get("stdout") for e in events][-30:]
    assert any(e.get("event") == "runner_on_ok" and e["event_data"].get("host") == "split-brain-awx" for e in events)
    assert len(list(out.glob("*.yaml"))) >= 20


def test_site_check_with_a_bearer_token_credential_names_the_server(private_data_dir):
    result = awx_run(private_data_dir, "site.yml", "--check",
                     env={"K8S_AUTH_HOST": "https://127.0.0.1:9", "K8S_AUTH_API_KEY": "awx-token-not-used",
                          "K8S_AUTH_VERIFY_SSL": "false", "KUBECONFIG": "", "K8S_AUTH_KUBECONFIG": ""})
    stdout = "".join(e.get("stdout", "") for e in result.events)
    assert result.status == "failed"
    assert "Cannot reach the Kubernetes API server at https://127.0.0.1:9" in " ".join(stdout.split()), stdout[-3000:]
    assert "kubeconfig" not in stdout.rsplit("fatal:", maxsplit=1)[-1].lower()
