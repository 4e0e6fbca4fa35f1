"""The release module against the local cluster: a refused object changes nothing, a converged
run writes nothing, and an interrupted or dead run leaves no lock to wait for."""

import json
import os
import re
import signal
import socket
import subprocess
import time
from datetime import datetime, timezone

from clusterlib import get, kubectl, recap, site
from test_lock import LEASE, kill, lease, revisions, start, wait_for_lease

RELEASE_TASK = "Render the objects and apply them under the release lock"
SUMMARY_TASK = "Render the objects and apply them under the release lock (or write them to split_brain_render_dir)"
# The kinds of the release's objects (the lock's Lease is left out: each run takes and releases it).
KINDS = ("configmaps", "secrets", "services", "serviceaccounts", "deployments", "networkpolicies",
         "persistentvolumeclaims", "poddisruptionbudgets", "horizontalpodautoscalers", "namespaces")
WRITES = ("APPLY", "PATCH", "CREATE", "UPDATE", "DELETE", "POST", "PUT")


def flat(text):
    return " ".join(text.split())


def summary(output):
    return flat(output.split("TASK [split_brain.deploy.split_brain : %s]" % SUMMARY_TASK)[1].split("TASK [")[0])


def writes(kinds=KINDS):
    """Write requests (dry runs left out) the API server has served for ``kinds``."""
    out = subprocess.run(["kubectl", "get", "--raw", "/metrics"], capture_output=True, text=True, check=True).stdout
    total = 0
    for line in out.splitlines():
        if not line.startswith("apiserver_request_total{"):
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if labels.get("dry_run") == "" and labels.get("verb") in WRITES and labels.get("resource") in kinds:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def test_a_converged_run_writes_no_object():
    site()
    before = writes()
    versions = {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in get("configmaps") + get("deployments")}
    result = site()
    assert recap(result.stdout)["changed"] == 0
    assert writes() == before, "a converged run wrote %d objects" % (writes() - before)
    assert {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in get("configmaps") + get("deployments")} == versions


def test_a_refused_object_changes_nothing_and_names_the_object_and_field():
    """Shrinking the volume claim is refused by the API server; the ConfigMap change of the same
    run is not applied, and the revision is recorded as failed."""
    before = {o["metadata"]["name"]: o["metadata"]["resourceVersion"]
              for o in get("configmaps") + get("deployments") + get("secrets") if "split-brain.io/revision" not in
              (o["metadata"].get("labels") or {})}
    not_history = tuple(kind for kind in KINDS if kind != "secrets")
    writes_before = writes(not_history)
    result = site("-e", "router_max_in_flight=3", "-e", "split_brain_storage_size=5Gi", check=False)
    assert result.returncode != 0
    out = flat(result.stdout)
    assert "refused 1 object in a dry run (preflight), so nothing was changed" in out, out[-3000:]
    assert "PersistentVolumeClaim/split-brain-data" in out and "spec.resources.requests.storage" in out
    assert re.search(r"Revision \d+ is recorded as failed", out)
    assert "failed" in revisions().values()
    after = {o["metadata"]["name"]: o["metadata"]["resourceVersion"]
             for o in get("configmaps") + get("deployments") + get("secrets") if "split-brain.io/revision" not in
             (o["metadata"].get("labels") or {})}
    assert after == before
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "64"
    # Nothing but the revision records (Secrets) was written.
    assert writes(not_history) == writes_before
    assert lease() is None
    assert recap(site().stdout)["changed"] == 0


def wait_for_pending(timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if "pending" in revisions().values():
            return
        time.sleep(0.2)
    raise AssertionError("no run recorded a pending revision within %ds" % timeout)


def test_a_run_interrupted_with_ctrl_c_is_followed_by_a_run_that_starts_at_once():
    run = start("-e", "router_max_in_flight=51")
    try:
        for line in run.stdout:
            if RELEASE_TASK in line:
                break
        wait_for_lease()
        wait_for_pending()
        os.killpg(run.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
        run.stdout.read()
        assert run.wait(timeout=60) != 0
    finally:
        if run.poll() is None:
            kill(run)
    started = time.monotonic()
    after = site()
    elapsed = time.monotonic() - started
    said = summary(after.stdout)
    assert "for the lock" not in said, said  # no wait for the interrupted run's lock
    assert "did not finish (now marked interrupted)" in flat(after.stdout + after.stderr)
    assert elapsed < 60
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "64"
    assert lease() is None
    assert recap(site().stdout)["changed"] == 0


def test_a_lock_of_a_dead_process_of_this_host_is_taken_at_once():
    child = subprocess.Popen(["true"])
    child.wait()  # a pid that names no process any more
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": LEASE, "labels": {"app.kubernetes.io/managed-by": "split_brain.deploy",
                                               "app.kubernetes.io/instance": "split-brain"},
                     "annotations": {"split-brain.io/holder": "carol@%s" % socket.gethostname(),
                                     "split-brain.io/pid": str(child.pid), "split-brain.io/host": socket.gethostname(),
                                     "split-brain.io/operation": "deploy", "split-brain.io/version": "1.0.0",
                                     "split-brain.io/instance": "split-brain"}},
        "spec": {"holderIdentity": "carol/%d/gone" % child.pid, "leaseDurationSeconds": 600,
                 "acquireTime": now, "renewTime": now},
    }
    subprocess.run(["kubectl", "-n", "split-brain", "create", "-f", "-"], input=json.dumps(body), text=True,
                   check=True, capture_output=True)
    try:
        result = site()
    finally:
        kubectl("delete", "lease", LEASE, "--ignore-not-found")
    out = flat(result.stdout + result.stderr)
    assert "for the lock" not in summary(result.stdout)
    assert "the previous run by carol@%s (pid %d, deploy)" % (socket.gethostname(), child.pid) in out, out[-3000:]
    assert lease() is None
