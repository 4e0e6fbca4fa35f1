"""The execution environment recipe, `make ee` and the documentation name the same tarball, and the
recipe's base image is a maintained one."""

import re

import yaml

from helpers import ROOT

RECIPE = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
TARBALL = "split_brain-deploy.tar.gz"


def test_the_recipe_installs_the_tarball_make_ee_writes():
    makefile = (ROOT / "Makefile").read_text()
    target = makefile.split("\nee:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"cp dist/split_brain-deploy-\$\(VERSION\)\.tar\.gz ee/%s" % re.escape(TARBALL), target), target
    collections = yaml.safe_load((ROOT / "ee" / "requirements.yml").read_text())["collections"]
    assert {"name": "/tmp/split-brain-collections/" + TARBALL, "type": "file"} in collections
    assert {"src": "ee/", "dest": "collections"} in RECIPE["additional_build_files"]


def test_the_documentation_names_that_tarball():
    operations = (ROOT / "docs" / "operations.md").read_text()
    assert "ee/" + TARBALL in operations
    # Not the versioned name of `ansible-galaxy collection build --output-path ee/`, which the recipe misses.
    assert "--output-path ee/" not in operations


def test_the_base_image_is_maintained_and_pinned_by_digest():
    base = RECIPE["images"]["base_image"]["name"]
    assert re.fullmatch(r"quay\.io/centos/centos:stream10@sha256:[0-9a-f]{64}", base), base
    assert "fedora:42" not in base  # end of life since May 2026
    # The documentation says how to move the digest on.
    operations = (ROOT / "docs" / "operations.md").read_text()
    assert "skopeo inspect --format '{{.Digest}}' docker://quay.io/centos/centos:stream10" in operations
