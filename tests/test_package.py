"""The collection as users get it: the Galaxy tarball, installed into an empty collections path and
used from a folder outside the repository; and the execution environment definition.

The tarball must hold what runs for a user and nothing else (no tests, test cluster, benchmarks,
or the repository's self-referencing `collections/` link), carry a LICENSE, and work installed:
`split_brain.deploy.site` in render mode from another folder writes the same objects as the
repository's own render. `ansible-builder create` must accept execution-environment.yml.
"""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from helpers import ROOT, load_dir

BIN = Path(sys.executable).parent
LEFT_OUT = ("tests/", "molecule/", "scripts/", "benchmarks/", "collections/", "inventories/", ".ci/", "ee/")


def _run(cmd, cwd, env=None):
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, "%s failed:\n%s\n%s" % (" ".join(map(str, cmd)), result.stdout[-6000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    _run([BIN / "ansible-galaxy", "collection", "build", "--output-path", out, ROOT], cwd=out)
    (path,) = out.glob("split_brain-deploy-*.tar.gz")
    return path


def test_tarball_holds_what_runs_for_a_user(tarball):
    with tarfile.open(tarball) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert "LICENSE" in names and "Apache License" in _member_text(tarball, "LICENSE")
    assert [n for n in names if n.startswith(LEFT_OUT)] == []
    assert [m.name for m in members if m.issym() or m.islnk()] == [], "links in the tarball"
    assert "roles/router/tasks/main.yml" in names and "plugins/modules/status.py" in names
    assert "playbooks/site.yml" in names and "requirements.txt" in names


def _member_text(tarball, name):
    with tarfile.open(tarball) as tar:
        return tar.extractfile(name).read().decode()


def test_requirements_are_library_ranges(tarball):
    """ansible-builder input: libraries with ranges, ansible-core rather than the ansible package."""
    lines = [line.split("#")[0].strip() for line in _member_text(tarball, "requirements.txt").splitlines()]
    lines = [line for line in lines if line]
    names = {line.split(">")[0].split("<")[0].split("=")[0].strip().lower() for line in lines}
    assert "ansible" not in names and "ansible-core" in names and "kubernetes" in names
    assert all("==" not in line for line in lines), lines


def test_installed_collection_renders_from_outside_the_repository(tarball, tmp_path):
    collections = tmp_path / "collections"
    # An operator's own folder: the dev inventory (links resolved) and a vault password file.
    work = tmp_path / "ops"
    shutil.copytree(ROOT / "inventories" / "dev", work / "inventory", symlinks=False)
    shutil.copy(ROOT / "vault-password.example", work / "vault-pass")
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(work / "none.cfg"),  # not the repository's ansible.cfg
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_VAULT_PASSWORD_FILE=str(work / "vault-pass"),
        ANSIBLE_NOCOLOR="1",
    )
    _run([BIN / "ansible-galaxy", "collection", "install", "--no-deps", "-p", collections, tarball], cwd=work, env=env)
    assert (collections / "ansible_collections" / "split_brain" / "deploy" / "MANIFEST.json").is_file()
    out = tmp_path / "render"
    _run([BIN / "ansible-playbook", "split_brain.deploy.site", "-i", work / "inventory",
          "-e", "split_brain_render_dir=%s" % out], cwd=work, env=env)
    from_repo = tmp_path / "render-repo"
    _run([BIN / "ansible-playbook", "playbooks/render.yml", "-i", "inventories/dev",
          "-e", "split_brain_render_dir=%s" % from_repo], cwd=ROOT,
         env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")))
    installed, repo = load_dir(out), load_dir(from_repo)
    assert len(installed) > 20
    assert installed == repo


def test_execution_environment_definition_builds_a_context(tarball, tmp_path):
    for name in ("execution-environment.yml", "requirements.txt", "ee"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    shutil.copy(tarball, tmp_path / "ee" / tarball.name)
    _run([BIN / "ansible-builder", "create", "-f", "execution-environment.yml", "--context", "context"], cwd=tmp_path)
    build = tmp_path / "context" / "_build"
    assert (build / "collections" / tarball.name).is_file()
    assert "kubernetes" in (build / "requirements.txt").read_text()
    requirements = (build / "requirements.yml").read_text()
    assert "kubernetes.core" in requirements and tarball.name in requirements
