"""plugins/module_utils/fields.py: which fields a forced apply takes back, and the HPA hand-over."""

from ansible_collections.split_brain.deploy.plugins.module_utils import fields as f

OURS = (f.FIELD_MANAGER, f.HANDOVER_MANAGER)


def deployment(replicas=2, image="r:1", managed=(), **spec):
    obj = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "router", "labels": {"app.kubernetes.io/version": "1"}, "managedFields": list(managed)},
           "spec": dict({"template": {"spec": {"containers": [
               {"name": "router", "image": image, "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}}}, **spec)}
    if replicas is not None:
        obj["spec"]["replicas"] = replicas
    return obj


def entry(manager, fields, operation="Update", subresource=None):
    e = {"manager": manager, "operation": operation, "fieldsV1": fields}
    if subresource:
        e["subresource"] = subresource
    return e


IMAGE = {"f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"router"}': {".": {}, "f:image": {}}}}}}}
REPLICAS = {"f:spec": {"f:replicas": {}}}


def test_a_field_another_manager_changed_is_taken_back():
    live = deployment(replicas=3, image="r:hotfix", managed=[entry("kubectl-set", IMAGE), entry("kubectl", REPLICAS, subresource="scale")])
    found = f.taken_back(live, deployment(), OURS)
    assert found == [
        {"manager": "kubectl-set", "object": "Deployment/router", "field": "spec.template.spec.containers[router].image"},
        {"manager": "kubectl", "object": "Deployment/router", "field": "spec.replicas"},
    ]


def test_same_values_fields_we_do_not_set_status_and_the_hpa_replicas_are_not_reported():
    label = {"f:metadata": {"f:labels": {"f:app.kubernetes.io/version": {}, "f:team": {}}}}
    live = deployment(replicas=5, managed=[
        entry("kubectl-set", IMAGE),  # same image as ours
        entry("kubectl-label", label),  # same version label; "team" is not ours
        entry("kube-controller-manager", REPLICAS, subresource="scale"),  # the HPA's
        entry("kube-controller-manager", {"f:status": {"f:replicas": {}}}, subresource="status"),
        entry(f.HANDOVER_MANAGER, REPLICAS, operation="Apply"),
    ])
    live["metadata"]["labels"]["team"] = "a"
    assert f.taken_back(live, deployment(), OURS) == []


def test_list_items_are_matched_by_their_keys_and_numbers_equal_their_strings():
    ports = {"f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"router"}': {
        "f:ports": {'k:{"containerPort":8080,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}}}}}}}}
    live = deployment(managed=[entry("other", ports)])
    assert f.owned_differences(ports, live, deployment()) == []
    assert f.owned_differences({"f:a": {}}, {"a": 1}, {"a": "1"}) == []
    assert f.owned_differences({"f:a": {}}, {"a": True}, {"a": "true"}) == [("a", True, "true")]


def test_replicas_are_handed_over_only_when_we_own_them_and_stop_setting_them():
    ours = entry(f.FIELD_MANAGER, REPLICAS, operation="Apply")
    live = deployment(replicas=3, managed=[ours])
    assert f.replicas_to_hand_over(live, deployment(replicas=None), f.FIELD_MANAGER) == 3
    assert f.replicas_to_hand_over(live, deployment(replicas=3), f.FIELD_MANAGER) is None  # still ours
    hpa_owned = deployment(replicas=4, managed=[entry("kube-controller-manager", REPLICAS, subresource="scale")])
    assert f.replicas_to_hand_over(hpa_owned, deployment(replicas=None), f.FIELD_MANAGER) is None  # already handed


class Resource:
    def __init__(self, kind):
        self.kind = kind
        self.namespaced = kind != "Namespace"


class FakeClient:
    def __init__(self, dry_run=False):
        self.dry_run, self.applied = dry_run, []
        self.client = self

    def server_side_apply(self, resource, body=None, namespace=None, field_manager=None, **kwargs):
        self.applied.append((resource, body, field_manager, kwargs))


def live_of(*objects):
    """What the release module read: each object by (kind, name), and each kind's resource."""
    live = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    live.update({o["kind"]: Resource(o["kind"]) for o in objects})
    return live


def params(objects):
    return {"namespace": "ns", "objects": objects, "field_manager": f.FIELD_MANAGER, "handover_manager": f.HANDOVER_MANAGER}


def test_field_owners_hands_over_and_reports_lines():
    live = deployment(replicas=3, image="r:hotfix", managed=[
        entry(f.FIELD_MANAGER, REPLICAS, operation="Apply"), entry("kubectl-set", IMAGE)])
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"K": "value"}}
    client = FakeClient()
    result = f.field_owners(client, params([deployment(replicas=None), secret]), live_of(live))
    assert result["changed"] and result["handed_over"] == ["Deployment/router spec.replicas=3"]
    assert result["lines"] == ["Took back from kubectl-set: Deployment/router spec.template.spec.containers[router].image"]
    ((resource, body, manager, extra),) = client.applied
    assert resource.kind == "Deployment" and manager == f.HANDOVER_MANAGER and extra == {}
    assert body == {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "router", "namespace": "ns"},
                    "spec": {"replicas": 3}}


def test_field_owners_in_check_mode_is_a_dry_run_and_says_would():
    live = deployment(replicas=3, image="r:hotfix", managed=[
        entry(f.FIELD_MANAGER, REPLICAS, operation="Apply"), entry("kubectl-set", IMAGE)])
    client = FakeClient(dry_run=True)
    result = f.field_owners(client, params([deployment(replicas=None)]), live_of(live))
    assert client.applied[0][3] == {"dry_run": "All"}
    assert result["lines"][0].startswith("Would take back from kubectl-set: ")


def test_a_first_install_has_nothing_to_compare():
    assert f.field_owners(FakeClient(), params([deployment()]), {}) == {
        "changed": False, "taken_back": [], "lines": [], "handed_over": []}
