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
            reasons = [
                "%s: %s" % (c.get("reason", c.get("type")), c.get("message", ""))
                for c in _get(pod, "status", "conditions", default=[])
                if c.get("status") != "True" and (c.get("reason") or c.get("message"))
            ]
            lines.append("pod %s %s%s" % (name, phase, ": " + "; ".join(reasons) if reasons else ""))
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
        self._pods = client.resource("Pod", "v1")
        self._events = client.resource("Event", "v1")

    def states(self, names):
        listing = self.client.get(self._deployments, namespace=self.namespace).to_dict()
        by_name = {_get(d, "metadata", "name"): d for d in listing.get("items", [])}
        states = {}
        for name in names:
            if name in by_name:
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
        """Lines that say why Deployment ``name`` (pods matching ``match_labels``) is not available."""
        selector = ",".join("%s=%s" % kv for kv in sorted((match_labels or {}).items()))
        pods = []
        if selector:
            pods = self.client.get(self._pods, namespace=self.namespace, label_selector=selector).to_dict().get("items", [])
        names = {_get(p, "metadata", "name") for p in pods} | {name}
        events = [
            e for e in self.client.get(self._events, namespace=self.namespace).to_dict().get("items", [])
            if _get(e, "involvedObject", "name") in names
            or str(_get(e, "involvedObject", "name", default="")).startswith(name + "-")
        ]
        return pod_problems(pods), event_lines(events)


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
            messages.append(
                "Deployment %s: %s/%s updated, %s/%s available%s. %s%s"
                % (name, state.get("updated", 0), state.get("desired", "?"), state.get("available", 0),
                   state.get("desired", "?"), " (" + state["failed"] + ")" if state["failed"] else "",
                   " ".join(p + "." for p in problems) or "No pod reports a problem.",
                   " Last events: " + " | ".join(events) if events else "")
            )
        deployments.append(state)
    elapsed = round(time.monotonic() - started, 2)
    result = {"changed": False, "deployments": deployments, "elapsed": elapsed}
    if messages:
        result.update(failed=True, msg="Rollout not finished after %ss. %s" % (elapsed, " ".join(messages)))
    return result
