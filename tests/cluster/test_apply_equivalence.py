"""split_brain.deploy.k8s_apply (in-process on a local connection) against kubernetes.core.k8s (the
module), side by side on the same cluster: the same objects, each in a namespace of its own, one
play running both. The action's task has a Python interpreter that cannot run (/bin/false), so a
result from it can only come from the in-process path.

Compared: changed (create, no-op, change), the returned objects (bar what the server assigns:
uid, resourceVersion, timestamps, the namespace's name, a Service's cluster IP), check mode
(nothing written, changed reported), --diff, the error of an invalid object, of an unreachable
server and of a kubeconfig that does not exist, and the connection from the task's environment
(K8S_AUTH_KUBECONFIG, KUBECONFIG) with no kubeconfig option. Then the in-process readers
(split_brain.deploy.status) with K8S_AUTH_KUBECONFIG from the task's environment, beside
kubernetes.core.k8s_info.
"""

import copy
import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml
from clusterlib import ROOT

ANSIBLE_PLAYBOOK = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "ansible-playbook")
if not Path(ANSIBLE_PLAYBOOK).exists():
    ANSIBLE_PLAYBOOK = "ansible-playbook"

OBJECTS = """\
---
apiVersion: v1
kind: Namespace
metadata:
  name: "{{ ns }}"
  labels: {eq-test: "true"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: "{{ ns }}"
data:
  value: "{{ value }}"
---
apiVersion: v1
kind: Secret
metadata:
  name: credentials
  namespace: "{{ ns }}"
stringData:
  token: "{{ token | default('s3cr3t-token') }}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: "{{ ns }}"
  labels: {app: web}
spec:
  replicas: {{ replicas | default(1) }}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations: {value: "{{ value }}"}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: "{{ ns }}"
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8080
"""

# Both tasks take their connection options from `auth` (a dict, omitted when empty) and the
# environment from `task_env`; `ns_k8s` and `ns_action` name their namespaces.
PLAYBOOK = """\
- name: The same objects, applied by kubernetes.core.k8s and by split_brain.deploy.k8s_apply
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    auth: {}
    task_env: {}
    ssa: {field_manager: eq-test, force_conflicts: true}
  tasks:
    - name: By the module
      kubernetes.core.k8s:
        kubeconfig: "{{ auth.kubeconfig | default(omit) }}"
        resource_definition: "{{ lookup('template', objects, template_vars={'ns': ns_k8s}) | from_yaml_all | list }}"
        apply: true
        server_side_apply: "{{ ssa }}"
      environment: "{{ task_env }}"
      register: by_k8s
      ignore_errors: true

    - name: By the action, in-process (no interpreter could run a module here)
      split_brain.deploy.k8s_apply:
        kubeconfig: "{{ auth.kubeconfig | default(omit) }}"
        resource_definition: "{{ lookup('template', objects, template_vars={'ns': ns_action}) | from_yaml_all | list }}"
        apply: true
        server_side_apply: "{{ ssa }}"
      environment: "{{ task_env }}"
      register: by_action
      ignore_errors: true
      vars:
        ansible_python_interpreter: "{{ action_python | default('/bin/false') }}"

    - name: Write both results
      ansible.builtin.copy:
        content: "{{ {'k8s': by_k8s, 'action': by_action} | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
      check_mode: false
      diff: false
"""

SERVER_ASSIGNED = ("uid", "resourceVersion", "creationTimestamp", "generation")


