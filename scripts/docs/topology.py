"""The topology of a release as a Graphviz graph, from the objects a render wrote.

    python scripts/docs/topology.py RENDER_DIR > docs/topology.dot     # make docs-picture

Reads the YAML files of RENDER_DIR (what ``playbooks/render.yml`` writes) and draws:

- each Deployment (a component's pods), its replicas, and whether it runs a cloudflared tunnel;
- each Service, with an edge to the Deployments whose pods its selector picks;
- each PersistentVolumeClaim, with an edge from every Deployment that mounts it (read-write or
  read-only);
- every flow the NetworkPolicies allow, as Kubernetes decides it: a connection from pod A to pod B
  is allowed when A's egress allows it (or no Egress policy selects A) and B's ingress allows it
  (or no Ingress policy selects B). Peers outside the namespace (a ``namespaceSelector``, an
  ``ipBlock``) become nodes of their own; their side is not ours to restrict. Flow edges carry
  ``class="flow"`` and a label of protocols and ports (``*`` is every port).

The output is deterministic (sorted), so the committed file can be compared with a fresh one.
"""

import ipaddress
import sys
from pathlib import Path

import yaml

ALL = ("*", "*")  # every protocol, every port


def load(folder):
    objects = []
    for path in sorted(Path(folder).glob("*.yaml")):
        objects.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return objects


def matches(selector, labels):
    """A LabelSelector (matchLabels, matchExpressions) against labels; ``{}`` matches everything."""
    selector = selector or {}
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def selector_text(selector):
    selector = selector or {}
    parts = ["%s=%s" % item for item in sorted((selector.get("matchLabels") or {}).items())]
    parts += ["%s %s %s" % (e["key"], e["operator"], ",".join(e.get("values") or [])) for e in selector.get("matchExpressions") or []]
    return ",".join(parts) or "all"


def ports_of(rule):
    """A rule's ports as ``{(protocol, port)}``; no ports is every port of every protocol."""
    if not rule.get("ports"):
        return {ALL}
    out = set()
    for port in rule["ports"]:
        number = str(port["port"]) if "port" in port else "*"
        if port.get("endPort"):
            number = "%s-%s" % (number, port["endPort"])
        out.add((port.get("protocol", "TCP"), number))
    return out


def intersect(a, b):
    """Two sets of ``(protocol, port)``, where ``*`` stands for every protocol or port."""
    out = set()
    for pa in a:
        for pb in b:
            protocol = pa[0] if pb[0] == "*" else pb[0] if pa[0] == "*" else (pa[0] if pa[0] == pb[0] else None)
            port = pa[1] if pb[1] == "*" else pb[1] if pa[1] == "*" else (pa[1] if pa[1] == pb[1] else None)
            if protocol and port:
                out.add((protocol, port))
    return out


def external_id(peer):
    """The node of a peer outside the namespace, or None for a peer of the namespace."""
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        holes = ",".join(block.get("except") or [])
        return "ipBlock %s" % (block["cidr"] + (" except " + holes if holes else ""))
    if "namespaceSelector" in peer:
        return "pods %s in namespaces %s" % (selector_text(peer.get("podSelector")), selector_text(peer["namespaceSelector"]))
    return None


def external_label(peer):
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        net = ipaddress.ip_network(block["cidr"])
        if net.prefixlen == 0:
            return "internet\\n%s except %d private ranges" % (block["cidr"], len(block.get("except") or []))
        return "addresses\\n%s" % block["cidr"]
    ns = peer["namespaceSelector"].get("matchLabels") or {}
    name = ns.get("kubernetes.io/metadata.name")
    where = "namespace %s" % name if name and len(ns) == 1 else "namespaces %s" % selector_text(peer["namespaceSelector"])
    return "pods %s\\n%s" % (selector_text(peer.get("podSelector")), where)


def peer_matches(peer, policy_namespace, namespace, labels, namespace_labels):
    """Whether a policy's peer picks a pod (its namespace, labels and namespace's labels): a
    podSelector alone picks pods of the policy's namespace, a namespaceSelector those of the
    namespaces it picks; an ipBlock picks no pod."""
    if "ipBlock" in peer:
        return False
    if "namespaceSelector" in peer:
        if not matches(peer["namespaceSelector"], namespace_labels):
            return False
    elif namespace != policy_namespace:
        return False
    return matches(peer.get("podSelector"), labels)


