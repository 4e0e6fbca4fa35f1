"""plugins/module_utils/lock.py: the Lease a run holds, when it expires, and who is told what."""

import copy
from pathlib import Path

import yaml

from ansible_collections.split_brain.deploy.plugins.module_utils import lock as lk
from ansible_collections.split_brain.deploy.plugins.module_utils import ownership as ow
from ansible_collections.split_brain.deploy.plugins.module_utils import process as pr
from ansible_collections.split_brain.deploy.plugins.module_utils import version as vr

ROOT = Path(__file__).resolve().parents[2]
T0 = 1795000000.0  # 2026-11-18T...


class ApiError(Exception):
    def __init__(self, status):
        super().__init__("status %d" % status)
        self.status = status


class Obj:
    def __init__(self, data):
        self.data = data

    def to_dict(self):
        return copy.deepcopy(self.data)


class LeaseClient:
    """An API server holding one Lease, with resourceVersion checks as the real one does."""

    def __init__(self, lease=None):
        self.lease, self.version, self.writes = lease, 1, []

    def resource(self, kind, api_version):
        return kind

    def get(self, resource, name=None, namespace=None):
        if self.lease is None:
            raise ApiError(404)
        return Obj(self.lease)

    def create(self, resource, body):
        if self.lease is not None:
            raise ApiError(409)
        self._store(body, "create")

    def replace(self, resource, body, name=None, namespace=None):
        if body["metadata"].get("resourceVersion") != self.lease["metadata"]["resourceVersion"]:
            raise ApiError(409)
        self._store(body, "replace")

    def delete(self, resource, name=None, namespace=None, body=None):
        self.writes.append("delete")
        self.lease = None

    def _store(self, body, verb):
        self.version += 1
        self.lease = copy.deepcopy(body)
        self.lease["metadata"]["resourceVersion"] = str(self.version)
        self.writes.append(verb)


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


PARAMS = dict(namespace="split-brain", instance="split-brain", operation="deploy", timeout=20, duration=6, interval=1.0)


def held_by_bob(renewed):
    lease = lk.new_lease("split-brain", "split-brain", "bob@ctl/77/x", "bob@ctl", 77, "deploy", 6, T0 - 100)
    lease["spec"]["renewTime"] = lk.format_time(renewed)
    lease["metadata"]["resourceVersion"] = "1"
    lease["metadata"]["annotations"]["split-brain.io/host"] = "ctl"  # another host: it expires, never judged dead
    return lease


def test_the_collection_version_is_galaxys():
    assert vr.COLLECTION_VERSION == yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]


def test_times_round_trip_as_lease_microtime():
    text = lk.format_time(T0 + 0.25)
    assert text.endswith("Z") and "." in text
    assert lk.parse_time(text) == T0 + 0.25
    assert lk.parse_time("2026-11-27T04:10:38Z") == lk.parse_time("2026-11-27T04:10:38.000000Z")
    assert lk.parse_time("") is None


def test_lease_state_says_who_since_when_and_whether_it_expired():
    lease = held_by_bob(T0)
    state = lk.lease_state(lease, T0 + 5)
    assert (state["holder"], state["pid"], state["operation"], state["version"]) == ("bob@ctl", "77", "deploy", vr.COLLECTION_VERSION)
    assert state["expires"] == T0 + 6 and not state["expired"]
    assert lk.lease_state(lease, T0 + 6)["expired"]
    assert lk.describe_holder(state).startswith("bob@ctl (pid 77, deploy, split_brain.deploy ")
    assert " since 20" in lk.describe_holder(state)
    assert lk.unfinished_message(state).startswith("the previous run by bob@ctl (pid 77, deploy) started 20")
    assert lk.unfinished_message(state).endswith("did not finish; converging")


def test_a_free_lock_is_created():
    client, clock = LeaseClient(), Clock()
    result = lk.acquire(client, PARAMS, "me/1/a", "me@ctl", 1, clock=clock, sleep=clock.sleep)
    assert result["acquired"] and result["previous"] == "" and client.writes == ["create"]
    assert client.lease["spec"]["holderIdentity"] == "me/1/a"
    assert client.lease["metadata"]["annotations"]["split-brain.io/holder"] == "me@ctl"


