"""Shared fixtures of the offline tests (helpers live in tests/helpers.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import render  # noqa: E402


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """``{"dev": [objects], "prod": [objects]}`` as `make render` writes them."""
    return {env: render(env, tmp_path_factory.mktemp("render-" + env)) for env in ("dev", "prod")}
