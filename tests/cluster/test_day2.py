"""Check mode, one-variable changes and toggles against the converged local cluster.

Every test leaves the cluster as converge left it (it ends with a plain re-run).
"""

import pytest

from clusterlib import get, recap, site


def test_check_diff_on_converged_cluster_reports_no_change():
    result = site("--check", "--diff")
    assert recap(result.stdout)["changed"] == 0, result.stdout[-4000:]


def test_one_variable_change_is_previewed_then_applied_exactly():
    before = get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"]
    preview = site("--check", "--diff", "-e", "router_max_in_flight=7")
    assert recap(preview.stdout)["changed"] >= 1
    # One unified diff per changed object: the ConfigMap value and the pods' checksum.
    assert "-  MAX_IN_FLIGHT: '64'" in preview.stdout and "+  MAX_IN_FLIGHT: '7'" in preview.stdout
    assert "after: Deployment/router" in preview.stdout
    # Check mode changed nothing.
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == before
    old_checksum = get("deployment", "router")["spec"]["template"]["metadata"]["annotations"]["split-brain.io/config-checksum"]
    other = {name: get("deployment", name)["metadata"]["generation"] for name in ("classifier", "ui", "cloudflared")}

    site("-e", "router_max_in_flight=7")
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "7"
    router = get("deployment", "router")
    assert router["spec"]["template"]["metadata"]["annotations"]["split-brain.io/config-checksum"] != old_checksum
    assert router["status"]["updatedReplicas"] == router["spec"]["replicas"]
    # Only the router rolled.
    assert {name: get("deployment", name)["metadata"]["generation"] for name in other} == other

    restored = site()
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == before
    assert recap(restored.stdout)["changed"] >= 1


@pytest.mark.parametrize(
    "kind,name,enable,disable,converged",
    [
        ("horizontalpodautoscaler", "router",
         ["-e", "router_autoscaling_enabled=true", "-e", "router_autoscaling_max_replicas=3"], [], False),
        ("poddisruptionbudget", "cloudflared", [], ["-e", "cloudflared_pdb_enabled=false"], True),
        ("secret", "scalarlm-credentials",
         ["-e", "router_scalarlm_base_url=http://scalarlm.llm.svc:8000", "-e", "router_scalarlm_api_key=test-key-1234"],
         [], False),
    ],
)
def test_turning_an_object_off_deletes_it_and_on_creates_it(kind, name, enable, disable, converged):
    site(*enable)
    assert get(kind, name) is not None, "%s/%s was not created" % (kind, name)
    off = site(*disable)
    assert get(kind, name) is None, "%s/%s was not deleted" % (kind, name)
    assert name in off.stdout  # the prune step reports what it deleted
    site()
    assert (get(kind, name) is not None) == converged
    assert recap(site().stdout)["changed"] == 0
