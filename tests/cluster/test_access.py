"""playbooks/access.yml: the deploying identity of a release, run by the admin, and what that
identity can and cannot do on the local cluster (RBAC on).

Every test leaves dev converged by the admin and removes the identities it created.
"""

import yaml
import pytest

from clusterlib import NAMESPACE, RELEASE, get, recap, site
from identity import admin, as_identity, playbook, whoami, write_kubeconfig
from test_status_playbook import debug_msg, table

ACCESS = "playbooks/access.yml"
ACCOUNT = "split-brain-deploy"
USER = "system:serviceaccount:%s:%s" % (NAMESPACE, ACCOUNT)
BYSTANDER = "split-brain-bystander"


def remove_identity(namespace, delete_namespace=False):
    """Delete what access.yml created for ``namespace`` (as the admin)."""
    cluster_role = "split-brain.deploy:%s:%s" % (namespace, ACCOUNT)
    admin("delete", "clusterrolebinding,clusterrole", cluster_role, "--ignore-not-found")
    if delete_namespace:
        admin("delete", "namespace", namespace, "--ignore-not-found", "--wait=false")
    else:
        admin("-n", namespace, "delete", "rolebinding,role,serviceaccount", ACCOUNT, "--ignore-not-found")
        admin("-n", namespace, "delete", "secret", ACCOUNT + "-token", "--ignore-not-found")


@pytest.fixture(scope="module")
def identity(tmp_path_factory):
    """access.yml run twice by the admin: ``(kubeconfig path, first run, second run, stat before
    and after the second run)``."""
    path = tmp_path_factory.mktemp("access") / "split-brain-deploy.kubeconfig"
    try:
        first = playbook(ACCESS, "-e", "split_brain_access_kubeconfig_path=%s" % path)
        stat = path.stat()
        second = playbook(ACCESS, "-v", "-e", "split_brain_access_kubeconfig_path=%s" % path)
        yield path, first, second, (stat, path.stat())
    finally:
        remove_identity(NAMESPACE)
        site()


def release_objects():
    return admin("-n", NAMESPACE, "get", "deployments,services,configmaps,secrets,networkpolicies,poddisruptionbudgets",
                 "-l", RELEASE, "-o", "name").stdout.split()


def test_access_writes_a_private_token_kubeconfig_and_a_second_run_changes_nothing(identity):
    path, first, second, (before, after) = identity
    assert recap(first.stdout)["changed"] >= 1
    assert recap(second.stdout)["changed"] == 0, second.stdout[-3000:]
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)  # not rewritten
    assert after.st_mode & 0o777 == 0o600
    config = yaml.safe_load(path.read_text())
    user = config["users"][0]["user"]
    assert set(user) == {"token"}
    assert config["contexts"][0]["context"]["namespace"] == NAMESPACE
    assert config["clusters"][0]["cluster"]["certificate-authority-data"]
    assert user["token"] not in first.stdout + second.stdout + second.stderr
    assert whoami(path) == USER
    # The identity is not labelled as the release's: prune and uninstall never select it.
    assert admin("-n", NAMESPACE, "get", "serviceaccount", "-l", RELEASE, "-o", "name").stdout.split().count(
        "serviceaccount/" + ACCOUNT) == 0


def test_the_identity_deploys_previews_prunes_reads_status_uninstalls_and_redeploys(identity):
    path = identity[0]
    before = sorted(release_objects())
    try:
        deployed = playbook("site.yml", kubeconfig=path)
        assert recap(deployed.stdout)["failed"] == 0
        preview = playbook("site.yml", "--check", "--diff", kubeconfig=path)
        assert recap(preview.stdout)["changed"] == 0, preview.stdout[-3000:]

        # Prune: turning cloudflared's PDB off deletes it.
        assert get("pdb", "cloudflared") is not None
        pruned = playbook("site.yml", "-e", "cloudflared_pdb_enabled=false", kubeconfig=path)
        assert "deleted PodDisruptionBudget/cloudflared" in pruned.stdout
        assert get("pdb", "cloudflared") is None

        status = playbook("playbooks/status.yml", kubeconfig=path)
        rows = {row[0]: row for row in table(debug_msg(status.stdout, "Print the status"), "COMPONENT")}
        assert set(rows) == {"router", "classifier", "ui", "cloudflared"}

        removed = playbook("playbooks/uninstall.yml", kubeconfig=path)
        summary = debug_msg(removed.stdout, "Say what was removed and what was kept")
        assert "Deployment/router" in summary["removed"]
        assert summary["kept"] == ["PersistentVolumeClaim/split-brain-data", "Namespace/%s" % NAMESPACE]
        assert release_objects() == []
        assert whoami(path) == USER  # uninstall left the identity alone

        again = playbook("site.yml", kubeconfig=path)
        assert recap(again.stdout)["changed"] >= 1
        assert sorted(release_objects()) == before
    finally:
        site()