def test_a_live_holder_is_waited_for_with_one_message_then_the_run_fails_naming_it():
    client, clock, said = LeaseClient(held_by_bob(T0)), Clock(), []

    def renew_meanwhile(seconds):  # bob's renewer keeps it fresh
        clock.sleep(seconds)
        client.lease["spec"]["renewTime"] = lk.format_time(clock.now)
        client.lease["metadata"]["resourceVersion"] = str(int(client.lease["metadata"]["resourceVersion"]) + 1)

    result = lk.acquire(client, PARAMS, "me/1/a", "me@ctl", 1, say=said.append, clock=clock, sleep=renew_meanwhile)
    assert result["failed"] and not result["acquired"]
    assert "is locked by another run: bob@ctl (pid 77, deploy" in result["msg"]
    assert "split_brain_lock_timeout" in result["msg"]
    assert len(said) == 1 and said[0].startswith("Waiting up to 20s (split_brain_lock_timeout)")
    assert "held by bob@ctl" in said[0]
    assert client.lease["spec"]["holderIdentity"] == "bob@ctl/77/x"  # untouched


def test_a_holder_that_stops_renewing_is_taken_over_and_named_as_unfinished():
    client, clock = LeaseClient(held_by_bob(T0)), Clock()
    result = lk.acquire(client, PARAMS, "me/1/a", "me@ctl", 1, clock=clock, sleep=clock.sleep)
    assert result["acquired"] and result["waited"] >= 5
    assert result["previous"].startswith("the previous run by bob@ctl (pid 77, deploy) started")
    assert client.lease["spec"]["holderIdentity"] == "me/1/a" and client.writes == ["replace"]


def test_an_expired_lease_is_taken_over_at_once():
    client, clock = LeaseClient(held_by_bob(T0 - 60)), Clock()
    result = lk.acquire(client, PARAMS, "me/1/a", "me@ctl", 1, clock=clock, sleep=clock.sleep)
    assert result["acquired"] and result["waited"] == 0 and "did not finish" in result["previous"]


def test_a_holder_whose_clock_runs_ahead_cannot_keep_the_lock():
    # renewTime an hour in the future, never renewed: expired after one duration of our watching.
    client, clock = LeaseClient(held_by_bob(T0 + 3600)), Clock()
    result = lk.acquire(client, PARAMS, "me/1/a", "me@ctl", 1, clock=clock, sleep=clock.sleep)
    assert result["acquired"] and 6 <= result["waited"] <= 8


def test_release_deletes_only_our_own_lease():
    client = LeaseClient(held_by_bob(T0))
    result = lk.release(client, dict(PARAMS, identity="me/1/a"), T0)
    assert result["lost"] and not result["released"] and "held by bob@ctl" in result["msg"]
    assert client.lease is not None
    assert lk.release(client, dict(PARAMS, identity="bob@ctl/77/x"), T0)["released"]
    assert client.lease is None
    assert not lk.release(client, dict(PARAMS, identity="bob@ctl/77/x"), T0)["released"]


def test_check_mode_reports_the_holder_and_takes_nothing():
    client = LeaseClient(held_by_bob(T0))
    result = lk.check(client, PARAMS, T0 + 1)
    assert not result["acquired"] and result["held_by"].startswith("bob@ctl") and client.writes == []
    assert "did not finish" in lk.check(client, PARAMS, T0 + 60)["previous"]
    assert lk.check(LeaseClient(), PARAMS, T0)["held_by"] == ""


class Item:
    def __init__(self, name, labels):
        self.metadata = type("M", (), {"name": name, "labels": labels})()


class Listing:
    def __init__(self, items):
        self.items = items


