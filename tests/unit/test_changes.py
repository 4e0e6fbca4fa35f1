"""plugin_utils/changes.py: per-object diffs of a multi-object kubernetes.core.k8s result."""

from ansible_collections.split_brain.deploy.plugins.plugin_utils.changes import object_diffs


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
