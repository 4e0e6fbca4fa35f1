"""plugins/module_utils/history.py: revision records, what a run records, what a rollback picks."""

import copy

import pytest

from ansible_collections.split_brain.deploy.plugins.module_utils import history as h


def obj(kind, name, component, **extra):
    return dict({"apiVersion": "v1", "kind": kind,
                 "metadata": {"name": name, "labels": {"app.kubernetes.io/component": component}}}, **extra)


ROUTER = [obj("ConfigMap", "router-config", "router", data={"A": "1"}), obj("Secret", "key", "router", stringData={"K": "v"})]
UI = [obj("ConfigMap", "ui-config", "ui", data={"B": "2"})]


def test_objects_round_trip_compressed():
    text = h.encode_objects(ROUTER + UI)
    assert "stringData" not in text  # compressed, never readable as is
    assert h.decode_objects(text) == ROUTER + UI
    assert h.encode_objects(ROUTER) == h.encode_objects(copy.deepcopy(ROUTER))  # stable


def test_same_objects_ignores_order():
    assert h.same_objects(ROUTER + UI, UI + ROUTER)
    assert not h.same_objects(ROUTER, ROUTER + UI)


def test_a_tag_limited_run_keeps_the_other_components_of_the_previous_revision():
    new_router = [obj("ConfigMap", "router-config", "router", data={"A": "2"})]
    merged = h.merged_objects(ROUTER + UI, new_router, ["router"])
    assert merged == UI + new_router
    assert h.merged_objects([], new_router, ["router"]) == new_router


def test_record_secret_and_meta():
    secret = h.record_secret("ns", "sb", 3, h.PENDING, ROUTER, "me@ctl", "upgrade", updated="2026-11-27T04:00:00Z")
    assert secret["metadata"]["name"] == "split-brain.sb.v3" and secret["type"] == "split-brain.io/release.v1"
    assert secret["metadata"]["labels"]["split-brain.io/status"] == "pending"
    assert h.record_meta(secret) == {"name": "split-brain.sb.v3", "revision": 3, "status": "pending",
                                     "updated": "2026-11-27T04:00:00Z", "by": "me@ctl",
                                     "version": h.COLLECTION_VERSION, "description": "upgrade"}


def meta(revision, status):
    return {"revision": revision, "status": status, "name": "split-brain.sb.v%d" % revision}


def test_rollback_target_is_the_latest_but_one_deployed():
    records = [meta(1, "superseded"), meta(2, "superseded"), meta(3, "failed"), meta(4, "deployed")]
    assert h.rollback_target(records)["revision"] == 2
    assert h.rollback_target(records, 1)["revision"] == 1
    with pytest.raises(ValueError, match="no revision 9"):
        h.rollback_target(records, 9)
    with pytest.raises(ValueError, match="never finished"):
        h.rollback_target([meta(1, "deployed"), meta(2, "interrupted")], 2)
    with pytest.raises(ValueError, match="no earlier deployed revision"):
        h.rollback_target([meta(1, "deployed")])


def test_beyond_limit_drops_the_oldest_never_the_new_one():
    records = [meta(n, "superseded") for n in range(1, 6)]
    assert [r["revision"] for r in h.beyond_limit(records, 3, 5)] == [1, 2]
    assert h.beyond_limit(records, 0, 5) == [] and h.beyond_limit(records, 5, 5) == []


class Obj:
    def __init__(self, data):
        self.data = data

    def to_dict(self):
        return copy.deepcopy(self.data)


class SecretsClient:
    def __init__(self):
        self.secrets = {}

    def resource(self, kind, api_version):
        return kind

    def get(self, resource, namespace=None, label_selector=None):
        return type("L", (), {"items": [Obj(s) for s in self.secrets.values()]})()

    def create(self, resource, body):
        self.secrets[body["metadata"]["name"]] = copy.deepcopy(body)

    def patch(self, resource, body, name=None, namespace=None, content_type=None):
        for key in ("labels", "annotations"):
            self.secrets[name]["metadata"][key].update(body["metadata"].get(key, {}))

    def delete(self, resource, name=None, namespace=None):
        del self.secrets[name]


def run(client, **params):
    base = dict(namespace="ns", instance="sb", step="list", revision=0, objects=[], components=[],
                status="deployed", by="me@ctl", description="", limit=10)
    base.update(params)
    return h.history_work(client, base)


def statuses(client):
    return {r["revision"]: r["status"] for r in run(client)["revisions"]}


def test_a_run_records_pending_then_deployed_and_a_no_op_records_nothing():
    client = SecretsClient()
    first = run(client, step="begin", objects=ROUTER, components=["router"])
    assert first["revision"] == 1 and statuses(client) == {1: "pending"}
    run(client, step="finish", revision=1)
    assert statuses(client) == {1: "deployed"}
    noop = run(client, step="begin", objects=ROUTER, components=["router"])
    assert noop["revision"] == 0 and not noop["changed"] and statuses(client) == {1: "deployed"}
    second = run(client, step="begin", objects=ROUTER + UI, components=["router", "ui"])
    assert second["revision"] == 2 and second["previous"]["revision"] == 1
    run(client, step="finish", revision=2)
    assert statuses(client) == {1: "superseded", 2: "deployed"}
    assert run(client, step="get")["objects"] == ROUTER


def test_a_pending_record_left_behind_is_reported_and_marked_interrupted():
    client = SecretsClient()
    run(client, step="begin", objects=ROUTER)
    run(client, step="finish", revision=1)
    run(client, step="begin", objects=UI)  # killed before it finished
    after = run(client, step="begin", objects=UI)
    assert [r["revision"] for r in after["unfinished"]] == [2]
    assert statuses(client) == {1: "deployed", 2: "interrupted", 3: "pending"}
    # Said as a warning, which no_log keeps (the task's objects hold Secret values).
    assert after["warnings"] == [
        "Revision 2 by %s did not finish (now marked interrupted); this run converges the release." % after["unfinished"][0]["by"]]
    run(client, step="finish", revision=3)
    assert "warnings" not in run(client, step="begin", objects=ROUTER)


def test_the_history_is_bounded_and_removable():
    client = SecretsClient()
    for n in range(1, 5):
        run(client, step="begin", objects=[obj("ConfigMap", "c", "router", data={"n": str(n)})])
        run(client, step="finish", revision=n, limit=2)
    assert statuses(client) == {3: "superseded", 4: "deployed"}
    removed = run(client, step="absent")
    assert removed["changed"] and sorted(removed["removed"]) == ["Secret/split-brain.sb.v3", "Secret/split-brain.sb.v4"]
    assert run(client, step="absent")["changed"] is False
