"""Deploy, preview, status and uninstall with the credentials real clusters use: a ServiceAccount
bearer token and an exec credential plugin (EKS, GKE and AKS kubeconfigs), not only the admin's
client certificate. The kubernetes client 36.0.0 sent neither (the API server saw
system:anonymous); 36.0.3 is pinned.

The identity here is bound to cluster-admin, so that what is tested is authentication alone
(least privilege is test_access.py's). Every test leaves dev converged by the admin.
"""

import pytest

from clusterlib import NAMESPACE, RELEASE, get, recap, site
from identity import admin, exec_plugin, playbook, token_of_secret, whoami, write_kubeconfig
from test_status_playbook import debug_msg, table

HOME = "split-brain-credentials"  # the identity's own namespace, apart from the release's
USER = "system:serviceaccount:%s:deployer" % HOME


@pytest.fixture(scope="module")
def token():
    admin("create", "namespace", HOME)
    try:
        admin("-n", HOME, "create", "serviceaccount", "deployer")
        admin("create", "clusterrolebinding", HOME, "--clusterrole=cluster-admin", "--serviceaccount=%s:deployer" % HOME)
        admin("-n", HOME, "apply", "-f", "-", stdin=(
            "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\n"
            "metadata: {name: deployer-token, annotations: {kubernetes.io/service-account.name: deployer}}\n"))
        yield token_of_secret(HOME, "deployer-token")
    finally:
        admin("delete", "clusterrolebinding", HOME, "--ignore-not-found")
        admin("delete", "namespace", HOME, "--ignore-not-found", "--wait=false")


@pytest.fixture(params=["token", "exec-plugin"])
def kubeconfig(request, token, tmp_path):
    """A kubeconfig with the identity's token as a bearer token, or from an exec plugin
    (then also the file the plugin logs its calls to)."""
    if request.param == "token":
        return write_kubeconfig(tmp_path / "kubeconfig", {"token": token}, NAMESPACE), None
    user, calls = exec_plugin(tmp_path, token)
    return write_kubeconfig(tmp_path / "kubeconfig", user, NAMESPACE), calls


def release_objects():
    return admin("-n", NAMESPACE, "get", "deployments,services,configmaps,networkpolicies", "-l", RELEASE, "-o", "name").stdout.split()


def test_deploy_preview_status_and_uninstall_with_a_token_or_exec_plugin(kubeconfig):
    path, calls = kubeconfig
    assert whoami(path) == USER
    before = sorted(release_objects())
    try:
        deployed = playbook("site.yml", kubeconfig=path)
        assert recap(deployed.stdout)["failed"] == 0

        preview = playbook("site.yml", "--check", "--diff", kubeconfig=path)
        assert recap(preview.stdout)["changed"] == 0, preview.stdout[-3000:]

        status = playbook("playbooks/status.yml", kubeconfig=path)
        rows = {row[0]: row for row in table(debug_msg(status.stdout, "Print the status"), "COMPONENT")}
        assert set(rows) == {"router", "classifier", "ui", "cloudflared"}

        removed = playbook("playbooks/uninstall.yml", kubeconfig=path)
        assert "Deployment/router" in debug_msg(removed.stdout, "Say what was removed and what was kept")["removed"]
        assert release_objects() == []

        again = playbook("site.yml", kubeconfig=path)
        assert recap(again.stdout)["changed"] >= 1
        assert sorted(release_objects()) == before
        assert get("deployment", "router")["status"].get("availableReplicas") == 1
        if calls is not None:  # every run asked the plugin for its credential
            assert len(calls.read_text().splitlines()) >= 5
    finally:
        site()


def test_the_kubeconfig_in_the_environment_is_used(token, tmp_path):
    """KUBECONFIG (no split_brain_kubeconfig): the identity's file, and only it, is used."""
    path = write_kubeconfig(tmp_path / "kubeconfig", {"token": token}, NAMESPACE)
    preview = playbook("site.yml", "--check", "--diff", env_kubeconfig=path)
    assert recap(preview.stdout)["changed"] == 0, preview.stdout[-3000:]
    status = playbook("playbooks/status.yml", env_kubeconfig=path)
    assert recap(status.stdout)["failed"] == 0

    wrong = write_kubeconfig(tmp_path / "wrong", {"token": "not-a-valid-token"}, NAMESPACE)
    refused = playbook("playbooks/status.yml", env_kubeconfig=wrong, check=False)
    assert refused.returncode != 0
    output = refused.stdout + refused.stderr
    # The token reached the API server, which refused it; it was not dropped (system:anonymous).
    assert "Unauthorized" in output and "system:anonymous" not in output, output[-3000:]
