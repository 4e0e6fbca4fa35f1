"""plugins/plugin_utils/validation/: the argument specs, the ranges and formats of constraints.yml, and the
rules between variables."""

from decimal import Decimal

import pytest

from ansible_collections.split_brain.deploy.plugins.action.validate import load_specs
from ansible_collections.split_brain.deploy.plugins.plugin_utils import validation as v
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import constraints, spec

OPTIONS, SECRETS = load_specs()
DIGEST = "sha256:" + "a" * 64


def problems(values, deploying=False):
    """Spec problems and rule problems of ``values``, like the action reports them."""
    lines, validated = v.spec_problems({n: OPTIONS[n] for n in values if n in OPTIONS}, values)
    return lines + v.check(validated, SECRETS, deploying)


def one(values, deploying=False):
    found = problems(values, deploying)
    assert len(found) == 1, found
    return found[0]


def test_the_defaults_with_secrets_are_valid(defaults):
    assert problems(defaults) == []
    dev = dict(defaults, split_brain_storage_access_mode="ReadWriteOnce", ui_replicas=1, ui_pdb_enabled=False)
    assert problems(dev) == []


# Argument spec ------------------------------------------------------------------------------------

def test_spec_type_choices_and_unknown_keys_all_at_once(defaults):
    defaults.update(
        router_replicas="three",
        split_brain_storage_access_mode="ReadWriteSometimes",
        ui_resources={"requests": {"cpu": "250m", "gpu": 1}, "limitz": {}},
        router_autoscaling_enabled="maybe",
    )
    lines, _validated = v.spec_problems({n: OPTIONS[n] for n in defaults}, defaults)
    text = "\n".join(lines)
    assert "router_replicas: must be an integer, got the string 'three'" in text
    assert "split_brain_storage_access_mode: must be one of ReadWriteMany, ReadWriteOnce, got ReadWriteSometimes" in text
    assert "ui_resources.requests: unknown key gpu (allowed: cpu, ephemeral-storage, memory)" in text
    assert "ui_resources: unknown key limitz (allowed: limits, requests)" in text
    assert "router_autoscaling_enabled: must be true or false, got the string 'maybe'" in text
    assert len(lines) == 5


def test_spec_converts_types(defaults):
    defaults.update(router_replicas="2", router_pdb_enabled="False")
    lines, validated = v.spec_problems({n: OPTIONS[n] for n in defaults}, defaults)
    assert lines == []
    assert validated["router_replicas"] == 2 and validated["router_pdb_enabled"] is False


def test_reword_keeps_unknown_messages():
    assert spec._reword("something else") == "something else"


# Replicas -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("component", ["router", "classifier", "ui", "cloudflared"])
def test_pdb_min_available_must_be_below_replicas(defaults, component):
    defaults.update({component + "_replicas": 1, component + "_pdb_min_available": 1})
    assert one(defaults).startswith("%s_pdb_min_available: 1 is not below %s_replicas (1)" % (component, component))
    defaults[component + "_pdb_enabled"] = False
    assert problems(defaults) == []


def test_rwo_allows_router_and_classifier_replicas_but_not_ui(defaults):
    defaults.update(split_brain_storage_access_mode="ReadWriteOnce", router_replicas=3, classifier_replicas=2, ui_replicas=1,
                    ui_pdb_enabled=False)
    assert problems(defaults) == []
    defaults["ui_replicas"] = 2
    assert one(defaults).startswith("ui_replicas: 2 with split_brain_storage_access_mode ReadWriteOnce")
    defaults["split_brain_storage_access_mode"] = "ReadWriteMany"
    assert problems(defaults) == []


def test_autoscaling_bounds(defaults):
    defaults.update(router_autoscaling_enabled=True, router_replicas=4, router_autoscaling_max_replicas=3)
    assert one(defaults) == "router_autoscaling_max_replicas: 3 is below router_replicas (4), the HPA's minimum"
    defaults.update(router_autoscaling_enabled=False)
    assert problems(defaults) == []
    defaults.update(router_autoscaling_enabled=True, router_replicas=0, router_pdb_enabled=False)
    assert one(defaults).startswith("router_replicas: must be at least 1 with router_autoscaling_enabled")


def test_ranges(defaults):
    defaults.update(cloudflared_replicas=-1, cloudflared_pdb_enabled=False, cloudflared_metrics_port=70000,
                    split_brain_run_as_user=0, split_brain_probe_period_seconds=0)
    assert sorted(problems(defaults)) == [
        "cloudflared_metrics_port: must be at most 65535, got 70000",
        "cloudflared_replicas: must be at least 0, got -1",
        "split_brain_probe_period_seconds: must be at least 1, got 0",
        "split_brain_run_as_user: must be at least 1, got 0",
    ]