def flows(objects):
    """``{(src, dst): {(protocol, port)}}`` between the Deployments' pods and the external peers."""
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    # The API server labels every Namespace with its name.
    namespaces = {o["metadata"]["name"]: dict(o["metadata"].get("labels") or {}, **{"kubernetes.io/metadata.name": o["metadata"]["name"]})
                  for o in objects if o["kind"] == "Namespace"}
    pods = {}
    for obj in objects:
        if obj["kind"] == "Deployment":
            namespace = obj["metadata"].get("namespace")
            pods[obj["metadata"]["name"]] = (namespace, obj["spec"]["template"]["metadata"].get("labels") or {})

    def selecting(name, kind):
        namespace, labels = pods[name]

        def types(policy):
            return policy["spec"].get("policyTypes") or (["Ingress", "Egress"] if "egress" in policy["spec"] else ["Ingress"])
        return [p for p in policies if p["metadata"].get("namespace") == namespace
                and kind in types(p) and matches(p["spec"].get("podSelector"), labels)]

    def allowed(name, kind, other):
        """What ``name``'s policies of ``kind`` allow with ``other`` (a pod name or an external peer)."""
        chosen = selecting(name, kind)
        if not chosen:
            return {ALL}
        out = set()
        for policy in chosen:
            for rule in policy["spec"].get("egress" if kind == "Egress" else "ingress") or []:
                peers = rule.get("to" if kind == "Egress" else "from")
                if peers is None:
                    hit = True
                elif other in pods:
                    namespace, labels = pods[other]
                    hit = any(peer_matches(p, policy["metadata"].get("namespace"), namespace, labels, namespaces.get(namespace, {}))
                              for p in peers)
                else:
                    hit = any(external_id(p) == other for p in peers)
                if hit:
                    out |= ports_of(rule)
        return out

    result = {}
    for src in sorted(pods):
        for dst in sorted(pods):
            if src == dst:
                continue
            allowed_ports = intersect(allowed(src, "Egress", dst), allowed(dst, "Ingress", src))
            if allowed_ports:
                result[(src, dst)] = allowed_ports
    externals = {}
    for policy in policies:
        for kind, key, peers_key in (("Egress", "egress", "to"), ("Ingress", "ingress", "from")):
            for rule in policy["spec"].get(key) or []:
                for peer in rule.get(peers_key) or []:
                    if external_id(peer):
                        externals.setdefault(external_id(peer), peer)
    for ext in sorted(externals):
        for name in sorted(pods):
            out_ports = allowed(name, "Egress", ext) if selecting(name, "Egress") else set()
            if out_ports:
                result[(name, ext)] = out_ports
            in_ports = allowed(name, "Ingress", ext) if selecting(name, "Ingress") else set()
            if in_ports:
                result[(ext, name)] = in_ports
    return result, externals


def quote(text):
    return '"%s"' % text.replace('"', '\\"')


def port_label(ports):
    return ", ".join("%s %s" % pair for pair in sorted(ports, key=lambda p: (p[1], p[0])))


def dot(objects):
    """The DOT text of the objects."""
    deployments = sorted((o for o in objects if o["kind"] == "Deployment"), key=lambda o: o["metadata"]["name"])
    services = sorted((o for o in objects if o["kind"] == "Service"), key=lambda o: o["metadata"]["name"])
    claims = sorted((o for o in objects if o["kind"] == "PersistentVolumeClaim"), key=lambda o: o["metadata"]["name"])
    namespace = next((o["metadata"]["name"] for o in objects if o["kind"] == "Namespace"), "")
    allowed, externals = flows(objects)
    lines = [
        "// Generated by scripts/docs/topology.py from the objects of a render; do not edit.",
        "digraph topology {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.4, ranksep=0.9];',
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        "  subgraph cluster_namespace {",
        '    label=%s; style="rounded,dashed";' % quote("namespace %s" % namespace),
    ]
    for obj in deployments:
        name = obj["metadata"]["name"]
        spec = obj["spec"]["template"]["spec"]
        replicas = obj["spec"].get("replicas")
        args = [a for c in spec.get("containers", []) for a in (c.get("args") or [])]
        kind = "Deployment, tunnel" if "tunnel" in args else "Deployment"
        count = "HPA" if replicas is None else "%s replica%s" % (replicas, "" if replicas == 1 else "s")
        lines.append("    %s [shape=box, style=\"rounded,filled\", fillcolor=\"#dbe9f6\", label=%s];"
                     % (quote(name), quote("%s\\n%s, %s" % (name, kind, count))))
    for obj in services:
        name = obj["metadata"]["name"]
        ports = ", ".join("%s/%s" % (p["port"], p.get("protocol", "TCP")) for p in obj["spec"].get("ports") or [])
        lines.append("    %s [shape=oval, style=filled, fillcolor=\"#eeeeee\", label=%s];"
                     % (quote("service/" + name), quote("Service %s\\n%s" % (name, ports))))
    for obj in claims:
        name = obj["metadata"]["name"]
        size = obj["spec"].get("resources", {}).get("requests", {}).get("storage", "")
        modes = ",".join(obj["spec"].get("accessModes") or [])
        lines.append("    %s [shape=cylinder, style=filled, fillcolor=\"#f6ecd2\", label=%s];"
                     % (quote("pvc/" + name), quote("PVC %s\\n%s %s" % (name, size, modes))))
    lines.append("  }")
    for ext in sorted(externals):
        lines.append("  %s [shape=box, style=\"dashed\", label=%s];" % (quote(ext), quote(external_label(externals[ext]))))
    for obj in services:
        for dep in deployments:
            pod_labels = dep["spec"]["template"]["metadata"].get("labels") or {}
            if obj["spec"].get("selector") and matches({"matchLabels": obj["spec"]["selector"]}, pod_labels):
                lines.append("  %s -> %s [style=dotted, arrowhead=none, class=\"selects\"];"
                             % (quote("service/" + obj["metadata"]["name"]), quote(dep["metadata"]["name"])))
    for dep in deployments:
        spec = dep["spec"]["template"]["spec"]
        volumes = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec.get("volumes") or [] if "persistentVolumeClaim" in v}
        for container in spec.get("containers") or []:
            for mount in container.get("volumeMounts") or []:
                if mount["name"] in volumes:
                    lines.append("  %s -> %s [style=dashed, color=\"#8a6d3b\", label=%s, class=\"mounts\"];"
                                 % (quote(dep["metadata"]["name"]), quote("pvc/" + volumes[mount["name"]]),
                                    quote("ro" if mount.get("readOnly") else "rw")))
    for (src, dst), ports in sorted(allowed.items()):
        lines.append("  %s -> %s [color=\"#c0392b\", fontcolor=\"#c0392b\", label=%s, class=\"flow\"];"
                     % (quote(src), quote(dst), quote(port_label(ports))))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: topology.py RENDER_DIR")
    sys.stdout.write(dot(load(sys.argv[1])))


if __name__ == "__main__":
    main()
