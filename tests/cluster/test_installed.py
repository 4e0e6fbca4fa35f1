"""From Galaxy: the built tarball installed into an empty collections path, used from an empty folder
outside the repository as the README's "Quick start, from an installed collection" says, onto the
local cluster, on the Ansible end pytest runs in.

The README's commands are read from README.md and run as written (bash, HOME a folder of the
test's own holding ``~/.vault-pass``), but two: the install gets the built tarball, ``--no-deps``
(kubernetes.core comes from the ``ansible`` package) and the empty path; ``ansible-vault edit``
gets an EDITOR that writes real-looking secrets. The only file the test adds to the inventory
init writes is the one its 10-base.yml invites: ``local.yml``, with the release's own namespace,
the cluster's StorageClass and its kubeconfig. Nothing of the repository is read at run time: no
ansible.cfg, no ANSIBLE_* variable, no KUBECONFIG.

Then render (init's next step), status, a second site (changes nothing) and uninstall (keeps the
PVC and namespace), and an uninstall with the data, which also leaves the cluster as it was.
"""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clusterlib import RELEASE, RELEASE_KINDS, ROOT, available_pvs, recap, recycle_pvs, would_apply
from identity import admin
from test_status_playbook import debug_msg, table

BIN = Path(sys.executable).parent
NAMESPACE = "split-brain-installed"
SUMMARY = "Say what was removed and what was kept"
VAULT = "mine/group_vars/split_brain/90-vault.yml"
SECRETS = {"router_anthropic_api_key": "sk-ant-e2e-{{ not a template }}-0123456789",
           "cloudflared_tunnel_token": "eyJ-e2e-tunnel-token-0123456789"}


def quick_start():
    """The commands of the README's quick start for an installed collection, comments removed."""
    text = (ROOT / "README.md").read_text().split("### Quick start, from an installed collection", 1)[1]
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line.split(" #")[0].strip() for line in block.splitlines() if line.strip()]


def release_objects():
    """``{"Kind/name"}`` of the release's objects in the test's namespace."""
    out = admin("-n", NAMESPACE, "get", RELEASE_KINDS, "-l", RELEASE, "-o", "yaml", check=False)
    if out.returncode != 0:
        return set()
    return {"%s/%s" % (o["kind"], o["metadata"]["name"]) for o in yaml.safe_load(out.stdout)["items"]}


class User:
    """A user's shell: an empty folder outside the repository, HOME with ~/.vault-pass, the
    venv's Ansible first on PATH, the installed collection's path, nothing else of Ansible's."""

    def __init__(self, root, collections):
        self.home = root / "home"
        self.collection = collections / "ansible_collections" / "split_brain" / "deploy"
        self.cwd = root / "work"
        self.home.mkdir()
        self.cwd.mkdir()
        (self.home / ".vault-pass").write_text("correct horse battery staple\n")
        (self.home / ".vault-pass").chmod(0o600)
        drop = ("KUBECONFIG", "PYTHONPATH")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("ANSIBLE_", "K8S_AUTH_", "MOLECULE_")) and k not in drop}
        self.env.update(HOME=str(self.home), PATH="%s:%s" % (BIN, os.environ["PATH"]),
                        ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")

    def run(self, command, check=True, env=None):
        result = subprocess.run(["bash", "-c", command], cwd=self.cwd, env=dict(self.env, **(env or {})),
                                capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise AssertionError("%s failed (rc %d):\n%s\n%s" % (command, result.returncode, result.stdout[-8000:],
                                                                 result.stderr[-3000:]))
        return result


@pytest.fixture
def user(tmp_path):
    """The tarball, built from the repository and installed into an empty collections path."""
    dist, collections = tmp_path / "dist", tmp_path / "collections"
    dist.mkdir()
    collections.mkdir()
    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(dist), str(ROOT)],
                   cwd=dist, capture_output=True, check=True)
    (tarball,) = dist.glob("split_brain-deploy-*.tar.gz")
    shell = User(tmp_path, collections)
    install, *_rest = quick_start()
    assert install.startswith("ansible-galaxy collection install split_brain.deploy"), install
    shell.run("ansible-galaxy collection install --no-deps -p %s %s" % (collections, tarball))
    # The collection from the empty path only; kubernetes.core from the venv's `ansible` package.
    listed = yaml.safe_load(shell.run("ansible-galaxy collection list split_brain.deploy --format yaml").stdout)
    assert list(listed) == [str(collections / "ansible_collections")], listed
    listed = yaml.safe_load(shell.run("ansible-galaxy collection list kubernetes.core --format yaml").stdout)
    assert [Path(path).resolve().is_relative_to(Path(sys.prefix).resolve()) for path in listed] == [True], listed
    return shell


