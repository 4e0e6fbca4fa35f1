# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The run lock of a release: a coordination.k8s.io Lease in the release namespace.

One Lease per namespace (a namespace holds one release), named ``split-brain-lock``. Its holder
is the process that runs the release (the Ansible worker on the controller, or the module's
process on a remote host): ``user@host``, its pid and the pid's start time, a random token; its
annotations say what the run does, since when, and with which collection version. While the
release runs, a thread of its own (``Renewer``) keeps ``renewTime`` fresh, every third of
``leaseDurationSeconds``; the release deletes the Lease when it ends, also on failure. So a Lease that exists is a run that is going on or one
that did not finish:

- held by a process of this host that no longer exists (its pid is gone, or now belongs to a
  process started at another time): the next run takes it over at once and says so;
- held from another host: the next run waits, and takes it over once it has expired.

The Lease cannot exist before its namespace: a first install creates the Namespace (labelled as
the release's, nothing else) before taking the Lease. Creating a Namespace is exclusive at the API
server, and so is creating the Lease, so two first installs still run one after the other, and
the ownership check (module_utils/ownership.py) runs under the lock.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import socket
import threading
import time

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import MANAGED_BY
from ansible_collections.split_brain.deploy.plugins.module_utils.ownership import INSTANCE_LABEL, MANAGED_BY_LABEL
from ansible_collections.split_brain.deploy.plugins.module_utils.process import local_holder_gone, process_start
from ansible_collections.split_brain.deploy.plugins.module_utils.version import COLLECTION_VERSION

LEASE_NAME = "split-brain-lock"
LEASE_API = ("coordination.k8s.io/v1", "Lease")
ANNOTATION = "split-brain.io/"


def format_time(epoch):
    """``epoch`` as the MicroTime a Lease carries: ``2026-11-27T04:10:38.123456Z``."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def short_time(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """Seconds since the epoch of a MicroTime or Time string (None for None/empty)."""
    if not text:
        return None
    if not isinstance(text, str):  # the client may hand back a datetime
        return text.replace(tzinfo=text.tzinfo or datetime.timezone.utc).timestamp()
    text = text.rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            continue
    return None


def new_lease(namespace, instance, identity, who, pid, operation, duration, now):
    """The Lease a run creates (or takes over with) at ``now``."""
    return {
        "apiVersion": LEASE_API[0],
        "kind": LEASE_API[1],
        "metadata": {
            "name": LEASE_NAME,
            "namespace": namespace,
            "labels": {MANAGED_BY_LABEL: MANAGED_BY, INSTANCE_LABEL: instance},
            "annotations": {
                ANNOTATION + "holder": who,
                ANNOTATION + "pid": str(pid),
                ANNOTATION + "host": socket.gethostname(),
                ANNOTATION + "pid-start": process_start(pid),
                ANNOTATION + "operation": operation,
                ANNOTATION + "version": COLLECTION_VERSION,
                ANNOTATION + "instance": instance,
            },
        },
        "spec": {
            "holderIdentity": identity,
            "leaseDurationSeconds": int(duration),
            "acquireTime": format_time(now),
            "renewTime": format_time(now),
        },
    }


def lease_state(lease, now):
    """What a Lease (a dict) says: who holds it, since when, until when, and whether it expired."""
    metadata = lease.get("metadata") or {}
    annotations = metadata.get("annotations") or {}
    spec = lease.get("spec") or {}
    duration = spec.get("leaseDurationSeconds") or 0
    since = parse_time(spec.get("acquireTime")) or parse_time(metadata.get("creationTimestamp"))
    renewed = parse_time(spec.get("renewTime")) or since or 0
    expires = renewed + duration
    return {
        "identity": spec.get("holderIdentity") or "",
        "holder": annotations.get(ANNOTATION + "holder") or spec.get("holderIdentity") or "unknown",
        "pid": annotations.get(ANNOTATION + "pid") or "?",
        "host": annotations.get(ANNOTATION + "host") or "",
        "pid_start": annotations.get(ANNOTATION + "pid-start") or "",
        "operation": annotations.get(ANNOTATION + "operation") or "deploy",
        "version": annotations.get(ANNOTATION + "version") or "?",
        "instance": annotations.get(ANNOTATION + "instance") or "",
        "since": since,
        "renewed": renewed,
        "expires": expires,
        "expired": now >= expires,
        "resource_version": metadata.get("resourceVersion"),
    }


def describe_holder(state):
    """``alice@ctl (pid 4242, deploy, split_brain.deploy 3.0.0) since 2026-11-27T04:10:38Z``."""
    since = short_time(state["since"]) if state.get("since") else "an unknown time"
    return "%s (pid %s, %s, split_brain.deploy %s) since %s" % (
        state["holder"], state["pid"], state["operation"], state["version"], since)


def unfinished_message(state):
    """What a run says when it takes over the Lease of a run that did not release it."""
    since = short_time(state["since"]) if state.get("since") else "at an unknown time"
    return "the previous run by %s (pid %s, %s) started %s did not finish; converging" % (
        state["holder"], state["pid"], state["operation"], since)


class Observed:
    """The Lease as this run has watched it: expired when the clock says so, or when nobody
    renewed it for a whole lease duration of our own observation (a holder whose clock is
    ahead of ours cannot keep the lock forever)."""

    def __init__(self):
        self.version = None
        self.seen_at = None

    def expired(self, state, now):
        if state["resource_version"] != self.version:
            self.version, self.seen_at = state["resource_version"], now
        duration = state["expires"] - state["renewed"]
        return state["expired"] or now - self.seen_at >= max(duration, 1)


def _status(exc):
    return getattr(exc, "status", None)


def lease_resource(client):
    return client.resource(LEASE_API[1], LEASE_API[0])


def read_lease(client, namespace):
    """The Lease as a dict, or None when there is none (or no namespace yet)."""
    try:
        return client.get(lease_resource(client), name=LEASE_NAME, namespace=namespace).to_dict()
    except Exception as exc:
        if _status(exc) == 404:
            return None
        raise


def acquire(client, params, identity, who, pid, say=None, clock=time.time, sleep=time.sleep):
    """Take the Lease for this run, waiting up to ``params['timeout']`` seconds for another
    run to release it (or for it to expire). Returns the result of split_brain.deploy.lock."""
    namespace, instance = params["namespace"], params["instance"]
    resource = lease_resource(client)
    started = clock()
    deadline = started + params["timeout"]
    observed = Observed()
    announced = None
    while True:
        now = clock()
        lease = read_lease(client, namespace)
        previous = None
        try:
            if lease is None:
                body = new_lease(namespace, instance, identity, who, pid, params["operation"], params["duration"], now)
                client.create(resource, body)
            else:
                state = lease_state(lease, now)
                if state["identity"] == identity:
                    return _acquired(identity, who, now, started, None)
                if not observed.expired(state, now) and not local_holder_gone(state):
                    if now >= deadline:
                        return _held(namespace, state, params["timeout"])
                    if say and announced != state["identity"]:
                        say("Waiting up to %ds (split_brain_lock_timeout) for the lock of namespace %s: held by %s; "
                            "it expires at %s unless renewed." % (
                                params["timeout"], namespace, describe_holder(state), short_time(state["expires"])))
                        announced = state["identity"]
                    sleep(params["interval"])
                    continue
                body = new_lease(namespace, instance, identity, who, pid, params["operation"], params["duration"], now)
                body["metadata"]["resourceVersion"] = state["resource_version"]
                client.replace(resource, body, name=LEASE_NAME, namespace=namespace)
                previous = unfinished_message(state)
        except Exception as exc:
            if _status(exc) in (409, 404):  # another run was quicker: look again
                continue
            raise
        return _acquired(identity, who, now, started, previous)


def _acquired(identity, who, now, started, previous):
    waited = now - started
    return {
        "changed": True,
        "acquired": True,
        "identity": identity,
        "holder": who,
        "since": short_time(now),
        "waited": round(waited, 1),
        "previous": previous or "",
        "msg": "Lock taken by %s%s." % (who, " after waiting %.0fs" % waited if waited >= 1 else ""),
    }


def _held(namespace, state, timeout):
    return {
        "failed": True,
        "acquired": False,
        "held_by": describe_holder(state),
        "msg": "Namespace %s is locked by another run: %s. Waited %ds (split_brain_lock_timeout). "
               "If that run is dead its lock expires by itself at %s (it is renewed only while its "
               "process lives); run again then." % (
                   namespace, describe_holder(state), timeout, short_time(state["expires"])),
    }


def check(client, params, now):
    """Check mode: take nothing, say whether a run holds the lock."""
    lease = read_lease(client, params["namespace"])
    result = {"changed": False, "acquired": False, "identity": "", "previous": "", "held_by": ""}
    if lease is None:
        result["msg"] = "No run holds the lock of namespace %s." % params["namespace"]
        return result
    state = lease_state(lease, now)
    if state["expired"]:
        result["previous"] = unfinished_message(state).replace("; converging", "; the next run converges")
        result["msg"] = "The lock of namespace %s expired: %s" % (params["namespace"], result["previous"])
    else:
        result["held_by"] = describe_holder(state)
        result["msg"] = ("Another run holds the lock of namespace %s: %s. This preview shows the cluster "
                         "as it is now, which that run may still change." % (params["namespace"], result["held_by"]))
    return result


def release(client, params, now):
    """Delete the Lease if this run (``params['identity']``) still holds it."""
    namespace = params["namespace"]
    lease = read_lease(client, namespace)
    if lease is None:
        return {"changed": False, "released": False, "lost": False, "msg": "No lock to release."}
    state = lease_state(lease, now)
    if state["identity"] != params["identity"]:
        return {
            "changed": False, "released": False, "lost": True,
            "msg": "This run had lost the lock of namespace %s: it is held by %s. Another run may have "
                   "changed the release while this one ran; check it with playbooks/status.yml." % (
                       namespace, describe_holder(state)),
        }
    body = {"apiVersion": "v1", "kind": "DeleteOptions",
            "preconditions": {"resourceVersion": state["resource_version"]}}
    try:
        client.delete(lease_resource(client), name=LEASE_NAME, namespace=namespace, body=body)
    except Exception as exc:
        if _status(exc) not in (404, 409):
            raise
    return {"changed": True, "released": True, "lost": False, "msg": "Lock released."}


def renew_once(client, namespace, identity, now=None):
    """Set the Lease's renewTime; False when it is no longer ours (released or taken over)."""
    lease = read_lease(client, namespace)
    if lease is None or (lease.get("spec") or {}).get("holderIdentity") != identity:
        return False
    lease["spec"]["renewTime"] = format_time(now or time.time())
    lease["metadata"].pop("managedFields", None)
    try:
        client.replace(lease_resource(client), lease, name=LEASE_NAME, namespace=namespace)
    except Exception as exc:
        if _status(exc) == 404:
            return False
        if _status(exc) != 409:  # 409: changed since read; look again at the next tick
            raise
    return True


class Renewer(threading.Thread):
    """Keeps this run's Lease fresh while the release runs: a daemon thread that sets renewTime
    every third of the lease duration, and stops when ``stop()`` is called or the Lease is no
    longer ours. When ``orphaned()`` says the controller that started the run is gone (it was
    stopped or killed), it stops renewing and calls ``on_orphaned``, which ends the run."""

    def __init__(self, client, namespace, identity, duration, on_orphaned=None, orphaned=None):
        super().__init__(name="split-brain-lock-renewer", daemon=True)
        self.client, self.namespace, self.identity = client, namespace, identity
        self.interval = max(1.0, duration / 3.0)
        self.on_orphaned = on_orphaned
        self.orphaned = orphaned or (lambda: False)
        self.halt = threading.Event()
        self.lost = False

    def stop(self):
        self.halt.set()
        if self.is_alive():
            self.join(timeout=10)

    def run(self):
        due = time.monotonic() + self.interval
        while not self.halt.wait(0.5):
            if self.orphaned():
                if self.on_orphaned:
                    self.on_orphaned()
                return
            if time.monotonic() < due:
                continue
            due = time.monotonic() + self.interval
            try:
                if not renew_once(self.client, self.namespace, self.identity):
                    self.lost = True
                    return
            except Exception:  # pylint: disable=broad-exception-caught
                pass  # the API server away: try again at the next tick; the Lease expires if it stays away
