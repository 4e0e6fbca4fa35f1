"""What a run says when the cluster refuses it, against the real API server: a token it does not
accept (expired or revoked: 401), an identity without the rights (403), a context the kubeconfig
does not have, and no kubeconfig at all. Each is one line with the cause and the next step, and
the collection says it once (ansible-core's own display shows a failed task's message in its
[ERROR] summary and in the fatal result: two places, never more); nothing is touched."""

import subprocess

import pytest

from clusterlib import NAMESPACE, ROOT, ansible_env, kubectl
from helpers import failure_line
from identity import admin, cluster_entry, playbook, token_of_secret, write_kubeconfig

NOBODY = "split-brain-nobody"
NOBODY_NAMESPACE = "split-brain-failure-lines"


def release_unchanged(before):
    after = kubectl("get", "deploy,svc,cm,secret,networkpolicy,pdb", "-o", "name").stdout.split()
    assert sorted(after) == before


@pytest.fixture(scope="module")
def before():
    return sorted(kubectl("get", "deploy,svc,cm,secret,networkpolicy,pdb", "-o", "name").stdout.split())


def test_a_token_the_server_refuses_says_so_and_what_to_do(tmp_path, before):
    path = write_kubeconfig(tmp_path / "expired", {"token": "expired-or-revoked-token"}, NAMESPACE)
    line = failure_line(playbook("site.yml", kubeconfig=path, check=False))
    assert line.startswith("The Kubernetes API server at %s refused the credentials (401 Unauthorized)"
                           % cluster_entry()["server"]), line
    assert "token expired" in line, line
    release_unchanged(before)


@pytest.fixture(scope="module")
def nobody(tmp_path_factory):
    """A ServiceAccount that may do nothing, and a kubeconfig with its token."""
    admin("create", "namespace", NOBODY_NAMESPACE)
    admin("-n", NOBODY_NAMESPACE, "create", "serviceaccount", NOBODY)
    admin("apply", "-f", "-", stdin=(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: %s-token, namespace: %s, annotations: "
        "{kubernetes.io/service-account.name: %s}}\ntype: kubernetes.io/service-account-token\n"
        % (NOBODY, NOBODY_NAMESPACE, NOBODY)))
    token = token_of_secret(NOBODY_NAMESPACE, NOBODY + "-token")
    yield write_kubeconfig(tmp_path_factory.mktemp("nobody") / "kubeconfig", {"token": token}, NAMESPACE)
    admin("delete", "namespace", NOBODY_NAMESPACE, "--wait=false", check=False)


def test_an_identity_without_the_rights_is_told_which_and_where(nobody, before):
    line = failure_line(playbook("site.yml", kubeconfig=nobody, check=False))
    assert "(403 Forbidden)" in line and "system:serviceaccount:%s:%s" % (NOBODY_NAMESPACE, NOBODY) in line, line
    assert "split_brain.deploy.access" in line or "permissions" in line, line
    release_unchanged(before)


def test_a_context_the_kubeconfig_lacks_is_named(before):
    line = failure_line(playbook("site.yml", "-e", "split_brain_context=no-such-context", check=False))
    assert "has no context 'no-such-context'" in line and "split_brain_context" in line, line
    release_unchanged(before)


def test_no_kubeconfig_at_all_says_what_to_set(tmp_path, before):
    """Nothing names a kubeconfig, and there is no ~/.kube/config: the line says what to set."""
    env = ansible_env()
    for name in ("KUBECONFIG", "K8S_AUTH_KUBECONFIG", "K8S_AUTH_CONTEXT", "K8S_AUTH_HOST", "K8S_AUTH_API_KEY"):
        env.pop(name, None)
    env.update(HOME=str(tmp_path), ANSIBLE_HOME=str(tmp_path / ".ansible"), ANSIBLE_LOCAL_TEMP=str(tmp_path / ".tmp"))
    result = subprocess.run(["ansible-playbook", "site.yml", "-i", "inventories/dev"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    line = failure_line(result)
    assert line.startswith("Cannot connect to Kubernetes: no kubeconfig"), line
    assert "split_brain_kubeconfig" in line and "KUBECONFIG" in line, line
    release_unchanged(before)
