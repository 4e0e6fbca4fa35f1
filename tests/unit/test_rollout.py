"""plugins/module_utils/rollout.py: rollout state and diagnosis from fake API dicts."""

from ansible_collections.split_brain.deploy.plugins.module_utils import rollout as r
from unit_helpers import Listing


def deployment(name="router", desired=2, generation=3, observed=3, **status):
    """A Deployment dict; ``status`` holds the status fields (replicas, readyReplicas, ...)."""
    return {
        "metadata": {"name": name, "generation": generation},
        "spec": {"replicas": desired, "selector": {"matchLabels": {"app.kubernetes.io/name": name}}},
        "status": dict({"observedGeneration": observed}, **status),
    }


def test_complete_rollout():
    state = r.deployment_state(deployment(desired=2, replicas=2, readyReplicas=2, updatedReplicas=2, availableReplicas=2))
    assert state["complete"] is True and state["failed"] == ""
    assert (state["name"], state["desired"], state["ready"]) == ("router", 2, 2)


def test_incomplete_rollouts():
    done = {"replicas": 2, "readyReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2}
    assert not r.deployment_state(deployment(observed=2, **done))["complete"]  # old generation observed
    assert not r.deployment_state(deployment(**{**done, "updatedReplicas": 1}))["complete"]
    assert not r.deployment_state(deployment(**{**done, "replicas": 3}))["complete"]  # an old pod still runs
    assert not r.deployment_state(deployment(**dict(done, unavailableReplicas=1)))["complete"]
    assert not r.deployment_state({"metadata": {"name": "x"}, "spec": {}})["complete"]  # no status yet


def test_progress_deadline_exceeded_is_a_failure():
    state = r.deployment_state(deployment(conditions=[
        {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable"},
        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
         "message": 'ReplicaSet "router-1" has timed out progressing.'},
    ]))
    assert state["failed"] == 'ReplicaSet "router-1" has timed out progressing.'
    assert not state["complete"]


def pod(name, phase="Running", statuses=(), conditions=()):
    return {"metadata": {"name": name}, "status": {"phase": phase, "containerStatuses": list(statuses), "conditions": list(conditions)}}


def test_pod_problems():
    pods = [
        pod("a", statuses=[{"name": "router", "ready": False, "restartCount": 4,
                            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s"}}}]),
        pod("b", statuses=[{"name": "router", "ready": False, "restartCount": 1,
                            "state": {"running": {}}, "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]),
        pod("c", statuses=[{"name": "router", "ready": False, "restartCount": 0, "state": {"running": {}}}]),
        pod("d", statuses=[{"name": "router", "ready": True, "restartCount": 0, "state": {"running": {}}}]),
        pod("e", phase="Pending", conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                               "message": "0/3 nodes are available"}]),
        pod("f", phase="Pending"),
    ]
    assert r.pod_problems(pods) == [
        "pod a container router waiting: CrashLoopBackOff: back-off 40s (restarts 4)",
        "pod b container router terminated: OOMKilled (exit 137, restarts 1)",
        "pod c container router not ready (restarts 0)",
        "pod e Pending: Unschedulable: 0/3 nodes are available",
        "pod f Pending: no scheduler has looked at it; is kube-scheduler running?",
    ]


def test_event_lines_are_the_last_ones_oldest_first():
    events = [
        {"type": "Warning", "reason": "FailedScheduling", "message": " no nodes \n", "lastTimestamp": "2026-01-01T00:00:03Z",
         "involvedObject": {"kind": "Pod", "name": "router-1"}},
        {"type": "Normal", "reason": "Scheduled", "message": "ok", "eventTime": "2026-01-01T00:00:01Z",
         "involvedObject": {"kind": "Pod", "name": "router-0"}},
        {"type": "Normal", "reason": "Pulled", "message": "image", "metadata": {"creationTimestamp": "2026-01-01T00:00:02Z"},
         "involvedObject": {"kind": "Pod", "name": "router-0"}},
    ]
    assert r.event_lines(events) == [
        "Normal Pod/router-0: Scheduled ok",
        "Normal Pod/router-0: Pulled image",
        "Warning Pod/router-1: FailedScheduling no nodes",
    ]
    assert r.event_lines(events, limit=1) == ["Warning Pod/router-1: FailedScheduling no nodes"]
    assert r.event_lines([]) == []


class FakeClient:
    """Returns the next Deployment listing on every get; pods and events are fixed."""

    def __init__(self, listings, pods=(), events=(), replica_sets=()):
        self.listings = list(listings)
        self.pods, self.events, self.replica_sets = list(pods), list(events), list(replica_sets)
        self.selectors = []

    def resource(self, kind, api_version):
        return kind

    def get(self, resource, namespace=None, label_selector=None):
        if resource == "Deployment":
            return Listing(self.listings.pop(0) if len(self.listings) > 1 else self.listings[0])
        if resource == "Pod":
            self.selectors.append(label_selector)
            return Listing(self.pods)
        if resource == "ReplicaSet":
            return Listing(self.replica_sets)
        return Listing(self.events)


def test_waiter_polls_until_complete():
    done = {"replicas": 1, "readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}
    client = FakeClient([[deployment(desired=1)], [deployment(desired=1, **done)]])
    sleeps = []
    waiter = r.RolloutWaiter(client, "split-brain", clock=lambda: 0, sleep=sleeps.append)
    states = waiter.wait(["router"], timeout=10)
    assert states["router"]["complete"] and sleeps == [1.0]


def test_waiter_stops_at_the_deadline_and_reports_missing_deployments():
    ticks = iter(range(100))
    waiter = r.RolloutWaiter(FakeClient([[deployment(desired=1)]]), "ns", clock=lambda: next(ticks), sleep=lambda s: None)
    states = waiter.wait(["router"], timeout=3)
    assert not states["router"]["complete"]
    missing = waiter.states(["ui"])["ui"]
    assert missing["failed"] == "Deployment not found" and not missing["complete"]


def test_diagnose_reads_pods_by_selector_and_their_events():
    events = [
        {"type": "Warning", "reason": "BackOff", "message": "m", "involvedObject": {"kind": "Pod", "name": "router-abc"}},
        {"type": "Warning", "reason": "Other", "message": "m", "involvedObject": {"kind": "Pod", "name": "ui-abc"}},
    ]
    client = FakeClient([[]], pods=[pod("router-abc", phase="Pending")], events=events)
    pods, lines = r.RolloutWaiter(client, "ns").diagnose("router", {"b": "2", "a": "1"})
    assert client.selectors == ["a=1,b=2"]
    assert pods == ["pod router-abc Pending: no scheduler has looked at it; is kube-scheduler running?"]
    assert lines == ["Warning Pod/router-abc: BackOff m"]


# Why a rollout is not finished -------------------------------------------------------------------

TEMPLATE = {"metadata": {"labels": {"app.kubernetes.io/name": "router"}}, "spec": {"containers": [{"name": "router", "image": "r:2"}]}}


def rolling(generation=5, observed=5, template=None, conditions=(), **status):
    template = TEMPLATE if template is None else template
    d = deployment(generation=generation, observed=observed, conditions=list(conditions), **status)
    d["metadata"]["uid"] = "d-uid"
    d["spec"]["template"] = template
    return d


def replica_set(name, template, pod_hash, replicas=2, conditions=()):
    labels = dict(template["metadata"]["labels"], **{"pod-template-hash": pod_hash})
    return {"metadata": {"name": name, "labels": labels, "ownerReferences": [{"uid": "d-uid"}]},
            "spec": {"replicas": replicas, "template": dict(template, metadata={"labels": labels})},
            "status": {"conditions": list(conditions)}}


OLD = {"metadata": {"labels": {"app.kubernetes.io/name": "router"}}, "spec": {"containers": [{"name": "router", "image": "r:1"}]}}


def event(kind, name, reason, message, when="2026-01-01T00:00:01Z"):
    return {"type": "Warning", "reason": reason, "message": message, "lastTimestamp": when,
            "involvedObject": {"kind": kind, "name": name}}


def test_a_generation_never_observed_names_the_controller_manager():
    d = rolling(generation=6, observed=5, replicas=1, updatedReplicas=1, availableReplicas=1)
    (line,) = r.explain_rollout(d, [replica_set("router-old", OLD, "old")], [], [])
    assert "generation 6" in line and "still that of generation 5" in line
    assert "is kube-controller-manager running?" in line
    # and the summary does not repeat the old generation's counts as if they were the new one's
    state = r.deployment_state(d)
    message = r.rollout_message(state, [line], [])
    assert message.startswith("Deployment router: not rolled out. Its change (generation 6)")
    assert "1/2 updated" not in message and "No pod reports a problem" not in message


def test_no_new_replica_set_says_so_with_the_reason():
    d = rolling(conditions=[{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                             "message": "exceeded quota: compute"}])
    lines = r.explain_rollout(d, [replica_set("router-old", OLD, "old")], [], [])
    assert lines == ["no ReplicaSet was created for its current pod template: FailedCreate: exceeded quota: compute"]


def test_a_replica_set_that_cannot_create_pods():
    new = replica_set("router-new", TEMPLATE, "new", conditions=[
        {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
         "message": 'pods "router-new-x" is forbidden: violates PodSecurity "restricted:latest"'}])
    lines = r.explain_rollout(rolling(), [replica_set("router-old", OLD, "old"), new], [], [])
    assert lines == ['ReplicaSet router-new cannot create pods: FailedCreate: pods "router-new-x" is forbidden:'
                     ' violates PodSecurity "restricted:latest"']


def test_pending_pods_of_the_new_replica_set_say_what_the_scheduler_said():
    new = replica_set("router-new", TEMPLATE, "new")
    pending = pod("router-new-a", phase="Pending", conditions=[
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/2 nodes"}])
    pending["metadata"]["labels"] = {"pod-template-hash": "new"}
    unscheduled = pod("router-new-b", phase="Pending")
    unscheduled["metadata"]["labels"] = {"pod-template-hash": "new"}
    old_pod = pod("router-old-a", statuses=[{"name": "router", "ready": False, "restartCount": 9,
                                             "state": {"waiting": {"reason": "CrashLoopBackOff"}}}])
    old_pod["metadata"]["labels"] = {"pod-template-hash": "old"}
    events = [event("Pod", "router-new-a", "FailedScheduling",
                    "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available.")]
    lines = r.explain_rollout(rolling(), [replica_set("router-old", OLD, "old"), new], [pending, unscheduled, old_pod], events)
    assert lines == [
        "pod router-new-b Pending: no scheduler has looked at it; is kube-scheduler running?",
        "pod router-new-a Pending, the scheduler says: 0/2 nodes are available: 2 Insufficient cpu."
        " preemption: 0/2 nodes are available.",
    ]  # the old ReplicaSet's pod is not what holds the rollout back


def test_container_waiting_reasons_and_a_replica_set_without_pods():
    new = replica_set("router-new", TEMPLATE, "new")
    waiting = pod("router-new-a", statuses=[{"name": "router", "ready": False, "restartCount": 0,
                                             "state": {"waiting": {"reason": "ImagePullBackOff", "message": "no such image"}}}])
    waiting["metadata"]["labels"] = {"pod-template-hash": "new"}
    assert r.explain_rollout(rolling(), [new], [waiting], []) == [
        "pod router-new-a container router waiting: ImagePullBackOff: no such image (restarts 0)"]
    assert r.explain_rollout(rolling(), [new], [], []) == [
        "ReplicaSet router-new has no pods yet; is kube-controller-manager running?"]


def test_wait_for_rollouts_message_uses_the_explanation():
    d = rolling(generation=6, observed=5, replicas=2, readyReplicas=2, updatedReplicas=2, availableReplicas=2)
    client = FakeClient([[d]], replica_sets=[replica_set("router-old", OLD, "old")])
    result = r.wait_for_rollouts(client, {"namespace": "ns", "names": ["router"], "timeout": 0, "interval": 0})
    assert result["failed"]
    assert "Deployment router: not rolled out. Its change (generation 6) was never picked up" in result["msg"]
    assert "kube-controller-manager" in result["msg"]
