"""The README's variable tables are generated from the argument specs and must not drift."""

import subprocess
import sys

from helpers import ROOT


def test_readme_variable_tables_match_the_argument_specs():
    result = subprocess.run([sys.executable, "scripts/readme_variables.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
