# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Pure functions from inventory values to Kubernetes fields (controller side, no I/O; only
``api_failure`` reads the kubeconfig, to name the server of a failed apply)."""

from __future__ import annotations

import ast
import hashlib
import hmac
import ipaddress
import json
import re
from urllib.parse import urlsplit

import yaml
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.split_brain.deploy.plugins.module_utils.api_errors import api_server, describe_api_error

# libyaml's safe loader when PyYAML was built with it: parsing the rendered objects (and the roles'
# argument specs, plugins/action/validate.py) is then ~10x faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_DEFAULT_PORTS = {"http": 80, "https": 443}


# Characters that JSON leaves as they are but a YAML reader would not read back as themselves:
# what YAML does not allow in a stream (C1 controls, DEL, U+FFFE/U+FFFF), and the line breaks of
# YAML 1.1 beyond \n and \r (NEL, LINE and PARAGRAPH SEPARATOR), which it folds into spaces.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def to_json(value):
    """``value`` as JSON that a YAML parser reads back as exactly ``value``: what the templates
    put into an object, so that a value is a typed scalar (or a list, a dict), never YAML text.

    Unlike ``ansible.builtin.to_json`` it keeps characters beyond the Basic Multilingual Plane
    as they are (YAML parsers do not join the surrogate pairs JSON escapes them as) and escapes
    the characters YAML would read differently. A lone surrogate is no text: ValueError.
    """
    text = json.dumps(value, ensure_ascii=False)
    if _SURROGATE.search(text):
        raise ValueError("to_json: a value holds a lone surrogate (not valid Unicode text)")
    return _YAML_UNSAFE.sub(lambda match: "\\u%04x" % ord(match.group()), text)


def int_or_string(value):
    """An IntOrString field (maxSurge): an int, or a string of digits, as an int; else the string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    text = str(value)
    return int(text) if re.fullmatch(r"[0-9]+", text) else text


def config_data(values):
    """Return a ConfigMap/Secret data dict: every value a string.

    Booleans become ``true``/``false``, lists are joined by commas, ``None`` becomes ``""``.
    """
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ValueError("config_data expects a dict, got %s" % type(values).__name__)
    out = {}
    for key, value in values.items():
        if isinstance(value, bool):
            out[str(key)] = "true" if value else "false"
        elif value is None:
            out[str(key)] = ""
        elif isinstance(value, (list, tuple)):
            out[str(key)] = ",".join(str(item) for item in value)
        else:
            out[str(key)] = str(value)
    return out


def labels(component, common_labels):
    """Labels of one object of ``component``: the common set plus name and component. An integer
    value (``split_brain_extra_labels: {cost-center: 1234}``) becomes its decimal text, as a label
    value is text."""
    out = dict((key, str(value) if isinstance(value, int) and not isinstance(value, bool) else value)
               for key, value in (common_labels or {}).items())
    out["app.kubernetes.io/name"] = str(component)
    out["app.kubernetes.io/component"] = str(component)
    return out


def image_ref(image):
    """Return ``repository@digest`` when a digest is set, else ``repository:tag``."""
    repository = image.get("repository") or ""
    if not repository:
        raise ValueError("image_ref needs a repository")
    digest = image.get("digest") or ""
    if digest:
        return "%s@%s" % (repository, digest)
    return "%s:%s" % (repository, image.get("tag") or "latest")


def name_refs(names):
    """Return ``[{"name": n}, ...]`` (imagePullSecrets)."""
    return [{"name": str(name)} for name in names or []]


def _public_peer(excluded_cidrs):
    return {"ipBlock": {"cidr": "0.0.0.0/0", "except": list(excluded_cidrs or [])}}


def public_egress(ports, excluded_cidrs):
    """Egress rule to the public internet (0.0.0.0/0 minus ``excluded_cidrs``) on ``ports``.

    ``ports`` is a list of ``{"port": N, "protocol": "TCP"|"UDP"}`` dicts (protocol defaults to TCP).
    """
    return {
        "to": [_public_peer(excluded_cidrs)],
        "ports": [
            {"port": int(p["port"]), "protocol": p.get("protocol", "TCP")} for p in ports
        ],
    }