@pytest.mark.parametrize("verb, resource, namespace, allowed", [
    ("create", "clusterroles", None, "no"),
    ("create", "clusterrolebindings", None, "no"),
    ("create", "rolebindings", NAMESPACE, "no"),
    ("create", "namespaces", None, "no"),
    ("delete", "namespaces/default", None, "no"),
    ("delete", "namespaces/" + NAMESPACE, None, "no"),
    ("list", "namespaces", None, "no"),
    ("list", "secrets", "default", "no"),
    ("create", "deployments", "default", "no"),
    ("patch", "namespaces/" + NAMESPACE, None, "yes"),
    ("create", "deployments.apps", NAMESPACE, "yes"),
    ("delete", "poddisruptionbudgets.policy", NAMESPACE, "yes"),
    ("update", "leases.coordination.k8s.io", NAMESPACE, "yes"),
])
def test_what_the_identity_may_do(identity, verb, resource, namespace, allowed):
    args = ["auth", "can-i", verb, resource] + (["-n", namespace] if namespace else [])
    assert as_identity(identity[0], *args).stdout.strip() == allowed


def test_the_identity_cannot_create_cluster_roles_or_delete_another_namespace(identity):
    path = identity[0]
    refused = as_identity(path, "create", "clusterrole", "split-brain-escalate", "--verb=*", "--resource=*")
    assert refused.returncode != 0 and "Forbidden" in refused.stderr, refused.stderr
    assert admin("get", "clusterrole", "split-brain-escalate", check=False).returncode != 0

    admin("create", "namespace", BYSTANDER)
    try:
        refused = as_identity(path, "delete", "namespace", BYSTANDER)
        assert refused.returncode != 0 and "Forbidden" in refused.stderr, refused.stderr
        assert admin("get", "namespace", BYSTANDER, "-o", "jsonpath={.status.phase}").stdout == "Active"
    finally:
        admin("delete", "namespace", BYSTANDER, "--wait=false")


def test_access_creates_a_missing_namespace_with_its_pod_security_labels(tmp_path):
    """A first install: the admin's access.yml creates the namespace (the identity may not), and
    the identity previews the install into it."""
    fresh = "split-brain-fresh"
    path = tmp_path / "fresh.kubeconfig"
    assert admin("get", "namespace", fresh, check=False).returncode != 0
    try:
        playbook(ACCESS, "-e", "split_brain_namespace=" + fresh, "-e", "split_brain_access_kubeconfig_path=%s" % path)
        labels = yaml.safe_load(admin("get", "namespace", fresh, "-o", "yaml").stdout)["metadata"]["labels"]
        assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
        assert labels["app.kubernetes.io/instance"] == "split-brain"
        assert whoami(path) == "system:serviceaccount:%s:%s" % (fresh, ACCOUNT)

        preview = playbook("site.yml", "--check", "--diff", "-e", "split_brain_namespace=" + fresh, kubeconfig=path)
        assert recap(preview.stdout)["changed"] >= 1
        assert admin("-n", fresh, "get", "deployments", "-o", "name").stdout == ""  # check mode
    finally:
        remove_identity(fresh, delete_namespace=True)


def test_deleting_the_token_secret_revokes_it_and_a_new_service_account_gets_a_new_token(identity):
    """A legacy token is a JWT of the Secret's name and the ServiceAccount's name and UID only: a
    Secret of the same name for the same ServiceAccount carries the same token again. Rotating
    takes a new ServiceAccount (a new UID)."""
    path = identity[0]
    old = yaml.safe_load(path.read_text())["users"][0]["user"]["token"]
    admin("-n", NAMESPACE, "delete", "secret", ACCOUNT + "-token")
    refused = as_identity(path, "auth", "whoami")
    assert refused.returncode != 0 and "Unauthorized" in refused.stderr, refused.stderr

    admin("-n", NAMESPACE, "delete", "serviceaccount", ACCOUNT)
    renewed = playbook(ACCESS, "-e", "split_brain_access_kubeconfig_path=%s" % path)
    assert recap(renewed.stdout)["changed"] >= 1
    assert yaml.safe_load(path.read_text())["users"][0]["user"]["token"] != old
    assert whoami(path) == USER
    stale = write_kubeconfig(path.with_name("stale"), {"token": old}, NAMESPACE)
    assert as_identity(stale, "auth", "whoami").returncode != 0
