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
import time
from pathlib import Path

from clusterlib import LOCAL_VARS, ROOT, ansible_env, get, kubectl, recap, site

LEASE = "split-brain-lock"
SHORT = ["-e", "split_brain_lock_duration=6"]  # a killed run's lock expires within 6 s


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


def test_concurrent_runs_take_turns_and_tell_the_truth():
    first = start("-e", "router_max_in_flight=31")
    try:
        held = wait_for_lease()
        holder = held["metadata"]["annotations"]["split-brain.io/holder"]
        second = None
        second = start("-e", "router_max_in_flight=32")
        impatient = site("-e", "router_max_in_flight=33", "-e", "split_brain_lock_timeout=0", check=False)
        first_out, _ = first.communicate(timeout=600)
        second_out, _ = second.communicate(timeout=600)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                kill(proc)
    # The impatient run failed before touching anything, naming who holds the lock since when.
    assert impatient.returncode != 0
    failure = flat(impatient.stdout)
    assert "is locked by another run: %s (pid" % holder in failure, failure[-3000:]
    assert re.search(r"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", failure)
    assert "split_brain_lock_timeout" in failure
    # The second waited for the first (saying so), then applied its own value; both succeeded.
    assert first.returncode == 0, first_out[-3000:]
    assert second.returncode == 0, second_out[-3000:]
    assert "Waiting up to 300s (split_brain_lock_timeout) for the lock of namespace split-brain: held by %s" % holder in flat(second_out)
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "32"  # the run that finished last
    # One consistent state: each run recorded its own revision, the last one is the deployed one.
    history = revisions()
    newest = max(history)
    assert history[newest] == "deployed" and history[newest - 1] == "superseded"
    assert lease() is None  # both released it
    site()
    assert recap(site().stdout)["changed"] == 0


def test_a_killed_run_leaves_a_lock_that_expires_and_the_next_run_says_so():
    run = start("-e", "router_max_in_flight=41", "-e", "classifier_head_version=41", *SHORT)
    try:
        for line in run.stdout:
            if "Apply the objects with server-side apply" in line:
                break
        held = lease()
        kill(run)  # no cleanup runs; the lock's renewer, a session of its own, sees the run gone
    finally:
        if run.poll() is None:
            kill(run)
    assert held, "the run held no lock while it applied"
    assert lease() is not None  # still there: nobody released it
    assert "pending" in revisions().values()
    started = time.monotonic()
    after = site(*SHORT)
    waited = time.monotonic() - started
    out = flat(after.stdout)
    holder = held["metadata"]["annotations"]["split-brain.io/holder"]
    pid = held["metadata"]["annotations"]["split-brain.io/pid"]
    assert "the previous run by %s (pid %s, deploy) started" % (holder, pid) in out, out[-3000:]
    assert "did not finish; converging" in out
    assert "did not finish (now marked interrupted)" in out
    assert waited < 60  # the lock expired by itself (6 s), no manual removal
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
