"""A run interrupted by stopping kube-apiserver fails with a clear error; after the server is
back, a re-run converges with nothing lost or duplicated."""

import os
import subprocess

import pytest

from clusterlib import LOCAL_VARS, ROOT, ansible_env, get, recap, site

pytestmark = pytest.mark.skipif(
    os.environ.get("SPLIT_BRAIN_CLUSTER") != "local", reason="stops the local cluster's kube-apiserver"
)
APISERVER = str(ROOT / "scripts" / "cluster" / "apiserver.sh")


def test_interrupted_run_fails_clearly_and_rerun_converges():
    change = ["-e", "router_max_in_flight=21", "-e", "classifier_head_version=9"]
    env = ansible_env()
    run = subprocess.Popen(
        ["ansible-playbook", "site.yml", "-i", "inventories/dev", "-e", LOCAL_VARS, *change],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = []
    try:
        for line in run.stdout:
            lines.append(line)
            if "Render the objects and apply them under the release lock" in line:
                subprocess.run([APISERVER, "stop"], check=True, capture_output=True)
                break
        lines.extend(run.stdout)
        assert run.wait(timeout=600) != 0
    finally:
        subprocess.run([APISERVER, "start"], check=True, capture_output=True)
    out = " ".join("".join(lines).split())  # the callback wraps long lines
    failure = out.rsplit("fatal:", maxsplit=1)[-1]
    # Clear: which step failed and that the API server could not be reached.
    assert "fatal:" in out
    assert any(word in failure.lower() for word in ("connection refused", "failed to establish", "max retries")), failure[-2000:]

    site(*change)
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "21"
    assert get("configmap", "classifier-config")["data"]["HEAD_VERSION"] == "9"
    # Nothing duplicated: one Deployment per component, each with one active ReplicaSet.
    assert sorted(d["metadata"]["name"] for d in get("deployments")) == ["classifier", "cloudflared", "router", "ui"]
    active = [rs["metadata"]["name"] for rs in get("replicasets") if rs["spec"]["replicas"]]
    assert len(active) == 4, active
    site()
    assert recap(site().stdout)["changed"] == 0
