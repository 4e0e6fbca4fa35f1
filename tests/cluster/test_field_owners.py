"""A run says which fields it took back from other field managers (it applies with
force_conflicts), restores them, and a converged run reports nothing."""

import os
import subprocess

import pytest

from clusterlib import NAMESPACE, get, recap, site

pytestmark = pytest.mark.skipif(not os.environ.get("SPLIT_BRAIN_CLUSTER"), reason="needs a cluster")


def kubectl(*args):
    subprocess.run(["kubectl", "-n", NAMESPACE, *args], check=True, capture_output=True, text=True)


def took_back(result):
    """The warnings of what the run took back: one line each, '[WARNING]: Took back from ...', on
    the run's standard error (where Ansible prints warnings)."""
    output = result.stdout + result.stderr
    return sorted({" ".join(line[line.index("Took back from"):].split()) for line in output.splitlines() if "Took back from" in line})


def test_fields_other_managers_changed_are_reported_and_restored():
    try:
        converged = site()
        assert not took_back(converged)
        kubectl("scale", "deployment/classifier", "--replicas=3")
        kubectl("set", "image", "deployment/router", "router=ghcr.io/split-brain/router:hotfix")
        kubectl("label", "configmap/ui-config", "app.kubernetes.io/version=edited", "--overwrite")
        kubectl("patch", "configmap/router-config", "--field-manager=ops-console", "-p", '{"data":{"MAX_IN_FLIGHT":"7"}}')
        # A field we do not set stays the other manager's and is not reported.
        kubectl("annotate", "deployment/ui", "ops.example/owner=team-a")

        result = site()
        assert took_back(result) == [
            "Took back from kubectl-label: ConfigMap/ui-config metadata.labels.app.kubernetes.io/version",
            "Took back from kubectl-set: Deployment/router spec.template.spec.containers[router].image",
            "Took back from kubectl: Deployment/classifier spec.replicas",
            "Took back from ops-console: ConfigMap/router-config data.MAX_IN_FLIGHT",
        ], result.stdout[-3000:]
        assert get("deployment", "classifier")["spec"]["replicas"] == 1
        assert get("deployment", "router")["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":1.0.0")
        assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "64"
        assert get("configmap", "ui-config")["metadata"]["labels"]["app.kubernetes.io/version"] != "edited"
        assert get("deployment", "ui")["metadata"]["annotations"]["ops.example/owner"] == "team-a"

        again = site()
        assert not took_back(again) and recap(again.stdout)["changed"] == 0
    finally:
        subprocess.run(["kubectl", "-n", NAMESPACE, "annotate", "deployment/ui", "ops.example/owner-"], capture_output=True, check=False)
        site()
