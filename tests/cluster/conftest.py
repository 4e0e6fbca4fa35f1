"""The tests under tests/cluster change a live cluster: they run only inside molecule
(its side_effect step sets SPLIT_BRAIN_CLUSTER), never by accident against your KUBECONFIG."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SPLIT_BRAIN_CLUSTER"):
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="needs the molecule cluster (SPLIT_BRAIN_CLUSTER is not set)")
    for item in items:
        if Path(str(item.path)).is_relative_to(here):
            item.add_marker(skip)
