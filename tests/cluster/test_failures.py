"""What a run says when the cluster cannot do its part: the controller manager is down (a rollout
that never starts), the API server is unreachable (one line naming it and the likely cause)."""

import os
import re
import subprocess

import pytest
import yaml

from clusterlib import ROOT, recap, site

pytestmark = pytest.mark.skipif(
    os.environ.get("SPLIT_BRAIN_CLUSTER") != "local", reason="stops components of the local cluster"
)
COMPONENT = str(ROOT / "scripts" / "cluster" / "component.sh")


def component(action, name):
    subprocess.run([COMPONENT, action, name], check=True, capture_output=True)


def failure(result):
    """The message of the failed task, unwrapped (the callback wraps long lines)."""
    assert result.returncode != 0, result.stdout[-3000:]
    out = result.stdout.split("fatal:")[-1]
    msg = re.search(r"\bmsg: (.*?)(?:\n\S|\n\n|$)", out, re.S)
    assert msg, out[-3000:]
    return " ".join(msg.group(1).split()).strip("\"'")


def server():
    with open(os.environ["KUBECONFIG"]) as handle:
        return yaml.safe_load(handle)["clusters"][0]["cluster"]["server"]


def test_a_rollout_that_never_starts_names_the_controller_manager():
    component("stop", "kube-controller-manager")
    try:
        result = site("-e", "router_max_in_flight=17", "-e", "split_brain_rollout_timeout=5", check=False)
    finally:
        component("start", "kube-controller-manager")
    msg = failure(result)
    assert msg.startswith("Rollout not finished after"), msg
    assert "Deployment router: not rolled out" in msg and "is kube-controller-manager running?" in msg, msg
    # the old generation's counts are not passed off as the new one's
    assert "No pod reports a problem" not in msg and "1/1 updated" not in msg, msg
    site()  # back to the inventory's values, rolled out
    assert recap(site().stdout)["changed"] == 0


def test_pods_no_scheduler_looks_at_name_the_scheduler():
    component("stop", "kube-scheduler")
    try:
        result = site("-e", "router_max_in_flight=18", "-e", "split_brain_rollout_timeout=5", check=False)
    finally:
        component("start", "kube-scheduler")
    msg = failure(result)
    assert re.search(r"pod router-\S+ Pending: no scheduler has looked at it; is kube-scheduler running\?", msg), msg
    site()
    assert recap(site().stdout)["changed"] == 0


@pytest.mark.parametrize("playbook", ["site.yml", "playbooks/status.yml"])
def test_an_unreachable_api_server_is_one_line_naming_it(playbook):
    component("stop", "kube-apiserver")
    try:
        result = site(playbook=playbook, check=False)
    finally:
        component("start", "kube-apiserver")
    msg = failure(result)
    expected = "Cannot reach the Kubernetes API server at %s: connection refused: is kube-apiserver running" % server()
    assert expected in msg, msg
    assert "Value of unknown type" not in msg and "object at 0x" not in msg, msg
    assert recap(site().stdout)["changed"] == 0
