"""plugins/module_utils/status.py: the release summary from fake API dicts."""

from ansible_collections.split_brain.deploy.plugins.module_utils import status as s
from unit_helpers import Listing

LABELS = {"app.kubernetes.io/name": "router", "app.kubernetes.io/instance": "split-brain"}


def deployment(name="router", uid="uid-router", conditions=(), **status):
    return {
        "metadata": {"name": name, "uid": uid, "generation": 2,
                     "labels": {"app.kubernetes.io/component": name},
                     "annotations": {"deployment.kubernetes.io/revision": "2"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": dict(LABELS, **{"app.kubernetes.io/name": name})},
            "template": {"spec": {"containers": [{"name": name, "image": "ghcr.io/split-brain/%s:1.0.0" % name}]}},
        },
        "status": dict({"observedGeneration": 2, "conditions": list(conditions)}, **status),
    }


def replica_set(created, owner_uid="uid-router"):
    return {"metadata": {"creationTimestamp": created, "ownerReferences": [{"kind": "Deployment", "uid": owner_uid}]}}


def pod(name, labels=None, statuses=(), init=()):
    return {
        "metadata": {"name": name, "labels": LABELS if labels is None else labels},
        "status": {"phase": "Running", "containerStatuses": list(statuses), "initContainerStatuses": list(init)},
    }


def running(restarts=0, name="router"):
    return {"name": name, "ready": True, "restartCount": restarts, "state": {"running": {}}}


def waiting(reason, restarts=0, name="router", message=""):
    return {"name": name, "ready": False, "restartCount": restarts,
            "state": {"waiting": dict({"reason": reason}, **({"message": message} if message else {}))}}


def test_healthy_component():
    done = {"replicas": 2, "readyReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2}
    progressing = {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                   "message": "done", "lastUpdateTime": "2026-01-02T10:00:05Z"}
    c = s.component_status(
        deployment(conditions=[progressing], **done),
        [replica_set("2026-01-01T00:00:00Z"), replica_set("2026-01-02T10:00:00Z")],
        [pod("router-a", statuses=[running(1)]), pod("router-b", statuses=[running(2)]),
         pod("ui-a", labels={"app.kubernetes.io/name": "ui"}, statuses=[running(7)])],
    )
    assert c == {
        "name": "router", "component": "router",
        "desired": 2, "ready": 2, "updated": 2, "available": 2, "complete": True,
        "images": ["ghcr.io/split-brain/router:1.0.0"],
        "conditions": [{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                        "message": "done", "last_update_time": "2026-01-02T10:00:05Z"}],
        "restarts": 3,  # the ui pod is not counted
        "waiting": [], "reasons": [], "problems": [],
        "revision": "2",
        "last_rollout": "2026-01-02T10:00:05Z",
    }


def test_failing_component_reports_waiting_reasons_and_problems():
    conditions = [
        {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable", "message": "too few"},
        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
         "message": 'ReplicaSet "router-2" has timed out progressing.'},
    ]
    c = s.component_status(
        deployment(conditions=conditions, replicas=2, readyReplicas=1, updatedReplicas=1, availableReplicas=1),
        [],
        [pod("router-a", statuses=[running()]),
         pod("router-b", statuses=[waiting("CrashLoopBackOff", 4, message="back-off 40s")]),
         pod("router-c", init=[waiting("ImagePullBackOff", name="init")], statuses=[waiting("PodInitializing")]),
         pod("router-d", statuses=[waiting("CrashLoopBackOff", 1)])],
    )
    assert not c["complete"]
    assert c["restarts"] == 5
    assert [(w["pod"], w["container"], w["reason"]) for w in c["waiting"]] == [
        ("router-b", "router", "CrashLoopBackOff"),
        ("router-c", "init", "ImagePullBackOff"),
        ("router-c", "router", "PodInitializing"),
        ("router-d", "router", "CrashLoopBackOff"),
    ]
    assert c["waiting"][0]["message"] == "back-off 40s"
    assert c["reasons"] == ["MinimumReplicasUnavailable", "ProgressDeadlineExceeded",
                            "CrashLoopBackOff", "ImagePullBackOff", "PodInitializing"]
    assert c["problems"][:2] == [
        "Available=False MinimumReplicasUnavailable: too few",
        'Progressing=False ProgressDeadlineExceeded: ReplicaSet "router-2" has timed out progressing.',
    ]
    assert "pod router-b container router waiting: CrashLoopBackOff: back-off 40s (restarts 4)" in c["problems"]


def test_unschedulable_pod_is_a_reason():
    pending = pod("router-e")
    pending["status"] = {"phase": "Pending", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/2 nodes are available"}]}
    c = s.component_status(deployment(), [], [pending])
    assert c["reasons"] == ["Unschedulable"]
    assert c["problems"] == ["pod router-e Pending: Unschedulable: 0/2 nodes are available"]


def test_failing_conditions():
    conditions = [
        {"type": "Available", "status": "True"},
        {"type": "Progressing", "status": "Unknown"},
        {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"},
        {"type": "ReplicaFailure", "status": "False"},
    ]
    assert s.failing_conditions(conditions) == conditions[1:3]
    c = s.component_status(deployment(conditions=conditions[2:3]), [], [])
    assert c["reasons"] == ["FailedCreate"]


def test_last_rollout_uses_only_owned_replica_sets():
    d = deployment()
    assert s.last_rollout(d, [replica_set("2026-03-01T00:00:00Z", owner_uid="other")]) == ""
    assert s.last_rollout(d, [replica_set("2026-03-01T00:00:00Z"), replica_set("2026-02-01T00:00:00Z")]) == "2026-03-01T00:00:00Z"
    # A rollback reuses an old ReplicaSet: the Progressing update is newer.
    d["status"]["conditions"] = [{"type": "Progressing", "lastUpdateTime": "2026-04-01T00:00:00Z"},
                                 {"type": "Available", "lastUpdateTime": "2026-05-01T00:00:00Z"}]
    assert s.last_rollout(d, [replica_set("2026-03-01T00:00:00Z")]) == "2026-04-01T00:00:00Z"


def test_empty_selector_selects_no_pod():
    assert not s.selects({}, pod("x"))
    assert s.selects({"app.kubernetes.io/name": "router"}, pod("x"))
    assert not s.selects({"app.kubernetes.io/name": "ui"}, pod("x"))


def test_pvc():
    bound = {"metadata": {"name": "split-brain-data"},
             "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "civo-volume", "volumeName": "pv-1",
                      "resources": {"requests": {"storage": "10Gi"}}},
             "status": {"phase": "Bound", "capacity": {"storage": "12Gi"}, "accessModes": ["ReadWriteOnce", "ReadWriteMany"]}}
    assert s.pvc_status(bound) == {
        "name": "split-brain-data", "phase": "Bound", "capacity": "12Gi", "requested": "10Gi",
        "access_modes": ["ReadWriteOnce", "ReadWriteMany"], "storage_class": "civo-volume", "volume": "pv-1",
    }
    pending = {"metadata": {"name": "split-brain-data"}, "spec": {"accessModes": ["ReadWriteOnce"]}, "status": {"phase": "Pending"}}
    assert s.pvc_status(pending)["access_modes"] == ["ReadWriteOnce"]
    assert (s.pvc_status(pending)["capacity"], s.pvc_status(pending)["volume"]) == ("", "")


def test_secret_keeps_key_names_only():
    secret = {"metadata": {"name": "google-oauth"}, "type": "Opaque",
              "data": {"sessionSecret": "RVhBTVBMRS1zZXNzaW9u", "clientSecret": "RVhBTVBMRS1jbGllbnQ="}}
    result = s.secret_status(secret)
    assert result == {"name": "google-oauth", "type": "Opaque", "key_names": ["clientSecret", "sessionSecret"]}
    assert "RVhBTVBMRS" not in repr(result)
    assert s.secret_status({"metadata": {"name": "empty"}, "type": "Opaque"})["key_names"] == []


def test_autoscaler():
    hpa = {"metadata": {"name": "router"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "router"}, "minReplicas": 3, "maxReplicas": 10},
           "status": {"currentReplicas": 3, "desiredReplicas": 5}}
    assert s.autoscaler_status(hpa) == {"name": "router", "target": "Deployment/router", "min_replicas": 3,
                                        "max_replicas": 10, "current_replicas": 3, "desired_replicas": 5}
    fresh = {"metadata": {"name": "router"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "router"}, "maxReplicas": 4}}
    assert (s.autoscaler_status(fresh)["current_replicas"], s.autoscaler_status(fresh)["min_replicas"]) == (0, 1)


def test_network_policy_selectors():
    policy = {"metadata": {"name": "router"},
              "spec": {"podSelector": {"matchLabels": {"b": "2", "a": "1"}}, "policyTypes": ["Ingress", "Egress"]}}
    assert s.network_policy_status(policy) == {"name": "router", "pod_selector": "a=1,b=2", "policy_types": ["Ingress", "Egress"]}
    assert s.network_policy_status({"metadata": {"name": "default-deny"}, "spec": {"podSelector": {}}})["pod_selector"] == ""
    assert s.selector_string({"matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["a", "b"]},
        {"key": "env", "operator": "NotIn", "values": ["dev"]},
        {"key": "x", "operator": "Exists"},
        {"key": "y", "operator": "DoesNotExist"},
    ]}) == "tier in (a,b),env notin (dev),x,!y"


