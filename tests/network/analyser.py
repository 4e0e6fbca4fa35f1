"""Run network-config-analyzer (nca) on rendered objects and turn its answer into plain facts.

A fact is ``(src, dst, protocol, ports)``:

- a split-brain pod is named by its component (``router``; the pods of a Deployment are
  ``<deployment>-0`` and ``<deployment>-1`` and fold into one name), other pods by
  ``namespace/name`` (``kube-system/kube-dns``);
- IP blocks are folded per ``(src, protocol, ports)`` into one set of addresses, named
  ``public`` when it is exactly 0.0.0.0/0 minus the private ranges, else ``ip:<cidr>,...``;
- ``protocol`` is ``TCP``/``UDP``/``SCTP`` (``*`` = every protocol), ``ports`` is ``"443"``,
  ``"1-1024"`` or ``"*"`` (every port).

Only facts with a split-brain pod at one end are returned: other namespaces are unrestricted
and not ours.
"""

from __future__ import annotations

import copy
import ipaddress
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CLUSTER = HERE / "cluster"  # one object per file
NAMESPACE = "split-brain"
# The pods of each Deployment (two, so that traffic between replicas shows up too).
PODS_PER_DEPLOYMENT = 2

# The ranges that must never be reachable through a "public" egress (the collection's default
# split_brain_egress_excluded_cidrs: RFC 1918, CGNAT, link-local, loopback).
PRIVATE_RANGES = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "127.0.0.0/8",
)


def subtract(nets, holes):
    """``nets`` minus ``holes`` (IPv4 networks), as sorted collapsed networks."""
    nets = list(ipaddress.collapse_addresses(nets))
    for hole in ipaddress.collapse_addresses(holes):
        nxt = []
        for net in nets:
            if hole.subnet_of(net):
                nxt.extend(net.address_exclude(hole))
            elif not net.subnet_of(hole):
                nxt.append(net)
        nets = nxt
    return sorted(ipaddress.collapse_addresses(nets))


def public_networks(excluded=PRIVATE_RANGES):
    """0.0.0.0/0 minus ``excluded``, as sorted collapsed networks."""
    return subtract([ipaddress.ip_network("0.0.0.0/0")], [ipaddress.ip_network(cidr) for cidr in excluded])


PUBLIC = tuple(public_networks())


def stray_pod():
    """A pod in the namespace that no component policy selects (``kubectl run debug``)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "stray", "namespace": NAMESPACE, "labels": {"run": "debug"}},
        "spec": {"containers": [{"name": "debug", "image": "busybox",
                                 "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]}]},
    }


def pods_of(deployment):
    """The Deployment's pod template turned into Pods."""
    template = deployment["spec"]["template"]
    pods = []
    for index in range(PODS_PER_DEPLOYMENT):
        pods.append({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "%s-%d" % (deployment["metadata"]["name"], index),
                "namespace": deployment["metadata"]["namespace"],
                "labels": copy.deepcopy(template["metadata"].get("labels") or {}),
            },
            "spec": copy.deepcopy(template["spec"]),
        })
    return pods


