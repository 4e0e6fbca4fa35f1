"""Invalid inventories fail in the validation task, with every problem named, before anything is applied.

Each case of tests/bad_input/ is a file of extra vars on top of inventories/dev, run through the
real `ansible-playbook site.yml` (deploying) with a kubeconfig whose server is unreachable: if
validation let a case through, the play would go on to the cluster tasks and this test would see
them. Reproduce a case by hand with
    ansible-playbook site.yml -i inventories/dev -e @tests/bad_input/<case>.yml
"""

import os
import re

import pytest
import yaml

from helpers import ROOT, render, run_playbook

CASES = ROOT / "tests" / "bad_input"
VALIDATE_TASK = "Check the variables of the roles this run deploys and the rules between them"
# Tasks that render or touch objects: none may run after a failed validation.
# The task after the validation: it renders, writes or applies.
RELEASE_TASK = "Render the objects and apply them under the release lock (or write them to split_brain_render_dir)"
LATER_TASKS = (RELEASE_TASK,)
SECRET_VARIABLES = (
    "router_anthropic_api_key",
    "router_scalarlm_api_key",
    "cloudflared_tunnel_token",
    "ui_google_client_secret",
    "ui_google_session_secret",
)
# Every shipped example vault value starts with this.
EXAMPLE_PREFIX = "EXAMPLE-"

# Each case file names what the run must report: one `# expect: <text>` comment line per problem
# (a substring of the failure's output). A new case is a new file, nothing else.
EXPECT = re.compile(r"^# expect: (.*)$", re.M)
# The batch inventory's group of cases (every case is a host of it, its variables the host's).
CASE_HOST_PREFIX = "bad-input-"


def expected(path):
    """The `# expect:` lines of a case file."""
    return EXPECT.findall(path.read_text())


CASE_FILES = sorted(CASES.glob("*.yml"))


@pytest.fixture(scope="session")
def kubeconfig(tmp_path_factory):
    """A kubeconfig whose API server nobody listens on: any cluster access would fail."""
    path = tmp_path_factory.mktemp("kube") / "config"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "unreachable", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "nobody", "user": {}}],
        "contexts": [{"name": "unreachable", "context": {"cluster": "unreachable", "user": "nobody"}}],
        "current-context": "unreachable",
    }))
    return str(path)


def deploy(inventory, kubeconfig, *args):
    """`ansible-playbook site.yml` against the unreachable cluster; return stdout + stderr."""
    result = run_playbook("site.yml", inventory, "-e", "split_brain_kubeconfig=%s" % kubeconfig, *args,
                          env={"KUBECONFIG": kubeconfig, "K8S_AUTH_KUBECONFIG": kubeconfig})
    return result, result.stdout + result.stderr


def _leaves(value):
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [] if value in (None, "") else [str(value).strip()]


def secret_values(case_vars):
    """The literal secret values a case sets, inside dicts and lists too (templates are not secrets)."""
    return [leaf for name in SECRET_VARIABLES for leaf in _leaves(case_vars.get(name)) if "{{" not in leaf]


def assert_failed_in_validation(result, output):
    """The play failed, in the validation task, and no task rendered or applied anything."""
    assert result.returncode != 0, output[-3000:]
    tasks = re.findall(r"^TASK \[(.*?)\] \*+$", result.stdout, re.M)
    assert tasks and tasks[-1].endswith(VALIDATE_TASK), tasks
    assert re.search(r"^fatal: \[split-brain-\w+\]: FAILED!", result.stdout, re.M), output[-3000:]
    assert re.search(r"failed=1\b", result.stdout)
    for name in LATER_TASKS:
        assert name not in output, "%s ran after the validation failed" % name


def assert_no_secret(output, secrets):
    assert EXAMPLE_PREFIX not in output, "a shipped example secret was printed"
    for value in secrets:
        assert value not in output, "a secret value was printed"


