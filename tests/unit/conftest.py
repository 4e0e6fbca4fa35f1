"""Fixtures of the unit tests; importing unit_helpers puts the collection on ``sys.path``."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from unit_helpers import ROLES, role_defaults  # noqa: E402


@pytest.fixture
def defaults():
    """Every role's defaults in one dict, with the secrets a deploy needs filled in (not examples)."""
    values = {}
    for role in ROLES:
        values.update(role_defaults(role))
    values.update(router_anthropic_api_key="sk-ant-unit-test-key", cloudflared_tunnel_token="unit-test-token")
    return values
