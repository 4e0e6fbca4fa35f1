"""No Secret value in any output, on the local cluster: every playbook at -vvvv (site, render,
status, history, rollback, uninstall, access, a role used alone), with a distinct value in every
secret variable, and a run that fails on an API refusal; site through ansible-runner's job events
at verbosity 0. Plain, base64 or JSON-escaped. The release of this test has a namespace of its
own, removed at the end. (tests/test_secret_leaks.py does the same offline.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clusterlib import LOCAL_VARS, ROOT, ansible_env, kubectl, recap  # noqa: E402
from leaks import distinct_values, leak_inventory, leaks  # noqa: E402

NAMESPACE = "split-brain-leaks"
# prod's settings, on a volume the local cluster's PersistentVolumes (10Gi) can hold.
RELEASE = ["-e", LOCAL_VARS, "-e", "split_brain_namespace=%s" % NAMESPACE, "-e", "split_brain_instance=leaks",
           "-e", "split_brain_storage_size=5Gi"]


@pytest.fixture(scope="module")
def secrets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leaks")
    values = distinct_values()
    inventory = leak_inventory(folder, values)
    yield values, inventory, folder
    run("uninstall", inventory, "-e", "split_brain_delete_data=true", vvvv=False)  # already gone unless a test failed
    subprocess.run([str(ROOT / "scripts" / "cluster" / "recycle-pvs.sh")], cwd=ROOT, capture_output=True, check=True)


def run(playbook, inventory, *args, vvvv=True):
    path = playbook if os.path.isabs(str(playbook)) else str(ROOT / "playbooks" / ("%s.yml" % playbook))
    cmd = ["ansible-playbook", *(["-vvvv"] if vvvv else []), path, "-i", str(inventory), *RELEASE, *args]
    return subprocess.run(cmd, cwd=ROOT, env=ansible_env(), capture_output=True, text=True, check=False)


def no_leak(result, values):
    output = result.stdout + result.stderr
    found = leaks(output, values)
    assert not found, "%s printed in:\n%s" % (found, output[-3000:])
    return result


def test_no_playbook_prints_a_secret_at_vvvv_on_the_cluster(secrets):
    values, inventory, folder = secrets
    deployed = no_leak(run("site", inventory), values)
    assert deployed.returncode == 0, deployed.stdout[-4000:]
    stored = json.loads(kubectl("get", "secret", "anthropic-api-key", "-n", NAMESPACE, "-o", "json").stdout)
    assert stored["data"]["ANTHROPIC_API_KEY"]  # the value reached the cluster, only there
    assert recap(no_leak(run("site", inventory, "--check", "--diff"), values).stdout)["failed"] == 0

    changed = no_leak(run("site", inventory, "--diff", "-e", "router_max_in_flight=33"), values)
    assert changed.returncode == 0 and recap(changed.stdout)["changed"] >= 1, changed.stdout[-3000:]
    for playbook, args in (("status", []), ("history", []), ("rollback", []),
                           ("access", ["-e", "split_brain_access_kubeconfig_path=%s" % (folder / "access.kubeconfig")]),
                           ("render", ["-e", "split_brain_render_dir=%s" % (folder / "out")])):
        result = no_leak(run(playbook, inventory, *args), values)
        assert result.returncode == 0, "%s: %s" % (playbook, result.stdout[-3000:])

    alone = folder / "router.yml"
    alone.write_text(yaml.safe_dump([{"name": "The router alone", "hosts": "split_brain", "gather_facts": False,
                                      "roles": ["split_brain.deploy.router"]}]))
    assert no_leak(run(str(alone), inventory), values).returncode == 0


def test_an_api_refusal_prints_no_secret_at_vvvv(secrets):
    """A volume claim cannot shrink: the preflight refuses the run, and says so without a value."""
    values, inventory, _folder = secrets
    assert run("site", inventory, vvvv=False).returncode == 0
    refused = no_leak(run("site", inventory, "-e", "split_brain_storage_size=1Mi"), values)
    assert refused.returncode == 2, refused.stdout[-3000:]
    assert "refused" in refused.stdout and "PersistentVolumeClaim" in refused.stdout, refused.stdout[-3000:]


def test_no_job_event_of_ansible_runner_holds_a_secret_on_the_cluster(secrets, tmp_path):
    runner = pytest.importorskip("ansible_runner")
    values, inventory, _folder = secrets
    private = tmp_path / "runner"
    private.mkdir()
    environment = dict((k, v) for k, v in ansible_env().items() if k.startswith(("ANSIBLE_", "K8S_", "KUBE", "PATH")))
    result = runner.run(private_data_dir=str(private), playbook=str(ROOT / "playbooks" / "site.yml"), inventory=str(inventory),
                        cmdline=" ".join(RELEASE + ["-e", "router_max_in_flight=34"]), envvars=environment, quiet=True)
    events = list(result.events)
    assert result.status == "successful", [e.get("stdout") for e in events][-20:]
    text = json.dumps(events) + "".join(path.read_text(errors="replace") for path in private.rglob("*") if path.is_file())
    assert not leaks(text, values), leaks(text, values)


def test_uninstall_prints_no_secret_at_vvvv(secrets):
    """Last: the release of this test removed at -vvvv, its data too; nothing printed, nothing left."""
    values, inventory, _folder = secrets
    removed = no_leak(run("uninstall", inventory, "-e", "split_brain_delete_data=true"), values)
    assert removed.returncode == 0 and recap(removed.stdout)["changed"] >= 1, removed.stdout[-3000:]
    assert kubectl("get", "namespace", NAMESPACE, check=False).returncode != 0
