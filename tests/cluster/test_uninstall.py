"""playbooks/uninstall.yml against the converged local cluster.

Every test leaves the cluster as converge left it (it ends with a plain re-run).
"""

import os
import subprocess

from clusterlib import NAMESPACE, RELEASE, ROOT, get, kubectl, recap, site
from test_status_playbook import debug_msg

UNINSTALL = "playbooks/uninstall.yml"
SUMMARY = "Say what was removed and what was kept"
KINDS = "deployments,services,configmaps,secrets,serviceaccounts,networkpolicies,poddisruptionbudgets,horizontalpodautoscalers"


def release_objects(kinds=KINDS):
    return kubectl("get", kinds, "-l", RELEASE, "-o", "name").stdout.split()


def namespace_exists():
    return kubectl("get", "namespace", NAMESPACE, check=False).returncode == 0


def test_uninstall_keeps_the_pvc_and_namespace_and_is_idempotent():
    pvc_uid = get("pvc", "split-brain-data")["metadata"]["uid"]
    before = release_objects()
    assert "deployment.apps/router" in before
    try:
        preview = site("--check", playbook=UNINSTALL)
        would = debug_msg(preview.stdout, SUMMARY)
        assert {"Deployment/router", "Service/ui", "Secret/anthropic-api-key", "NetworkPolicy/default-deny"} <= set(would["would remove"])
        assert release_objects() == before  # check mode deleted nothing

        first = site(playbook=UNINSTALL)
        summary = debug_msg(first.stdout, SUMMARY)
        assert len(summary["removed"]) == len(before)
        assert summary["kept"] == ["PersistentVolumeClaim/split-brain-data", "Namespace/%s" % NAMESPACE]
        assert recap(first.stdout)["changed"] >= 1
        assert release_objects() == []
        assert get("pvc", "split-brain-data")["metadata"]["uid"] == pvc_uid
        assert namespace_exists()

        second = site(playbook=UNINSTALL)
        assert recap(second.stdout)["changed"] == 0
        assert debug_msg(second.stdout, SUMMARY)["removed"] == []
    finally:
        site()
    # Re-converged onto the same claim: the data survived.
    assert get("pvc", "split-brain-data")["metadata"]["uid"] == pvc_uid
    assert sorted(release_objects()) == sorted(before)


def test_uninstall_with_delete_data_removes_the_pvc_and_namespace():
    recycle = ROOT / "scripts" / "cluster" / "recycle-pvs.sh"
    assert recycle.exists()
    try:
        first = site("-e", "split_brain_delete_data=true", playbook=UNINSTALL)
        summary = debug_msg(first.stdout, SUMMARY)
        assert {"Deployment/router", "PersistentVolumeClaim/split-brain-data", "Namespace/%s" % NAMESPACE} <= set(summary["removed"])
        assert summary["kept"] == []
        assert not namespace_exists()  # the play waited until it was gone

        second = site("-e", "split_brain_delete_data=true", playbook=UNINSTALL)
        assert recap(second.stdout)["changed"] == 0
    finally:
        # The test PVs are Retain: make the released one Available again before re-converging.
        env = dict(os.environ, SPLIT_BRAIN_KUBECONFIG=os.environ.get("KUBECONFIG", ""))
        subprocess.run([str(recycle)], env=env, check=True, capture_output=True)
        site()
    assert get("pvc", "split-brain-data")["status"]["phase"] == "Bound"
    assert all(d["status"].get("availableReplicas") == d["spec"]["replicas"] for d in get("deployment"))
