"""plugins/plugin_utils/manifest.py: the filters the object templates use."""

import json

import pytest
import yaml

from ansible_collections.split_brain.deploy.plugins.plugin_utils import manifest as m
from ansible_collections.split_brain.deploy.plugins.filter.manifest import FilterModule
from ansible.errors import AnsibleFilterError

EXCLUDED = ["10.0.0.0/8", "192.168.0.0/16"]


def test_config_data_stringifies_every_value():
    assert m.config_data({"A": True, "B": False, "C": None, "D": [1, "x"], "E": 3, "F": "s"}) == {
        "A": "true", "B": "false", "C": "", "D": "1,x", "E": "3", "F": "s"}
    assert m.config_data(None) == {}
    with pytest.raises(ValueError):
        m.config_data(["not", "a", "dict"])


def test_labels_add_name_and_component():
    common = {"app.kubernetes.io/part-of": "split-brain"}
    assert m.labels("router", common) == {
        "app.kubernetes.io/part-of": "split-brain", "app.kubernetes.io/name": "router", "app.kubernetes.io/component": "router"}
    assert common == {"app.kubernetes.io/part-of": "split-brain"}


def test_image_ref_prefers_the_digest():
    digest = "sha256:" + "0" * 64
    assert m.image_ref({"repository": "ghcr.io/a/b", "tag": "1.0", "digest": digest}) == "ghcr.io/a/b@" + digest
    assert m.image_ref({"repository": "ghcr.io/a/b", "tag": "1.0", "digest": ""}) == "ghcr.io/a/b:1.0"
    assert m.image_ref({"repository": "ghcr.io/a/b"}) == "ghcr.io/a/b:latest"
    with pytest.raises(ValueError):
        m.image_ref({"repository": ""})


def test_name_refs():
    assert m.name_refs(["a", "b"]) == [{"name": "a"}, {"name": "b"}]
    assert m.name_refs(None) == []


def test_public_egress():
    rule = m.public_egress([{"port": 7844}, {"port": "7844", "protocol": "UDP"}], EXCLUDED)
    assert rule == {
        "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": EXCLUDED}}],
        "ports": [{"port": 7844, "protocol": "TCP"}, {"port": 7844, "protocol": "UDP"}],
    }


@pytest.mark.parametrize("url, parsed", [
    ("https://scalarlm.example.com", ("https", "scalarlm.example.com", 443)),
    ("http://scalarlm.example.com/v1", ("http", "scalarlm.example.com", 80)),
    ("http://10.1.2.3:8000", ("http", "10.1.2.3", 8000)),
])
def test_parse_url(url, parsed):
    assert m.parse_url(url) == parsed


@pytest.mark.parametrize("url", ["ftp://x", "https://", "https://host:notaport", "host:80"])
def test_parse_url_rejects(url):
    with pytest.raises(ValueError):
        m.parse_url(url)


def test_url_egress_in_cluster_service_is_a_namespace_selector():
    assert m.url_egress("http://scalarlm.ml.svc.cluster.local:8000", EXCLUDED) == {
        "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ml"}}}],
        "ports": [{"port": 8000, "protocol": "TCP"}],
    }


def test_url_egress_two_label_host_is_that_namespace_and_the_public_internet():
    """scalarlm.ml is the Service scalarlm of the namespace ml, or a public host: both are let through."""
    assert m.url_egress("http://scalarlm.ml:8000", EXCLUDED) == {
        "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ml"}}},
               {"ipBlock": {"cidr": "0.0.0.0/0", "except": EXCLUDED}}],
        "ports": [{"port": 8000, "protocol": "TCP"}]}


def test_url_egress_to_a_service_is_on_its_pods_port():
    """The Service listens on 80 (the URL's) and maps it to 8000, the port a NetworkPolicy matches; a
    target port makes a two-label host the Service only."""
    ml = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ml"}}}
    assert m.url_egress("http://scalarlm.ml.svc", EXCLUDED, 8000) == {
        "to": [ml], "ports": [{"port": 8000, "protocol": "TCP"}]}
    assert m.url_egress("http://scalarlm.ml", EXCLUDED, 8000) == {"to": [ml], "ports": [{"port": 8000, "protocol": "TCP"}]}
    assert m.url_egress("http://scalarlm.ml.svc:8000", EXCLUDED, 0)["ports"] == [{"port": 8000, "protocol": "TCP"}]


