"""One ``module_defaults`` entry, ``group/split_brain.deploy.cluster``, sets the connection of this
collection's cluster actions and of kubernetes.core's modules alike (meta/runtime.yml: the group
extends ``kubernetes.core.k8s``).

The playbooks are written to a temporary folder, outside the roles, and run with no KUBECONFIG,
no K8S_AUTH_* variable and a HOME without ``~/.kube/config``: the only way to the cluster is the
group default.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from clusterlib import ROOT, get

ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))
KUBECONFIG = ROOT / ".cluster" / "kubeconfig"
MANAGED = {"app.kubernetes.io/managed-by": "split_brain.deploy"}


@pytest.fixture
def isolated(tmp_path):
    """An environment that names no cluster: no KUBECONFIG, no K8S_AUTH_*, an empty HOME."""
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "KUBECONFIG" and not key.startswith("K8S_AUTH_")}
    env.update(HOME=str(home), ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json", ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"))
    assert not (home / ".kube" / "config").exists()
    return env


@pytest.fixture
def release():
    """A namespace with one Secret labelled as a release's (instance unique to the test); removed after."""
    instance = "md-%s" % uuid.uuid4().hex[:8]
    namespace = instance
    subprocess.run(["kubectl", "create", "namespace", namespace], check=True, capture_output=True)
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {
        "name": "group-defaults", "namespace": namespace,
        "labels": dict(MANAGED, **{"app.kubernetes.io/instance": instance})}, "stringData": {"KEY": "value"}}
    subprocess.run(["kubectl", "apply", "-f", "-"], input=json.dumps(secret), text=True, check=True, capture_output=True)
    yield namespace, instance
    subprocess.run(["kubectl", "delete", "namespace", namespace, "--wait=false"], capture_output=True, check=False)


def play(tmp_path, env, tasks, defaults, name="play.yml"):
    """Run one play on localhost with ``module_defaults`` ``defaults``; return (rc, {task name: result})."""
    playbook = tmp_path / name
    playbook.write_text(yaml.safe_dump([{
        "name": "Group defaults", "hosts": "localhost", "gather_facts": False,
        "module_defaults": defaults, "tasks": tasks}], sort_keys=False))
    result = subprocess.run([ANSIBLE_PLAYBOOK, str(playbook)], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    try:
        out = json.loads(result.stdout)
    except ValueError:
        raise AssertionError("no JSON from ansible-playbook (rc %d):\n%s\n%s"
                             % (result.returncode, result.stdout[-4000:], result.stderr[-4000:])) from None
    results = {task["task"]["name"]: task["hosts"]["localhost"]
               for p in out["plays"] for task in p["tasks"] if "localhost" in task["hosts"]}
    return result.returncode, results


def read_tasks(namespace, instance, ignore_errors=False):
    labels = ["%s=%s" % item for item in dict(MANAGED, **{"app.kubernetes.io/instance": instance}).items()]
    tasks = [
        {"name": "status", "split_brain.deploy.status": {"namespace": namespace, "instance": instance}},
        {"name": "k8s_info", "kubernetes.core.k8s_info": {"kind": "Secret", "namespace": namespace,
                                                          "label_selectors": labels}},
    ]
    for task in tasks:
        task["ignore_errors"] = ignore_errors
    return tasks


def test_one_group_default_connects_our_actions_and_kubernetes_core(tmp_path, isolated, release):
    namespace, instance = release
    rc, results = play(tmp_path, isolated, read_tasks(namespace, instance),
                       {"group/split_brain.deploy.cluster": {"kubeconfig": str(KUBECONFIG)}})
    assert rc == 0, results
    ours = [secret["name"] for secret in results["status"]["secrets"]]
    theirs = [secret["metadata"]["name"] for secret in results["k8s_info"]["resources"]]
    assert ours == theirs == ["group-defaults"]
    assert "value" not in json.dumps(results["status"]["secrets"])


def test_a_bogus_kubeconfig_in_the_group_fails_both(tmp_path, isolated, release):
    namespace, instance = release
    bogus = tmp_path / "bogus-kubeconfig"
    bogus.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "nowhere",
        "clusters": [{"name": "nowhere", "cluster": {"server": "https://127.0.0.1:1"}}],
        "contexts": [{"name": "nowhere", "context": {"cluster": "nowhere", "user": "nobody"}}],
        "users": [{"name": "nobody", "user": {"token": "bogus"}}]}))
    rc, results = play(tmp_path, isolated, read_tasks(namespace, instance, ignore_errors=True),
                       {"group/split_brain.deploy.cluster": {"kubeconfig": str(bogus)}})
    assert rc == 0  # both failures ignored, so the play ends
    assert results["status"].get("failed") is True, results["status"]
    assert results["k8s_info"].get("failed") is True, results["k8s_info"]
    # Both failed on the bogus server, not for want of a kubeconfig.
    assert "127.0.0.1:1" in results["status"]["msg"], results["status"]["msg"]