def test_rollout_surge_and_unavailable(defaults):
    defaults.update(split_brain_rollout_max_surge="25%", split_brain_rollout_max_unavailable=1)
    assert problems(defaults) == []
    defaults.update(split_brain_rollout_max_surge=0, split_brain_rollout_max_unavailable="0%")
    assert one(defaults).startswith("split_brain_rollout_max_surge: cannot be 0")
    defaults.update(split_brain_rollout_max_surge="lots", split_brain_rollout_max_unavailable=True)
    assert len(problems(defaults)) == 2


# Secrets ------------------------------------------------------------------------------------------

def test_required_secrets_only_when_created(defaults):
    defaults.update(router_anthropic_api_key="", cloudflared_tunnel_token="")
    assert [p.split(":")[0] for p in problems(defaults)] == ["router_anthropic_api_key", "cloudflared_tunnel_token"]
    defaults["split_brain_secrets_create"] = False
    assert problems(defaults) == []


def test_scalarlm_url_and_key_go_together(defaults):
    defaults["router_scalarlm_base_url"] = "https://scalarlm.example.com"
    assert one(defaults).startswith("router_scalarlm_api_key: empty, but router_scalarlm_base_url is set")
    defaults["router_scalarlm_api_key"] = "scalarlm-secret"
    assert problems(defaults) == []
    defaults["router_scalarlm_base_url"] = ""
    assert one(defaults).startswith("router_scalarlm_api_key: set, but router_scalarlm_base_url is empty")
    defaults["split_brain_secrets_create"] = False
    assert problems(defaults) == []


def test_google_signin_needs_client_id_and_secrets(defaults):
    defaults["ui_google_signin_enabled"] = True
    assert sorted(p.split(":")[0] for p in problems(defaults)) == [
        "ui_google_allowed_domains", "ui_google_client_id", "ui_google_client_secret", "ui_google_redirect_url",
        "ui_google_session_secret"]
    defaults.update(ui_google_redirect_url="https://ui.example.com/cb", ui_google_allowed_emails=["a@example.com"])
    assert [p.split(":")[0] for p in problems(defaults)] == [
        "ui_google_client_id", "ui_google_client_secret", "ui_google_session_secret"]
    defaults["split_brain_secrets_create"] = False
    assert [p.split(":")[0] for p in problems(defaults)] == ["ui_google_client_id"]


def test_example_secrets_refused_only_when_deploying_production(defaults):
    defaults.update(router_anthropic_api_key="EXAMPLE-sk-ant-prod-1", cloudflared_tunnel_token="EXAMPLE-token-2",
                    split_brain_production=True)
    assert problems(defaults) == []
    found = problems(defaults, deploying=True)
    assert [p.split(":")[0] for p in found] == ["cloudflared_tunnel_token", "router_anthropic_api_key"]
    assert all("still the shipped example value" in p and "EXAMPLE-" not in p for p in found)
    assert problems(dict(defaults, split_brain_production=False), deploying=True) == []


def test_absent_secrets_are_not_reported_as_empty(defaults):
    del defaults["router_anthropic_api_key"]  # could not be resolved: the action reports that
    assert problems(defaults) == []


def test_redact_hides_secret_values():
    lines = ["a: 'hunter22' is wrong", "b: fine"]
    assert v.redact(lines, ["hunter22", "", None, "ab"]) == ["a: '********' is wrong", "b: fine"]


def test_redact_masks_as_no_log_does():
    lines = ["a: 'hunter22-long' and 'hunter22'", "b: line one\nhunter22\nline three", "hunter22", "c: 12345 ok"]
    assert v.redact(lines, ["hunter22", "hunter22-long", 12345, 0]) == [
        "a: '********' and '********'", "b: line one\n********\nline three", "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
        "c: ******** ok"]
    assert v.redact((line for line in ["x"]), []) == ["x"]


# Quantities ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("250m", Decimal("0.25")), ("1", 1), ("1.5", Decimal("1.5")), (".5", Decimal("0.5")), ("512Mi", 512 * 2**20),
    ("1Gi", 2**30), ("1e3", 1000), ("1E", 10**18), ("100k", 100000), ("5n", Decimal("5e-9")), (2, 2), (0.5, Decimal("0.5")),
])
def test_parse_quantity(text, value):
    assert v.parse_quantity(text) == value


@pytest.mark.parametrize("text", ["250mm", "1GB", "512mi", "1e", "", "one", "1.2.3", " 1", True, "1Ki1"])
def test_parse_quantity_rejects(text):
    with pytest.raises(ValueError):
        v.parse_quantity(text)


# Where kubernetes.utils.parse_quantity (Decimal) takes more than the API server, and numbers that
# YAML gives as floats: the value is the quantity's, not the binary float's.
@pytest.mark.parametrize("text, value", [
    ("1e3", 1000), ("0.5Gi", 2**29), ("1.5", Decimal("1.5")), ("100m", Decimal("0.1")), ("-1", -1), ("+.5", Decimal("0.5")),
    ("1.", 1), ("1Ki", 1024), ("1Ei", 2**60), ("1e-3", Decimal("0.001")), (0.1, Decimal("0.1")), (1e18, 10**18),
    ("9223372036854775807", 2**63 - 1),
])
def test_parse_quantity_with_the_client(text, value):
    assert v.parse_quantity(text) == value


