"""Turning the router's HPA on and off keeps the replica count: spec.replicas never drops below it
while the run hands the field to the HPA and back (watched, every change of the object)."""

import json
import os
import subprocess
import threading
import time

import pytest

from clusterlib import NAMESPACE, get, recap, site

pytestmark = pytest.mark.skipif(
    not os.environ.get("SPLIT_BRAIN_CLUSTER"), reason="needs a cluster"
)
REPLICAS = ["-e", "router_replicas=3"]
HPA_ON = REPLICAS + ["-e", "router_autoscaling_enabled=true"]


class ReplicaWatch:
    """Every spec.replicas the API server reports for Deployment/router while it runs (a watch
    sees each change of the object, not samples of it)."""

    def __init__(self):
        self.seen = []
        self.proc = subprocess.Popen(
            ["kubectl", "-n", NAMESPACE, "get", "deployment/router", "--watch", "-o", "json"],
            stdout=subprocess.PIPE, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        decoder, buffer = json.JSONDecoder(), ""
        for line in self.proc.stdout:
            buffer += line
            try:
                obj, end = decoder.raw_decode(buffer.strip())
            except ValueError:
                continue
            buffer = buffer.strip()[end:]
            self.seen.append(obj["spec"].get("replicas"))

    def stop(self, settle=2.0):
        time.sleep(settle)
        self.proc.terminate()
        self.thread.join(timeout=10)
        return self.seen


def managers_of_replicas():
    out = subprocess.run(["kubectl", "-n", NAMESPACE, "get", "deployment/router", "-o", "json", "--show-managed-fields"],
                         capture_output=True, text=True, check=True).stdout
    return {entry["manager"] for entry in json.loads(out)["metadata"]["managedFields"]
            if "f:replicas" in (entry.get("fieldsV1") or {}).get("f:spec", {})}


def test_hpa_on_and_off_keeps_the_replicas():
    try:
        site(*REPLICAS)
        assert get("deployment", "router")["spec"]["replicas"] == 3

        watch = ReplicaWatch()
        result = site(*HPA_ON)
        # the HPA controller syncs every 15s: watch through its first look at the Deployment
        deadline = time.time() + 40
        while time.time() < deadline and get("hpa", "router").get("status", {}).get("currentReplicas") is None:
            time.sleep(1)
        seen = watch.stop(settle=5)
        assert seen and min(seen) == 3, "spec.replicas while the HPA took over: %s" % seen
        assert get("hpa", "router")["spec"]["minReplicas"] == 3
        assert "split-brain-deploy" not in managers_of_replicas()  # the manifest no longer sets it
        assert "Took back" not in result.stdout + result.stderr
        assert recap(site(*HPA_ON).stdout)["changed"] == 0  # converged with the HPA in charge

        watch = ReplicaWatch()
        result = site(*REPLICAS)
        seen = watch.stop()
        assert seen and min(seen) == 3 and seen[-1] == 3, "spec.replicas while the HPA handed back: %s" % seen
        assert get("hpa", "router") is None
        assert "split-brain-deploy" in managers_of_replicas()
        assert "Took back" not in result.stdout + result.stderr  # the HPA's replicas are given back, not "taken"
        assert recap(site(*REPLICAS).stdout)["changed"] == 0
    finally:
        site()
    assert recap(site().stdout)["changed"] == 0
