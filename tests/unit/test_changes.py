"""plugin_utils/changes.py: per-object diffs of a multi-object kubernetes.core.k8s result."""

from ansible_collections.split_brain.deploy.plugins.plugin_utils.changes import (
    applied_results,
    object_diffs,
    pending_rollouts,
)


def item(kind, name, changed, before, after):
    return {
        "changed": changed,
        "result": {"kind": kind, "metadata": {"name": name}},
        "diff": {"before": before, "after": after},
    }


def test_only_changed_objects_with_real_differences_are_reported():
    results = [
        item("ConfigMap", "router-config", True, {"data": {"MAX_IN_FLIGHT": "64"}}, {"data": {"MAX_IN_FLIGHT": "7"}}),
        item("Service", "router", False, {}, {}),
        # Only server-set fields moved: nothing to show.
        item("NetworkPolicy", "router", True, {"metadata": {"generation": 3}}, {"metadata": {"generation": 4}}),
    ]
    diffs = object_diffs(results)
    assert [d["before_header"] for d in diffs] == ["ConfigMap/router-config"]
    assert "MAX_IN_FLIGHT: '64'" in diffs[0]["before"] and "MAX_IN_FLIGHT: '7'" in diffs[0]["after"]


def test_server_fields_and_status_are_left_out_of_a_created_object():
    created = {"kind": "ConfigMap", "metadata": {"name": "x", "uid": "u", "resourceVersion": "1"}, "data": {"a": "b"}, "status": {}}
    diffs = object_diffs([item("ConfigMap", "x", True, {}, created)])
    assert diffs[0]["before"] == ""
    assert "uid" not in diffs[0]["after"] and "resourceVersion" not in diffs[0]["after"] and "status" not in diffs[0]["after"]
    assert "name: x" in diffs[0]["after"]


def test_a_secret_diff_names_the_changed_keys_and_never_shows_a_value():
    before = {"data": {"api-key": "b2xkLXZhbHVl", "token": "c2FtZS12YWx1ZQ=="}}
    after = {"data": {"api-key": "bmV3LXZhbHVl", "token": "c2FtZS12YWx1ZQ==", "added": "YWRkZWQtdmFsdWU="}}
    diffs = object_diffs([item("Secret", "router-credentials", True, before, after)])
    text = diffs[0]["before"] + diffs[0]["after"]
    for value in ("b2xkLXZhbHVl", "bmV3LXZhbHVl", "c2FtZS12YWx1ZQ==", "YWRkZWQtdmFsdWU="):
        assert value not in text
    assert "api-key: <hidden, changed>" in diffs[0]["after"] and "token: <hidden>" in diffs[0]["after"]
    assert "added: <hidden, changed>" in diffs[0]["after"]
    assert "api-key: <hidden>" in diffs[0]["before"]


def test_a_created_secret_shows_its_keys_only():
    created = {"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "plain-value"}}
    diffs = object_diffs([item("Secret", "s", True, {}, created)])
    assert "plain-value" not in diffs[0]["after"] and "k: <hidden, changed>" in diffs[0]["after"]


def deployment(name, generation=2, observed=2, replicas=1, updated=1, available=1):
    status = {"observedGeneration": observed, "replicas": replicas, "updatedReplicas": updated,
              "readyReplicas": available, "availableReplicas": available}
    return {"changed": False, "result": {"kind": "Deployment", "metadata": {"name": name, "generation": generation},
                                          "spec": {"replicas": replicas}, "status": status}}


def test_only_deployments_whose_response_shows_an_unfinished_rollout_are_pending():
    results = [
        deployment("router"),                                   # unchanged, all available
        deployment("classifier", generation=3, observed=2),     # new generation not yet seen
        deployment("ui", updated=0),                            # old pods still serving
        {"changed": True, "result": {"kind": "Deployment", "metadata": {"name": "cloudflared"}}},  # just created
        item("ConfigMap", "router-config", True, {}, {}),
    ]
    assert pending_rollouts(results) == ["classifier", "ui", "cloudflared"]
    assert pending_rollouts([deployment("router")]) == []


def test_applied_results_reads_every_shape_of_a_registered_k8s_call():
    several = {"changed": True, "result": {"results": [deployment("a"), deployment("b")]}}
    assert [r["result"]["metadata"]["name"] for r in applied_results(several)] == ["a", "b"]
    one = deployment("a")
    assert applied_results(one) == [one]
    assert applied_results({"skipped": True, "changed": False}) == []
    assert applied_results(None) == []
