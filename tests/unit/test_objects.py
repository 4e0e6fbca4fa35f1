"""plugins/module_utils/objects.py: the release's objects, listed by label and deleted."""

from types import SimpleNamespace

from ansible_collections.split_brain.deploy.plugins.module_utils import objects as o


def test_release_selector():
    assert o.release_selector("split-brain") == (
        "app.kubernetes.io/managed-by=split_brain.deploy,app.kubernetes.io/instance=split-brain")
    assert o.release_selector("sb", ["ui", "router"]).endswith(",app.kubernetes.io/component in (router,ui)")
    assert o.release_selector("sb", []) == o.release_selector("sb")


def item(name, component=None):
    labels = {"app.kubernetes.io/component": component} if component else None
    return SimpleNamespace(metadata=SimpleNamespace(name=name, labels=labels))


class FakeClient:
    def __init__(self, by_kind):
        self.by_kind = by_kind
        self.calls, self.deleted = [], []

    def resource(self, kind, api_version):
        return (api_version, kind)

    def get(self, resource, namespace=None, label_selector=None):
        self.calls.append((resource[1], namespace, label_selector))
        return SimpleNamespace(items=self.by_kind.get(resource[1], []))

    def delete(self, resource, name=None, namespace=None):
        self.deleted.append((resource[1], name, namespace))


def test_list_release_objects_queries_every_kind_with_the_selector():
    client = FakeClient({"Service": [item("router", "router")], "PersistentVolumeClaim": [item("split-brain-data")]})
    found = o.list_release_objects(client, "split-brain", "sb", ["router"], skip_kinds=("Secret",))
    assert found == [("v1", "Service", "router", "router"), ("v1", "PersistentVolumeClaim", "split-brain-data", "")]
    kinds = [call[0] for call in client.calls]
    assert "Secret" not in kinds and len(kinds) == len(o.NAMESPACED_KINDS) - 1
    assert all(call[1:] == ("split-brain", o.release_selector("sb", ["router"])) for call in client.calls)


def test_delete_objects_returns_their_keys():
    client = FakeClient({})
    keys = o.delete_objects(client, "ns", [("policy/v1", "PodDisruptionBudget", "ui", "ui")])
    assert keys == ["PodDisruptionBudget/ui"] and client.deleted == [("PodDisruptionBudget", "ui", "ns")]
