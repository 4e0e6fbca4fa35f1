"""Per-component runs, prune, rollback and rollout diagnostics against the local cluster.

Every test leaves the cluster as converge left it (it ends with a plain re-run).
"""

import os

import pytest

from clusterlib import get, kubectl, recap, site

COMPONENTS = ("router", "classifier", "ui", "cloudflared")


def generations():
    return {name: get("deployment", name)["metadata"]["generation"] for name in COMPONENTS}


def test_tags_apply_one_component_and_touch_nothing_else():
    before = generations()
    result = site("--tags", "router", "-e", "router_max_in_flight=11", "-e", "classifier_model_kind=other")
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "11"
    # The classifier change was not applied: its role did not run.
    assert get("configmap", "classifier-config")["data"]["MODEL_KIND"] != "other"
    after = generations()
    assert after["router"] == before["router"] + 1
    assert {k: v for k, v in after.items() if k != "router"} == {k: v for k, v in before.items() if k != "router"}

    skipped = site("--skip-tags", "router", "-e", "router_max_in_flight=12")
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "11"
    assert recap(skipped.stdout)["changed"] == 0
    site()
    assert get("configmap", "router-config")["data"]["MAX_IN_FLIGHT"] == "64"


def test_prune_deletes_only_labelled_objects_no_longer_rendered():
    labels = [
        "app.kubernetes.io/managed-by=split_brain.deploy",
        "app.kubernetes.io/instance=split-brain",
        "app.kubernetes.io/component=router",
    ]
    kubectl("create", "configmap", "router-leftover", "--from-literal=a=b")
    kubectl("label", "configmap", "router-leftover", *labels)
    kubectl("create", "configmap", "operator-notes", "--from-literal=keep=me")
    try:
        preview = site("--check")
        assert "ConfigMap/router-leftover" in preview.stdout
        assert get("configmap", "router-leftover") is not None  # check mode deletes nothing

        result = site()
        assert "ConfigMap/router-leftover" in result.stdout  # reported
        assert get("configmap", "router-leftover") is None
        assert get("configmap", "operator-notes") is not None  # not ours: never touched
        assert recap(site().stdout)["changed"] == 0
    finally:
        kubectl("delete", "configmap", "router-leftover", "operator-notes", "--ignore-not-found")


def test_rerun_with_an_older_image_tag_rolls_back_cleanly():
    site("-e", "router_image_tag=1.1.0")
    assert get("deployment", "router")["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":1.1.0")
    site()  # the previous inventory
    router = get("deployment", "router")
    assert router["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":1.0.0")
    assert router["status"]["updatedReplicas"] == router["status"]["availableReplicas"] == router["spec"]["replicas"]
    pods = [p for p in get("pods") if p["metadata"]["labels"].get("app.kubernetes.io/name") == "router"]
    assert [p["spec"]["containers"][0]["image"] for p in pods if not p["metadata"].get("deletionTimestamp")] == [
        "ghcr.io/split-brain/router:1.0.0"
    ] * router["spec"]["replicas"]


@pytest.mark.skipif(os.environ.get("SPLIT_BRAIN_CLUSTER") != "local", reason="the broken-image stage is kwok's")
def test_a_broken_image_fails_the_rollout_naming_container_and_reason():
    # The local cluster's kwok marks containers of images tagged `does-not-exist` ImagePullBackOff.
    try:
        result = site("-e", "router_image_tag=does-not-exist", "-e", "split_brain_rollout_timeout=20", check=False)
        assert result.returncode != 0
        out = " ".join(result.stdout.split())  # the callback wraps long lines
        assert "Deployment router" in out
        assert "container router waiting: ImagePullBackOff" in out
        assert "Deployment classifier" not in out  # the others finished: only the stuck one is named
    finally:
        site()