@pytest.mark.parametrize("text", [
    "1.5.5", "Gi", "1K", "1ki", "1mi", "1ni", "1e3Mi", "1.5e3m", "NaN", "nan", "Infinity", "-inf", "sNaN", "1_000",
    "1 ", "1\n", "\u0661", ".", "+", "e3", "1e999999E", float("inf"), float("nan"), False,
    # Beyond 2^63-1, which the API server caps (once a decimal.DivisionImpossible crash of the checks).
    "9223372036854775808", "9" * 40, "1e20", 1e20, "8Ei",
])
def test_parse_quantity_refuses_what_the_api_server_refuses(text):
    with pytest.raises(ValueError):
        v.parse_quantity(text)


def test_quantity_problems_name_the_variable(defaults):
    defaults["router_resources"] = {"requests": {"cpu": "1.5.5", "memory": "NaN"}, "limits": {"cpu": "1e3Mi", "memory": "0.5Gi"}}
    defaults["split_brain_storage_size"] = "Gi"
    assert sorted(problems(defaults)) == [
        "router_resources.limits.cpu: '1e3Mi' is not a Kubernetes quantity (such as 250m or 1)",
        "router_resources.requests.cpu: '1.5.5' is not a Kubernetes quantity (such as 250m or 1)",
        "router_resources.requests.memory: 'NaN' is not a Kubernetes quantity (such as 512Mi or 1Gi)",
        "split_brain_storage_size: 'Gi' is not a Kubernetes quantity (such as 20Gi)",
    ]


def test_resources(defaults):
    defaults["router_resources"] = {"requests": {"cpu": "250mm", "memory": "4Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}
    defaults["classifier_resources"] = {"requests": {"cpu": "-1"}, "limits": {"memory": "1Gi"}}
    assert sorted(problems(defaults)) == [
        "classifier_resources.requests.cpu: must not be negative",
        "router_resources.requests.cpu: '250mm' is not a Kubernetes quantity (such as 250m or 1)",
        "router_resources: requests.memory 4Gi is above limits.memory 2Gi",
    ]


def test_ephemeral_storage_is_a_resource(defaults):
    defaults["ui_resources"] = {"requests": {"ephemeral-storage": "1Gi"}, "limits": {"ephemeral-storage": "512Mi"}}
    defaults["router_resources"] = {"requests": {"ephemeral-storage": "lots"}}
    assert sorted(problems(defaults)) == [
        "router_resources.requests.ephemeral-storage: 'lots' is not a Kubernetes quantity (such as 64Mi or 1Gi)",
        "ui_resources: requests.ephemeral-storage 1Gi is above limits.ephemeral-storage 512Mi",
    ]


def test_tmp_size_limit_within_the_ephemeral_storage_limit(defaults):
    defaults["split_brain_tmp_size_limit"] = "300Mi"
    found = problems(defaults)
    assert len(found) == 4, found
    assert "split_brain_tmp_size_limit: 300Mi is above router_resources.limits.ephemeral-storage 256Mi" \
        " (the /tmp emptyDir counts against it)" in found
    defaults["split_brain_tmp_size_limit"] = "0"
    assert one(defaults) == "split_brain_tmp_size_limit: must be above 0"
    defaults["split_brain_tmp_size_limit"] = "128MB"
    assert one(defaults) == "split_brain_tmp_size_limit: '128MB' is not a Kubernetes quantity (such as 128Mi)"
    defaults["split_brain_tmp_size_limit"] = "1Gi"
    for component in ("router", "classifier", "ui", "cloudflared"):
        # A partial dict merges into the role's default (its limit of 256Mi): still above it.
        defaults[component + "_resources"] = {"limits": {"memory": "1Gi"}}
    assert "split_brain_tmp_size_limit: 1Gi is above router_resources.limits.ephemeral-storage 256Mi (the role's" \
        " default) (the /tmp emptyDir counts against it)" in problems(defaults)
    for component in ("router", "classifier", "ui", "cloudflared"):
        defaults[component + "_resources"] = {"limits": {"ephemeral-storage": "1Gi"}}
    assert problems(defaults) == []


def test_cpu_request_above_limit(defaults):
    defaults["ui_resources"] = {"requests": {"cpu": 2}, "limits": {"cpu": "1500m"}}
    assert one(defaults) == "ui_resources: requests.cpu 2 is above limits.cpu 1500m"


def test_storage_size(defaults):
    defaults["split_brain_storage_size"] = "20GB"
    assert one(defaults).startswith("split_brain_storage_size: '20GB' is not a Kubernetes quantity")
    defaults["split_brain_storage_size"] = "0"
    assert one(defaults) == "split_brain_storage_size: must be above 0"


# Images -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("repository", [
    "ghcr.io/split-brain/router", "router", "localhost:5000/a/b", "registry.example.com:443/x__y/z-z", "Docker.IO/library/nginx",
])
def test_valid_repositories(defaults, repository):
    defaults["router_image_repository"] = repository
    assert problems(defaults) == []