def kubectl(*args, check=True):
    result = subprocess.run(["kubectl", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError("kubectl %s: %s" % (" ".join(args), result.stderr))
    return result


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A folder with the playbook and the object template, and two namespace names."""
    folder = tmp_path_factory.mktemp("apply-equivalence")
    (folder / "play.yml").write_text(PLAYBOOK)
    (folder / "objects.yaml.j2").write_text(OBJECTS)
    suffix = uuid.uuid4().hex[:6]
    names = {"ns_k8s": "eq-k8s-" + suffix, "ns_action": "eq-action-" + suffix}
    yield folder, names
    kubectl("delete", "namespace", "-l", "eq-test=true", "--ignore-not-found", "--wait=false", check=False)


def run(folder, names, *args, env=None, **extra_vars):
    """Run the play; return (both results, the play's stdout)."""
    out = folder / ("out-%s.json" % uuid.uuid4().hex[:8])
    variables = dict(names, objects=str(folder / "objects.yaml.j2"), out=str(out), value="1")
    variables.update(extra_vars)
    cmd = [ANSIBLE_PLAYBOOK, str(folder / "play.yml"), "-e", json.dumps(variables), *args]
    full_env = dict(os.environ if env is None else env, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1",
                    ANSIBLE_FORCE_COLOR="0")  # molecule exports ANSIBLE_FORCE_COLOR, which beats NOCOLOR
    proc = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True)
    assert out.exists(), "the play did not get to write its results:\n%s\n%s" % (proc.stdout[-6000:], proc.stderr[-3000:])
    results = json.loads(out.read_text())
    out.unlink()
    return results, proc.stdout


def normalize(value, names):
    """``value`` without what the server assigns or the run names (and without Deployment status,
    which the controllers change between the two applies)."""
    text = json.dumps(value)
    for placeholder, name in (("<ns>", names["ns_k8s"]), ("<ns>", names["ns_action"])):
        text = text.replace(name, placeholder)
    text = re.sub(r"0x[0-9a-f]+", "0x?", text)  # object addresses in an exception's text
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<time>", text)  # in printed diffs
    text = re.sub(r"(resourceVersion|uid)(\\?\"?:\s*\\?[\"']?)[0-9a-f-]+", r"\1\2<id>", text)
    value = json.loads(text)

    def clean(node):
        if isinstance(node, dict):
            metadata = node.get("metadata")
            if isinstance(metadata, dict):
                for key in SERVER_ASSIGNED:
                    metadata.pop(key, None)
                for entry in metadata.get("managedFields") or []:
                    entry.pop("time", None)
            if isinstance(node.get("spec"), dict):
                for key in ("clusterIP", "clusterIPs"):
                    node["spec"].pop(key, None)
            if node.get("kind") in ("Deployment", "Namespace"):
                node.pop("status", None)
            for key in ("duration",):
                node.pop(key, None)
            for child in node.values():
                clean(child)
        elif isinstance(node, list):
            for child in node:
                clean(child)
        return node

    return clean(copy.deepcopy(value))


def outcome(result, names):
    """What a caller reads: changed, failed, msg, and per object method, changed, diff, warnings."""
    entries = (result.get("result") or {}).get("results", [])
    return normalize({
        "changed": result.get("changed"),
        "failed": result.get("failed", False),
        "msg": result.get("msg"),
        "error": result.get("error"),
        "objects": [{key: entry.get(key) for key in ("changed", "method", "diff", "warnings", "error")} for entry in entries],
    }, names)


def objects_of(result, names):
    return [normalize(entry["result"], names) for entry in result["result"]["results"]]


def live_value(namespace):
    return kubectl("get", "configmap", "settings", "-n", namespace, "-o", "jsonpath={.data.value}").stdout


def test_create_noop_check_change_and_diff_match_the_module(work):
    folder, names = work

    created, _ = run(folder, names)
    assert created["k8s"]["changed"] is True, created["k8s"]
    assert outcome(created["action"], names) == outcome(created["k8s"], names)
    assert objects_of(created["action"], names) == objects_of(created["k8s"], names)
    assert [entry["method"] for entry in created["action"]["result"]["results"]] == ["apply"] * 5
    assert live_value(names["ns_action"]) == "1"

    noop, _ = run(folder, names)
    assert noop["k8s"]["changed"] is False and noop["action"]["changed"] is False, (noop["k8s"], noop["action"])
    assert outcome(noop["action"], names) == outcome(noop["k8s"], names)
    assert objects_of(noop["action"], names) == objects_of(noop["k8s"], names)

    # Check mode: a server-side dry run; changed is reported, nothing is written.
    checked, stdout = run(folder, names, "--check", "--diff", value="2")
    assert checked["k8s"]["changed"] is True, checked["k8s"]
    assert outcome(checked["action"], names) == outcome(checked["k8s"], names)
    assert objects_of(checked["action"], names) == objects_of(checked["k8s"], names)
    diffs = [entry.get("diff") for entry in checked["action"]["result"]["results"]]
    assert diffs[1]["after"]["data"]["value"] == "2" and diffs[1]["before"]["data"]["value"] == "1", diffs[1]
    assert live_value(names["ns_k8s"]) == "1" and live_value(names["ns_action"]) == "1"
    # One object: its diff is the task's, and --diff prints it; the same for both tasks.
    (folder / "one.yaml.j2").write_text(OBJECTS.split("---\n")[2])
    one, stdout = run(folder, names, "--check", "--diff", objects=str(folder / "one.yaml.j2"), value="3")
    assert one["k8s"]["changed"] is True and one["k8s"]["method"] == "apply", one["k8s"]
    assert normalize(one["action"], names) == normalize(one["k8s"], names)
    blocks = re.split(r"^TASK \[", stdout, flags=re.M)
    module_block = next(block for block in blocks if block.startswith("By the module"))
    action_block = next(block for block in blocks if block.startswith("By the action"))
    assert re.search(r"^-\s+\"?value\"?: \"?'?1", module_block, re.M), module_block
    assert re.search(r"^\+\s+\"?value\"?: \"?'?3", module_block, re.M), module_block
    assert normalize(action_block.split("\n", 1)[1], names) == normalize(module_block.split("\n", 1)[1], names)
    assert live_value(names["ns_k8s"]) == "1" and live_value(names["ns_action"]) == "1"

    changed, _ = run(folder, names, "--diff", value="2", replicas="2")
    assert changed["k8s"]["changed"] is True and changed["action"]["changed"] is True
    assert outcome(changed["action"], names) == outcome(changed["k8s"], names)
    assert [entry["changed"] for entry in changed["action"]["result"]["results"]] == [False, True, False, True, False]
    assert live_value(names["ns_k8s"]) == "2" and live_value(names["ns_action"]) == "2"


def test_an_invalid_object_fails_with_the_module_message(work):
    folder, names = work
    failed, _ = run(folder, names, replicas="-1")
    assert failed["k8s"].get("failed") and failed["action"].get("failed"), (failed["k8s"], failed["action"])
    assert "spec.replicas" in failed["k8s"]["msg"], failed["k8s"]["msg"]
    assert normalize(failed["action"]["msg"], names) == normalize(failed["k8s"]["msg"], names)
    assert normalize(failed["action"].get("error"), names) == normalize(failed["k8s"].get("error"), names)
    assert normalize(failed["action"].get("reason"), names) == normalize(failed["k8s"].get("reason"), names)

    unknown = {"apiVersion": "apps/v1", "kind": "Deployment"}
    assert unknown  # an unknown field: the server's strict field validation of server-side apply
    (folder / "unknown.yaml.j2").write_text(OBJECTS.replace("  replicas: {{ replicas | default(1) }}\n",
                                                            "  replicas: 1\n  replicaz: 3\n"))
    failed, _ = run(folder, names, objects=str(folder / "unknown.yaml.j2"))
    assert failed["k8s"].get("failed") and failed["action"].get("failed"), (failed["k8s"], failed["action"])
    assert "replicaz" in failed["k8s"]["msg"], failed["k8s"]["msg"]
    assert normalize(failed["action"]["msg"], names) == normalize(failed["k8s"]["msg"], names)


def kubeconfig_with_server(folder, server):
    config = yaml.safe_load(Path(os.environ["KUBECONFIG"]).read_text())
    for cluster in config["clusters"]:
        cluster["cluster"]["server"] = server
    path = folder / "unreachable-kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def test_an_unreachable_server_and_a_missing_kubeconfig_fail_alike(work):
    folder, names = work
    unreachable = kubeconfig_with_server(folder, "https://127.0.0.1:9")
    # The client's first request raises (the module dies of it rather than reporting it): the
    # action leaves that to the module, so this run needs an interpreter that can run it.
    failed, _ = run(folder, names, auth={"kubeconfig": unreachable}, action_python=str(Path(ANSIBLE_PLAYBOOK).parent / "python"))
    assert failed["k8s"].get("failed") and failed["action"].get("failed"), (failed["k8s"], failed["action"])
    assert "Connection refused" in failed["k8s"]["msg"], failed["k8s"]["msg"]
    assert normalize(failed["action"]["msg"], names) == normalize(failed["k8s"]["msg"], names)
    # Without an interpreter the fallback cannot run: the action did try the module.
    failed, _ = run(folder, names, auth={"kubeconfig": unreachable})
    assert failed["action"].get("failed") and "Connection refused" not in failed["action"]["msg"], failed["action"]

    missing = str(folder / "no-such-kubeconfig")
    failed, _ = run(folder, names, auth={"kubeconfig": missing})
    assert failed["k8s"].get("failed") and failed["action"].get("failed"), (failed["k8s"], failed["action"])
    assert "no-such-kubeconfig" in failed["k8s"]["msg"], failed["k8s"]["msg"]
    assert normalize(failed["action"]["msg"], names) == normalize(failed["k8s"]["msg"], names)


def bare_environment(home):
    """The controller's environment without a kubeconfig: no KUBECONFIG, a HOME without ~/.kube."""
    env = {key: value for key, value in os.environ.items() if key != "KUBECONFIG" and not key.startswith("K8S_AUTH_")}
    env["HOME"] = str(home)
    return env


@pytest.mark.parametrize("variable", ["K8S_AUTH_KUBECONFIG", "KUBECONFIG"])
def test_the_kubeconfig_from_the_task_environment(work, tmp_path, variable):
    folder, names = work
    env = bare_environment(tmp_path)

    # Nothing anywhere: both fail the same way (kubernetes.core's message for no configuration).
    nothing, _ = run(folder, names, env=env)
    assert nothing["k8s"].get("failed") and nothing["action"].get("failed"), (nothing["k8s"], nothing["action"])
    assert normalize(nothing["action"]["msg"], names) == normalize(nothing["k8s"]["msg"], names)

    found, _ = run(folder, names, env=env, task_env={variable: os.environ["KUBECONFIG"]}, value="env-%s" % variable)
    assert not found["k8s"].get("failed") and not found["action"].get("failed"), (found["k8s"], found["action"])
    assert live_value(names["ns_k8s"]) == live_value(names["ns_action"]) == "env-%s" % variable
    assert outcome(found["action"], names) == outcome(found["k8s"], names)

    bogus = str(tmp_path / "bogus-kubeconfig")
    failed, _ = run(folder, names, env=env, task_env={variable: bogus})
    assert failed["k8s"].get("failed") and failed["action"].get("failed"), (failed["k8s"], failed["action"])
    assert normalize(failed["action"]["msg"], names) == normalize(failed["k8s"]["msg"], names)

    # The task's environment wins over the controller's.
    overridden, _ = run(folder, names, task_env={variable: bogus})
    assert overridden["k8s"].get("failed") and overridden["action"].get("failed"), (overridden["k8s"], overridden["action"])
    assert normalize(overridden["action"]["msg"], names) == normalize(overridden["k8s"]["msg"], names)


READERS = """\
- name: Read a release with K8S_AUTH_KUBECONFIG from the task's environment
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  environment: "{{ task_env }}"
  tasks:
    - name: kubernetes.core.k8s_info (a module)
      kubernetes.core.k8s_info:
        kind: ConfigMap
        namespace: "{{ ns }}"
        name: settings
      register: by_info
      ignore_errors: true

    - name: split_brain.deploy.status (in-process; no interpreter could run a module here)
      split_brain.deploy.status:
        namespace: "{{ ns }}"
        instance: "{{ ns }}"
      register: by_status
      ignore_errors: true
      vars:
        ansible_python_interpreter: /bin/false

    - name: Write both results
      ansible.builtin.copy:
        content: "{{ {'info': by_info, 'status': by_status} | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
"""


def test_in_process_readers_honour_the_task_environment(work, tmp_path):
    folder, names = work
    run(folder, names)  # the namespaces exist
    playbook = tmp_path / "readers.yml"
    playbook.write_text(READERS)
    env = dict(bare_environment(tmp_path), ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")

    def read(task_env):
        out = tmp_path / "readers.json"
        cmd = [ANSIBLE_PLAYBOOK, str(playbook), "-e", json.dumps({"ns": names["ns_action"], "out": str(out), "task_env": task_env})]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.exists(), proc.stdout[-4000:] + proc.stderr[-2000:]
        return json.loads(out.read_text())

    found = read({"K8S_AUTH_KUBECONFIG": os.environ["KUBECONFIG"]})
    assert not found["info"].get("failed"), found["info"]
    assert [item["data"]["value"] for item in found["info"]["resources"]] == [live_value(names["ns_action"])]
    assert not found["status"].get("failed"), found["status"]
    assert found["status"]["components"] == [], found["status"]  # the namespace holds no release

    failed = read({"K8S_AUTH_KUBECONFIG": str(tmp_path / "bogus-kubeconfig")})
    assert failed["info"].get("failed") and failed["status"].get("failed"), (failed["info"], failed["status"])
    # kubernetes.core's words for a kubeconfig that does not exist, from both.
    assert "Invalid kube-config file" in failed["info"]["msg"], failed["info"]["msg"]
    assert failed["info"]["msg"] in failed["status"]["msg"], (failed["info"]["msg"], failed["status"]["msg"])
