"""One run at a time: the release lock (a Lease) against the local cluster.

Two concurrent runs (one waits, then succeeds; one with split_brain_lock_timeout=0 fails naming
the holder), a run killed with SIGKILL whose lock expires and whose successor says so, and a
second release refused in a namespace another release owns. Every test ends converged.
"""

import json
import os
import re
import signal
import subprocess
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from clusterlib import LOCAL_VARS, ROOT, ansible_env, get, kubectl, recap, site

LEASE = "split-brain-lock"


def start(*args):
    """Start site.yml on the dev inventory in the background (a process group of its own, as a
    CI job is), output merged into stdout."""
    cmd = ["ansible-playbook", "site.yml", "-i", "inventories/dev", "-e", LOCAL_VARS, *args]
    return subprocess.Popen(cmd, cwd=ROOT, env=ansible_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def kill(proc):
    """SIGKILL the run (its process group), as a cancelled CI job is. Ansible's forked workers
    run in sessions of their own and outlive it, blocked on the dead run's queue: end those of
    this run too (found by their command line, the run's own)."""
    cmdline = ("\0".join(proc.args) + "\0").encode()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().endswith(cmdline):
                os.kill(int(entry.name), signal.SIGKILL)
        except OSError:
            pass


def lease():
    out = kubectl("get", "lease", LEASE, "-o", "json", check=False)
    return json.loads(out.stdout) if out.returncode == 0 else None


def wait_for_lease(timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = lease()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("no run took the lock within %ds" % timeout)


def flat(text):
    return " ".join(text.split())  # the callback wraps long lines


def revisions():
    """{revision: status} of the release's history records."""
    out = kubectl("get", "secrets", "-l", "split-brain.io/instance=split-brain", "-o", "json")
    return {int(s["metadata"]["labels"]["split-brain.io/revision"]): s["metadata"]["labels"]["split-brain.io/status"]
            for s in json.loads(out.stdout)["items"]}


def hold_lock(holder, duration=120):
    """Create the Lease as a live run on another machine holds it (no renewer of ours behind it)."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": LEASE, "labels": {"app.kubernetes.io/managed-by": "split_brain.deploy",
                                               "app.kubernetes.io/instance": "split-brain"},
                     "annotations": {"split-brain.io/holder": holder, "split-brain.io/pid": "4242",
                                     "split-brain.io/operation": "deploy", "split-brain.io/version": "1.0.0",
                                     "split-brain.io/instance": "split-brain"}},
        "spec": {"holderIdentity": "%s/4242/elsewhere" % holder, "leaseDurationSeconds": duration,
                 "acquireTime": now, "renewTime": now},
    }
    subprocess.run(["kubectl", "-n", "split-brain", "create", "-f", "-"], input=json.dumps(body), text=True,
                   check=True, capture_output=True)


def test_concurrent_runs_take_turns_and_tell_the_truth():
    """Two real runs started together both succeed and leave one consistent state: the cluster holds
    the value of the newest deployed revision, the one before it is superseded, the lock is gone."""
    first = start("-e", "router_max_in_flight=31")
    second = start("-e", "router_max_in_flight=32")
    try:
        first_out = first.communicate(timeout=600)[0]
        second_out = second.communicate(timeout=600)[0]
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                kill(proc)
    assert first.returncode == 0, first_out[-3000:]
    assert second.returncode == 0, second_out[-3000:]
    history = revisions()
    newest = max(history)
    assert history[newest] == "deployed" and history[newest - 1] == "superseded", history
    value = get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"]
    assert value in ("31", "32")
    # The run whose revision is the newest is the one whose value the cluster keeps, and its
    # output says it waited if the other run held the lock when it got there.
    last_out = first_out if value == "31" else second_out
    other = second_out if value == "31" else first_out
    assert recap(last_out)["changed"] > 0, last_out[-3000:]
    assert "Waiting up to" not in flat(other) or "Waiting up to" not in flat(last_out)
    assert lease() is None  # both released it
    site()
    assert recap(site().stdout)["changed"] == 0


def test_a_held_lock_makes_a_run_wait_or_fail_naming_the_holder():
    """While another run holds the lock, a run with split_brain_lock_timeout=0 fails before touching
    anything, naming the holder and since when; a patient run waits, saying so, and goes on when
    the lock is released."""
    before = get("configmap", "router-config")["metadata"]["resourceVersion"]
    hold_lock("alice@ci-runner-7")
    try:
        impatient = site("-e", "router_max_in_flight=33", "-e", "split_brain_lock_timeout=0", check=False)
        assert impatient.returncode != 0
        failure = flat(impatient.stdout)
        assert "is locked by another run: alice@ci-runner-7 (pid 4242" in failure, failure[-3000:]
        assert re.search(r"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", failure)
        assert "split_brain_lock_timeout" in failure
        assert get("configmap", "router-config")["metadata"]["resourceVersion"] == before  # nothing touched

        patient = start("-e", "router_max_in_flight=34", "-e", "split_brain_lock_timeout=120")
        lines = []

        def read():
            for line in patient.stdout:
                lines.append(line)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        end = time.monotonic() + 120
        while not any("Render the objects and apply them under the release lock" in line for line in lines) and time.monotonic() < end:
            time.sleep(0.2)
        time.sleep(3)  # inside the lock task, waiting
        assert patient.poll() is None, "the run did not wait for the lock"
        assert lease()["metadata"]["annotations"]["split-brain.io/holder"] == "alice@ci-runner-7"
        kubectl("delete", "lease", LEASE)  # the other run releases it
        patient.wait(timeout=600)
        reader.join(timeout=30)
        patient_out = "".join(lines)
    finally:
        kubectl("delete", "lease", LEASE, "--ignore-not-found")
    assert patient.returncode == 0, patient_out[-3000:]
    assert "Waiting up to 120s (split_brain_lock_timeout) for the lock of namespace split-brain: held by " \
        "alice@ci-runner-7" in flat(patient_out), flat(patient_out)[-3000:]
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "34"
    site()
    assert recap(site().stdout)["changed"] == 0


def test_a_killed_run_leaves_no_lock_to_wait_for_and_the_next_run_says_so():
    """SIGKILL of the run and its workers: the release module, which outlives them, sees that no
    one reads its output any more, stops and releases the lock; its revision stays pending and
    the next run marks it interrupted without waiting for the lock to expire."""
    run = start("-e", "router_max_in_flight=41", "-e", "classifier_head_version=41")
    try:
        for line in run.stdout:
            if "Render the objects and apply them under the release lock" in line:
                break
        held = wait_for_lease()
        end = time.monotonic() + 60
        while "pending" not in revisions().values() and time.monotonic() < end:
            time.sleep(0.2)
        kill(run)  # no cleanup of Ansible's runs
    finally:
        if run.poll() is None:
            kill(run)
    assert held, "the run held no lock while it applied"
    assert "pending" in revisions().values()
    started = time.monotonic()
    after = site()
    waited = time.monotonic() - started
    out = flat(after.stdout + after.stderr)  # warnings are on standard error
    assert "did not finish (now marked interrupted)" in out, out[-3000:]
    assert waited < 30  # the default lock duration: the run did not wait for it to expire
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "64"  # converged to the inventory
    assert "interrupted" in revisions().values() and "pending" not in revisions().values()
    assert lease() is None
    assert recap(site().stdout)["changed"] == 0


def test_a_second_release_in_the_namespace_is_refused_before_anything_is_touched():
    before = {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in get("configmaps") + get("deployments")}
    result = site("-e", "split_brain_instance=other", check=False)
    assert result.returncode != 0
    out = flat(result.stdout)
    assert "Namespace split-brain belongs to release 'split-brain'" in out, out[-3000:]
    assert "not to split_brain_instance 'other'" in out
    after = {o["metadata"]["name"]: o["metadata"]["resourceVersion"] for o in get("configmaps") + get("deployments")}
    assert after == before
    assert kubectl("get", "all,configmaps,secrets,networkpolicies", "-l", "app.kubernetes.io/instance=other", "-o", "name").stdout == ""
    assert lease() is None
