"""Shared fixtures of the offline tests (helpers live in tests/helpers.py)."""

import os
import sys
from pathlib import Path

import pytest

try:
    from hypothesis import settings
except ImportError:  # the property tests skip themselves
    settings = None

sys.path.insert(0, str(Path(__file__).parent))

from helpers import render  # noqa: E402

# Property tests (hypothesis). `ci`, the default, is derandomized: every run draws the same
# examples, so a result never depends on luck; every failure found so far is an @example of its
# test. `random` (make test-properties-random) draws new examples each run and prints the seed
# that replays a failure (pytest --hypothesis-seed=N).
if settings is not None:
    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.register_profile("random", derandomize=False, database=None, print_blob=True)
    settings.load_profile(os.environ.get("SPLIT_BRAIN_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """``{"dev": [objects], "prod": [objects]}`` as `make render` writes them."""
    return {env: render(env, tmp_path_factory.mktemp("render-" + env)) for env in ("dev", "prod")}
