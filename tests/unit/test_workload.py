"""plugins/plugin_utils/workload.py: what the objects of the four components share."""

import hashlib
import json

import pytest

from ansible_collections.split_brain.deploy.plugins.filter.manifest import FilterModule
from ansible_collections.split_brain.deploy.plugins.plugin_utils import workload as w
from ansible.errors import AnsibleFilterError

COMMON = {"app.kubernetes.io/part-of": "split-brain"}
TIMINGS = {"initial_delay_seconds": "5", "period_seconds": 10, "timeout_seconds": 2, "failure_threshold": 3}


def test_selector_and_pod_labels():
    assert w.selector("ui", "blue") == {"app.kubernetes.io/instance": "blue", "app.kubernetes.io/name": "ui"}
    assert w.pod_labels("ui", COMMON) == dict(COMMON, **{"app.kubernetes.io/name": "ui", "app.kubernetes.io/component": "ui"})
    for mode in ("rw", "ro"):
        assert w.pod_labels("ui", COMMON, mode)[w.DATA_LABEL] == "true"
    with pytest.raises(ValueError, match="rw, ro or empty"):
        w.pod_labels("ui", COMMON, "yes")


def test_security_contexts_are_typed():
    assert w.pod_security_context("10001", 10002, 10003) == {
        "runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10002, "fsGroup": 10003,
        "seccompProfile": {"type": "RuntimeDefault"}}
    assert w.container_security_context(True) == {
        "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}}


def test_http_probe_takes_the_shared_timings_as_ints():
    assert w.http_probe("/ready", TIMINGS) == {
        "httpGet": {"path": "/ready", "port": "http"}, "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 2,
        "failureThreshold": 3}


@pytest.mark.parametrize("mode, mounts, claim", [
    ("", 1, None),
    ("rw", 2, {"claimName": "data-claim"}),
    ("ro", 2, {"claimName": "data-claim", "readOnly": True}),
])
def test_pod_volumes(mode, mounts, claim):
    volumes = w.pod_volumes(mode, "/data", "data-claim", "128Mi")
    assert volumes["mounts"][0] == {"name": "tmp", "mountPath": "/tmp"}
    assert volumes["volumes"][0] == {"name": "tmp", "emptyDir": {"sizeLimit": "128Mi"}}
    assert len(volumes["mounts"]) == len(volumes["volumes"]) == mounts
    if claim:
        assert volumes["mounts"][1] == {"name": "data", "mountPath": "/data", "readOnly": mode == "ro"}
        assert volumes["volumes"][1] == {"name": "data", "persistentVolumeClaim": claim}


def test_pod_placement():
    rwo = w.pod_placement("router", "blue", "rw", "ReadWriteOnce", 3)
    assert list(rwo) == ["affinity"]
    term = rwo["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert term["labelSelector"]["matchLabels"] == {"app.kubernetes.io/instance": "blue", w.DATA_LABEL: "true"}
    # Storage every node can mount, or no volume: a soft spread, only for more than one pod.
    spread = w.pod_placement("cloudflared", "blue", "", "ReadWriteOnce", "2")
    assert list(spread) == ["topologySpreadConstraints"]
    assert spread["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"] == w.selector("cloudflared", "blue")
    assert w.pod_placement("ui", "blue", "rw", "ReadWriteMany", 1) == {}


def test_secret_env_in_order():
    env = w.secret_env({"s": {"A": "a", "B": "b"}, "t": {"C": "c"}})
    assert [(e["name"], e["valueFrom"]["secretKeyRef"]) for e in env] == [
        ("A", {"name": "s", "key": "a"}), ("B", {"name": "s", "key": "b"}), ("C", {"name": "t", "key": "c"})]
    assert w.secret_env({}) == []


def test_checksum_annotations():
    configmap = {"kind": "ConfigMap", "data": {"A": "1"}}
    secret = {"kind": "Secret", "stringData": {"K": "sk-value"}}
    keyed = w.checksum_annotations([configmap, secret], "key")
    assert keyed[w.CONFIG_CHECKSUM] == hashlib.sha256(json.dumps({"A": "1"}).encode()).hexdigest()
    assert len(keyed[w.SECRET_CHECKSUM]) == 64 and "sk-value" not in json.dumps(keyed)
    assert w.checksum_annotations([configmap, dict(secret, stringData={"K": "other"})], "key") != keyed
    assert w.checksum_annotations([secret])[w.SECRET_CHECKSUM] == "<keyed at apply>"
    assert w.checksum_annotations([], "key", False) == {
        w.CONFIG_CHECKSUM: hashlib.sha256(b"{}").hexdigest(), w.SECRET_CHECKSUM: "external"}


def test_network_policy_spec_leaves_out_empty_rules_and_duplicates():
    bare = w.network_policy_spec("classifier", "blue", 8080, [])
    assert bare == {"podSelector": {"matchLabels": w.selector("classifier", "blue")}, "policyTypes": ["Ingress", "Egress"]}
    spec = w.network_policy_spec("router", "blue", "8080", ["10.0.0.0/8"], ingress_from=["cloudflared"],
                                 egress_to=["classifier"], egress_urls=["https://a.example.com", "https://b.example.com"],
                                 egress_public=[{"port": 443}])
    assert spec["ingress"] == [{"from": [{"podSelector": {"matchLabels": w.selector("cloudflared", "blue")}}],
                                "ports": [{"port": 8080, "protocol": "TCP"}]}]
    # Both URLs and the public port come to the same rule: it is listed once.
    assert len(spec["egress"]) == 2
    assert spec["egress"][1]["to"] == [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]


def test_the_workload_filters_are_registered():
    filters = FilterModule().filters()
    assert filters["selector"]("ui", "blue") == w.selector("ui", "blue")
    with pytest.raises(AnsibleFilterError):
        filters["pod_volumes"]("rwx", "/data", "c", "1Mi")