@pytest.fixture(scope="module")
def batch(kubeconfig, tmp_path_factory):
    """Every case in one `ansible-playbook site.yml` run: each case is a host of inventories/dev whose
    host variables are the case file's, copied verbatim as `host_vars/bad-input-<case>.yml` beside
    the generated inventory (they win over the inventory's group_vars, as -e @case.yml would, and
    the validation reads them as typed, as it reads an operator's host_vars file).
    Returns ``(result, output, {case: its fatal result text})``."""
    folder = tmp_path_factory.mktemp("bad-input")
    (folder / "host_vars").mkdir()
    hosts = {}
    for path in CASE_FILES:
        host = CASE_HOST_PREFIX + path.stem
        (folder / "host_vars" / (host + ".yml")).write_bytes(path.read_bytes())
        hosts[host] = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    inventory = folder / "cases.yml"
    inventory.write_text(yaml.safe_dump({"split_brain": {"hosts": hosts, "vars": {"split_brain_kubeconfig": kubeconfig}}}))
    result = run_playbook("site.yml", "dev", "-i", str(inventory), "--limit", "split_brain:!split-brain-dev",
                          "--forks", "10", env={"KUBECONFIG": kubeconfig, "K8S_AUTH_KUBECONFIG": kubeconfig})
    output = result.stdout + result.stderr
    fatal = {match["host"][len(CASE_HOST_PREFIX):]: match["body"]
             for match in re.finditer(r"^fatal: \[(?P<host>[^\]]+)\]: FAILED! =>(?P<body>.*?)(?=^\S)", result.stdout, re.M | re.S)}
    return result, output, fatal


def test_every_case_file_says_what_it_expects():
    assert len(CASE_FILES) >= 100
    for path in CASE_FILES:
        assert expected(path), "%s has no `# expect:` line" % path.name


def test_no_case_gets_past_validation(batch):
    result, output, fatal = batch
    assert result.returncode != 0, output[-3000:]
    tasks = re.findall(r"^TASK \[(.*?)\] \*+$", result.stdout, re.M)
    assert tasks and tasks[-1].endswith(VALIDATE_TASK), tasks
    for name in LATER_TASKS:
        assert name not in output, "%s ran after the validation failed" % name
    assert sorted(fatal) == sorted(path.stem for path in CASE_FILES), output[-3000:]


# Values of any variable that look like a credential (a JWT, an API key): no line may quote them.
CREDENTIAL_LIKE = re.compile(r"^(?:eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.|sk-ant-|GOCSPX-)")


def credential_values(case_vars):
    """Every value of a case, in any variable, that looks like a credential (outer whitespace stripped)."""
    return [leaf for value in case_vars.values() for leaf in _leaves(value) if CREDENTIAL_LIKE.match(leaf)]


def test_no_secret_value_is_printed(batch):
    _result, output, _fatal = batch
    assert_no_secret(output, [value for path in CASE_FILES for value in secret_values(yaml.safe_load(path.read_text()) or {})])
    credentials = [value for path in CASE_FILES for value in credential_values(yaml.safe_load(path.read_text()) or {})]
    assert len(credentials) >= 4
    assert_no_secret(output, credentials)


@pytest.mark.parametrize("case", [path.stem for path in CASE_FILES])
def test_bad_input_fails_before_anything_is_applied(case, batch):
    result, output, fatal = batch
    assert case in fatal, "%s passed validation:\n%s" % (case, output[-3000:])
    assert re.search(r"^%s%s\s+: .*\bfailed=1\b" % (CASE_HOST_PREFIX, re.escape(case)), result.stdout, re.M)
    assert "Invalid inventory" in fatal[case]
    for text in expected(CASES / (case + ".yml")):
        assert text in fatal[case], "%s: %r not reported in:\n%s" % (case, text, fatal[case])


def test_every_problem_is_reported_at_once(kubeconfig):
    """One run reports all of them, counted, one line each; a typo'd variable of the collection among them."""
    result, output = deploy("dev", kubeconfig, "-e", "@%s" % (CASES / "many_problems.yml"))
    count = len(expected(CASES / "many_problems.yml"))
    assert "Invalid inventory (%d problems):" % count in output
    match = re.search(r"msg: \|-\n((?:\s+.*\n)+?)\s+problems:", result.stdout)
    assert match, result.stdout[-4000:]
    lines = [line.strip() for line in match.group(1).splitlines() if line.strip().startswith("- ")]
    assert len(lines) == count, lines
    assert "- router_replica: is not a variable of split_brain.deploy (did you mean router_replicas?)" in lines


def test_production_refuses_the_shipped_example_secrets(kubeconfig):
    result, output = deploy("prod", kubeconfig)
    assert_failed_in_validation(result, output)
    assert "Invalid inventory (%d problems):" % len(SECRET_VARIABLES) in output
    for name in SECRET_VARIABLES:
        assert "%s: still the shipped example value" % name in output
    assert_no_secret(output, [])


def test_rendering_production_is_not_deploying(tmp_path):
    """Render contacts no cluster, so the example secrets are fine (and stay redacted)."""
    objects = render("prod", tmp_path)
    assert {obj["kind"] for obj in objects} >= {"Namespace", "Deployment", "Secret"}
    assert EXAMPLE_PREFIX not in "".join(path.read_text() for path in tmp_path.glob("*.yaml"))