def parse_url(url):
    """Split an http(s) URL into ``(scheme, host, port)``; raise ValueError if malformed."""
    parts = urlsplit(str(url))
    if parts.scheme not in _DEFAULT_PORTS:
        raise ValueError("%r is not an http:// or https:// URL" % url)
    if not parts.hostname:
        raise ValueError("%r has no host" % url)
    try:
        port = parts.port
    except ValueError:
        raise ValueError("%r has an invalid port" % url) from None
    return parts.scheme, parts.hostname, port or _DEFAULT_PORTS[parts.scheme]


def in_cluster_host(host):
    """Whether ``host`` names an in-cluster Service: ``<service>.<namespace>.svc[.cluster.local]``."""
    labels = str(host).split(".")
    return len(labels) >= 3 and labels[2] == "svc"


def two_label_host(host):
    """Whether ``host`` is of two labels (``scalarlm.ml``): a public host, or the Service ``scalarlm``
    of the namespace ``ml``, which the pod's search domains resolve."""
    labels = str(host).split(".")
    return len(labels) == 2 and all(labels) and not labels[1].isdigit()


def url_egress(url, excluded_cidrs, target_port=0):
    """Egress rule that lets a pod reach ``url``.

    - an in-cluster service (``name.namespace.svc[.cluster.local]``): pods of that namespace;
    - a host of two labels (``scalarlm.ml``), which is either a public host or the Service
      ``scalarlm`` of the namespace ``ml`` (the pod's search domains resolve it): both, the pods of
      that namespace and the public internet minus ``excluded_cidrs``; with ``target_port``, the
      Service only;
    - an IP address: that address (/32);
    - any other host: the public internet minus ``excluded_cidrs``;
    always on one port (TCP) only: ``target_port`` for a Service when given (the port its pods
    listen on, which a NetworkPolicy matches, when the Service maps another one), else the URL's.
    """
    _scheme, host, port = parse_url(url)
    labels = host.split(".")
    two_labels = two_label_host(host)
    if in_cluster_host(host) or (two_labels and target_port):
        peer = {
            "namespaceSelector": {
                "matchLabels": {"kubernetes.io/metadata.name": labels[1]}
            }
        }
        port = int(target_port) if target_port else port
    elif two_labels:
        return {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": labels[1]}}},
                       _public_peer(excluded_cidrs)],
                "ports": [{"port": port, "protocol": "TCP"}]}
    else:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            peer = _public_peer(excluded_cidrs)
        else:
            peer = {"ipBlock": {"cidr": "%s/%d" % (address, address.max_prefixlen)}}
    return {"to": [peer], "ports": [{"port": port, "protocol": "TCP"}]}


REDACTED = "<redacted>"


# The secret-checksum annotation where no key is at hand (render contacts no cluster).
KEYED_AT_APPLY = "<keyed at apply>"


def secret_checksum(text, key=""):
    """HMAC-SHA256 of ``text`` under ``key`` (hex): the pod-template annotation that rolls the pods when a
    Secret they read changes, which a reader of the Deployment cannot test a guessed secret against.
    Without a key, ``<keyed at apply>``."""
    if not key:
        return KEYED_AT_APPLY
    return hmac.new(str(key).encode("utf-8"), str(text).encode("utf-8"), hashlib.sha256).hexdigest()


def manifests(text):
    """The objects of a rendered multi-document YAML string, empty documents left out.

    Plain data, parsed with the safe loader (libyaml's when there): what a template renders is
    never templated again. A template that renders nothing (the template lookup then returns
    None) has no object.
    """
    if text is None:
        return []
    try:
        return [obj for obj in yaml.load_all(str(text), Loader=YAML_LOADER) if obj is not None]
    except yaml.YAMLError as exc:
        # The problem and where, never the text around it (it may hold a Secret value).
        mark = getattr(exc, "problem_mark", None)
        where = " at line %d, column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        raise ValueError("the rendered objects are not valid YAML: %s%s"
                         % (getattr(exc, "problem", None) or type(exc).__name__, where)) from None


def redact(obj, reveal=False):
    """Return ``obj`` with every Secret value replaced by ``<redacted>`` (keys kept)."""
    if reveal or obj.get("kind") != "Secret":
        return obj
    out = dict(obj)
    for field in ("data", "stringData"):
        if field in out and out[field] is not None:
            out[field] = {key: REDACTED for key in out[field]}
    return out


