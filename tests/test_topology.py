"""docs/topology.dot (the picture of docs/design.md) against the objects it is drawn from.

- its flow edges are exactly the connectivity network-config-analyzer computes from the same
  rendered NetworkPolicies (tests/network/analyser.py, the analysis of tests/test_network.py), for
  dev and prod: an independent implementation of the policy semantics;
- the committed DOT is what scripts/docs/topology.py writes for the dev inventory's render, and
  the committed SVG draws it.
"""

import ipaddress
import re
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest

from helpers import ROOT, load_module

HERE = ROOT / "tests"
DOT = ROOT / "docs" / "topology.dot"
SVG = ROOT / "docs" / "topology.svg"
EDGE = re.compile(r'^  "(?P<src>[^"]+)" -> "(?P<dst>[^"]+)" \[(?P<attrs>.*)\];$')


analyser = load_module("_split_brain_network_analyser_topology", HERE / "network" / "analyser.py")
topology = load_module("_split_brain_topology", ROOT / "scripts" / "docs" / "topology.py")


def edges(text, kind):
    """``{(src, dst): label}`` of the DOT's edges of a class (``flow``, ``selects``, ``mounts``)."""
    out = {}
    for line in text.splitlines():
        match = EDGE.match(line)
        if match and 'class="%s"' % kind in match.group("attrs"):
            label = re.search(r'label="([^"]*)"', match.group("attrs"))
            out[(match.group("src"), match.group("dst"))] = label.group(1) if label else ""
    return out


def node_name(node):
    """A DOT node in the analyser's names: a component, ``kube-system/kube-dns`` (the pod of
    tests/network/cluster/ its selector picks), or the addresses of an ipBlock."""
    if node.startswith("ipBlock "):
        cidr, _sep, holes = node[len("ipBlock "):].partition(" except ")
        nets = analyser.subtract([ipaddress.ip_network(cidr)], [ipaddress.ip_network(h) for h in holes.split(",") if h])
        return analyser.name_ips(nets)
    if node == "pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system":
        return "kube-system/kube-dns"
    assert " " not in node, "unexpected node %r" % node
    return node


def dot_facts(text):
    """The DOT's flow edges as the analyser's facts ``(src, dst, protocol, port)``."""
    facts = set()
    for (src, dst), label in edges(text, "flow").items():
        for part in label.split(", "):
            protocol, port = part.split(" ")
            facts.add((node_name(src), node_name(dst), protocol, port))
    return facts


@pytest.mark.parametrize("env", ("dev", "prod"))
def test_flow_edges_are_the_flows_the_policies_allow(rendered, tmp_path, env):
    text = topology.dot(rendered[env])
    got = dot_facts(text)
    nca, _lines, _ours = analyser.analyse(rendered[env], tmp_path)
    # The analysis adds a stray pod (no component policy selects it): not a node of the picture.
    expected = {fact for fact in nca if "stray" not in fact[:2]}
    assert got == expected, "in the picture only: %s\nallowed but not drawn: %s" % (sorted(got - expected), sorted(expected - got))
    assert len(got) >= 10


def test_flow_edges_follow_a_policy_change(rendered, tmp_path):
    """Control: without cloudflared's policy, default-deny leaves cloudflared only DNS, and the
    router's and ui's ingress from it draws nothing (both ends must allow a flow)."""
    objects = [o for o in rendered["dev"] if not (o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "cloudflared")]
    got = dot_facts(topology.dot(objects))
    assert {f for f in got if f[0] == "cloudflared"} == {("cloudflared", "kube-system/kube-dns", p, "53") for p in ("TCP", "UDP")}
    assert not {f for f in got if f[1] in ("router", "ui")}


def test_services_and_volume_are_drawn(rendered):
    text = topology.dot(rendered["dev"])
    services = {o["metadata"]["name"] for o in rendered["dev"] if o["kind"] == "Service"}
    assert set(edges(text, "selects")) == {("service/%s" % name, name) for name in services}
    mounts = edges(text, "mounts")
    assert mounts == {("router", "pvc/split-brain-data"): "rw", ("ui", "pvc/split-brain-data"): "rw",
                      ("classifier", "pvc/split-brain-data"): "ro"}
    assert "Deployment, tunnel" in text


def test_committed_picture_is_a_fresh_generation(rendered):
    assert DOT.read_text() == topology.dot(rendered["dev"]), "run make docs-picture"


def test_committed_svg_draws_the_committed_dot():
    svg = SVG.read_text()
    titles = defaultdict(int)
    for title in re.findall(r'<g id="edge\d+" class="edge flow">\n<title>(.*?)</title>', svg):
        titles[title.replace("&#45;", "-").replace("&gt;", ">")] += 1
    assert dict(titles) == {"%s->%s" % edge: 1 for edge in edges(DOT.read_text(), "flow")}, "run make docs-picture"
    if shutil.which("dot"):
        fresh = subprocess.run(["dot", "-Tsvg", str(DOT)], capture_output=True, text=True, check=True).stdout

        def strip(text):  # graphviz names its version in a comment
            return re.sub(r"<!--.*?-->", "", text, flags=re.S)
        assert strip(fresh) == strip(svg), "run make docs-picture"


def test_script_runs_on_a_render_folder(tmp_path, rendered):
    import yaml

    for index, obj in enumerate(rendered["dev"]):
        (tmp_path / ("%02d.yaml" % index)).write_text(yaml.safe_dump(obj))
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs" / "topology.py"), str(tmp_path)],
                            capture_output=True, text=True, check=True)
    assert result.stdout == DOT.read_text()
