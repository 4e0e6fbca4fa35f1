"""ansible-navigator's artifacts (`<playbook>-artifact-<time>.json`) and log are neither committed
nor shipped: .gitignore and galaxy.yml's build_ignore leave them out, wherever a run left them."""

import fnmatch
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

LEFT = ["site-artifact-2026-12-07T10:00:00.000000+00:00.json",
        "playbooks/render-artifact-2026-12-07T10:00:00.000000+00:00.json",
        "ansible-navigator.log", "playbooks/ansible-navigator.log"]


@pytest.mark.parametrize("path", LEFT)
def test_git_ignores_it(path):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False)
    assert result.returncode == 0, "%s is not ignored by .gitignore" % path


@pytest.mark.parametrize("path", LEFT)
def test_the_tarball_leaves_it_out(path):
    # ansible-galaxy matches each relative path against build_ignore with fnmatch.
    patterns = yaml.safe_load((ROOT / "galaxy.yml").read_text())["build_ignore"]
    assert any(fnmatch.fnmatch(path, pattern) for pattern in patterns), path


def test_a_built_tarball_has_none(tmp_path):
    """Built from a copy of the collection that holds a run's artifacts and log."""
    src = tmp_path / "src"
    keep = ["galaxy.yml", "meta", "plugins", "roles", "playbooks", "README.md", "LICENSE", "docs"]
    src.mkdir()
    for name in keep:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name)
        elif path.exists():
            shutil.copy(path, src / name)
    for path in LEFT:
        (src / path).parent.mkdir(parents=True, exist_ok=True)
        (src / path).write_text("{}\n")
    out = tmp_path / "dist"
    cmd = [str(Path(sys.executable).with_name("ansible-galaxy")), "collection", "build", "--output-path", str(out), str(src)]
    result = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (tarball,) = out.glob("*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    assert not [n for n in names if "-artifact-" in n or n.endswith("ansible-navigator.log")], names
