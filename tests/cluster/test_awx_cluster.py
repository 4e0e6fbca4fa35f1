"""Under AWX's engine, against the real cluster: ansible-runner with an AWX-style private data dir
(as tests/test_awx.py: the inventory an executable script, the vault answered from env/passwords,
the project's ansible.cfg less its vault password file), and AWX's built-in bearer-token
credential as AWX injects it: K8S_AUTH_HOST, K8S_AUTH_API_KEY, K8S_AUTH_VERIFY_SSL and
K8S_AUTH_SSL_CA_CERT (a file of the private data dir). No kubeconfig anywhere: no KUBECONFIG, no
K8S_AUTH_KUBECONFIG, a HOME without ~/.kube.

The token is the least-privilege deploying identity's, which the admin creates with
playbooks/access.yml for a namespace of the test's own. site --check previews the install and
creates nothing; site installs; site --check again would change nothing. The admin removes the
release, its data and the identity at the end.
"""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clusterlib import LOCAL_VARS, RELEASE, RELEASE_KINDS, ROOT, available_pvs, recycle_pvs, would_apply
from helpers import AWX_PROJECT_VARS, awx_private_data_dir
from identity import playbook, whoami

runner = pytest.importorskip("ansible_runner")
BIN = Path(sys.executable).parent
NAMESPACE = "split-brain-awx"
ACCOUNT = "split-brain-deploy"
HOST = "split-brain-awx"
ADMIN = os.environ.get("KUBECONFIG", "")  # read before a test removes it


def admin(*args, check=True):
    """kubectl as the admin, whose kubeconfig is named: the test removes KUBECONFIG from the environment."""
    result = subprocess.run(["kubectl", "--kubeconfig", ADMIN, *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s: %s" % (" ".join(args), result.stderr))
    return result


def release_objects():
    """``{"Kind/name": resourceVersion}`` of the release's objects in the test's namespace."""
    out = admin("-n", NAMESPACE, "get", RELEASE_KINDS, "-l", RELEASE, "-o", "yaml")
    return {"%s/%s" % (o["kind"], o["metadata"]["name"]): o["metadata"]["resourceVersion"]
            for o in yaml.safe_load(out.stdout)["items"]}


class Credential(dict):
    """The fields of the bearer-token credential; its repr leaves the token out (pytest prints
    the arguments of a failing test)."""

    def __repr__(self):
        return "Credential(host=%r, token=<%d characters>)" % (self["host"], len(self["token"]))


@pytest.fixture
def credential(tmp_path):
    """The bearer-token credential's fields, of the identity access.yml creates (as the admin)."""
    if not available_pvs():
        recycle_pvs()
    assert available_pvs(), "the release needs an Available PV of split-brain-test"
    path = tmp_path / "identity.kubeconfig"
    try:
        playbook("playbooks/access.yml", "-e", "split_brain_namespace=%s" % NAMESPACE,
                 "-e", "split_brain_access_kubeconfig_path=%s" % path)
        assert whoami(path) == "system:serviceaccount:%s:%s" % (NAMESPACE, ACCOUNT)
        config = yaml.safe_load(path.read_text())
        cluster = config["clusters"][0]["cluster"]
        yield Credential(host=cluster["server"], token=config["users"][0]["user"]["token"],
                         ca=base64.b64decode(cluster["certificate-authority-data"]))
    finally:
        admin("delete", "clusterrolebinding,clusterrole", "split-brain.deploy:%s:%s" % (NAMESPACE, ACCOUNT),
              "--ignore-not-found")
        admin("delete", "namespace", NAMESPACE, "--ignore-not-found", "--timeout=120s")
        recycle_pvs()


@pytest.fixture
def private_data_dir(tmp_path, credential, monkeypatch):
    """The private data dir, and the environment AWX gives the job (its credential injected)."""
    private = awx_private_data_dir(tmp_path / "awx", HOST)
    ca = private / "env" / "k8s-ca.crt"  # AWX writes the credential's CA data to a file like this
    ca.write_bytes(credential["ca"])
    ca.chmod(0o600)
    home = tmp_path / "home"
    home.mkdir()
    # ansible-runner hands its own environment on: none of the admin's connection settings.
    for name in list(os.environ):
        if name.startswith(("ANSIBLE_", "K8S_AUTH_", "MOLECULE_")) or name == "KUBECONFIG":
            monkeypatch.delenv(name)
    envvars = {"HOME": str(home), "PATH": "%s:%s" % (BIN, os.environ["PATH"]),
               "ANSIBLE_CONFIG": str(private / "ansible.cfg"),
               "K8S_AUTH_HOST": credential["host"], "K8S_AUTH_API_KEY": credential["token"],
               "K8S_AUTH_VERIFY_SSL": "True", "K8S_AUTH_SSL_CA_CERT": str(ca)}
    return private, envvars


def awx_run(private_data_dir, *extra):
    """A job of the job template "deploy": the project's site.yml, its variables as extra vars."""
    private, envvars = private_data_dir
    cmdline = ["--ask-vault-pass", *AWX_PROJECT_VARS, "-e", LOCAL_VARS, "-e", "split_brain_namespace=%s" % NAMESPACE, *extra]
    result = runner.run(private_data_dir=str(private), playbook=str(ROOT / "site.yml"), cmdline=" ".join(cmdline),
                        envvars=envvars, quiet=True)
    stdout = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(e["stdout"] for e in result.events if e.get("stdout")))
    assert result.status == "successful" and result.rc == 0, (result.status, result.rc, stdout[-6000:])
    # What AWX shows as the job's host summary: the playbook_on_stats event.
    assert not result.stats["failures"] and set(result.stats["ok"]) == {"localhost", HOST}, result.stats
    return result.stats["changed"].get(HOST, 0), stdout


def test_site_check_site_and_check_again_with_a_bearer_token(private_data_dir, credential):
    assert not (Path(private_data_dir[1]["HOME"]) / ".kube").exists()
    assert release_objects() == {}  # access.yml created the namespace, nothing of the release

    changed, preview = awx_run(private_data_dir, "--check", "--diff")
    assert changed >= 1
    would = would_apply(preview)
    assert {"Namespace/%s" % NAMESPACE, "Deployment/router", "Service/router", "PersistentVolumeClaim/split-brain-data",
            "Secret/split-brain-checksum-key"} <= would, sorted(would)
    assert "+++ after: Deployment/router" in preview and "+  namespace: %s" % NAMESPACE in preview, preview[-4000:]
    assert credential["token"] not in preview
    assert release_objects() == {}  # check mode created nothing

    changed, _deployed = awx_run(private_data_dir)
    assert changed >= 1
    objects = release_objects()
    assert set(objects) == would - {"Namespace/%s" % NAMESPACE}, set(objects) ^ would  # what the preview said

    changed, again = awx_run(private_data_dir, "--check", "--diff")
    assert changed == 0, again[-4000:]
    assert would_apply(again) == set() and "+++ after:" not in again, again[-4000:]
    assert release_objects() == objects  # not a resourceVersion moved
