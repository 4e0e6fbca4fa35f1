"""Helpers of the unit tests (a module of its own: ``conftest`` is ambiguous across test folders).

``collections/ansible_collections/split_brain/deploy`` links the repository root, so putting
``collections`` on ``sys.path`` makes the plugins importable as
``ansible_collections.split_brain.deploy`` without installing the collection.
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "collections") not in sys.path:
    sys.path.insert(0, str(ROOT / "collections"))

ROLES = ("split_brain", "namespace", "storage", "router", "classifier", "ui", "cloudflared")


def role_defaults(role):
    """The variables of ``roles/<role>/defaults/main.yml``."""
    return yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text()) or {}


class Listing:
    """What the kubernetes dynamic client's ``get`` returns for a list: ``.items`` and ``to_dict()``."""

    def __init__(self, items):
        self.items = items

    def to_dict(self):
        return {"items": self.items}
