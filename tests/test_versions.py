"""Versions agree: the collection's, its changelog's, its plugins', its requirements' and its EE's."""

import re
from pathlib import Path

import yaml

from helpers import ROOT

GALAXY = yaml.safe_load((ROOT / "galaxy.yml").read_text())
RUNTIME = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
CHANGELOG = yaml.safe_load((ROOT / "changelogs" / "changelog.yaml").read_text())


def version(text):
    return tuple(int(part) for part in text.split("."))


def requirement(path, name):
    """The specifier of ``name`` in a pip requirements file."""
    for line in (ROOT / path).read_text().splitlines():
        match = re.match(r"^%s\s*([<>=!~].*)$" % re.escape(name), line.split("#")[0].strip())
        if match:
            return match.group(1).replace(" ", "")
    raise AssertionError("%s names no %s" % (path, name))


def test_the_collection_is_its_newest_release():
    assert GALAXY["version"] == max(CHANGELOG["releases"], key=version)


def test_every_plugin_was_added_in_a_release():
    releases = set(CHANGELOG["releases"])
    found = 0
    for path in sorted((ROOT / "plugins").rglob("*")):
        if path.suffix not in (".py", ".yml"):
            continue
        for added in re.findall(r"^\s*version_added: ['\"]?([0-9.]+)", path.read_text(), re.M):
            found += 1
            assert added in releases, "%s: version_added %s is no release of the changelog" % (path.relative_to(ROOT), added)
    assert found >= 20


def test_ansible_core_range_agrees_everywhere():
    pip_range = requirement("requirements.txt", "ansible-core")
    low, high = re.fullmatch(r">=([0-9.]+),<([0-9.]+)", pip_range).groups()
    assert RUNTIME["requires_ansible"] == ">=%s.0,<%s.0" % (low, high)
    for meta in sorted((ROOT / "roles").glob("*/meta/main.yml")):
        assert yaml.safe_load(meta.read_text())["galaxy_info"]["min_ansible_version"] == low, meta


def test_kubernetes_core_range_agrees_everywhere():
    wanted = GALAXY["dependencies"]["kubernetes.core"]
    for path in ("requirements.yml", "ee/requirements.yml"):
        entries = yaml.safe_load((ROOT / path).read_text())["collections"]
        assert [e["version"] for e in entries if e["name"] == "kubernetes.core"] == [wanted], path


def test_kubernetes_client_range_agrees_with_the_docs_and_the_pins():
    pip_range = requirement("requirements.txt", "kubernetes")
    low = re.search(r">=([0-9.]+)", pip_range).group(1)
    high = re.search(r"<([0-9.]+)", pip_range).group(1)
    for module in sorted((ROOT / "plugins" / "modules").glob("*.py")):
        for line in re.findall(r"^\s+- kubernetes\b.*$", module.read_text(), re.M):
            assert line.strip() == "- kubernetes >= %s" % low, module.name
    for end in ("newest", "oldest"):
        pinned = requirement("tests/requirements-%s.txt" % end, "kubernetes").lstrip("=")
        assert version(low) <= version(pinned) < version(high), end


def test_the_execution_environment_is_pinned():
    ee = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
    base = ee["images"]["base_image"]["name"]
    assert ":" in base and not base.endswith(":latest"), base
    core = re.fullmatch(r"ansible-core==([0-9.]+)", ee["dependencies"]["ansible_core"]["package_pip"])
    assert core, "the EE pins ansible-core"
    low, high = re.fullmatch(r">=([0-9.]+),<([0-9.]+)", requirement("requirements.txt", "ansible-core")).groups()
    assert version(low) <= version(core.group(1)) < version(high)
    collections = yaml.safe_load((ROOT / "ee" / "requirements.yml").read_text())["collections"]
    files = [Path(e["name"]).name for e in collections if e.get("type") == "file"]
    assert files == ["split_brain-deploy.tar.gz"], "the EE takes the tarball `make ee` writes, whatever its version"
