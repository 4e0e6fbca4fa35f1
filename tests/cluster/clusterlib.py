"""Helpers of the tests that run against a cluster (molecule's side_effect step)."""

import os
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCAL_VARS = "@%s" % (ROOT / "molecule" / "shared" / "local-cluster.yml")
NAMESPACE = "split-brain"
# The labels of the objects of the release split-brain, and the kinds a release (with its volume) consists of.
RELEASE = "app.kubernetes.io/managed-by=split_brain.deploy,app.kubernetes.io/instance=split-brain"
RELEASE_KINDS = "deployments,services,configmaps,secrets,serviceaccounts,networkpolicies,poddisruptionbudgets,persistentvolumeclaims"


def ansible_env():
    """The environment an operator has: the repository's ansible.cfg, not the one molecule
    exports for its own steps (which, for one, sends failures to stderr)."""
    return dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")


def site(*args, check=True, playbook="site.yml", inventory="dev"):
    """Run a playbook on the dev inventory with the local-cluster overrides."""
    cmd = ["ansible-playbook", playbook, "-i", "inventories/%s" % inventory, "-e", LOCAL_VARS, *args]
    env = ansible_env()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("%s failed (rc %d):\n%s\n%s" % (" ".join(cmd), result.returncode, result.stdout[-8000:], result.stderr[-3000:]))
    return result


def recap(output):
    """``{"ok": n, "changed": n, "failed": n, ...}`` of the release's host in PLAY RECAP (not
    localhost, where every playbook first checks that the inventory names its hosts)."""
    found = [line for host, line in re.findall(r"^(\S+)\s+:\s+(.*)$", output.split("PLAY RECAP")[-1], re.M)
             if host != "localhost"]
    assert found, output[-2000:]
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", found[0])}


def kubectl(*args, check=True):
    result = subprocess.run(["kubectl", "-n", NAMESPACE, *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s: %s" % (" ".join(args), result.stderr))
    return result


def get(kind, name=None):
    """The object (or list of objects) of ``kind`` in the namespace, as dicts."""
    out = kubectl("get", kind, *([name] if name else []), "-o", "yaml", check=False)
    if out.returncode != 0:
        return None
    doc = yaml.safe_load(out.stdout)
    return doc if name else doc.get("items", [])


def would_apply(output):
    """``{"Kind/name"}`` of the objects the release step of a --check run says it would apply (or,
    into a namespace that does not exist yet, create)."""
    found = (re.search(r"^would apply (\d+) objects?(?: \((.*?)\))?[.;]", output, re.M)
             or re.search(r"^Namespace \S+ does not exist yet: this run would create (\d+) objects?: (.*)$", output, re.M))
    assert found, output[-4000:]
    names = set(found.group(2).split(", ")) if found.group(2) else set()
    assert len(names) == int(found.group(1)), found.group(0)
    return names


def available_pvs():
    """The PersistentVolumes of the local cluster's StorageClass that a new claim can bind."""
    out = subprocess.run(["kubectl", "get", "pv", "-o", "jsonpath={range .items[?(@.status.phase==\"Available\")]}"
                          "{.spec.storageClassName}/{.metadata.name} {end}"], capture_output=True, text=True, check=True)
    return [entry.split("/")[1] for entry in out.stdout.split() if entry.startswith("split-brain-test/")]


def recycle_pvs():
    """Make the Released PersistentVolumes Available again (their reclaim policy is Retain)."""
    subprocess.run([str(ROOT / "scripts" / "cluster" / "recycle-pvs.sh")], cwd=ROOT, capture_output=True, check=True)
