"""Check mode, one-variable changes and toggles against the converged local cluster.

Every test leaves the cluster as converge left it (it ends with a plain re-run).
"""

import base64
import re

import pytest

from clusterlib import get, recap, site

SUMMARY_TASK = "Render the objects and apply them under the release lock (or write them to split_brain_render_dir)"


def task_status(output, name):
    """``ok``, ``changed``, ``skipping``... of the task ``name`` in a default-callback output."""
    found = re.search(r"TASK \[[^\]]*: %s\] \**\n(\w+)" % re.escape(name), output)
    assert found, output[-3000:]
    return found.group(1)


def test_check_diff_on_converged_cluster_reports_no_change():
    result = site("--check", "--diff")
    assert recap(result.stdout)["changed"] == 0, result.stdout[-4000:]


def test_a_converged_run_has_no_rollout_to_wait_for():
    """Every Deployment is unchanged and available: nothing is applied, deleted or waited for."""
    result = site()
    assert recap(result.stdout)["changed"] == 0
    summary = " ".join(result.stdout.split("TASK [split_brain.deploy.split_brain : %s]" % SUMMARY_TASK)[1].split())
    assert "applied 0 objects;" in summary and "waited for" not in summary and "deleted" not in summary, summary
    # Few tasks: the validation, the release and its summary on the release host.
    assert recap(result.stdout)["ok"] <= 6, result.stdout[-3000:]


def test_a_secret_change_is_previewed_by_key_never_by_value():
    current = base64.b64decode(get("secret", "anthropic-api-key")["data"]["ANTHROPIC_API_KEY"]).decode()
    new = "sk-ant-preview-only-0123456789"
    preview = site("--check", "--diff", "-e", "router_anthropic_api_key=" + new)
    assert "after: Secret/anthropic-api-key" in preview.stdout
    assert "+  ANTHROPIC_API_KEY: <hidden, changed>" in preview.stdout
    output = preview.stdout + preview.stderr
    for value in (current, new):
        assert value not in output and base64.b64encode(value.encode()).decode() not in output
    # Check mode changed nothing.
    assert base64.b64decode(get("secret", "anthropic-api-key")["data"]["ANTHROPIC_API_KEY"]).decode() == current


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

    applied = site("-e", "router_max_in_flight=7")
    summary = " ".join(applied.stdout.split("TASK [split_brain.deploy.split_brain : %s]" % SUMMARY_TASK)[1].split())
    assert "waited for the rollout of router;" in summary, summary  # the router rolled: waited for
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
         ["-e", "router_scalarlm_base_url=http://scalarlm.llm.svc", "-e", "router_scalarlm_target_port=8000",
          "-e", "router_scalarlm_api_key=test-key-1234"],
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
