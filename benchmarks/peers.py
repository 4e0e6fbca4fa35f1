"""The converge benchmark's peers, built from the objects `make render` writes.

  helm_chart       a chart whose templates are the rendered objects, the namespace excluded
                   (Helm keeps its release record in the namespace: it must exist first)
  naive_templates  the templates of the hand-written playbooks in benchmarks/naive/: one file per
                   role (the objects grouped by their app.kubernetes.io/component label) and one
                   file per object (KIND-NAME.yaml.j2, the rendered file's name)
  fleet_inventory  N releases of the dev inventory, one host each with its own namespace and
                   split_brain_instance, for one ansible-playbook run over all of them
  fleet_storage    the PersistentVolumes the fleet's claims bind to (a StorageClass of its own,
                   so the three PVs the tests rely on are left alone)

Every file is written into a temporary folder of the caller's (0700: the rendered Secrets hold
their values there, as kubectl and Helm apply them).
"""

import os
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NAIVE = ROOT / "benchmarks" / "naive"
# The roles that render objects, in site.yml's order (split_brain validates and applies).
ROLES = ("namespace", "storage", "router", "classifier", "ui", "cloudflared")
FLEET_STORAGE_CLASS = "split-brain-bench"


def rendered(render_dir):
    """(file stem without its order prefix, object) of every rendered file, in apply order."""
    for path in sorted(Path(render_dir).glob("*.yaml")):
        stem = re.sub(r"^\d+-", "", path.stem)
        yield stem, path.read_text(encoding="utf-8"), yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        out.write(text)


def helm_chart(render_dir, chart_dir, version):
    """A chart of every rendered object but the Namespace; returns the namespace's file."""
    chart_dir = Path(chart_dir)
    _write(chart_dir / "Chart.yaml", yaml.safe_dump({
        "apiVersion": "v2", "name": "split-brain", "version": version, "appVersion": version,
        "description": "The objects of split_brain.deploy's dev inventory, as `make render` writes them",
    }, sort_keys=False))
    namespace = None
    for stem, text, obj in rendered(render_dir):
        if obj["kind"] == "Namespace":
            namespace = chart_dir.parent / ("%s.yaml" % stem)
            _write(namespace, text)
            continue
        if "{{" in text:
            raise SystemExit("%s: a rendered object holds '{{', which Helm would read as a template" % stem)
        _write(chart_dir / "templates" / ("%s.yaml" % stem), text)
    if namespace is None:
        raise SystemExit("no Namespace among the rendered objects of %s" % render_dir)
    return namespace


def _named_templates(playbook):
    """The file names of naive_dir that a playbook of benchmarks/naive/ applies."""
    names = set()
    for play in yaml.safe_load(playbook.read_text(encoding="utf-8")):
        for task in play.get("tasks", []):
            template = task.get("kubernetes.core.k8s", {}).get("template", "")
            names.add(template.rsplit("/", 1)[-1])
    return names


def naive_templates(render_dir, naive_dir):
    """Write the per-role and per-object templates; fail if a playbook misses or invents one."""
    naive_dir = Path(naive_dir)
    by_role = {}
    for stem, text, obj in rendered(render_dir):
        if "{{" in text or "{%" in text:
            raise SystemExit("%s: a rendered object holds Jinja syntax, which template: would expand" % stem)
        _write(naive_dir / ("%s.yaml.j2" % stem), text)
        role = obj["metadata"].get("labels", {}).get("app.kubernetes.io/component")
        if role not in ROLES:
            raise SystemExit("%s: component %r is none of the roles %s" % (stem, role, ", ".join(ROLES)))
        by_role.setdefault(role, []).append(text)
    for role, texts in by_role.items():
        _write(naive_dir / ("%s.yaml.j2" % role), "".join("---\n" + text for text in texts))
    written = {"per-role.yml": {"%s.yaml.j2" % role for role in by_role},
               "per-object.yml": {"%s.yaml.j2" % stem for stem, _text, _obj in rendered(render_dir)}}
    for playbook, expected in written.items():
        named = _named_templates(NAIVE / playbook)
        if named != expected:
            raise SystemExit(
                "benchmarks/naive/%s no longer applies exactly the rendered objects (a hand-written "
                "playbook goes stale when the roles change; update it): missing %s, unknown %s"
                % (playbook, sorted(expected - named) or "none", sorted(named - expected) or "none"))


def fleet_names(count):
    return ["sb-fleet-%d" % (index + 1) for index in range(count)]


def fleet_inventory(inventory_dir, count):
    """An inventory of `count` releases of dev (its group_vars linked), one host and namespace each."""
    inventory_dir = Path(inventory_dir)
    (inventory_dir / "group_vars").mkdir(parents=True, exist_ok=True)
    link = inventory_dir / "group_vars" / "all"
    if not link.exists():
        link.symlink_to(ROOT / "inventories" / "dev" / "group_vars" / "all")
    hosts = {
        name: {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "split_brain_namespace": name,
            "split_brain_instance": name,
            "split_brain_storage_class_name": FLEET_STORAGE_CLASS,
        }
        for name in fleet_names(count)
    }
    _write(inventory_dir / "hosts.yml", yaml.safe_dump(
        {"all": {"children": {"split_brain": {"hosts": hosts}}}}, sort_keys=False))
    return str(inventory_dir)


def fleet_storage(count):
    """A StorageClass and `count` PersistentVolumes for the fleet's claims, as one manifest."""
    docs = [{
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": FLEET_STORAGE_CLASS, "labels": {"split-brain.bench/fleet": "true"}},
        "provisioner": "kubernetes.io/no-provisioner", "volumeBindingMode": "Immediate",
        "reclaimPolicy": "Retain",
    }]
    for index in range(count):
        docs.append({
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": "%s-pv-%d" % (FLEET_STORAGE_CLASS, index + 1),
                         "labels": {"split-brain.bench/fleet": "true"}},
            "spec": {
                "storageClassName": FLEET_STORAGE_CLASS, "persistentVolumeReclaimPolicy": "Retain",
                "capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce", "ReadWriteMany"],
                "hostPath": {"path": "/tmp/split-brain-bench/pv-%d" % (index + 1), "type": "DirectoryOrCreate"},
            },
        })
    return yaml.safe_dump_all(docs, sort_keys=False)
