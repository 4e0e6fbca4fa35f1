# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What the objects of the four components (router, classifier, ui, cloudflared) share.

Each component role writes its own objects (roles/<component>/templates/<kind>.yaml.j2) from its
own variables; the pieces that are the same for every component are these functions, which the
templates call as filters (plugins/filter/workload.py, each documented in
plugins/filter/<name>.yml). They return plain data (dicts, lists, typed scalars) that the
templates write with the ``to_json`` filter: no value is ever spliced into YAML text.
"""

from __future__ import annotations

import hashlib
import json

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import (
    config_data,
    labels,
    public_egress,
    secret_checksum,
    url_egress,
)
from ansible_collections.split_brain.deploy.plugins.plugin_utils.resources import default_resources, merge_resources

# Label of the pods that mount the shared volume; ReadWriteOnce co-location selects on it.
DATA_LABEL = "split-brain.io/data-volume"
# How a component mounts the shared volume: read-write, read-only, or "" (not at all).
DATA_MODES = ("rw", "ro", "")
CONFIG_CHECKSUM = "split-brain.io/config-checksum"
SECRET_CHECKSUM = "split-brain.io/secret-checksum"
# The secret-checksum annotation when the Secrets are managed out of band (nothing to checksum).
EXTERNAL = "external"


def _data_mode(data_volume):
    mode = data_volume or ""
    if mode not in DATA_MODES:
        raise ValueError("data_volume must be rw, ro or empty, not %r" % (data_volume,))
    return mode


def selector(component, instance):
    """matchLabels that select the pods of ``component`` in the release ``instance``."""
    return {"app.kubernetes.io/instance": str(instance), "app.kubernetes.io/name": str(component)}


def pod_labels(component, common_labels, data_volume=""):
    """Labels of the pods of ``component``: its object labels, plus the shared-volume label when it
    mounts the volume (``data_volume`` ``rw`` or ``ro``)."""
    out = labels(component, common_labels)
    if _data_mode(data_volume):
        out[DATA_LABEL] = "true"
    return out


def pod_security_context(run_as_user, run_as_group, fs_group):
    """The pod securityContext of every component: non-root with the given IDs, RuntimeDefault seccomp."""
    return {
        "runAsNonRoot": True,
        "runAsUser": int(run_as_user),
        "runAsGroup": int(run_as_group),
        "fsGroup": int(fs_group),
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container_security_context(read_only_root_filesystem):
    """The container securityContext of every component (Pod Security Standard ``restricted``):
    no privilege escalation, no capability, the root filesystem read-only unless told otherwise."""
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": bool(read_only_root_filesystem),
        "capabilities": {"drop": ["ALL"]},
    }


def container_resources(resources, component):
    """The container's ``resources`` of ``component``: ``resources`` (its ``*_resources``) merged
    into the role's default, so that a partial dict (``{limits: {memory: 2Gi}}``) keeps every
    other request and limit (a quantity given as null keeps its default)."""
    return merge_resources(resources, default_resources(component))


def http_probe(path, timings):
    """An httpGet probe of ``path`` on the container's port named ``http``, with the shared timings
    (``initial_delay_seconds``, ``period_seconds``, ``timeout_seconds``, ``failure_threshold``)."""
    return {
        "httpGet": {"path": str(path), "port": "http"},
        "initialDelaySeconds": int(timings["initial_delay_seconds"]),
        "periodSeconds": int(timings["period_seconds"]),
        "timeoutSeconds": int(timings["timeout_seconds"]),
        "failureThreshold": int(timings["failure_threshold"]),
    }


def pod_volumes(data_volume, mount_path, claim_name, tmp_size_limit):
    """``{"mounts": [...], "volumes": [...]}``: the container's volumeMounts and the pod's volumes.

    Every pod has a ``/tmp`` emptyDir of ``tmp_size_limit`` (the root filesystem is read-only);
    a component that mounts the shared volume (``data_volume`` ``rw`` or ``ro``) also has the
    claim ``claim_name`` at ``mount_path``.
    """
    mode = _data_mode(data_volume)
    mounts = [{"name": "tmp", "mountPath": "/tmp"}]
    volumes = [{"name": "tmp", "emptyDir": {"sizeLimit": str(tmp_size_limit)}}]
    if mode:
        mounts.append({"name": "data", "mountPath": str(mount_path), "readOnly": mode == "ro"})
        claim = {"claimName": str(claim_name)}
        if mode == "ro":
            claim["readOnly"] = True
        volumes.append({"name": "data", "persistentVolumeClaim": claim})
    return {"mounts": mounts, "volumes": volumes}


def pod_placement(component, instance, data_volume, access_mode, most_replicas):
    """The pod spec's placement fields of ``component``, to write as they are (none may be empty):

    - ``affinity``: a pod that mounts a ReadWriteOnce volume must run on the node of every other
      pod that mounts it;
    - ``topologySpreadConstraints``: otherwise, more than one pod (``most_replicas``, the most an
      HPA may run included) are spread softly across nodes.
    """
    if _data_mode(data_volume) and access_mode == "ReadWriteOnce":
        return {"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
            "labelSelector": {"matchLabels": {"app.kubernetes.io/instance": str(instance), DATA_LABEL: "true"}},
            "topologyKey": "kubernetes.io/hostname",
        }]}}}
    if int(most_replicas) > 1:
        return {"topologySpreadConstraints": [{
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": selector(component, instance)},
            "matchLabelKeys": ["pod-template-hash"],
        }]}
    return {}


def secret_env(secrets):
    """The container's ``env`` entries that read Secrets: ``secrets`` maps a Secret's name to
    ``{environment variable: key of the Secret}``."""
    return [
        {"name": str(env_name), "valueFrom": {"secretKeyRef": {"name": str(name), "key": str(key)}}}
        for name, env in (secrets or {}).items()
        for env_name, key in (env or {}).items()
    ]


def checksum_annotations(objects, key="", secrets_create=True):
    """The pod-template annotations that roll the pods when what they read changes, from the
    ``objects`` the component renders besides its Deployment:

    - ``split-brain.io/config-checksum``: SHA-256 of its ConfigMap's data (of ``{}`` without one);
    - ``split-brain.io/secret-checksum``: the HMAC (``secret_checksum``, under ``key``) of its
      Secrets' data, so that a reader of the Deployment cannot test a guessed secret; ``external``
      when the Secrets are managed out of band (``secrets_create`` false).
    """
    config = {}
    secrets = []
    for obj in objects or []:
        if obj.get("kind") == "ConfigMap":
            config = obj.get("data") or {}
        elif obj.get("kind") == "Secret":
            secrets.append(config_data(obj.get("stringData")))
    return {
        CONFIG_CHECKSUM: hashlib.sha256(json.dumps(config_data(config)).encode("utf-8")).hexdigest(),
        SECRET_CHECKSUM: secret_checksum(json.dumps(secrets), key) if secrets_create else EXTERNAL,
    }


def extra_annotations(objects, annotations):
    """``objects`` with ``annotations`` (the operator's split_brain_extra_annotations) added to
    each one's metadata.annotations; an annotation an object already has is kept as it is."""
    if not annotations:
        return list(objects)
    out = []
    for obj in objects:
        obj = dict(obj)
        metadata = dict(obj.get("metadata") or {})
        metadata["annotations"] = dict({str(k): str(v) for k, v in annotations.items()}, **(metadata.get("annotations") or {}))
        obj["metadata"] = metadata
        out.append(obj)
    return out


def network_policy_spec(component, instance, port, excluded_cidrs, ingress_from=(), egress_to=(),
                        egress_urls=(), egress_public=()):
    """The NetworkPolicy spec of ``component``: what its pods may receive and reach (the namespace's
    default-deny closes everything else).

    - ``ingress_from``: components whose pods may connect to it on ``port``;
    - ``egress_to``: components it connects to on ``port``;
    - ``egress_urls``: http(s) URLs it connects to (``url_egress``), each a URL or a dict with
      ``url`` and ``target_port`` (the pods' port of an in-cluster Service; 0: the URL's);
    - ``egress_public``: ports it reaches on the public internet, minus ``excluded_cidrs``
      (``public_egress``).

    An empty rule list is left out: with its policy type listed it denies all, and an applied
    ``[]`` would differ from what the API server stores.
    """
    spec = {"podSelector": {"matchLabels": selector(component, instance)}, "policyTypes": ["Ingress", "Egress"]}
    http = [{"port": int(port), "protocol": "TCP"}]
    if ingress_from:
        spec["ingress"] = [{"from": [{"podSelector": {"matchLabels": selector(peer, instance)}} for peer in ingress_from],
                            "ports": http}]
    rules = [{"to": [{"podSelector": {"matchLabels": selector(peer, instance)}}], "ports": http} for peer in egress_to or ()]
    rules += [url_egress(url["url"], excluded_cidrs, url.get("target_port") or 0) if isinstance(url, dict)
              else url_egress(url, excluded_cidrs) for url in egress_urls or ()]
    if egress_public:
        rules.append(public_egress(egress_public, excluded_cidrs))
    unique = []
    for rule in rules:
        if rule not in unique:
            unique.append(rule)
    if unique:
        spec["egress"] = unique
    return spec
