# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Deployment rollout state and, when a rollout is stuck, the reason from pods and events."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

# split_brain.deploy.rollout: its options besides kubernetes.core's connection options, and what its
# failure says (module_utils/runner.py).
ROLLOUT_FAILURE = "Waiting for the rollouts in {namespace} failed: {error}"
ROLLOUT_ARGUMENT_SPEC = dict(
    namespace=dict(type="str", required=True),
    names=dict(type="list", elements="str", required=True),
    timeout=dict(type="int", default=600),
    interval=dict(type="float", default=1.0),
)


def _get(obj, *path, **kwargs):
    default = kwargs.get("default")
    for key in path:
        if obj is None:
            return default
        obj = obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)
    return default if obj is None else obj


def deployment_state(deployment):
    """Summarise a Deployment (a dict) and say whether its rollout is complete.

    Returns a dict with name, desired, ready, updated, available, unavailable,
    complete (bool) and failed (the ProgressDeadlineExceeded message, or "").
    """
    spec_replicas = _get(deployment, "spec", "replicas", default=1)
    status = _get(deployment, "status", default={})
    generation = _get(deployment, "metadata", "generation", default=0)
    observed = status.get("observedGeneration", 0)
    state = {
        "name": _get(deployment, "metadata", "name"),
        "desired": spec_replicas,
        "current": status.get("replicas", 0),
        "ready": status.get("readyReplicas", 0),
        "updated": status.get("updatedReplicas", 0),
        "available": status.get("availableReplicas", 0),
        "unavailable": status.get("unavailableReplicas", 0),
        "observed": observed >= generation,
        "failed": "",
    }
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Progressing" and condition.get("reason") == "ProgressDeadlineExceeded":
            state["failed"] = condition.get("message", "progress deadline exceeded")
    state["complete"] = (
        observed >= generation
        and state["updated"] == spec_replicas
        and state["current"] == spec_replicas
        and state["available"] == spec_replicas
        and not state["unavailable"]
    )
    return state


def pod_problems(pods):
    """Per pod and container: waiting/terminated reasons and restarts, as readable lines."""
    lines = []
    for pod in pods:
        name = _get(pod, "metadata", "name")
        phase = _get(pod, "status", "phase", default="Unknown")
        statuses = list(_get(pod, "status", "initContainerStatuses", default=[]))
        statuses += list(_get(pod, "status", "containerStatuses", default=[]))
        reported = False
        for cs in statuses:
            waiting = _get(cs, "state", "waiting")
            terminated = _get(cs, "state", "terminated") or _get(cs, "lastState", "terminated")
            restarts = cs.get("restartCount", 0)
            if waiting:
                lines.append(
                    "pod %s container %s waiting: %s%s (restarts %d)"
                    % (name, cs.get("name"), waiting.get("reason", "?"),
                       ": " + waiting["message"] if waiting.get("message") else "", restarts)
                )
                reported = True
            elif terminated and not cs.get("ready"):
                lines.append(
                    "pod %s container %s terminated: %s (exit %s, restarts %d)"
                    % (name, cs.get("name"), terminated.get("reason", "?"), terminated.get("exitCode"), restarts)
                )
                reported = True
            elif not cs.get("ready"):
                lines.append("pod %s container %s not ready (restarts %d)" % (name, cs.get("name"), restarts))
                reported = True
        if not reported and phase != "Running":
            conditions = _get(pod, "status", "conditions", default=[])
            reasons = [
                "%s: %s" % (c.get("reason", c.get("type")), c.get("message", ""))
                for c in conditions
                if c.get("status") != "True" and (c.get("reason") or c.get("message"))
            ]
            scheduled = [c for c in conditions if c.get("type") == "PodScheduled"]
            if phase == "Pending" and not reasons and not scheduled and not _get(pod, "spec", "nodeName"):
                reasons = ["no scheduler has looked at it; is kube-scheduler running?"]
            lines.append("pod %s %s%s" % (name, phase, ": " + "; ".join(reasons) if reasons else ""))
    return lines


POD_TEMPLATE_HASH = "pod-template-hash"


def _without_hash(template):
    """A pod template without the label the deployment controller adds to its ReplicaSet's copy."""
    template = dict(template or {})
    metadata = dict(template.get("metadata") or {})
    metadata["labels"] = {k: v for k, v in (metadata.get("labels") or {}).items() if k != POD_TEMPLATE_HASH}
    template["metadata"] = metadata
    return template