@pytest.mark.parametrize("repository, text", [
    ("ghcr.io/split-brain/router:1.0", "carries a tag or digest"),
    ("ghcr.io/split-brain/router@" + DIGEST, "carries a tag or digest"),
    ("ghcr.io/Split-Brain/router", "is not an image repository"),
    ("ghcr.io//router", "is not an image repository"),
    ("", "empty"),
])
def test_invalid_repositories(defaults, repository, text):
    defaults["router_image_repository"] = repository
    assert one(defaults).startswith("router_image_repository: ") and text in one(defaults)


def test_tags_and_digests(defaults):
    defaults.update(ui_image_tag="1.0 0", classifier_image_digest="sha256:abc", cloudflared_image_digest=DIGEST)
    assert sorted(p.split(":")[0] for p in problems(defaults)) == ["classifier_image_digest", "ui_image_tag"]
    defaults.update(ui_image_tag="-x", classifier_image_digest="SHA256:" + "A" * 64)
    assert len(problems(defaults)) == 2


# URLs, names, CIDRs, config keys -----------------------------------------------------------------

@pytest.mark.parametrize("url, reason", [
    ("ftp://scalarlm", "must start with http:// or https://"),
    ("scalarlm.example.com", "must start with http:// or https://"),
    ("https:///v1", "has no host"),
    ("https://host:99999", "has an invalid port"),
    ("https://user:pw@host", "must not carry user:password@"),
    ("https://exa mple.com", "contains whitespace"),
    ("https://bad_host!", "has an invalid host name"),
])
def test_url_problem(url, reason):
    assert v.url_problem(url).startswith(reason)


@pytest.mark.parametrize("url", ["http://scalarlm.scalarlm.svc:8000", "https://10.0.0.5/v1", "https://[::1]:8443", "https://a.example.com/cb"])
def test_url_ok(url):
    assert v.url_problem(url) is None


def test_url_variables_never_quote_the_url(defaults):
    defaults.update(router_scalarlm_base_url="https://user:pw@scalarlm", router_scalarlm_api_key="k" * 8,
                    ui_google_redirect_url="callback")
    found = problems(defaults)
    assert [p.split(":")[0] for p in found] == ["router_scalarlm_base_url", "ui_google_redirect_url"]
    assert not any("pw" in p or "callback" in p for p in found)


def test_names(defaults):
    defaults.update(split_brain_namespace="Split_Brain", split_brain_instance="-x", split_brain_dns_namespace="a" * 64,
                    namespace_allow_dns_name="allow.dns", namespace_default_deny_name="Deny",
                    split_brain_storage_class_name="civo_volume", split_brain_image_pull_secrets=["ok", "NOT ok"],
                    split_brain_version="1.0.0+build", split_brain_dns_pod_labels={"k8s-app": "kube dns", "bad key!": "x"},
                    split_brain_data_mount_path="var/data")
    assert sorted(p.split(":")[0] for p in problems(defaults)) == [
        "namespace_default_deny_name", "split_brain_data_mount_path", "split_brain_dns_namespace",
        "split_brain_dns_pod_labels", "split_brain_dns_pod_labels.k8s-app", "split_brain_image_pull_secrets[1]",
        "split_brain_instance", "split_brain_namespace", "split_brain_storage_class_name", "split_brain_version",
    ]


def test_cidrs(defaults):
    defaults["split_brain_egress_excluded_cidrs"] = ["10.0.0.0/8", "10.0.0.1/8", "not-a-cidr", "fd00::/8", "0.0.0.0/0", "10.1.2.3"]
    assert problems(defaults) == [
        "split_brain_egress_excluded_cidrs[1]: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?",
        "split_brain_egress_excluded_cidrs[2]: 'not-a-cidr' is not a CIDR such as 10.0.0.0/8",
        "split_brain_egress_excluded_cidrs[3]: 'fd00::/8' is not IPv4; it is excepted from 0.0.0.0/0",
        "split_brain_egress_excluded_cidrs[4]: '0.0.0.0/0' would exclude every address",
        "split_brain_egress_excluded_cidrs[5]: '10.1.2.3' is not a CIDR such as 10.0.0.0/8",
    ]


def test_config_extra_keys(defaults):
    defaults.update(router_config_extra={"LOG_LEVEL": "debug", "BAD-KEY": 1, "1X": 2, "_OK": [1, 2], "NESTED": {"a": 1}},
                    ui_config_extra={"FEATURE_X": True})
    assert problems(defaults) == [
        "router_config_extra: key 'BAD-KEY' is not an environment variable name (letters, digits and _, not starting with a digit)",
        "router_config_extra: key '1X' is not an environment variable name (letters, digits and _, not starting with a digit)",
        "router_config_extra.NESTED: must be a string, number, boolean or list, not a dict",
    ]


