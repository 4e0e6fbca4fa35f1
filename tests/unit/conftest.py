"""Unit tests import the collection as ``ansible_collections.split_brain.deploy``.

``collections/ansible_collections/split_brain/deploy`` links the repository root, so putting
``collections`` on ``sys.path`` makes the plugins importable without installing the collection.
"""

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "collections"))

ROLES = ("common", "namespace", "storage", "router", "classifier", "ui", "cloudflared")


def role_defaults(role):
    """The variables of ``roles/<role>/defaults/main.yml``."""
    return yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text()) or {}


@pytest.fixture
def defaults():
    """Every role's defaults in one dict, with the secrets a deploy needs filled in (not examples)."""
    values = {}
    for role in ROLES:
        values.update(role_defaults(role))
    values.update(router_anthropic_api_key="sk-ant-unit-test-key", cloudflared_tunnel_token="unit-test-token")
    return values
