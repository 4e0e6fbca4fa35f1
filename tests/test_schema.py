"""Every rendered object of dev and prod is valid against the Kubernetes OpenAPI schema.

Strict mode: unknown fields (a typo such as ``readOnlyRootFileSystem``) fail, as do values of the
wrong type (an unquoted number in a ConfigMap, a bool label). Secret values are ``<redacted>``
strings in the render, which the schema accepts.
"""

import kubernetes_validate
import pytest
from kubernetes_validate.utils import all_versions, major_minor

# The Kubernetes version the objects are checked against: the newest one kubernetes-validate 1.37
# ships (1.37). The spec sets no minimum, the collection targets current clusters (>= 1.30).
KUBERNETES_VERSION = "1.37.0"

ENVIRONMENTS = ("dev", "prod")


def _name(obj):
    return "%s/%s" % (obj["kind"], obj["metadata"]["name"])


def test_pinned_version_is_shipped():
    """The pin is real: kubernetes-validate has exactly this schema (no silent fallback to an older one)."""
    assert major_minor(KUBERNETES_VERSION) in {major_minor(v) for v in all_versions()}
    assert tuple(int(part) for part in KUBERNETES_VERSION.split(".")[:2]) >= (1, 30)


def test_strict_mode_rejects_unknown_fields():
    """Guards the other tests against a validator that accepts anything."""
    bad = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "x", "nmae": "typo"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_object_is_valid(rendered, env):
    objects = rendered[env]
    assert objects, "%s rendered no object" % env
    errors = []
    for obj in objects:
        try:
            version = kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(item) for item in exc.path)
            errors.append("%s: %s: %s" % (_name(obj), path or "<root>", exc.message))
        except kubernetes_validate.SchemaNotFoundError as exc:
            errors.append("%s: %s" % (_name(obj), exc.message))
        else:
            assert version == major_minor(KUBERNETES_VERSION), "%s validated against %s" % (_name(obj), version)
    assert not errors, "%s: invalid objects against Kubernetes %s (strict):\n%s" % (
        env, KUBERNETES_VERSION, "\n".join(errors))


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_object_is_namespaced_or_the_namespace(rendered, env):
    """Everything lives in split-brain; only the Namespace itself is cluster-scoped."""
    for obj in rendered[env]:
        if obj["kind"] == "Namespace":
            assert "namespace" not in obj["metadata"], _name(obj)
        else:
            assert obj["metadata"].get("namespace") == "split-brain", _name(obj)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_duplicate_objects(rendered, env):
    keys = [(obj["apiVersion"], obj["kind"], obj["metadata"]["name"]) for obj in rendered[env]]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