@pytest.mark.parametrize("threshold, ok", [("0.5", True), (0.75, False), ("1", True), ("1.5", False), ("high", False)])
def test_classifier_threshold(defaults, threshold, ok):
    defaults["router_classifier_threshold"] = threshold
    assert (problems(defaults) == []) is ok


def test_wrong_types_are_reported_once(defaults):
    """A value of the wrong type is the spec's problem; the rules skip it instead of crashing."""
    defaults.update(router_replicas="x", router_resources="big", split_brain_egress_excluded_cidrs="10.0.0.0/8",
                    router_config_extra="A=1=2", split_brain_namespace=["a"], ui_image_tag={"a": 1})
    found = problems(defaults)
    assert len(found) == len({p.split(":")[0] for p in found}), found


def test_unknown_variables():
    """A prefixed name the collection does not know is an error naming the closest variable."""
    known = {"router_replicas", "ui_replicas"}
    assert v.unknown_variables({"router_replica", "ui_replicas", "other_x", "ui_zzz_qqq"}, known, ("router_", "ui_")) == (
        ["router_replica: is not a variable of split_brain.deploy (did you mean router_replicas?)",
         "ui_zzz_qqq: is not a variable of split_brain.deploy"], [])


def test_unknown_variables_suggest_only_documented_variables():
    """A prefixed typo gets a suggestion among the documented variables only (not among other names
    the roles mention); an unprefixed name is warned about only when it is very close to one."""
    options = {"router_replicas", "split_brain_storage_class_name", "split_brain_storage_size"}
    known = options | {"storage_class"}  # a name some template mentions, not a variable
    errors, warnings = v.unknown_variables({"storage_pool", "routr_replicas", "ansible_host", "inventory_dir", "replicas"},
                                           known, ("router_", "storage_", "split_brain_"), options)
    assert errors == ["storage_pool: is not a variable of split_brain.deploy"]
    assert warnings == ["routr_replicas is not a variable of split_brain.deploy and is ignored (did you mean router_replicas?)"]


def test_rules_only_read_the_variables_they_are_given():
    """Partial values (a variable that could not be resolved is absent) raise no false problems."""
    assert v.check({}) == []
    assert v.check({"router_scalarlm_base_url": "https://s.example.com"}) == []
    assert v.check({"router_scalarlm_api_key": "key-1234"}) == []


# Strict types ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, value, line", [
    ("router_image_tag", 1.1, 'router_image_tag: must be a string, got the float 1.1; quote it in YAML (e.g. "1.10")'),
    ("split_brain_version", 2, 'split_brain_version: must be a string, got the integer 2; quote it in YAML (e.g. "2")'),
    ("router_anthropic_model", True, "router_anthropic_model: must be a string, got the boolean true"),
    ("router_scalarlm_model", None, 'router_scalarlm_model: must be a string, got null (an empty YAML value); write ""'),
    ("split_brain_namespace", "split-brain\n", "split_brain_namespace: 'split-brain\\n' contains the control character U+000A"),
    ("ui_image_tag", " 1.0", "ui_image_tag: ' 1.0' has leading or trailing whitespace"),
    ("split_brain_data_mount_path", "/data\u2028x",
     "split_brain_data_mount_path: '/data\\u2028x' contains the control character U+2028"),
    ("router_replicas", 2.0, "router_replicas: must be an integer, got the float 2.0"),
    ("router_replicas", True, "router_replicas: must be an integer, got the boolean true"),
    ("router_replicas", "3.5", "router_replicas: must be an integer, got the string '3.5'"),
    ("router_replicas", 2**31, "router_replicas: must be at most 2147483647 (Kubernetes stores it as a 32-bit integer)"),
    ("split_brain_fs_group", -(2**31) - 1, "split_brain_fs_group: must be at least -2147483648"),
    ("router_pdb_enabled", "yes", "router_pdb_enabled: must be true or false, got the string 'yes'"),
    ("router_pdb_enabled", 1, "router_pdb_enabled: must be true or false, got the integer 1"),
    ("ui_google_allowed_emails", "a@example.com", "ui_google_allowed_emails: must be a list (e.g. [a, b])"),
    ("cloudflared_args", ["--x", 1.5], "cloudflared_args[1]: must be a string, got the float 1.5"),
    ("router_config_extra", "A=1", "router_config_extra: must be a dict (key: value), got the string 'A=1'"),
    ("router_resources", {"requests": {"cpu": [1]}}, "router_resources.requests.cpu: must be a quantity such as 250m"),
])
def test_strict_types(defaults, name, value, line):
    defaults[name] = value
    found = problems(defaults)
    assert len(found) == 1 and found[0].startswith(line), found


@pytest.mark.parametrize("name, value", [
    ("router_replicas", "3"), ("router_replicas", 2147483647), ("router_pdb_enabled", "FALSE"),
    ("router_pdb_enabled", "True"), ("router_resources", {"requests": {"cpu": 0.5, "memory": "1Gi"},
                                                          "limits": {"cpu": 1, "memory": "2Gi"}}),
])
def test_what_the_command_line_and_quantities_give_is_accepted(defaults, name, value):
    defaults[name] = value
    assert problems(defaults) == []