def test_a_valid_inventory_passes_validation(kubeconfig):
    """The control case: dev is valid, so the play gets past validation and only fails at the cluster."""
    result, output = deploy("dev", kubeconfig)
    assert result.returncode != 0
    assert re.search(r"TASK \[split_brain\.deploy\.split_brain : %s\] \*+\nok:" % VALIDATE_TASK, result.stdout), output[-3000:]
    # The first cluster access is the release task's, which fails before it writes anything (no
    # server there): its failure is reported, with Secret values scrubbed.
    assert "TASK [split_brain.deploy.split_brain : %s]" % RELEASE_TASK in output
    assert "Cannot reach the Kubernetes API server at https://127.0.0.1:9: connection refused" in output
    assert_no_secret(output, [])


def test_a_kubeconfig_from_the_environment_that_is_not_there_is_named(tmp_path):
    """split_brain_kubeconfig empty: K8S_AUTH_KUBECONFIG (or KUBECONFIG) names the file, which is missing."""
    missing = str(tmp_path / "no-such-kubeconfig")
    env = dict(os.environ, K8S_AUTH_KUBECONFIG=missing, KUBECONFIG=missing)
    result = run_playbook("site.yml", "dev", env=env)
    output = result.stdout + result.stderr
    assert_failed_in_validation(result, output)
    assert "K8S_AUTH_KUBECONFIG: the file %s does not exist" % missing in output


def test_a_value_from_an_ini_inventory_gets_an_ini_hint(kubeconfig, tmp_path):
    """INI drops the quotes of a host line (shell quoting) and keeps them in a [group:vars] section:
    the hint says how to write the value there, not only "quote it in YAML"."""
    inventory = tmp_path / "hosts.ini"
    inventory.write_text(
        "[split_brain]\n"
        "split-brain-ini ansible_connection=local ansible_python_interpreter=\"{{ ansible_playbook_python }}\""
        " router_anthropic_model=\"1.10\"\n"
        "\n[split_brain:vars]\nrouter_image_tag=1.10\nsplit_brain_kubeconfig=%s\n" % kubeconfig)
    result = run_playbook("site.yml", "dev", "-i", str(inventory), "--limit", "split-brain-ini",
                          env={"KUBECONFIG": kubeconfig, "K8S_AUTH_KUBECONFIG": kubeconfig})
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert ("router_anthropic_model: must be a string, got the float 1.1; quote it in YAML (e.g. \"1.10\") so it"
            " stays a string; unquoted, 1.10 is the number 1.1; it is set on a host line of an INI inventory, which"
            " drops plain quotes: write router_anthropic_model='\"...\"' there") in output, output[-3000:]
    assert "router_image_tag: must be a string, got the float 1.1" in output
    assert ("it is set in a [group:vars] section of an INI inventory: write router_image_tag=\"...\" there (double"
            " quotes)") in output


def test_files_ansible_ignores_inline_extra_vars_and_extensionless_files_are_checked(kubeconfig, tmp_path):
    """group_vars/split_brain.yml beside group_vars/split_brain/ (Ansible reads the folder only) is
    an error naming both; a file without extension in the folder and -e '{...}' are read as typed."""
    (tmp_path / "group_vars" / "split_brain").mkdir(parents=True)
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump({"split_brain": {"hosts": {"split-brain-typed": {
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "split_brain_kubeconfig": kubeconfig}}}}))
    (tmp_path / "group_vars" / "split_brain" / "vars").write_text("---\nui_replicas: 0x2\n")
    (tmp_path / "group_vars" / "split_brain.yml").write_text("---\nrouter_replicas: 2\n")
    result = run_playbook("site.yml", "dev", "-i", str(tmp_path / "hosts.yml"), "--limit", "split-brain-typed",
                          "-e", "{router_max_in_flight: 010}",
                          env={"KUBECONFIG": kubeconfig, "K8S_AUTH_KUBECONFIG": kubeconfig})
    output = " ".join((result.stdout + result.stderr).split())
    assert_failed_in_validation(result, result.stdout + result.stderr)
    assert "ui_replicas: 0x2 is read by YAML 1.1 as the integer 2" in output
    assert "router_max_in_flight: 010 is read by YAML 1.1 as the integer 8; write 10" in output
    assert ("%s: Ansible ignores this file, as it reads %s/ (a folder) for group split_brain first"
            % (tmp_path / "group_vars" / "split_brain.yml", tmp_path / "group_vars" / "split_brain")) in output, output[-3000:]
