"""The collection as users get it: the Galaxy tarball, installed into an empty collections path and
used from a folder outside the repository; and the execution environment definition.

The tarball must hold what runs for a user and nothing else (no tests, test cluster, benchmarks,
or the repository's self-referencing `collections/` link), carry a LICENSE, and work installed:
`split_brain.deploy.site` in render mode from another folder writes the same objects as the
repository's own render, and each role alone in a user's play renders its component's objects
as the site does. `ansible-builder create` must accept execution-environment.yml.
"""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, by_key, load_dir

BIN = Path(sys.executable).parent
LEFT_OUT = ("tests/", "molecule/", "scripts/", "benchmarks/", "collections/", "inventories/", ".ci/", "ee/")


def _run(cmd, cwd, env=None):
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False)
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


@pytest.fixture(scope="module")
def installed(tarball, tmp_path_factory):
    """``(work, env)``: the tarball installed into an empty collections path, and an operator's own
    folder (the dev inventory with links resolved, a vault password file) with its environment."""
    root = tmp_path_factory.mktemp("installed")
    collections = root / "collections"
    work = root / "ops"
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
    return work, env


@pytest.fixture(scope="module")
def repo_render(tmp_path_factory):
    """The objects the repository's own render writes for dev, ``{file: object}``."""
    out = tmp_path_factory.mktemp("render-repo")
    _run([BIN / "ansible-playbook", "playbooks/render.yml", "-i", "inventories/dev",
          "-e", "split_brain_render_dir=%s" % out], cwd=ROOT,
         env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")))
    return load_dir(out)


def test_installed_collection_renders_from_outside_the_repository(installed, repo_render, tmp_path):
    work, env = installed
    out = tmp_path / "render"
    _run([BIN / "ansible-playbook", "split_brain.deploy.site", "-i", work / "inventory",
          "-e", "split_brain_render_dir=%s" % out], cwd=work, env=env)
    installed_render = load_dir(out)
    assert len(installed_render) > 20
    assert installed_render == repo_render


ROLES = ("namespace", "storage", "router", "classifier", "ui", "cloudflared")


def test_each_installed_role_alone_renders_its_own_objects(installed, repo_render, tmp_path):
    """A role in a user's own play (`roles:`), from the installed tarball, renders the objects of its
    component exactly as the whole site renders them; together the roles render the site's objects,
    each once."""
    work, env = installed
    site = by_key(repo_render)
    seen = []
    for role in ROLES:
        play = work / ("%s.yml" % role)
        play.write_text("- name: Render the %s alone\n  hosts: split_brain\n  gather_facts: false\n"
                        "  roles:\n    - split_brain.deploy.%s\n" % (role, role))
        out = tmp_path / role
        _run([BIN / "ansible-playbook", play, "-i", work / "inventory", "-e", "split_brain_render_dir=%s" % out],
             cwd=work, env=env)
        alone = by_key(load_dir(out))
        assert alone, role
        assert alone == {key: site[key] for key in alone}, role
        if role not in ("namespace", "storage"):
            assert {obj["metadata"]["labels"]["app.kubernetes.io/name"] for obj in alone.values()} == {role}
        seen += list(alone)
    assert sorted(seen) == sorted(site), "the roles alone render the site's objects, each once"


def test_execution_environment_definition_builds_a_context(tarball, tmp_path):
    for name in ("execution-environment.yml", "requirements.txt", "ee"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    shutil.copy(tarball, tmp_path / "ee" / "split_brain-deploy.tar.gz")  # as `make ee` names it
    _run([BIN / "ansible-builder", "create", "-f", "execution-environment.yml", "--context", "context"], cwd=tmp_path)
    build = tmp_path / "context" / "_build"
    assert (build / "collections" / "split_brain-deploy.tar.gz").is_file()
    assert "kubernetes" in (build / "requirements.txt").read_text()
    requirements = (build / "requirements.yml").read_text()
    assert "kubernetes.core" in requirements and "split_brain-deploy.tar.gz" in requirements
    # Every stage of the image starts from the base pinned by digest.
    base = yaml.safe_load((ROOT / "execution-environment.yml").read_text())["images"]["base_image"]["name"]
    containerfile = next((tmp_path / "context").glob("*file"))  # Dockerfile, or Containerfile for podman
    assert "@sha256:" in base
    assert 'ARG EE_BASE_IMAGE="%s"' % base in containerfile.read_text().splitlines()
