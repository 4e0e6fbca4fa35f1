"""plugins/module_utils/apply.py and scrub.py: what a release run compares, says and refuses."""

import json

from ansible_collections.split_brain.deploy.plugins.module_utils import apply as rl
from ansible_collections.split_brain.deploy.plugins.module_utils import objects as ob
from ansible_collections.split_brain.deploy.plugins.module_utils import scrub as sc
from ansible_collections.split_brain.deploy.plugins.module_utils.changes import object_diff


def configmap(value, **metadata):
    meta = {"name": "router-config", "namespace": "split-brain"}
    meta.update(metadata)
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"MAX_IN_FLIGHT": value}}


def manager(name, fields, time="2026-12-06T20:00:00Z"):
    return {"manager": name, "operation": "Apply", "apiVersion": "v1", "time": time, "fieldsType": "FieldsV1",
            "fieldsV1": fields}


def test_server_set_fields_and_write_times_are_no_difference():
    live = configmap("64", resourceVersion="7", uid="u", creationTimestamp="t",
                     managedFields=[manager("split-brain-deploy", {"f:data": {}})])
    dry = configmap("64", resourceVersion="8", uid="u", creationTimestamp="t",
                    managedFields=[manager("split-brain-deploy", {"f:data": {}}, time="2026-12-06T21:00:00Z")])
    live["status"] = {"x": 1}
    assert rl.comparable(live) == rl.comparable(dry)


def test_a_value_or_a_field_owner_that_moves_is_a_difference():
    live = configmap("64", managedFields=[manager("split-brain-deploy", {"f:data": {}})])
    assert rl.comparable(configmap("7", managedFields=live["metadata"]["managedFields"])) != rl.comparable(live)
    # The same value, but the field taken back from another manager: the apply must write it.
    taken = configmap("64", managedFields=[manager("kubectl-edit", {"f:data": {}})])
    assert rl.comparable(taken) != rl.comparable(live)
    assert rl.comparable(None) is None


def test_objects_go_in_apply_order_unknown_kinds_last():
    kinds = ["Deployment", "Widget", "Secret", "Namespace", "ConfigMap", "HorizontalPodAutoscaler"]
    ordered = [o["kind"] for o in ob.apply_order([{"kind": k} for k in kinds])]
    assert ordered == ["Namespace", "Secret", "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Widget"]


def test_a_refusal_is_said_in_the_api_servers_words():
    status = {"kind": "Status", "message": 'PersistentVolumeClaim "split-brain-data" is invalid: '
              "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"}

    class ApiException(Exception):
        body = json.dumps(status)

    try:
        try:
            raise ApiException("(422)")
        except ApiException as cause:
            raise RuntimeError("Failed to apply object: b'%s'" % json.dumps(status)) from cause
    except RuntimeError as exc:
        assert rl.refusal_reason(exc) == status["message"]
    assert rl.refusal_reason(ValueError("no JSON here")) == "no JSON here"


def test_a_secrets_diff_names_keys_never_values():
    live = {"kind": "Secret", "metadata": {"name": "s"}, "data": {"KEY": "b2xk", "SAME": "c2FtZQ=="}}
    applied = {"kind": "Secret", "metadata": {"name": "s"}, "data": {"KEY": "bmV3", "SAME": "c2FtZQ=="}}
    diff = object_diff("Secret/s", live, applied)
    assert "KEY: <hidden, changed>" in diff["after"] and "KEY: <hidden>" in diff["before"]
    assert "b2xk" not in json.dumps(diff) and "bmV3" not in json.dumps(diff)
    assert object_diff("ConfigMap/c", configmap("1", resourceVersion="1"), configmap("1", resourceVersion="2")) is None


def test_a_failure_message_never_quotes_a_secret_value():
    import base64

    secret = {"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"KEY": "sk-ant-value-1234"},
              "data": {"OTHER": base64.b64encode(b"plain-other").decode()}}
    text = "refused: sk-ant-value-1234 and %s and %s" % (
        base64.b64encode(b"sk-ant-value-1234").decode(), base64.b64encode(b"plain-other").decode())
    scrubbed = sc.scrub(text, [secret, {"kind": "ConfigMap", "data": {"A": "refused"}}])
    assert "sk-ant" not in scrubbed and "c2stYW50" not in scrubbed and "cGxhaW4" not in scrubbed
    assert "plain-other" not in sc.scrub("it was plain-other", [secret])
    assert scrubbed.startswith("refused: ********")
