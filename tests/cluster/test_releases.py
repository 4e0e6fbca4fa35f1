"""Two releases in one playbook, applied: each namespace holds exactly its own release.

tests/playbooks/two_releases.yml imports the site twice: release a in namespace sb-a (router HPA
on) and release b in sb-b. The vault values are overridden by !unsafe values full of template
syntax, which must reach both releases' Secrets literally and run nothing. Each release gets its
own checksum key; the annotations are HMACs under it; a second run changes nothing. Both
releases are uninstalled with their data at the end (the local cluster has three PVs) and the dev
release in namespace split-brain is left exactly as it was.
"""

import base64
import hashlib
import hmac
import json
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

from clusterlib import LOCAL_VARS, NAMESPACE, ROOT, ansible_env, recap
from test_status_playbook import debug_msg

PLAYBOOK = "tests/playbooks/two_releases.yml"
RELEASES = {"a": "sb-a", "b": "sb-b"}
KINDS = "deployments,services,configmaps,secrets,serviceaccounts,networkpolicies,poddisruptionbudgets,horizontalpodautoscalers,persistentvolumeclaims"
MANAGED = "app.kubernetes.io/managed-by=split_brain.deploy"


def run(*args, playbook=PLAYBOOK, check=True):
    cmd = ["ansible-playbook", playbook, "-i", "inventories/dev", "-e", LOCAL_VARS, *args]
    result = subprocess.run(cmd, cwd=ROOT, env=ansible_env(), capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("%s failed:\n%s\n%s" % (" ".join(cmd), result.stdout[-8000:], result.stderr[-3000:]))
    return result


def kubectl(*args, check=True):
    result = subprocess.run(["kubectl", *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s: %s" % (" ".join(args), result.stderr))
    return result


def objects(namespace, selector=MANAGED):
    """``{"Kind/name": object}`` of the collection's objects in ``namespace``."""
    items = yaml.safe_load(kubectl("-n", namespace, "get", KINDS, "-l", selector, "-o", "yaml").stdout)["items"]
    return {"%s/%s" % (item["kind"], item["metadata"]["name"]): item for item in items}


def versions(namespace):
    return {key: obj["metadata"]["resourceVersion"] for key, obj in objects(namespace).items()}


def available_pvs():
    pvs = yaml.safe_load(kubectl("get", "pv", "-o", "yaml").stdout)["items"]
    return [pv["metadata"]["name"] for pv in pvs
            if pv["spec"].get("storageClassName") == "split-brain-test" and pv["status"]["phase"] == "Available"]


def recycle_pvs():
    subprocess.run([str(ROOT / "scripts" / "cluster" / "recycle-pvs.sh")], cwd=ROOT, capture_output=True, check=True)


def uninstall(instance, namespace):
    return run("-e", "split_brain_namespace=%s" % namespace, "-e", "split_brain_instance=%s" % instance,
               "-e", "split_brain_delete_data=true", playbook="playbooks/uninstall.yml", check=False)


@pytest.fixture
def hostile_vault(tmp_path):
    marker = Path("/tmp/split-brain-pwned-%s" % uuid.uuid4().hex)
    values = {"vault_router_anthropic_api_key": "sk-{{ lookup('pipe','touch %s') }}" % marker,
              "vault_cloudflared_tunnel_token": "tok{#en{% if x %}'\"\\ end: {{"}
    path = tmp_path / "vault.yml"
    path.write_text("".join("%s: !unsafe '%s'\n" % (name, value.replace("'", "''")) for name, value in values.items()))
    yield "@%s" % path, values, marker
    if marker.exists():
        marker.unlink()


def expected_checksum(key, secret_data):
    """What deployment.yaml.j2 writes: HMAC-SHA256 of the to_json of the pod's Secrets' data."""
    return hmac.new(key.encode(), json.dumps(secret_data).encode(), hashlib.sha256).hexdigest()


def test_two_releases_in_one_playbook_hold_exactly_their_own_objects(hostile_vault, tmp_path):
    vault_vars, values, marker = hostile_vault
    dev_before = versions(NAMESPACE)
    assert "Deployment/router" in dev_before, "the dev release is not deployed"
    if len(available_pvs()) < 2:
        recycle_pvs()
    assert len(available_pvs()) >= 2, "two releases need two Available PVs of split-brain-test"
    try:
        # What each release renders (render mode of the same playbook), to compare with the cluster.
        run("-e", vault_vars, "-e", "two_releases_render_root=%s" % tmp_path)
        rendered = {instance: set(open(tmp_path / instance / ".split-brain-render").read().split("\n")[1:]) - {""}
                    for instance in RELEASES}

        preview = run("--check", "-e", vault_vars)  # a first install in check mode: no key Secret yet, no failure
        assert "Namespace sb-a does not exist yet" in preview.stdout and "Secret/a-checksum-key" in preview.stdout
        assert kubectl("get", "namespace", "sb-a", check=False).returncode != 0

        first = run("-e", vault_vars)
        assert recap(first.stdout)["changed"] >= 1
        second = run("-e", vault_vars)
        assert recap(second.stdout)["changed"] == 0, second.stdout[-4000:]
        assert not marker.exists(), "a command in a secret value ran"

        for instance, namespace in RELEASES.items():
            found = objects(namespace)
            # Exactly its own objects (the files its render wrote, name for name) and its key.
            own = {"%s/%s" % (obj["kind"], obj["metadata"]["name"]) for obj in
                   (yaml.safe_load(open(tmp_path / instance / name)) for name in rendered[instance])
                   if obj["kind"] != "Namespace"}
            assert set(found) == own | {"Secret/%s-checksum-key" % instance}, (namespace, set(found) ^ own)
            assert {obj["metadata"]["labels"]["app.kubernetes.io/instance"] for obj in found.values()} == {instance}
            # The !unsafe values reached the Secrets literally.
            assert base64.b64decode(found["Secret/anthropic-api-key"]["data"]["ANTHROPIC_API_KEY"]).decode() \
                == values["vault_router_anthropic_api_key"]
            assert base64.b64decode(found["Secret/cloudflared-credentials"]["data"]["TUNNEL_TOKEN"]).decode() \
                == values["vault_cloudflared_tunnel_token"]
            # The pods' secret checksum is an HMAC under the release's own key.
            key = base64.b64decode(found["Secret/%s-checksum-key" % instance]["data"]["key"]).decode()
            assert len(key) == 64
            router = found["Deployment/router"]["spec"]["template"]["metadata"]["annotations"]
            assert router["split-brain.io/secret-checksum"] == expected_checksum(
                key, [{"ANTHROPIC_API_KEY": values["vault_router_anthropic_api_key"]}])
            assert router["split-brain.io/secret-checksum"] != hashlib.sha256(
                json.dumps([{"ANTHROPIC_API_KEY": values["vault_router_anthropic_api_key"]}]).encode()).hexdigest()
        assert "HorizontalPodAutoscaler/router" in objects("sb-a")
        assert "HorizontalPodAutoscaler/router" not in objects("sb-b")
        keys = [objects(ns)["Secret/%s-checksum-key" % i]["data"]["key"] for i, ns in RELEASES.items()]
        assert keys[0] != keys[1], "two releases share a checksum key"

        # Uninstall removes the key with the release.
        removed = uninstall("a", "sb-a")
        assert removed.returncode == 0, removed.stdout[-4000:]
        assert "Secret/a-checksum-key" in debug_msg(removed.stdout, "Say what was removed and what was kept")["removed"]
    finally:
        for instance, namespace in RELEASES.items():
            uninstall(instance, namespace)
        recycle_pvs()
        assert not marker.exists()
    assert kubectl("get", "namespace", "sb-a", "sb-b", check=False).stdout.strip() == ""
    assert versions(NAMESPACE) == dev_before, "the dev release changed"
