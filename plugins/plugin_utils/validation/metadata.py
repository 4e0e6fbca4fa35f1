# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The operator's labels and annotations on every object (split_brain_extra_labels,
split_brain_extra_annotations): keys of their own, never one the collection sets.

The collection's own keys are those its filters set (workload.py: the labels, the pod labels, the
selectors and the checksum annotations) and the common labels of roles/split_brain/vars/main.yml;
a key under one of their prefixes (``app.kubernetes.io/``, ``split-brain.io/``) is refused, since
prune and the selectors rely on them. The syntax of label keys and values is the ``labels`` format
(formats.py, declared in roles/split_brain/meta/constraints.yml).
"""

from __future__ import annotations

import re

from ansible_collections.split_brain.deploy.plugins.plugin_utils import workload

LABELS = "split_brain_extra_labels"
ANNOTATIONS = "split_brain_extra_annotations"
# What the roles' vars add to every object (roles/split_brain/vars/main.yml).
COMMON_LABEL_KEYS = ("app.kubernetes.io/part-of", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
                     "app.kubernetes.io/version")
_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
_SUBDOMAIN = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
# Kubernetes refuses an object whose annotations total more than 256 KiB.
ANNOTATIONS_MAX = 256 * 1024


def collection_keys():
    """Every label and annotation key the collection sets on an object or a pod."""
    keys = set(COMMON_LABEL_KEYS)
    keys.update(workload.pod_labels("component", {}, "rw"))
    keys.update(workload.selector("component", "instance"))
    keys.update((workload.CONFIG_CHECKSUM, workload.SECRET_CHECKSUM))
    return keys


def reserved_prefixes():
    """The prefixes of the collection's keys (``app.kubernetes.io/``, ``split-brain.io/``)."""
    return tuple(sorted({key.rpartition("/")[0] + "/" for key in collection_keys() if "/" in key}))


def _key_problem(key):
    prefix, _slash, name = key.rpartition("/")
    if (prefix and not _SUBDOMAIN.match(prefix)) or not _NAME.match(name):
        return "is not a key (an optional DNS subdomain and /, then a name of at most 63 letters, digits, - _ .)"
    return None


def annotations_size(annotations):
    """Bytes of ``annotations`` as the API server counts them: keys and values in UTF-8 (``é`` is 2)."""
    return sum(len(str(key).encode("utf-8", "surrogatepass")) + len(str(value).encode("utf-8", "surrogatepass"))
               for key, value in annotations.items())


def extra_metadata_problems(values):
    """Reserved or malformed keys of split_brain_extra_labels and split_brain_extra_annotations."""
    problems = []
    prefixes = reserved_prefixes()
    for name, kind in ((LABELS, "label"), (ANNOTATIONS, "annotation")):
        extra = values.get(name)
        if not isinstance(extra, dict):
            continue
        for key in extra:
            key = str(key)
            if key in collection_keys() or key.startswith(prefixes):
                problems.append("%s.%s: is one of the collection's own %s keys (it keeps %s for prune and the selectors);"
                                " choose a key of your own, such as example.com/team" % (name, key, kind, ", ".join(
                                    p + "*" for p in prefixes)))
            elif kind == "annotation":
                reason = _key_problem(key)
                if reason:
                    problems.append("%s: %r %s" % (name, key, reason))
        if kind == "annotation" and annotations_size(extra) > ANNOTATIONS_MAX:
            problems.append("%s: the annotations total %d bytes in UTF-8, above the 256 KiB (262144 bytes)"
                            " Kubernetes takes" % (name, annotations_size(extra)))
    return problems