@pytest.mark.parametrize("value", [{"value": "sk-ant-TOPSECRET"}, ["sk-ant-TOPSECRET"], 12345678, "sk-ant-TOPSECRET\n"])
def test_a_secret_of_the_wrong_shape_is_named_never_printed(defaults, value):
    defaults["router_anthropic_api_key"] = value
    found = problems(defaults)
    assert len(found) == 1 and found[0].startswith("router_anthropic_api_key: "), found
    assert "TOPSECRET" not in found[0] and "12345678" not in found[0]


def test_a_wrongly_typed_variable_is_left_out_of_the_validated_values(defaults):
    defaults.update(router_replicas=1.5, split_brain_namespace="x\n")
    _lines, validated = v.spec_problems({n: OPTIONS[n] for n in defaults}, defaults)
    assert "router_replicas" not in validated and "split_brain_namespace" not in validated


# Formats beyond the spec ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, value, line", [
    ("split_brain_rollout_max_unavailable", "150%", "split_brain_rollout_max_unavailable: 150% is above 100%"),
    ("split_brain_rollout_max_surge", 2**31, "split_brain_rollout_max_surge: must be at most 2147483647 pods"),
    ("split_brain_rollout_max_surge", "1\n", "split_brain_rollout_max_surge: must be a number of pods or a percentage"),
    ("split_brain_rollout_max_surge", "\u0665%", "split_brain_rollout_max_surge: must be a number of pods or a percentage"),
    ("ui_image_tag", "", "ui_image_tag: empty, and ui_image_digest is empty too"),
    ("split_brain_data_mount_path", "/data/", "split_brain_data_mount_path: is not a clean path"),
    ("split_brain_data_mount_path", "/tmp", "split_brain_data_mount_path: /tmp would clash with the pods' /tmp volume"),
    ("split_brain_data_mount_path", "/", "split_brain_data_mount_path: / would hide the container's files"),
    ("split_brain_data_mount_path", "/da ta", "split_brain_data_mount_path: '/da ta' has characters beyond"),
    ("classifier_head_path", "/elsewhere/head.pt", "classifier_head_path: /elsewhere/head.pt is not on the shared volume"),
    ("classifier_keywords_path", "/var/split-brain/./k.txt", "classifier_keywords_path: is not a clean path"),
    ("ui_cloudflare_access_team_domain", "team", "ui_cloudflare_access_team_domain: 'team' is not a domain name"),
])
def test_formats(defaults, name, value, line):
    defaults[name] = value
    found = problems(defaults)
    assert len(found) == 1 and found[0].startswith(line), found


def test_ui_image_digest_without_a_tag_is_fine(defaults):
    defaults.update(ui_image_tag="", ui_image_digest=DIGEST)
    assert problems(defaults) == []


@pytest.mark.parametrize("email, ok", [
    ("alice@example.com", True), ("a.b+c@mail.example.co.uk", True), ("alice", False), ("alice@", False),
    ("@example.com", False), ("alice@example", False), ("a b@example.com", False), ("alice@exa_mple.com", False),
    ("alice..b@example.com", False), ("alice@-example.com", False),
])
def test_email_syntax(defaults, email, ok):
    defaults["ui_google_allowed_emails"] = [email]
    assert (problems(defaults) == []) is ok


@pytest.mark.parametrize("domain, ok", [
    ("example.com", True), ("Mail.Example.co.uk", True), ("example", False), ("@example.com", False),
    ("example..com", False), ("-example.com", False), ("example.com.", False), ("a" * 64 + ".com", False),
    ("https://example.com", False),
])
def test_domain_syntax(defaults, domain, ok):
    defaults["ui_google_allowed_domains"] = [domain]
    assert (problems(defaults) == []) is ok


# The kubeconfig of a deploy ------------------------------------------------------------------------

