"""plugin_utils/warm.py: what ansible-playbook's main process prepares once for the workers it forks."""

import os
import subprocess
import sys
import textwrap

from unit_helpers import ROOT

CHILD = textwrap.dedent("""
    import gc, sys
    from ansible.plugins.loader import init_plugin_loader
    init_plugin_loader([%(collections)r])
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar, trust_as_template

    def modules_a_worker_loads():
        before = set(sys.modules)
        Templar(loader=DataLoader(), variables={"objects": [{"kind": "Secret", "metadata": {"name": "a"}}]}).evaluate_conditional(
            trust_as_template("objects | split_brain.deploy.object_keys | length > 0 and 'x' is string"))
        return sorted(set(sys.modules) - before)

    if sys.argv[1] == "prepared":
        from ansible_collections.split_brain.deploy.plugins.plugin_utils.warm import prepare_workers
        prepare_workers()
        assert gc.get_freeze_count() > 1000, gc.get_freeze_count()
    print(len(modules_a_worker_loads()))
""")


def modules_loaded_by_first_condition(mode):
    script = CHILD % {"collections": str(ROOT / "collections")}
    out = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True, check=True,
                         env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(ROOT / "collections")))
    return int(out.stdout.strip())


def test_a_worker_of_a_prepared_process_loads_no_templating_plugin():
    assert modules_loaded_by_first_condition("bare") > 5  # ansible.builtin's filters and tests, ours
    assert modules_loaded_by_first_condition("prepared") == 0