def test_kubernetes_core_group_reaches_kubernetes_core_only(tmp_path, isolated, release):
    """``group/kubernetes.core.k8s`` is kubernetes.core's group: extending it from our group does
    not put our actions into it, so it connects k8s_info but not split_brain.deploy.status."""
    namespace, instance = release
    rc, results = play(tmp_path, isolated, read_tasks(namespace, instance, ignore_errors=True),
                       {"group/kubernetes.core.k8s": {"kubeconfig": str(KUBECONFIG)}})
    assert [s["metadata"]["name"] for s in results["k8s_info"]["resources"]] == ["group-defaults"]
    assert results["status"].get("failed") is True, results["status"]


def test_a_task_arg_that_is_omitted_hides_the_group_default(tmp_path, isolated, release):
    """ansible-core 2.19: a task arg that resolves to ``omit`` removes the option, the group default
    included (ChainTemplar: omit obliterates). A per-action module_defaults entry whose value is
    omitted hides it as well; one whose whole value is a template giving only the options that
    are set leaves it in place: how a role can pass an optional kubeconfig without hiding the
    user's group default."""
    namespace, instance = release
    tasks = read_tasks(namespace, instance, ignore_errors=True)
    tasks[0]["split_brain.deploy.status"]["kubeconfig"] = "{{ '' | default(omit, true) }}"
    rc, results = play(tmp_path, isolated, tasks, {"group/split_brain.deploy.cluster": {"kubeconfig": str(KUBECONFIG)}})
    assert results["status"].get("failed") is True, results["status"]
    assert results["k8s_info"]["resources"]

    # The same omitted value in a per-action module_defaults entry hides it too: the entries are
    # merged (the action's over the group's) before they are templated.
    rc, results = play(tmp_path, isolated, read_tasks(namespace, instance, ignore_errors=True), [
        {"group/split_brain.deploy.cluster": {"kubeconfig": str(KUBECONFIG)}},
        {"split_brain.deploy.status": {"kubeconfig": "{{ '' | default(omit, true) }}"}},
    ], name="per-action-omit.yml")
    assert results["status"].get("failed") is True, results["status"]
    assert results["k8s_info"]["resources"]

    # A per-action entry that is one template, resolving to only the options that are set ({} here),
    # leaves the group's kubeconfig in place.
    only_set = "{{ {'kubeconfig': empty, 'context': empty} | dict2items | selectattr('value') | items2dict }}"
    tasks = read_tasks(namespace, instance)
    for task in tasks:
        task["vars"] = {"empty": ""}
    rc, results = play(tmp_path, isolated, tasks, [
        {"group/split_brain.deploy.cluster": {"kubeconfig": str(KUBECONFIG)}},
        {"split_brain.deploy.status": only_set, "kubernetes.core.k8s_info": only_set},
    ], name="per-action-dict.yml")
    assert rc == 0, results
    assert [s["name"] for s in results["status"]["secrets"]] == ["group-defaults"]
    assert [s["metadata"]["name"] for s in results["k8s_info"]["resources"]] == ["group-defaults"]


@pytest.mark.parametrize("source", ["module_defaults", "environment"])
def test_a_role_in_a_users_play_connects_as_its_play_says(tmp_path, isolated, source):
    """The router role alone, in a play whose only way to the cluster is
    ``group/split_brain.deploy.cluster``: the role's release task connects through it, and the
    converged dev release stays as it is. With a bogus kubeconfig in the group default the role
    fails before it writes anything. The same through the play's ``environment:``
    (K8S_AUTH_KUBECONFIG)."""
    inventory = ROOT / "inventories" / "dev"
    local = "@%s" % (ROOT / "molecule" / "shared" / "local-cluster.yml")

    def run(kubeconfig):
        playbook = tmp_path / "router.yml"
        connection = ({"module_defaults": {"group/split_brain.deploy.cluster": {"kubeconfig": str(kubeconfig)}}}
                      if source == "module_defaults" else {"environment": {"K8S_AUTH_KUBECONFIG": str(kubeconfig)}})
        playbook.write_text(yaml.safe_dump([dict({
            "name": "Deploy the router", "hosts": "split_brain", "gather_facts": False,
            "roles": ["split_brain.deploy.router"]}, **connection)], sort_keys=False))
        env = dict(isolated, ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default")
        return subprocess.run([ANSIBLE_PLAYBOOK, str(playbook), "-i", str(inventory), "-e", local],
                              cwd=tmp_path, env=env, capture_output=True, text=True, check=False)

    converged = run(KUBECONFIG)
    assert converged.returncode == 0, converged.stdout[-6000:]
    assert "changed=0" in converged.stdout.split("PLAY RECAP")[-1], converged.stdout[-6000:]

    bogus = tmp_path / "bogus-kubeconfig"
    bogus.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    versions = {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in get("configmaps") + get("deployments")}
    failed = run(bogus)
    assert failed.returncode != 0
    out = " ".join((failed.stdout + failed.stderr).split())
    # One line naming the kubeconfig the play gave, whichever way, and what to do.
    assert "Cannot connect to Kubernetes: the kubeconfig %s names no current context" % bogus in out, out[-4000:]
    assert {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in get("configmaps") + get("deployments")} == versions
