"""NetworkPolicy connectivity of the rendered objects, computed by network-config-analyzer (nca).

nca (``python -m nca --connectivity <policies> --resource_list <resources> -o txt_no_fw_rules``)
gets the rendered NetworkPolicies, the rendered Namespace, two Pods per rendered Deployment (its
pod template), a stray pod in split-brain that no component policy selects, and the rest of a
cluster from tests/network/cluster/: kube-dns and metrics-server in kube-system, an unrelated
pod and a pod wearing cloudflared's labels in ``elsewhere``, and a ScalarLM pod in ``llm``. The
answer is compared, exactly, with the flows the spec and NOTES allow (tests/network/analyser.py
turns nca's lines into ``(src, dst, protocol, port)`` facts; ``public`` is 0.0.0.0/0 minus the
private ranges).
"""

import ipaddress
from pathlib import Path

import pytest

from helpers import load_module, render

HERE = Path(__file__).resolve().parent


analyser = load_module("_split_brain_network_analyser", HERE / "network" / "analyser.py")

ENVIRONMENTS = ("dev", "prod")
COMPONENTS = ("router", "classifier", "ui", "cloudflared")
DNS = "kube-system/kube-dns"
PUBLIC = "public"
SCALARLM = "llm/scalarlm"


def dns_flows(pods):
    return {(pod, DNS, protocol, "53") for pod in pods for protocol in ("UDP", "TCP")}


# Every pod of the namespace (the stray one too) resolves names; nothing else is open by default.
BASE_FLOWS = dns_flows(COMPONENTS + ("stray",)) | {
    ("cloudflared", "router", "TCP", "8080"),
    ("cloudflared", "ui", "TCP", "8080"),
    ("router", "classifier", "TCP", "8080"),
    ("ui", "classifier", "TCP", "8080"),
    # api.anthropic.com
    ("router", PUBLIC, "TCP", "443"),
    # the Cloudflare edge, TCP and QUIC
    ("cloudflared", PUBLIC, "TCP", "7844"),
    ("cloudflared", PUBLIC, "UDP", "7844"),
}

EXPECTED = {
    "dev": BASE_FLOWS,
    # Google sign-in on: the ui's token exchange. The ScalarLM URL (https://scalarlm.example.com)
    # is a public host on 443: the router's public 443 already covers it.
    "prod": BASE_FLOWS | {("ui", PUBLIC, "TCP", "443")},
}


def _diff(got, expected):
    return "unexpected (open but not allowed): %s\nmissing (allowed but closed): %s" % (
        sorted(got - expected), sorted(expected - got))


@pytest.fixture(scope="module")
def analysed(rendered, tmp_path_factory):
    cache = {}

    def get(env):
        if env not in cache:
            cache[env] = analyser.analyse(rendered[env], tmp_path_factory.mktemp("nca-" + env))
        return cache[env]

    return get


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_connectivity_is_exactly_the_allowed_flows(analysed, env):
    got, _lines, _ours = analysed(env)
    assert got == EXPECTED[env], _diff(got, EXPECTED[env])


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_classifier_has_no_egress_but_dns(analysed, env):
    got, _lines, _ours = analysed(env)
    assert {f for f in got if f[0] == "classifier"} == dns_flows(["classifier"])


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_nothing_reaches_cloudflared(analysed, env):
    got, _lines, _ours = analysed(env)
    assert not {f for f in got if f[1] == "cloudflared"}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_only_cloudflared_reaches_router_and_ui(analysed, env):
    got, _lines, _ours = analysed(env)
    for target in ("router", "ui"):
        assert {f[0] for f in got if f[1] == target} == {"cloudflared"}, target
    assert not {f for f in got if f[0] == "router" and f[1] == "ui"}
    assert not {f for f in got if f[0] == "ui" and f[1] == "router"}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_other_namespaces_and_the_internet_reach_nothing(analysed, env):
    got, _lines, ours = analysed(env)
    inbound = {f for f in got if f[1] in ours and f[0] not in ours}
    assert not inbound, sorted(inbound)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_replicas_do_not_talk_to_each_other(analysed, env):
    got, _lines, _ours = analysed(env)
    assert not {f for f in got if f[0] == f[1]}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_private_ranges_are_unreachable(analysed, env):
    _got, lines, ours = analysed(env)
    private = [ipaddress.ip_network(cidr) for cidr in analyser.PRIVATE_RANGES]
    for pod in sorted(ours):
        for net in analyser.reachable_networks(lines, pod):
            overlap = [str(p) for p in private if net.overlaps(p)]
            assert not overlap, "%s reaches %s (private %s)" % (pod, net, overlap)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_only_kube_dns_in_kube_system(analysed, env):
    got, _lines, _ours = analysed(env)
    assert {f[1] for f in got if f[1].startswith("kube-system/")} == {DNS}
    assert {(f[2], f[3]) for f in got if f[1] == DNS} == {("UDP", "53"), ("TCP", "53")}


