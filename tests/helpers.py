"""Helpers of the offline tests: run the collection's playbooks and load what `make render` writes."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ANSIBLE_PLAYBOOK = str(Path(sys.executable).with_name("ansible-playbook"))


def run_playbook(playbook, inventory, *args, env=None, check=False):
    """Run ansible-playbook from the repository root; return the CompletedProcess."""
    cmd = [ANSIBLE_PLAYBOOK, str(playbook), "-i", str(ROOT / "inventories" / inventory), *args]
    full_env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", **(env or {}))
    result = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError("%s failed:\n%s\n%s" % (" ".join(cmd), result.stdout[-6000:], result.stderr[-3000:]))
    return result


def render(inventory, out_dir, *extra):
    """`make render` for ``inventory`` into ``out_dir``; return the objects in apply order."""
    run_playbook("playbooks/render.yml", inventory, "-e", "split_brain_render_dir=%s" % out_dir, *extra, check=True)
    return load_dir(out_dir)


def load_dir(out_dir):
    objects = []
    for path in sorted(Path(out_dir).glob("*.yaml")):
        objects.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return objects


def by_key(objects):
    """``{(kind, name): object}``."""
    return {(obj["kind"], obj["metadata"]["name"]): obj for obj in objects}


def load_module(name, path):
    """The Python file ``path`` (a test library or a script, not a package) as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