def owned_replica_sets(deployment, replica_sets):
    """The ReplicaSets of ``deployment`` (by owner reference; by name without uids)."""
    uid, name = _get(deployment, "metadata", "uid"), _get(deployment, "metadata", "name")
    if uid:
        return [rs for rs in replica_sets
                if any(ref.get("uid") == uid for ref in _get(rs, "metadata", "ownerReferences", default=[]))]
    return [rs for rs in replica_sets if str(_get(rs, "metadata", "name", default="")).startswith("%s-" % name)]


def new_replica_set(deployment, replica_sets):
    """The ReplicaSet of the Deployment's current pod template (as the deployment controller finds
    it: the same template but for the pod-template-hash label), or None when there is none yet."""
    wanted = _without_hash(_get(deployment, "spec", "template", default={}))
    for rs in owned_replica_sets(deployment, replica_sets):
        if _without_hash(_get(rs, "spec", "template", default={})) == wanted:
            return rs
    return None


def _event_messages(events, kind, name, reasons):
    """Messages of the events of object ``kind``/``name`` with one of ``reasons``, newest last."""
    def when(event):
        return event.get("lastTimestamp") or event.get("eventTime") or _get(event, "metadata", "creationTimestamp") or ""

    found = [e for e in sorted(events, key=when)
             if _get(e, "involvedObject", "kind") == kind and _get(e, "involvedObject", "name") == name
             and e.get("reason") in reasons]
    return [" ".join((e.get("message") or "").split()) for e in found]


def explain_rollout(deployment, replica_sets, pods, events):
    """Why the rollout of ``deployment`` (a dict) is not finished, as readable lines, from its
    ReplicaSets, the pods its selector matches and the namespace's events (lists of dicts)."""
    name = _get(deployment, "metadata", "name")
    generation = _get(deployment, "metadata", "generation", default=0)
    observed = _get(deployment, "status", "observedGeneration", default=0)
    if observed < generation:
        return ["Its change (generation %s) was never picked up: the status is still that of generation %s, so"
                " the deployment controller does not run; is kube-controller-manager running?" % (generation, observed)]
    lines = []
    conditions = _get(deployment, "status", "conditions", default=[])
    failure = ["%s: %s" % (c.get("reason", "ReplicaFailure"), c.get("message", "")) for c in conditions
               if c.get("type") == "ReplicaFailure" and c.get("status") == "True"]
    new = new_replica_set(deployment, replica_sets)
    if new is None:
        lines.append("no ReplicaSet was created for its current pod template%s"
                     % (": " + "; ".join(failure) if failure else ""))
        lines += ["Deployment %s: %s" % (name, m) for m in _event_messages(events, "Deployment", name, ("FailedCreate",))[-1:]]
        return lines
    rs_name = _get(new, "metadata", "name")
    rs_failure = ["%s: %s" % (c.get("reason", "ReplicaFailure"), c.get("message", ""))
                  for c in _get(new, "status", "conditions", default=[])
                  if c.get("type") == "ReplicaFailure" and c.get("status") == "True"]
    rs_failure += _event_messages(events, "ReplicaSet", rs_name, ("FailedCreate",))[-1:]
    if rs_failure:
        lines.append("ReplicaSet %s cannot create pods: %s" % (rs_name, rs_failure[0] if len(rs_failure) == 1 else rs_failure[-1]))
    hash_label = _get(new, "metadata", "labels", POD_TEMPLATE_HASH)
    new_pods = [p for p in pods if not hash_label or _get(p, "metadata", "labels", POD_TEMPLATE_HASH) == hash_label]
    problems = pod_problems(new_pods)
    for pod in new_pods:  # the scheduler's word on a pod it could not place
        pod_name = _get(pod, "metadata", "name")
        scheduling = _event_messages(events, "Pod", pod_name, ("FailedScheduling",))
        if scheduling and _get(pod, "status", "phase") == "Pending" and not _get(pod, "spec", "nodeName"):
            problems = [line for line in problems if not line.startswith("pod %s " % pod_name)]
            problems.append("pod %s Pending, the scheduler says: %s" % (pod_name, scheduling[-1]))
    lines += problems
    if not new_pods and not rs_failure and _get(new, "spec", "replicas", default=0):
        lines.append("ReplicaSet %s has no pods yet; is kube-controller-manager running?" % rs_name)
    return lines