def write_inputs(objects, folder):
    """Write nca's inputs: ``policies/`` (the rendered NetworkPolicies) and ``resources/``
    (namespaces and pods). Returns ``(policies_dir, resources_dir)``."""
    folder = Path(folder)
    policies_dir = folder / "policies"
    resources_dir = folder / "resources"
    policies_dir.mkdir(parents=True, exist_ok=True)
    resources_dir.mkdir(parents=True, exist_ok=True)
    policies = [obj for obj in objects if obj["kind"] == "NetworkPolicy"]
    assert policies, "no NetworkPolicy rendered"
    for obj in policies:
        (policies_dir / ("%s.yaml" % obj["metadata"]["name"])).write_text(yaml.safe_dump(obj, sort_keys=False))
    resources = [obj for obj in objects if obj["kind"] == "Namespace"]
    assert [ns["metadata"]["name"] for ns in resources] == [NAMESPACE]
    resources += [pod for obj in objects if obj["kind"] == "Deployment" for pod in pods_of(obj)]
    resources.append(stray_pod())
    resources += [doc for path in sorted(CLUSTER.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]
    (resources_dir / "cluster.yaml").write_text(yaml.safe_dump_all(resources, sort_keys=False))
    return policies_dir, resources_dir


def run_nca(policies_dir, resources_dir, out_file):
    """``nca --connectivity`` in a subprocess; return its connectivity lines."""
    # nca pins an older PyYAML than the kubernetes client needs: it has a venv of its own
    # (the Makefile's NCA_VENV), named by NCA_PYTHON; this interpreter otherwise.
    cmd = [os.environ.get("NCA_PYTHON", sys.executable), "-m", "nca", "--connectivity", str(policies_dir), "--resource_list", str(resources_dir),
           "--output_format", "txt_no_fw_rules", "--file_out", str(out_file)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    output = Path(out_file).read_text() if Path(out_file).exists() else ""
    if result.returncode != 0 or not output.strip():
        raise AssertionError("nca failed (rc %d):\n%s\n%s\n%s" % (
            result.returncode, " ".join(cmd), result.stdout[-4000:], result.stderr[-4000:]))
    problems = [line for line in result.stderr.splitlines() + result.stdout.splitlines()
                if re.search(r"\berror\b", line, re.I)]
    if problems:
        raise AssertionError("nca reported errors:\n%s" % "\n".join(problems))
    return [line for line in output.splitlines() if " => " in line]


_LINE = re.compile(r"^(?P<src>\S+) => (?P<dst>\S+) : (?P<conn>.+)$")
_POD = re.compile(r"^(?P<ns>[^/\s]+)/(?P<name>[^\[\s]+)\[[^\]]+\]$")
_DIM = re.compile(r"(\w+):((?:(?!,\w+:).)*)")


def parse_peer(text):
    """``("pod", name)`` or ``("ip", [networks])``."""
    match = _POD.match(text)
    if match:
        ns, name = match.group("ns"), match.group("name")
        if ns == NAMESPACE:
            return "pod", re.sub(r"-\d+$", "", name)
        return "pod", "%s/%s" % (ns, name)
    nets = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, last = (ipaddress.ip_address(x) for x in part.split("-"))
            nets.extend(ipaddress.summarize_address_range(first, last))
        else:
            nets.append(ipaddress.ip_network(part, strict=False))
    return "ip", nets


def parse_connections(text):
    """nca's connection text -> {(protocol, ports)}."""
    text = text.strip()
    if text == "All connections":
        return {("*", "*")}
    if not (text.startswith("{") and text.endswith("}")):
        raise AssertionError("cannot read nca connections %r" % text)
    atoms = set()
    for cube in text[1:-1].split("},{"):
        dims = dict((key, value.strip()) for key, value in _DIM.findall(cube))
        unknown = set(dims) - {"protocols", "dst_ports"}
        if unknown:
            raise AssertionError("unexpected connection dimensions %s in %r" % (sorted(unknown), text))
        protocols = [p.strip() for p in dims["protocols"].split(",")] if "protocols" in dims else ["*"]
        ports = [p.strip() for p in dims["dst_ports"].split(",")] if "dst_ports" in dims else ["*"]
        atoms |= {(protocol, port) for protocol in protocols for port in ports}
    return atoms


def name_ips(nets):
    """``public``, ``public+<extra>-<missing>`` or ``ip:<cidr>,...``, whichever is shortest."""
    nets = tuple(sorted(ipaddress.collapse_addresses(nets)))
    if nets == PUBLIC:
        return "public"
    plain = "ip:" + ",".join(str(net) for net in nets)
    extra, missing = subtract(nets, PUBLIC), subtract(PUBLIC, nets)
    relative = "public" + "".join("+%s" % net for net in extra) + "".join("-%s" % net for net in missing)
    return relative if len(relative) < len(plain) else plain


def facts(lines, ours):
    """Connectivity lines -> {(src, dst, protocol, ports)} with a pod of ``ours`` at one end."""
    out = set()
    ip_dst = defaultdict(list)  # (src, protocol, ports) -> networks
    ip_src = defaultdict(list)  # (dst, protocol, ports) -> networks
    for line in lines:
        match = _LINE.match(line.strip())
        if not match:
            raise AssertionError("cannot read nca line %r" % line)
        src, dst = parse_peer(match.group("src")), parse_peer(match.group("dst"))
        if not any(peer[0] == "pod" and peer[1] in ours for peer in (src, dst)):
            continue
        for protocol, ports in parse_connections(match.group("conn")):
            if src[0] == "ip":
                ip_src[(dst[1], protocol, ports)].extend(src[1])
            elif dst[0] == "ip":
                ip_dst[(src[1], protocol, ports)].extend(dst[1])
            else:
                out.add((src[1], dst[1], protocol, ports))
    for (src, protocol, ports), nets in ip_dst.items():
        out.add((src, name_ips(nets), protocol, ports))
    for (dst, protocol, ports), nets in ip_src.items():
        out.add((name_ips(nets), dst, protocol, ports))
    return out


def reachable_networks(lines, src):
    """Every IP network ``src`` may send anything to."""
    nets = []
    for line in lines:
        match = _LINE.match(line.strip())
        peer_src, peer_dst = parse_peer(match.group("src")), parse_peer(match.group("dst"))
        if peer_src == ("pod", src) and peer_dst[0] == "ip":
            nets.extend(peer_dst[1])
    return list(ipaddress.collapse_addresses(nets))


def analyse(objects, folder):
    """Run nca on ``objects`` in ``folder``; return ``(facts, lines, components)``."""
    policies_dir, resources_dir = write_inputs(objects, folder)
    lines = run_nca(policies_dir, resources_dir, Path(folder) / "connectivity.txt")
    ours = {obj["metadata"]["name"] for obj in objects if obj["kind"] == "Deployment"} | {"stray"}
    return facts(lines, ours), lines, ours