class ObjectsClient:
    def __init__(self, by_kind):
        self.by_kind, self.selectors = by_kind, []

    def resource(self, kind, api_version):
        return kind

    def get(self, resource, namespace=None, label_selector=None):
        self.selectors.append(label_selector)
        return Listing(self.by_kind.get(resource, []))


def namespace(instance):
    return {"metadata": {"labels": {"app.kubernetes.io/managed-by": "split_brain.deploy", "app.kubernetes.io/instance": instance}}}


def test_a_namespace_labelled_for_another_release_is_foreign():
    client = ObjectsClient({})
    assert ow.foreign_release(client, "split-brain", "other", namespace("split-brain")) == ("Namespace/split-brain", "split-brain")
    assert client.selectors == []  # the namespace's labels were enough
    message = ow.ownership_message("split-brain", "other", ("Namespace/split-brain", "split-brain"))
    assert "belongs to release 'split-brain'" in message and "not to split_brain_instance 'other'" in message
    assert "Nothing was changed" in message


def test_managed_objects_of_another_release_are_foreign_unmanaged_ones_are_not():
    client = ObjectsClient({"ConfigMap": [Item("router-config", {"app.kubernetes.io/instance": "blue"})]})
    assert ow.foreign_release(client, "shared", "green", {"metadata": {"labels": {}}}) == ("ConfigMap/router-config", "blue")
    assert all("app.kubernetes.io/instance!=green" in s for s in client.selectors)
    assert ow.foreign_release(ObjectsClient({}), "shared", "green", namespace("green")) is None


def holder_state(host, pid, pid_start=""):
    return {"host": host, "pid": str(pid), "pid_start": pid_start}


def test_a_holder_of_this_host_whose_process_is_gone_is_gone():
    import os
    import socket
    import subprocess

    here = socket.gethostname()
    child = subprocess.Popen(["true"])
    child.wait()  # its pid now names no process
    assert pr.local_holder_gone(holder_state(here, child.pid))
    # A live process: the same pid and start time is still the holder.
    me = os.getpid()
    assert not pr.local_holder_gone(holder_state(here, me, pr.process_start(me)))
    assert not pr.local_holder_gone(holder_state(here, me))
    # The pid was reused by a process started at another time: the holder is gone.
    assert pr.local_holder_gone(holder_state(here, me, "1"))
    # Another host's holder (or one that says no host) is never judged from here.
    assert not pr.local_holder_gone(holder_state("elsewhere", child.pid))
    assert not pr.local_holder_gone(holder_state("", child.pid))
    assert not pr.local_holder_gone(holder_state(here, "?"))


def test_a_lease_of_a_dead_local_holder_is_taken_over_at_once():
    import socket
    import subprocess

    child = subprocess.Popen(["true"])
    child.wait()
    lease = lk.new_lease("split-brain", "split-brain", "bob@here/%d/x" % child.pid, "bob@here", child.pid,
                         "deploy", 3600, T0)
    lease["metadata"]["annotations"]["split-brain.io/host"] = socket.gethostname()
    lease["metadata"]["resourceVersion"] = "1"
    client = LeaseClient(lease)
    slept = []
    params = {"namespace": "split-brain", "instance": "split-brain", "operation": "deploy", "timeout": 300,
              "duration": 30, "interval": 1.0}
    result = lk.acquire(client, params, "me/1/y", "me", 1, clock=lambda: T0 + 1, sleep=slept.append)
    assert result["acquired"] and slept == []
    assert "the previous run by bob@here (pid %d, deploy)" % child.pid in result["previous"]


def test_the_lease_names_this_host_and_the_start_of_the_holding_process():
    import os
    import socket

    lease = lk.new_lease("ns", "inst", "id", "who", os.getpid(), "deploy", 30, T0)
    state = lk.lease_state(lease, T0)
    assert state["host"] == socket.gethostname()
    assert state["pid_start"] == pr.process_start(os.getpid()) != ""


def test_an_output_nobody_reads_any_more_is_noticed():
    import os

    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "w") as output:
        assert not pr.reader_gone(output)
        os.close(read_end)
        assert pr.reader_gone(output)
