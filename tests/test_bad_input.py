"""Invalid inventories fail in the validation task, with every problem named, before anything is applied.

Each case of tests/bad_input/ is a file of extra vars on top of inventories/dev, run through the
real `ansible-playbook site.yml` (deploying) with a kubeconfig whose server is unreachable: if
validation let a case through, the play would go on to the cluster tasks and this test would see
them. Reproduce a case by hand with
    ansible-playbook site.yml -i inventories/dev -e @tests/bad_input/<case>.yml
"""

import re

import pytest
import yaml

from helpers import ROOT, render, run_playbook

CASES = ROOT / "tests" / "bad_input"
VALIDATE_TASK = "Check every variable of every role and the rules between them"
# Tasks that render or touch objects: none may run after a failed validation.
LATER_TASKS = (
    "Render the namespace",
    "Render the shared volume claim",
    "Describe to the apply step",
    "Render the objects of",
    "Write one file per object",
    "Apply the objects with server-side apply",
    "Delete the objects of this release",
    "Wait for the Deployments",
)
SECRET_VARIABLES = (
    "router_anthropic_api_key",
    "router_scalarlm_api_key",
    "cloudflared_tunnel_token",
    "ui_google_client_secret",
    "ui_google_session_secret",
)
# Every shipped example vault value starts with this.
EXAMPLE_PREFIX = "EXAMPLE-"

EXPECTED = {
    "type_error": ["router_replicas: must be of type int, got str"],
    "bad_choice": ["split_brain_storage_access_mode: must be one of ReadWriteMany, ReadWriteOnce, got ReadWriteSometimes"],
    "unknown_resource_key": ["classifier_resources.limits: unknown key gpu (allowed: cpu, memory)"],
    "pdb_not_below_replicas": ["cloudflared_pdb_min_available: 1 is not below cloudflared_replicas (1)"],
    "rwo_ui_replicas": ["ui_replicas: 2 with split_brain_storage_access_mode ReadWriteOnce"],
    "autoscaling_max_below_replicas": ["router_autoscaling_max_replicas: 2 is below router_replicas (4)"],
    "scalarlm_url_without_key": ["router_scalarlm_api_key: empty, but router_scalarlm_base_url is set"],
    "scalarlm_key_without_url": ["router_scalarlm_api_key: set, but router_scalarlm_base_url is empty"],
    "google_signin_incomplete": [
        "ui_google_client_id: empty, but ui_google_signin_enabled is true",
        "ui_google_client_secret: empty, but ui_google_signin_enabled is true",
        "ui_google_session_secret: empty, but ui_google_signin_enabled is true",
    ],
    "empty_required_secrets": [
        "router_anthropic_api_key: empty, but split_brain_secrets_create is true",
        "cloudflared_tunnel_token: empty, but split_brain_secrets_create is true",
    ],
    "malformed_quantities": [
        "router_resources.requests.cpu: '250mm' is not a Kubernetes quantity",
        "router_resources.requests.memory: '512MB' is not a Kubernetes quantity",
    ],
    "request_above_limit": ["classifier_resources: requests.memory 4Gi is above limits.memory 2Gi"],
    "malformed_images": [
        "router_image_repository: 'ghcr.io/split-brain/router:1.0' carries a tag or digest",
        "ui_image_tag: '1.0 beta' is not an image tag",
        "classifier_image_digest: 'sha256:abc' is not a digest",
    ],
    "malformed_urls": [
        "router_scalarlm_base_url: must start with http:// or https://",
        "ui_google_redirect_url: has no host",
    ],
    "invalid_names": [
        "split_brain_namespace: 'Split_Brain' is not a DNS-1123 label",
        "split_brain_instance: 'split-brain-' is not a DNS-1123 label",
    ],
    "invalid_cidrs": [
        "split_brain_egress_excluded_cidrs[0]: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?",
        "split_brain_egress_excluded_cidrs[1]: 'fd00::/8' is not IPv4",
        "split_brain_egress_excluded_cidrs[2]: 'private' is not a CIDR",
    ],
    "config_extra_keys": [
        "router_config_extra: key 'LOG-LEVEL' is not an environment variable name",
        "ui_config_extra: key '2FA_REQUIRED' is not an environment variable name",
    ],
    "unresolved_secret": ["router_anthropic_api_key: cannot be resolved: 'vault_router_anthropic_api_key_typo' is undefined"],
    "many_problems": [
        "router_replicas: must be of type int, got str",
        "split_brain_pod_security_level: must be one of privileged, baseline, restricted, got strict",
        "ui_resources.requests: unknown key gpu (allowed: cpu, memory)",
        "cloudflared_pdb_min_available: 1 is not below cloudflared_replicas (1)",
        "ui_replicas: 3 with split_brain_storage_access_mode ReadWriteOnce",
        "router_autoscaling_max_replicas: must be at least 1, got 0",
        "classifier_resources.requests.memory: '1Gb' is not a Kubernetes quantity",
        "classifier_resources: requests.cpu 3 is above limits.cpu 2",
        "cloudflared_image_digest: 'sha256:0123' is not a digest",
        "ui_google_client_id: empty, but ui_google_signin_enabled is true",
        "ui_google_client_secret: empty, but ui_google_signin_enabled is true",
        "ui_google_session_secret: empty, but ui_google_signin_enabled is true",
        "ui_google_redirect_url: must start with http:// or https://",
        "split_brain_instance: 'Split-Brain' is not a DNS-1123 label",
        "split_brain_egress_excluded_cidrs[0]: '10.0.0.0/33' is not a CIDR",
        "classifier_config_extra: key 'MODEL PATH' is not an environment variable name",
        "cloudflared_tunnel_token: empty, but split_brain_secrets_create is true",
    ],
}


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


def secret_values(case_vars):
    """The literal secret values a case sets (templates and empty values are not secrets)."""
    return [str(case_vars[name]) for name in SECRET_VARIABLES
            if case_vars.get(name) and "{{" not in str(case_vars[name])]


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


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_fails_before_anything_is_applied(case, kubeconfig):
    path = CASES / (case + ".yml")
    case_vars = yaml.safe_load(path.read_text())
    result, output = deploy("dev", kubeconfig, "-e", "@%s" % path)

    assert_failed_in_validation(result, output)
    for text in EXPECTED[case]:
        assert text in output, "%s: %r not reported in:\n%s" % (case, text, output[-4000:])
    assert_no_secret(output, secret_values(case_vars))


def test_every_problem_is_reported_at_once(kubeconfig):
    """One run reports all of them, counted, one line each; a typo'd variable gets a warning."""
    result, output = deploy("dev", kubeconfig, "-e", "@%s" % (CASES / "many_problems.yml"))
    count = len(EXPECTED["many_problems"])
    assert "Invalid inventory (%d problems):" % count in output
    match = re.search(r"msg: \|-\n((?:\s+.*\n)+?)\s+problems:", result.stdout)
    assert match, result.stdout[-4000:]
    lines = [line.strip() for line in match.group(1).splitlines() if line.strip().startswith("- ")]
    assert len(lines) == count, lines
    assert "router_replica is not a variable of split_brain.deploy and is ignored (did you mean router_replicas?)" in output


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
    assert "Apply the objects with server-side apply" in output
    assert_no_secret(output, [])