def test_analysis_is_not_vacuous(rendered, tmp_path):
    """Control: without cloudflared's policy, default-deny leaves cloudflared only DNS, so the
    router's and ui's ingress rules open nothing (nca combines both ends)."""
    objects = [o for o in rendered["prod"] if not (o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "cloudflared")]
    got, _lines, _ours = analyser.analyse(objects, tmp_path)
    expected = {f for f in EXPECTED["prod"] if f[0] != "cloudflared"} | dns_flows(["cloudflared"])
    assert got == expected, _diff(got, expected)


def test_parser_reads_nca_lines():
    lines = [
        "split-brain/router-0[Pod] => 11.0.0.0-11.0.0.127 : {protocols:TCP,dst_ports:443}",
        "split-brain/router-1[Pod] => 11.0.0.128-11.0.0.255 : {protocols:TCP,dst_ports:443}",
        "split-brain/router-1[Pod] => kube-system/kube-dns[Pod] : {protocols:TCP, UDP,dst_ports:53}",
        "split-brain/ui-0[Pod] => llm/x[Pod] : {protocols:TCP,dst_ports:80,8000-8001},{protocols:UDP,dst_ports:1}",
        "elsewhere/a[Pod] => split-brain/ui-0[Pod] : All connections",
        "elsewhere/a[Pod] => elsewhere/b[Pod] : All connections",
    ]
    got = analyser.facts(lines, {"router", "ui"})
    assert got == {
        ("router", "ip:11.0.0.0/24", "TCP", "443"),
        ("router", DNS, "TCP", "53"), ("router", DNS, "UDP", "53"),
        ("ui", "llm/x", "TCP", "80"), ("ui", "llm/x", "TCP", "8000-8001"), ("ui", "llm/x", "UDP", "1"),
        ("elsewhere/a", "ui", "*", "*"),
    }
    assert analyser.name_ips(list(analyser.PUBLIC)) == PUBLIC
    ten = ipaddress.ip_network("10.0.0.0/8")
    assert analyser.name_ips(list(analyser.PUBLIC) + [ten]) == "public+10.0.0.0/8"
    assert analyser.name_ips(analyser.subtract(analyser.PUBLIC, [ipaddress.ip_network("8.8.8.8/32")])) == "public-8.8.8.8/32"
    with pytest.raises(AssertionError):
        analyser.parse_connections("All but {protocols:TCP}")


def test_in_cluster_scalarlm_opens_its_namespace_on_its_pods_port_only(rendered, tmp_path_factory):
    """An in-cluster ScalarLM URL (``*.svc``) on the Service's port 80 becomes egress to that
    namespace on the pods' port, router_scalarlm_target_port (a NetworkPolicy matches the pod's)."""
    out = tmp_path_factory.mktemp("net-scalarlm")
    objects = render("dev", out, "-e", "router_scalarlm_base_url=http://scalarlm.llm.svc",
                     "-e", "router_scalarlm_api_key=x", "-e", "router_scalarlm_target_port=8000")
    got, _lines, _ours = analyser.analyse(objects, tmp_path_factory.mktemp("nca-scalarlm"))
    expected = EXPECTED["dev"] | {("router", SCALARLM, "TCP", "8000")}
    assert got == expected, _diff(got, expected)
    # The router's public egress stays 443 only: the in-cluster URL opens no public port.
    assert {f[3] for f in got if f[0] == "router" and f[1] == PUBLIC} == {"443"}