def object_keys(objects):
    """``Kind/name`` of every object (the keep list of prune)."""
    return ["%s/%s" % (obj["kind"], obj["metadata"]["name"]) for obj in objects or []]


def _secret_values(objects):
    """The Secret values of ``objects``: those of Secret objects, and any string (a value itself)."""
    for obj in objects or []:
        if isinstance(obj, str):
            yield obj
        elif isinstance(obj, dict) and obj.get("kind") == "Secret":
            yield from list((obj.get("stringData") or {}).values()) + list((obj.get("data") or {}).values())


def scrub(text, objects):
    """``text`` with every Secret value of ``objects`` (4 characters or more) masked as Ansible masks
    ``no_log`` values (``remove_values``): ``********``, or ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``
    when ``text`` is the value.

    ``objects`` are rendered objects (their Secrets), or, when a failure comes before the objects
    are rendered, the values themselves (strings: a role's secret variables).
    """
    values = {str(value) for value in _secret_values(objects) if value is not None and len(str(value)) >= 4}
    return remove_values(str(text), values)


_API_BODY = re.compile(r"^(?P<head>Failed to \w+ object): (?P<body>b?'.*'|\{.*\})$", re.S)


def api_error(message):
    """The API server's reason in a kubernetes.core failure: ``Failed to apply object: b'{Status}'``
    becomes ``Failed to apply Deployment router: <the Status message> (422 Invalid)``.

    Anything else is returned as it is. Scrub the result of Secret values (``scrub``) before showing it.
    """
    text = str(message)
    match = _API_BODY.match(text.strip())
    if not match:
        return text
    body = match["body"]
    try:
        if body.startswith(("b'", "'")):
            body = ast.literal_eval(body)
        status = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
    except (ValueError, SyntaxError, UnicodeDecodeError):
        return text
    if not isinstance(status, dict) or status.get("kind") != "Status":
        return text
    details = status.get("details") or {}
    what = " ".join(str(part) for part in (details.get("kind"), details.get("name")) if part) or "object"
    code = " ".join(str(part) for part in (status.get("code"), status.get("reason")) if part)
    return "%s %s: %s%s" % (match["head"].rsplit(" ", 1)[0], what, status.get("message") or "no message",
                            " (%s)" % code if code else "")


def api_failure(text, kubeconfig=None, context=None):
    """``text`` (a failure message, such as kubernetes.core.k8s's) as one line naming the API
    server and the likely cause when the server could not be reached or could not answer;
    otherwise ``text`` unchanged. ``kubeconfig``/``context`` are the run's connection options."""
    if describe_api_error(str(text)) is None:
        return text
    return describe_api_error(str(text), api_server({"kubeconfig": kubeconfig or None, "context": context or None}))


def missing_secret_keys(results):
    """From k8s_info results (one per required Secret, ``item`` = ``{name, env}``), one line per
    Secret that is absent or lacks keys. Never returns a value."""
    problems = []
    for result in results or []:
        item = result.get("item") or {}
        name = item.get("name", "?")
        wanted = sorted(set((item.get("env") or {}).values()))
        resources = result.get("resources") or []
        if not resources:
            problems.append("Secret %s does not exist (keys %s)" % (name, ", ".join(wanted)))
            continue
        present = set((resources[0].get("data") or {}).keys())
        lacking = [key for key in wanted if key not in present]
        if lacking:
            problems.append("Secret %s lacks key(s) %s" % (name, ", ".join(lacking)))
    return problems


def secret_refs(objects):
    """``[{"name", "env"}]`` of the Secrets the containers of ``objects`` (Deployments) read through
    ``env`` (``valueFrom.secretKeyRef``), ``env`` mapping each variable to its key; in the order the
    containers name them. What the pods read, never a value."""
    refs = {}
    for obj in objects or []:
        if obj.get("kind") != "Deployment":
            continue
        for container in obj["spec"]["template"]["spec"].get("containers") or []:
            for env in container.get("env") or []:
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    refs.setdefault(ref["name"], {})[env["name"]] = ref["key"]
    return [{"name": name, "env": env} for name, env in refs.items()]