def test_kubeconfig_problems():
    there = {"/k/config", "~/.kube/config"}.__contains__
    nowhere = set().__contains__
    assert v.kubeconfig_problems("/k/config", {}, there) == []
    assert v.kubeconfig_problems({"apiVersion": "v1"}, {}, nowhere) == []
    assert v.kubeconfig_problems("/missing", {}, there) == [
        "split_brain_kubeconfig: the file /missing does not exist; point it at your cluster's kubeconfig file, or leave"
        " split_brain_kubeconfig empty to use K8S_AUTH_KUBECONFIG, KUBECONFIG or ~/.kube/config"]
    assert v.kubeconfig_problems("", {"K8S_AUTH_KUBECONFIG": "/gone"}, there)[0].startswith(
        "K8S_AUTH_KUBECONFIG: the file /gone does not exist")
    assert v.kubeconfig_problems("", {"KUBECONFIG": "/a:/b"}, nowhere)[0].startswith("KUBECONFIG: /a, /b do not exist")
    assert v.kubeconfig_problems("", {"KUBECONFIG": "/gone:/k/config"}, there) == []
    assert v.kubeconfig_problems("", {}, there) == []
    assert v.kubeconfig_problems("", {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, nowhere) == []
    assert v.kubeconfig_problems("", {}, nowhere)[0].startswith("split_brain_kubeconfig: empty, and neither")
    assert v.kubeconfig_problems(3, {}, there)[0].startswith("split_brain_kubeconfig: must be the path")


def test_kubeconfig_problems_see_module_defaults_and_token_auth():
    there = {"/k/config"}.__contains__
    nowhere = set().__contains__
    # A play's module_defaults (group/split_brain.deploy.cluster) name the kubeconfig.
    assert v.kubeconfig_problems("", {}, there, {"kubeconfig": "/k/config"}) == []
    assert v.kubeconfig_problems("", {}, nowhere, {"kubeconfig": "/gone"}) == [
        "module_defaults: the kubeconfig /gone of group/split_brain.deploy.cluster does not exist"
        " (split_brain_kubeconfig is empty, so the play's module_defaults name it)"]
    # split_brain_kubeconfig wins over the module_defaults, as in the roles' tasks.
    assert v.kubeconfig_problems("/k/config", {}, there, {"kubeconfig": "/gone"}) == []
    # A host with a token needs no kubeconfig file.
    assert v.kubeconfig_problems("", {}, nowhere, {"host": "https://k:6443", "api_key": "t"}) == []
    assert v.kubeconfig_problems("", {"K8S_AUTH_HOST": "https://k:6443"}, nowhere) == []


# Where ranges and formats are declared --------------------------------------------------------------

def test_constraints_name_known_variables_keys_and_formats():
    """Every entry of the roles' meta/constraints.yml is an option of an argument spec, with known
    keys and a known format (load raises otherwise), and nothing else declares a range or format."""
    loaded = constraints.load()
    assert set(loaded) <= set(OPTIONS)
    assert {name for name, c in loaded.items() if "min" in c or "max" in c} >= {
        "router_replicas", "cloudflared_metrics_port", "split_brain_run_as_user", "split_brain_lock_duration"}
    for option in OPTIONS.values():
        assert not set(option) & constraints.KEYS, "a range or format belongs in constraints.yml, not the argument spec"


def test_constraints_refuse_unknown_keys_formats_and_variables(tmp_path):
    meta = tmp_path / "roles" / "r" / "meta"
    meta.mkdir(parents=True)
    (meta / "argument_specs.yml").write_text(
        "argument_specs:\n  main:\n    options:\n      r_port: {type: int, default: 1, description: x}\n")
    for entry, error in (("r_port: {minimum: 1}", "unknown keys minimum"), ("r_port: {format: port}", "unknown format port"),
                         ("r_other: {min: 1}", "r_other is no option")):
        (meta / "constraints.yml").write_text("constraints:\n  %s\n" % entry)
        with pytest.raises(ValueError, match=error):
            constraints.read(str(tmp_path))
    (meta / "constraints.yml").write_text("constraints:\n  r_port: {min: 1, max: 9}\n")
    assert constraints.read(str(tmp_path)) == {"r_port": {"min": 1, "max": 9, "type": "int", "default": 1, "example": 1}}


def test_an_empty_string_is_unset_only_where_the_default_is_empty(defaults):
    defaults.update(split_brain_storage_class_name="", router_scalarlm_base_url="", ui_cloudflare_access_team_domain="")
    assert problems(defaults) == []
    defaults["namespace_allow_dns_name"] = ""
    assert one(defaults) == "namespace_allow_dns_name: '' is not a DNS-1123 subdomain (lowercase letters, digits, - and .)"


# Issue 25: refused first, named, never quoting a credential ----------------------------------------

def test_an_integer_extra_label_value_is_taken_as_its_text(defaults):
    defaults["split_brain_extra_labels"] = {"cost-center": 1234}
    assert problems(defaults) == []
    defaults["split_brain_extra_labels"] = {"cost-center": -1}
    assert "split_brain_extra_labels.cost-center: -1 is not a label value" in one(defaults)


def test_an_integer_dns_pod_label_value_is_refused_saying_to_quote_it(defaults):
    defaults["split_brain_dns_pod_labels"] = {"k8s-app": 1234}
    assert one(defaults) == ('split_brain_dns_pod_labels.k8s-app: 1234 is read by YAML as an integer, and a label'
                             ' value is text; quote it: "1234"')


@pytest.mark.parametrize("text", ["٠.٥", "０.５", "0.2_5", "0.5e0", "Infinity"])
def test_a_threshold_in_other_digits_is_refused(defaults, text):
    defaults["router_classifier_threshold"] = text
    assert one(defaults).startswith("router_classifier_threshold: %r is not a decimal number written with the digits 0-9" % text)


@pytest.mark.parametrize("text", ["0.5", "1", "0", ".5", "1."])
def test_a_threshold_in_ascii_digits_is_fine(defaults, text):
    defaults["router_classifier_threshold"] = text
    assert problems(defaults) == []


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1bml0LTI1In0.c2lnbmF0dXJlLXVuaXQtMjU"


@pytest.mark.parametrize("name, value, path", [
    ("router_anthropic_model", JWT, "router_anthropic_model"),
    ("ui_google_client_id", "GOCSPX-unit25abcdefghijklmnop", "ui_google_client_id"),
    ("split_brain_extra_annotations", {"example.com/t": JWT}, "split_brain_extra_annotations.example.com/t"),
    ("split_brain_extra_labels", {"example.com/k": "sk-ant-unit25abcdefgh"}, "split_brain_extra_labels.example.com/k"),
])
def test_a_credential_in_a_plain_variable_is_named_never_quoted(defaults, name, value, path):
    defaults[name] = value
    found = [line for line in problems(defaults) if line.startswith(path + ":")]
    assert found and "looks like a token or API key" in found[0], problems(defaults)
    assert JWT not in "\n".join(problems(defaults)) and "unit25" not in "\n".join(problems(defaults))


def test_a_url_with_a_token_in_an_annotation_is_refused(defaults):
    defaults["split_brain_extra_annotations"] = {"example.com/link": "see https://x.example.com/?access_token=abc"}
    assert one(defaults) == ("split_brain_extra_annotations.example.com/link: a URL in it carries a credential in its"
                             " query string (access_token=); credentials belong in a Secret, not in a URL that objects"
                             " show in clear")


def test_whitespace_around_a_pasted_token_is_refused_without_quoting_it(defaults):
    defaults["router_anthropic_model"] = "sk-ant-unit25abcdefghijklmnop "
    assert one(defaults) == "router_anthropic_model: has leading or trailing whitespace"
    defaults["router_anthropic_model"] = "claude "
    assert one(defaults) == "router_anthropic_model: 'claude ' has leading or trailing whitespace"


def test_annotations_are_counted_in_utf8_bytes():
    from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import metadata
    found = metadata.extra_metadata_problems({"split_brain_extra_annotations": {"example.com/a": "é" * 131070}})
    assert found == ["split_brain_extra_annotations: the annotations total 262153 bytes in UTF-8, above the 256 KiB"
                     " (262144 bytes) Kubernetes takes"]  # 131070 characters, 262140 bytes
    assert metadata.extra_metadata_problems({"split_brain_extra_annotations": {"example.com/a": "e" * 131070}}) == []


@pytest.mark.parametrize("args, line", [
    ([], "cloudflared_args: empty, so cloudflared would not run the tunnel"),
    (["tunnel", "run"], "cloudflared_args: has no --metrics listener"),
    (["tunnel", "run", "--metrics"], "cloudflared_args: --metrics is the last argument"),
])
def test_cloudflared_args_keep_the_metrics_listener(defaults, args, line):
    defaults["cloudflared_args"] = args
    assert one(defaults).startswith(line)


@pytest.mark.parametrize("name, example", [("router_anthropic_model", "claude-sonnet-4-5"),
                                           ("split_brain_namespace", "split-brain"), ("split_brain_instance", "split-brain")])
def test_a_required_string_left_empty_is_named(defaults, name, example):
    defaults[name] = ""
    assert one(defaults) == "%s: empty; it is required (such as %s), or leave it unset for the default" % (name, example)


@pytest.mark.parametrize("value, line", [
    ("1E", "1E is 1000000000000000000 bytes, far beyond"),
    ("2e9", "2e9 is 2000000000 bytes; write it with a unit of bytes"),
    ("2Pi", "2Pi is 2251799813685248 bytes, far beyond"),
])
def test_memory_in_every_notation_gets_the_plausibility_check(defaults, value, line):
    defaults["router_resources"] = {"limits": {"memory": value}}
    assert any(line in found for found in problems(defaults)), problems(defaults)


def test_the_render_folder_under_a_file_or_shared_by_two_hosts(tmp_path):
    from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import render_dir
    afile = tmp_path / "f"
    afile.write_text("x")
    assert render_dir.render_dir_problems(str(afile / "out" / "deeper")) == [
        "split_brain_render_dir: %s is under %s, which is a file, not a folder; give a folder to render into that is"
        " not under a file" % (afile / "out" / "deeper", afile)]
    assert render_dir.render_dir_problems(str(afile))[0].endswith("is a file, not a folder; give the folder to render into")
    assert render_dir.render_dir_problems(str(tmp_path / "new" / "out")) == []
    assert render_dir.shared_render_dir_problems("a", "out", {"b": "./out", "c": "other", "a": "out"}) == [
        "split_brain_render_dir: out is also the render folder of b in this play; each host of the play writes and"
        " prunes its own files, so give a and b different folders"]
    assert render_dir.shared_render_dir_problems("a", "", {"b": ""}) == []
