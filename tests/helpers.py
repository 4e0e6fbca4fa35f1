"""Helpers of the tests: run the collection's playbooks, load what `make render` writes, make an
AWX-style private data dir, read a failed task's message."""

import importlib.util
import json
import os
import re
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


# AWX's engine: ansible-runner with an AWX-style private data dir -------------------------------------

# The project's variables as AWX hands them over: its group_vars files as extra vars, the vault among them.
AWX_PROJECT_VARS = ["-e @%s" % path for path in sorted((ROOT / "inventories" / "dev" / "group_vars" / "all").glob("*.yml"))]


def awx_private_data_dir(private, host):
    """Write an AWX-style private data dir at ``private``: the inventory an executable script (as
    AWX passes an inventory sourced from a project) naming ``host``, the project's ansible.cfg less
    its vault password file, the vault password answered from env/passwords (AWX's vault
    credential). Returns ``private``."""
    (private / "inventory").mkdir(parents=True)
    (private / "env").mkdir()
    script = private / "inventory" / "hosts"
    script.write_text("#!%s\nimport json\nprint(json.dumps(%r))\n" % (sys.executable, {
        "split_brain": {"hosts": [host]}, "_meta": {"hostvars": {host: {"ansible_connection": "local"}}}}))
    script.chmod(0o755)
    config = (ROOT / "ansible.cfg").read_text().replace("./collections", str(ROOT / "collections"))
    kept = [line for line in config.splitlines() if not line.startswith("vault_password_file")]
    (private / "ansible.cfg").write_text("\n".join(kept))
    password = (ROOT / "vault-password.example").read_text().strip()
    (private / "env" / "passwords").write_text(json.dumps({r"^Vault password:\s*?$": password}))
    return private


def failure_line(result):
    """The message of a run's failed task, as ansible-core's [ERROR] summary gives it. Asserts the
    run failed and that the message is shown at most twice (the summary and the fatal result):
    the collection says each cause once."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    error = re.search(r"^\[ERROR\]: Task failed: Action failed: (.*)$", output, re.M)
    assert error, output[-3000:]
    line = error.group(1)
    assert " ".join(output.split()).count(line) <= 2, output[-3000:]
    return line