class FakeClient:
    def __init__(self, objects):
        self.objects, self.calls = objects, []

    def resource(self, kind, api_version):
        return (api_version, kind)

    def get(self, resource, namespace=None, label_selector=None):
        self.calls.append((resource[1], namespace, label_selector))
        return Listing(self.objects.get(resource[1], []))


def test_read_release_lists_by_release_labels_and_sorts_by_name():
    client = FakeClient({
        "Deployment": [deployment("ui", uid="u"), deployment("router")],
        "Secret": [{"metadata": {"name": "anthropic-api-key"}, "type": "Opaque", "data": {"ANTHROPIC_API_KEY": "RVhBTVBMRS0x"}}],
    })
    result = s.read_release(client, "split-brain", "split-brain")
    assert [c["name"] for c in result["components"]] == ["router", "ui"]
    assert result["secrets"] == [{"name": "anthropic-api-key", "type": "Opaque", "key_names": ["ANTHROPIC_API_KEY"]}]
    assert (result["pvcs"], result["autoscalers"], result["network_policies"]) == ([], [], [])
    assert "RVhBTVBMRS0x" not in repr(result)
    assert {call[1] for call in client.calls} == {"split-brain"}
    assert {call[2] for call in client.calls} == {
        "app.kubernetes.io/managed-by=split_brain.deploy,app.kubernetes.io/instance=split-brain"}
    assert {call[0] for call in client.calls} == {
        "Deployment", "ReplicaSet", "Pod", "PersistentVolumeClaim", "Secret", "HorizontalPodAutoscaler", "NetworkPolicy"}