@pytest.fixture
def clean_up():
    """Remove the release with its data and make its PersistentVolume Available again (before too,
    after a run that was killed)."""
    admin("delete", "namespace", NAMESPACE, "--ignore-not-found", "--timeout=120s")
    if not available_pvs():
        recycle_pvs()
    assert available_pvs(), "the release needs an Available PV of split-brain-test"
    yield
    admin("delete", "namespace", NAMESPACE, "--ignore-not-found", "--timeout=120s")
    recycle_pvs()


def test_the_readme_quick_start_from_the_built_tarball(user, clean_up):
    _install, init, edit, preview, apply = quick_start()
    assert list(user.cwd.iterdir()) == []  # "From an empty folder"

    # init writes the inventory, its vault encrypted with ~/.vault-pass.
    written = user.run(init)
    assert "written hosts.yml, group_vars/split_brain/10-base.yml, ansible.cfg, group_vars/split_brain/90-vault.yml" in \
        " ".join(written.stdout.split()), written.stdout[-3000:]
    # In the folder it runs in, not in the installed collection (a relative path of a module).
    assert [p.name for p in user.cwd.iterdir()] == ["mine"] and not (user.collection / "playbooks" / "mine").exists()
    assert (user.cwd / VAULT).read_text().startswith("$ANSIBLE_VAULT;1.1;AES256\n")
    assert "split_brain_production: true" in (user.cwd / "mine/group_vars/split_brain/10-base.yml").read_text()

    # What 10-base.yml invites: a file whose name sorts after it, for this cluster.
    (user.cwd / "mine/group_vars/split_brain/local.yml").write_text(yaml.safe_dump({
        "split_brain_namespace": NAMESPACE,
        "split_brain_storage_class_name": "split-brain-test",
        "split_brain_kubeconfig": os.environ["KUBECONFIG"],
    }))

    # A deploy refuses the placeholders, before anything touches the cluster.
    refused = user.run(apply, check=False)
    assert refused.returncode != 0
    output = refused.stdout + refused.stderr
    assert "router_anthropic_api_key: still the shipped example value" in output, output[-3000:]
    assert admin("get", "namespace", NAMESPACE, check=False).returncode != 0

    # "ansible-vault edit" the placeholders away, as an editor would.
    assert VAULT in edit
    plain = user.home / "secrets.yml"
    plain.write_text("".join("%s: !unsafe '%s'\n" % item for item in SECRETS.items()))
    editor = user.home / "editor"
    editor.write_text('#!/bin/sh\ncp "%s" "$1"\n' % plain)
    editor.chmod(0o700)
    user.run(edit, env={"EDITOR": str(editor)})
    plain.unlink()
    vault = (user.cwd / VAULT).read_text()
    assert vault.startswith("$ANSIBLE_VAULT;1.1;AES256\n") and "sk-ant-e2e" not in vault
    assert "EXAMPLE-" not in user.run("ansible-vault view %s --vault-password-file ~/.vault-pass" % VAULT).stdout

    # Render (init's next step): every object in a file of its own, the count said.
    rendered = user.run("ansible-playbook split_brain.deploy.render -i mine/hosts.yml -e split_brain_render_dir=out"
                        " --vault-password-file ~/.vault-pass")
    files = sorted((user.cwd / "out").glob("*.yaml"))
    assert "Wrote %d files to %s" % (len(files), user.cwd / "out") in rendered.stdout, rendered.stdout[-3000:]
    objects = [yaml.safe_load(path.read_text()) for path in files]
    assert [o["metadata"].get("namespace", NAMESPACE) for o in objects] == [NAMESPACE] * len(files)
    for path, obj in zip(files, objects):
        assert re.fullmatch(r"\d\d-%s-%s\.yaml" % (obj["kind"].lower(), obj["metadata"]["name"]), path.name), path.name
    names = {"%s/%s" % (o["kind"], o["metadata"]["name"]) for o in objects}
    kinds = {o["kind"] for o in objects}
    assert kinds == {"Namespace", "NetworkPolicy", "ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim",
                     "Service", "Deployment", "PodDisruptionBudget"}, kinds
    assert {n for n in names if n.startswith(("Deployment/", "Service/"))} == {
        "Deployment/router", "Deployment/classifier", "Deployment/ui", "Deployment/cloudflared",
        "Service/router", "Service/classifier", "Service/ui"}
    assert "sk-ant-e2e" not in "".join(path.read_text() for path in files)  # Secret values redacted

    # Preview: everything would be created, nothing is.
    previewed = user.run(preview)
    assert recap(previewed.stdout)["changed"] >= 1
    assert would_apply(previewed.stdout) == names | {"Secret/split-brain-checksum-key"}, previewed.stdout[-3000:]
    assert admin("get", "namespace", NAMESPACE, check=False).returncode != 0

    # Apply: the release's objects are what render wrote (and the release's checksum key).
    applied = user.run(apply)
    assert recap(applied.stdout)["changed"] >= 1
    deployed = release_objects()
    assert deployed == (names - {"Namespace/%s" % NAMESPACE}) | {"Secret/split-brain-checksum-key"}, deployed ^ names
    router = yaml.safe_load(admin("-n", NAMESPACE, "get", "deployment", "router", "-o", "yaml").stdout)
    assert router["status"].get("availableReplicas") == 1, router["status"]
    secret = admin("-n", NAMESPACE, "get", "secret", "anthropic-api-key", "-o", "jsonpath={.data.ANTHROPIC_API_KEY}").stdout
    assert secret == base64.b64encode(SECRETS["router_anthropic_api_key"].encode()).decode()

    # Status reports the four components, at their replicas, and the bound claim.
    status = user.run("ansible-playbook split_brain.deploy.status -i mine/hosts.yml --vault-password-file ~/.vault-pass")
    assert recap(status.stdout)["changed"] == 0
    text = debug_msg(status.stdout, "Print the status")
    rows = {row[0]: row for row in table(text, "COMPONENT")}
    assert {name: row[1:3] for name, row in rows.items()} == {
        "router": ["1", "1"], "classifier": ["1", "1"], "ui": ["1", "1"], "cloudflared": ["2", "2"]}, text
    assert table(text, "PVC")[0][:2] == ["split-brain-data", "Bound"], text

    # The same apply again changes nothing.
    again = user.run(apply)
    assert recap(again.stdout)["changed"] == 0, again.stdout[-4000:]

    # Uninstall removes the release's objects, keeps its data and namespace.
    removed = user.run("ansible-playbook split_brain.deploy.uninstall -i mine/hosts.yml --vault-password-file ~/.vault-pass")
    summary = debug_msg(removed.stdout, SUMMARY)
    assert "Deployment/router" in summary["removed"] and "Secret/split-brain-checksum-key" in summary["removed"]
    assert summary["kept"] == ["PersistentVolumeClaim/split-brain-data", "Namespace/%s" % NAMESPACE]
    assert release_objects() == {"PersistentVolumeClaim/split-brain-data"}

    # With the data: the namespace goes too.
    user.run("ansible-playbook split_brain.deploy.uninstall -i mine/hosts.yml --vault-password-file ~/.vault-pass"
             " -e split_brain_delete_data=true")
    assert admin("get", "namespace", NAMESPACE, "-o", "name", check=False).stdout.strip() == ""
