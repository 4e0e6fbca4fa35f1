"""Each role deploys its component alone, from a user's own play outside the repository.

The Galaxy tarball is installed into an empty collections path; an operator's folder holds the dev
inventory and one play per role (`roles: [split_brain.deploy.<role>]`, cloudflared through
`import_role`). Into a namespace of its own (release `alone`), the roles run one after another:
each run applies its component's objects (the Deployments Available, which the role waits for),
leaves every object of the roles before it untouched, and keeps nothing for the next play (a
post task of the same play finds no gathered objects). A role run twice changes nothing. A bad
variable stops a role before anything is touched, naming the variable. Then site.yml, from the
repository, converges the same release with changed=0. The release is uninstalled at the end and
the dev release in namespace split-brain is left exactly as it was.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clusterlib import LOCAL_VARS, NAMESPACE, ROOT, ansible_env, recap
from test_releases import available_pvs, kubectl, objects, recycle_pvs, uninstall, versions

BIN = Path(sys.executable).parent
INSTANCE = "alone"
RELEASE_NS = "sb-alone"
RELEASE = ["-e", "split_brain_namespace=%s" % RELEASE_NS, "-e", "split_brain_instance=%s" % INSTANCE,
           "-e", "split_brain_rollout_timeout=120"]
ROLES = ("namespace", "storage", "router", "classifier", "ui", "cloudflared")
PLAY = """- name: Deploy the {role} alone
  hosts: split_brain
  gather_facts: false
  roles:
    - split_brain.deploy.{role}
  post_tasks:
    - name: Find nothing the role gathered left for the next play
      ansible.builtin.assert:
        that:
          - split_brain_objects | default([]) | length == 0
          - split_brain_components | default([]) | length == 0
"""
IMPORT_PLAY = """- name: Deploy the {role} alone
  hosts: split_brain
  gather_facts: false
  tasks:
    - name: Import the {role} role
      ansible.builtin.import_role:
        name: split_brain.deploy.{role}
"""


def _run(cmd, cwd, env):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def operator(tmp_path_factory):
    """``(work, env)``: the installed tarball and an operator's folder outside the repository."""
    root = tmp_path_factory.mktemp("alone")
    built = _run([BIN / "ansible-galaxy", "collection", "build", "--output-path", root, ROOT], root, os.environ)
    assert built.returncode == 0, built.stderr
    (tarball,) = root.glob("split_brain-deploy-*.tar.gz")
    work = root / "ops"
    shutil.copytree(ROOT / "inventories" / "dev", work / "inventory", symlinks=False)
    shutil.copy(ROOT / "vault-password.example", work / "vault-pass")
    env = dict(os.environ, ANSIBLE_CONFIG=str(work / "none.cfg"), ANSIBLE_COLLECTIONS_PATH=str(root / "collections"),
               ANSIBLE_VAULT_PASSWORD_FILE=str(work / "vault-pass"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    installed = _run([BIN / "ansible-galaxy", "collection", "install", "--no-deps", "-p", root / "collections", tarball],
                     work, env)
    assert installed.returncode == 0, installed.stderr
    for role in ROLES:
        (work / ("%s.yml" % role)).write_text((IMPORT_PLAY if role == "cloudflared" else PLAY).format(role=role))
    return work, env


def deploy(operator, role, *args):
    work, env = operator
    return _run([BIN / "ansible-playbook", "%s.yml" % role, "-i", "inventory", "-e", LOCAL_VARS, *RELEASE, *args],
                work, env)


def components(namespace):
    """``{component: {"Kind/name": resourceVersion}}`` of the release's objects in ``namespace``."""
    found = {}
    for key, obj in objects(namespace, selector="app.kubernetes.io/instance=%s" % INSTANCE).items():
        labels = obj["metadata"]["labels"]
        found.setdefault(labels.get("app.kubernetes.io/component") or labels["app.kubernetes.io/name"], {})[key] = \
            obj["metadata"]["resourceVersion"]
    return found


def available(name):
    out = kubectl("-n", RELEASE_NS, "get", "deployment", name, "-o",
                  "jsonpath={.status.availableReplicas}/{.spec.replicas}").stdout
    done, wanted = out.split("/")
    return done == wanted and int(wanted) > 0


def test_each_role_alone_then_site_changes_nothing(operator):
    dev_before = versions(NAMESPACE)
    assert "Deployment/router" in dev_before, "the dev release is not deployed"
    if not available_pvs():
        recycle_pvs()
    assert available_pvs(), "the release needs an Available PV of split-brain-test"
    try:
        # A bad variable stops the role before anything is touched: not even the namespace exists.
        # Ansible's check of the role's argument spec, then split_brain.deploy.validate (strict types:
        # the float 1.1 is not the tag "1.10").
        for bad_vars, named in (('{"router_replicas": "three"}', "router_replicas"),
                                ('{"router_image_tag": 1.10}', "router_image_tag: must be a string, got the float 1.1")):
            bad = deploy(operator, "router", "-e", bad_vars)
            assert bad.returncode != 0 and named in bad.stdout, bad.stdout[-3000:]
            assert kubectl("get", "namespace", RELEASE_NS, check=False).returncode != 0

        before = {}
        for role in ROLES:
            result = deploy(operator, role)
            assert result.returncode == 0, "%s alone failed:\n%s\n%s" % (role, result.stdout[-6000:], result.stderr[-2000:])
            assert recap(result.stdout)["changed"] >= 1, role
            now = components(RELEASE_NS)
            # The objects of the roles before it are untouched; this role's objects are there.
            assert {c: now.get(c) for c in before} == before, role
            if role == "namespace":
                assert kubectl("get", "networkpolicy", "-n", RELEASE_NS, "default-deny", check=False).returncode == 0
            elif role == "storage":
                assert "PersistentVolumeClaim/split-brain-data" in objects(RELEASE_NS, "app.kubernetes.io/instance=%s" % INSTANCE)
            else:
                assert "Deployment/%s" % role in now.get(role, {}), (role, now)
                assert available(role), "%s is not Available after the role waited for it" % role
            before = dict(now)

        again = deploy(operator, "router")
        assert again.returncode == 0 and recap(again.stdout)["changed"] == 0, again.stdout[-4000:]

        site = subprocess.run([str(BIN / "ansible-playbook"), "site.yml", "-i", "inventories/dev", "-e", LOCAL_VARS, *RELEASE],
                              cwd=ROOT, env=ansible_env(), capture_output=True, text=True, check=False)
        assert site.returncode == 0, site.stdout[-6000:]
        assert recap(site.stdout)["changed"] == 0, site.stdout[-6000:]
        assert components(RELEASE_NS) == before
    finally:
        removed = uninstall(INSTANCE, RELEASE_NS)
        recycle_pvs()
    assert removed.returncode == 0, removed.stdout[-3000:]
    assert kubectl("get", "namespace", RELEASE_NS, check=False).stdout.strip() == ""
    assert versions(NAMESPACE) == dev_before, "the dev release changed"