def test_url_egress_ip_and_public_host():
    assert m.url_egress("https://10.1.2.3", EXCLUDED)["to"] == [{"ipBlock": {"cidr": "10.1.2.3/32"}}]
    assert m.url_egress("https://scalarlm.example.com:8443", EXCLUDED) == {
        "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": EXCLUDED}}],
        "ports": [{"port": 8443, "protocol": "TCP"}],
    }


def obj(kind, name, **extra):
    return dict({"kind": kind, "metadata": {"name": name}}, **extra)


def test_apply_order_is_stable_and_puts_unknown_kinds_last():
    objects = [obj("Deployment", "a"), obj("Widget", "w"), obj("Namespace", "ns"), obj("Deployment", "b"), obj("Secret", "s")]
    assert [o["metadata"]["name"] for o in FilterModule().filters()["apply_order"](objects)] == ["ns", "s", "a", "b", "w"]
    assert FilterModule().filters()["apply_order"](None) == []


def test_redact_only_touches_secrets():
    secret = obj("Secret", "s", stringData={"KEY": "value"}, data={"B": "dmFsdWU="})
    redacted = m.redact(secret)
    assert redacted["stringData"] == {"KEY": m.REDACTED} and redacted["data"] == {"B": m.REDACTED}
    assert secret["stringData"] == {"KEY": "value"}
    assert m.redact(secret, reveal=True) is secret
    config = obj("ConfigMap", "c", data={"A": "1"})
    assert m.redact(config) is config


def test_object_keys():
    assert m.object_keys([obj("Service", "router"), obj("ConfigMap", "ui-config")]) == ["Service/router", "ConfigMap/ui-config"]


def test_scrub_replaces_secret_values_of_four_characters_or_more():
    objects = [obj("Secret", "s", stringData={"A": "sk-secret-1", "B": "abc"}), obj("ConfigMap", "c", data={"X": "public"})]
    assert m.scrub("failed: sk-secret-1 abc public", objects) == "failed: ******** abc public"


def test_scrub_masks_as_no_log_does():
    """remove_values: the longer of two overlapping values first, every occurrence, across lines;
    a message that is a value as a whole is named as such; non-string values are masked too."""
    multi = "-----BEGIN KEY-----\nMIIEsecret\n-----END KEY-----"
    objects = [obj("Secret", "s", stringData={"A": "hunter22", "B": "hunter22-long", "C": multi, "D": 123456}),
               obj("Secret", "t", data={"E": "dGVzdA=="}, stringData=None)]
    text = "a hunter22-long b hunter22\nkey:\n%s\nport 123456 data dGVzdA== hunter22" % multi
    scrubbed = m.scrub(text, objects)
    assert scrubbed == "a ******** b ********\nkey:\n********\nport ******** data ******** ********"
    assert m.scrub("hunter22", objects) == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert m.scrub("nothing secret", objects) == "nothing secret"
    assert m.scrub(None, []) == "None"


def test_missing_secret_keys_names_secrets_and_keys_never_values():
    results = [
        {"item": {"name": "anthropic-api-key", "env": {"ANTHROPIC_API_KEY": "ANTHROPIC_API_KEY"}}, "resources": []},
        {"item": {"name": "google-oauth", "env": {"A": "clientSecret", "B": "sessionSecret"}},
         "resources": [{"data": {"clientSecret": "c2VjcmV0"}}]},
        {"item": {"name": "ok", "env": {"K": "K"}}, "resources": [{"data": {"K": "dg=="}}]},
    ]
    assert m.missing_secret_keys(results) == [
        "Secret anthropic-api-key does not exist (keys ANTHROPIC_API_KEY)",
        "Secret google-oauth lacks key(s) sessionSecret",
    ]