def event_lines(events, limit=5):
    """The last ``limit`` events, oldest first, as readable lines."""
    def when(event):
        return event.get("lastTimestamp") or event.get("eventTime") or _get(event, "metadata", "creationTimestamp") or ""

    ordered = sorted(events, key=when)[-limit:]
    return [
        "%s %s/%s: %s %s" % (
            event.get("type", ""),
            _get(event, "involvedObject", "kind"),
            _get(event, "involvedObject", "name"),
            event.get("reason", ""),
            (event.get("message") or "").strip(),
        )
        for event in ordered
    ]


class RolloutWaiter:
    """Polls several Deployments together until all complete, one fails, or time runs out."""

    def __init__(self, client, namespace, clock=time.monotonic, sleep=time.sleep):
        self.client = client
        self.namespace = namespace
        self.clock = clock
        self.sleep = sleep
        self._deployments = client.resource("Deployment", "apps/v1")
        self._replica_sets = client.resource("ReplicaSet", "apps/v1")
        self._pods = client.resource("Pod", "v1")
        self._events = client.resource("Event", "v1")
        self.objects = {}  # name -> the Deployment as last read

    def states(self, names):
        listing = self.client.get(self._deployments, namespace=self.namespace).to_dict()
        by_name = {_get(d, "metadata", "name"): d for d in listing.get("items", [])}
        states = {}
        for name in names:
            if name in by_name:
                self.objects[name] = by_name[name]
                states[name] = deployment_state(by_name[name])
                states[name]["selector"] = _get(by_name[name], "spec", "selector", "matchLabels", default={})
            else:
                states[name] = {"name": name, "complete": False, "failed": "Deployment not found", "selector": {}}
        return states

    def wait(self, names, timeout, interval=1.0):
        deadline = self.clock() + timeout
        while True:
            states = self.states(names)
            pending = [s for s in states.values() if not s["complete"]]
            failed = [s for s in pending if s["failed"]]
            if not pending or failed or self.clock() >= deadline:
                return states
            self.sleep(interval)

    def diagnose(self, name, match_labels):
        """Lines that say why Deployment ``name`` (pods matching ``match_labels``) is not done, and
        the last events of it, its ReplicaSets and pods."""
        selector = ",".join("%s=%s" % kv for kv in sorted((match_labels or {}).items()))
        pods, replica_sets = [], []
        if selector:
            pods = self.client.get(self._pods, namespace=self.namespace, label_selector=selector).to_dict().get("items", [])
            replica_sets = self.client.get(self._replica_sets, namespace=self.namespace,
                                           label_selector=selector).to_dict().get("items", [])
        names = {_get(p, "metadata", "name") for p in pods} | {name}
        events = [
            e for e in self.client.get(self._events, namespace=self.namespace).to_dict().get("items", [])
            if _get(e, "involvedObject", "name") in names
            or str(_get(e, "involvedObject", "name", default="")).startswith(name + "-")
        ]
        deployment = self.objects.get(name)
        problems = explain_rollout(deployment, replica_sets, pods, events) if deployment else pod_problems(pods)
        return problems, event_lines(events)


def rollout_message(state, problems, events):
    """One Deployment's part of the failure: where it stands and why (``problems``), last events."""
    if not state.get("observed", True):
        where = "Deployment %s: not rolled out" % state["name"]  # the counts are of the old generation
    else:
        where = "Deployment %s: %s/%s updated, %s/%s available" % (
            state["name"], state.get("updated", 0), state.get("desired", "?"), state.get("available", 0), state.get("desired", "?"))
    return "%s%s. %s%s" % (
        where, " (" + state["failed"] + ")" if state["failed"] else "",
        " ".join(p if p.endswith((".", "?")) else p + "." for p in problems) or "No pod reports a problem.",
        " Last events: " + " | ".join(events) if events else "")


def wait_for_rollouts(client, params):
    """Wait for the Deployments ``params['names']``; the result of split_brain.deploy.rollout, which
    fails (naming what holds each unfinished rollout back) when they do not all finish in time."""
    started = time.monotonic()
    waiter = RolloutWaiter(client, params["namespace"])
    states = waiter.wait(params["names"], params["timeout"], params["interval"])
    deployments, messages = [], []
    for name in params["names"]:
        state = states[name]
        selector = state.pop("selector", {})
        if not state["complete"]:
            problems, events = waiter.diagnose(name, selector)
            state["problems"], state["events"] = problems, events
            messages.append(rollout_message(state, problems, events))
        deployments.append(state)
    elapsed = round(time.monotonic() - started, 2)
    result = {"changed": False, "deployments": deployments, "elapsed": elapsed}
    if messages:
        result.update(failed=True, msg="Rollout not finished after %ss. %s" % (elapsed, " ".join(messages)))
    return result