def test_secret_refs_are_what_the_deployments_read_without_values():
    def deployment(*envs):
        return {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "c", "env": list(envs)}]}}}}

    def ref(env, name, key):
        return {"name": env, "valueFrom": {"secretKeyRef": {"name": name, "key": key}}}

    objects = [
        {"kind": "Secret", "metadata": {"name": "a"}, "stringData": {"K": "secret"}},
        deployment(ref("E", "a", "K"), {"name": "PLAIN", "value": "v"}, ref("F", "a", "L")),
        deployment(),
        deployment(ref("G", "b", "M")),
    ]
    assert m.secret_refs(objects) == [{"name": "a", "env": {"E": "K", "F": "L"}}, {"name": "b", "env": {"G": "M"}}]
    assert "secret" not in json.dumps(m.secret_refs(objects))
    assert m.secret_refs([]) == []


def test_filters_turn_value_errors_into_filter_errors():
    filters = FilterModule().filters()
    assert filters["image_ref"]({"repository": "r", "tag": "t"}) == "r:t"
    with pytest.raises(AnsibleFilterError):
        filters["image_ref"]({"repository": ""})


def test_manifests_parses_every_document_and_skips_empty_ones():
    text = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n---\nkind: Service\nmetadata: {name: b}\n"
    assert [o["metadata"]["name"] for o in m.manifests(text)] == ["a", "b"]
    assert m.manifests("") == [] and m.manifests(None) == []
    with pytest.raises(ValueError, match="not valid YAML"):
        m.manifests("a: [unclosed")


@pytest.mark.parametrize("value", [
    "plain", "a: b\n  - c: d", "'\"\\", "{{ x }} {# y #}", "\u2028\u2029\x85\x7f\x00\t", "😀 雪 é", "\ufeff",
    {"k": [1, 1.5, True, None, "x"]}, 2147483647, -1, 0.1,
])
def test_to_json_is_read_back_by_yaml_exactly(value):
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        assert yaml.load("key: %s\n" % m.to_json(value), Loader=loader) == {"key": value}
    assert m.manifests("key: %s\n" % m.to_json(value)) == [{"key": value}]


def test_to_json_refuses_a_lone_surrogate():
    with pytest.raises(ValueError, match="lone surrogate"):
        m.to_json("a\ud800")


@pytest.mark.parametrize("value, result", [(1, 1), ("1", 1), ("25%", "25%"), ("0", 0), ("1.5", "1.5")])
def test_int_or_string(value, result):
    assert m.int_or_string(value) == result and type(m.int_or_string(value)) is type(result)


def test_manifests_errors_never_quote_the_text():
    with pytest.raises(ValueError) as error:
        m.manifests("a: b\n  stringData: {K: sk-secret-value}: x\n")
    assert "sk-secret-value" not in str(error.value) and "line 2" in str(error.value)


def test_scrub_takes_the_values_themselves_too():
    """Before anything is rendered, a role scrubs the values of its secret variables."""
    assert m.scrub("x sk-ant-0001 abc", ["sk-ant-0001", "abc", None]) == "x ******** abc"
    secret = {"kind": "Secret", "stringData": {"KEY": "sk-ant-0002"}}
    assert m.scrub("sk-ant-0001 sk-ant-0002", [secret, "sk-ant-0001"]) == "******** ********"


def test_api_error_names_the_object_and_the_reason():
    status = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 422, "reason": "Invalid",
              "message": 'Deployment.apps "router" is invalid: spec.replicas: Invalid value: -1',
              "details": {"name": "router", "group": "apps", "kind": "Deployment"}}
    message = "Failed to apply object: {0}".format((json.dumps(status) + "\n").encode())
    assert m.api_error(message) == ('Failed to apply Deployment router: Deployment.apps "router" is invalid:'
                                    ' spec.replicas: Invalid value: -1 (422 Invalid)')
    assert m.api_error("Connection refused") == "Connection refused"
    assert m.api_error("Failed to apply object: b'not json'") == "Failed to apply object: b'not json'"
