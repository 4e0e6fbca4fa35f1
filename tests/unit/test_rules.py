"""The rules of issue 19 that a bad-input case does not show well: quantities by unit, the merge of a
partial resources dict, credentials, invisible characters, the API server's limits, render file names."""

import base64
import json
from decimal import Decimal

import pytest

from ansible_collections.split_brain.deploy.plugins.plugin_utils.render_files import FILE_NAME_MAX, file_name
from ansible_collections.split_brain.deploy.plugins.action.validate import load_specs
from ansible_collections.split_brain.deploy.plugins.plugin_utils import validation as v
from ansible_collections.split_brain.deploy.plugins.plugin_utils.resources import default_resources, merge_resources
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import credentials, formats, limits, text

OPTIONS, SECRETS = load_specs()
TOKEN = base64.b64encode(json.dumps({"a": "0" * 32, "t": "1" * 36, "s": "c2VjcmV0" * 5}).encode()).decode()


def problems(values):
    lines, validated = v.spec_problems({n: OPTIONS[n] for n in values if n in OPTIONS}, values)
    return lines + v.check(validated, SECRETS)


# Quantities ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["512Mi", "1Gi", "1G", "500M", "64k", "1.5Gi", "0", 0, "2Ti"])
def test_plausible_sizes(value):
    assert formats.bytes_problem(value) is None


@pytest.mark.parametrize("value, words", [
    ("512m", "512m is 0.512 bytes (m is milli, micro or nano); did you mean 512Mi?"),
    ("512", "512 is 512 bytes; did you mean 512Mi?"),
    (512, "512 is 512 bytes; did you mean 512Mi?"),
    ("2097152", "2097152 is 2097152 bytes; write it with a unit, 2Mi"),
    ("1e9", "1e9 is 1000000000 bytes; write it with a unit of bytes"),
    ("100u", "100u is 0.0001 bytes"),
])
def test_implausible_sizes(value, words):
    assert formats.bytes_problem(value).startswith(words)


@pytest.mark.parametrize("value", ["250m", "1", 1, "0.5", 0.5, "2", "99", "1500m"])
def test_plausible_cpu(value):
    assert formats.cpu_problem(value) is None


@pytest.mark.parametrize("value, words", [
    ("500M", "500M is 500000000 cores"), ("1Gi", "1Gi is 1073741824 cores"), ("2k", "2k is 2000 cores"),
    (500, "500 is 500 cores; did you mean 500m"), ("100n", "100n is below a millicore"),
])
def test_implausible_cpu(value, words):
    assert formats.cpu_problem(value).startswith(words)


def test_a_negative_size_is_below_zero_before_it_lacks_a_unit(defaults):
    defaults["split_brain_storage_size"] = "-1"
    assert problems(defaults) == ["split_brain_storage_size: must be above 0"]


def test_storage_size_hint_is_gibibytes_and_tmp_mebibytes(defaults):
    defaults.update(split_brain_storage_size="20", split_brain_tmp_size_limit="128")
    assert sorted(problems(defaults)) == [
        "split_brain_storage_size: 20 is 20 bytes; did you mean 20Gi? (a size needs a unit: Ki, Mi, Gi, or k, M, G)",
        "split_brain_tmp_size_limit: 128 is 128 bytes; did you mean 128Mi? (a size needs a unit: Ki, Mi, Gi, or k, M, G)",
    ]


# Partial resources --------------------------------------------------------------------------------

def test_a_partial_resources_dict_keeps_the_other_defaults():
    defaults = default_resources("router")
    assert defaults == {"requests": {"cpu": "250m", "memory": "512Mi", "ephemeral-storage": "64Mi"},
                        "limits": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "256Mi"}}
    merged = merge_resources({"limits": {"memory": "2Gi"}}, defaults)
    assert merged["limits"] == {"cpu": "1", "memory": "2Gi", "ephemeral-storage": "256Mi"}
    assert merged["requests"] == defaults["requests"]
    # Nulls (what Ansible's validator fills in for what was not given) keep the default.
    assert merge_resources({"requests": None, "limits": {"cpu": None, "memory": "2Gi"}}, defaults) == merged
    assert default_resources("router") == defaults  # the default is not changed by a merge


def test_request_above_limit_is_checked_on_the_merged_dict(defaults):
    defaults["ui_resources"] = {"limits": {"memory": "256Mi"}}
    assert problems(defaults) == ["ui_resources: requests.memory 512Mi (the role's default) is above limits.memory 256Mi"]


# Credentials --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, parameter", [
    ("https://h.example.com/?token=x", "token"), ("https://h.example.com/?API_KEY=x", "API_KEY"),
    ("https://h.example.com/?a=1&password=x", "password"), ("https://h.example.com/#access_token=x", "access_token"),
    ("https://h.example.com/?X-Amz-Signature=x", "X-Amz-Signature"), ("https://h.example.com/?client_secret=x", "client_secret"),
    ("https://h.example.com/?sig=x", "sig"), ("https://h.example.com/?Secret=x", "Secret"),
])
def test_a_credential_in_a_url_is_named_not_quoted(url, parameter):
    reason = credentials.url_credential(url)
    assert "(%s=)" % parameter in reason and "=x" not in reason


@pytest.mark.parametrize("url", ["https://h.example.com/?page=2&lang=en", "https://h.example.com/v1#section", "http://h:80/"])
def test_a_url_without_a_credential(url):
    assert credentials.url_credential(url) is None


@pytest.mark.parametrize("value, token", [
    (TOKEN, True), ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", True), ("sk-ant-api03-abcdefghijkl", True),
    ("tunnel", False), ("--no-autoupdate", False), (base64.b64encode(b'{"x": 1, "y": "aaaaaaaaaaaaaaaaaaaa"}').decode(), False),
])
def test_looks_like_token(value, token):
    assert credentials.looks_like_token(value) is token


def test_a_token_in_cloudflared_args_is_never_printed(defaults):
    defaults["cloudflared_args"] = ["tunnel", "--metrics", "0.0.0.0:2000", "run", "--token", TOKEN]
    found = problems(defaults)
    assert [line.split(":")[0] for line in found] == ["cloudflared_args[4]", "cloudflared_args[5]"]
    assert TOKEN not in "\n".join(found)


@pytest.mark.parametrize("token, words", [
    ("cloudflared service install " + TOKEN, "is a whole command line"),
    ("run " + TOKEN, "is a whole command line"),
    ("--token=" + TOKEN, "starts with --token"),
])
def test_a_pasted_command_line_as_the_tunnel_token(defaults, token, words):
    defaults["cloudflared_tunnel_token"] = token
    found = problems(defaults)
    assert len(found) == 1 and found[0].startswith("cloudflared_tunnel_token: " + words), found
    assert TOKEN not in found[0]


def test_a_secret_value_in_a_plain_variable(defaults):
    defaults["router_anthropic_model"] = defaults["router_anthropic_api_key"]
    assert problems(defaults) == ["router_anthropic_model: holds the value of router_anthropic_api_key; secrets go only"
                                  " into Secrets (remove it here)"]


# Invisible characters -----------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\U000e0041"])
def test_every_format_character_is_found(char):
    assert text.invisible_character("ab" + char) == (3, char)


def test_invisible_characters_anywhere_named_by_path(defaults):
    defaults.update(router_anthropic_api_key="sk-ant-unit\u200b", ui_google_allowed_emails=["a@example.com", "b\u200d@example.com"],
                    split_brain_kubeconfig={"users": [{"name": "me\u2060"}]})
    found = text.invisible_problems(defaults)
    assert found == [
        "router_anthropic_api_key: contains an invisible character (U+200B ZERO WIDTH SPACE) at position 12; retype the"
        " value (a paste can carry it)",
        "split_brain_kubeconfig.users[0].name: contains an invisible character (U+2060 WORD JOINER) at position 3;"
        " retype the value (a paste can carry it)",
        "ui_google_allowed_emails[1]: contains an invisible character (U+200D ZERO WIDTH JOINER) at position 2; retype"
        " the value (a paste can carry it)",
    ]


def test_ordinary_unicode_passes():
    assert text.invisible_problems({"x": "café 雪 😀 naïve", "y": {"ключ": "値"}}) == []


# Limits of the API server -------------------------------------------------------------------------

def test_a_secret_over_one_mebibyte(defaults):
    defaults["ui_google_signin_enabled"] = False
    defaults["ui_google_session_secret"] = "s" * (limits.DATA_LIMIT - 10)
    defaults["ui_google_client_secret"] = "c" * 20
    assert limits.data_size_problems(defaults) == [
        "ui_google_session_secret: the Secret google-oauth would hold 1048611 bytes, above the 1 MiB (1048576 bytes)"
        " the API server takes"]


def test_the_configmap_estimate_counts_the_typed_values_too(defaults):
    defaults["ui_google_allowed_emails"] = ["user%06d@example.com" % i for i in range(60000)]
    found = limits.data_size_problems(defaults)
    assert len(found) == 1 and found[0].startswith("ui_google_allowed_emails: the ConfigMap ui-config")


# Render file names --------------------------------------------------------------------------------

def test_file_names_are_today_s_for_usual_names_and_fit_for_any_valid_name():
    assert file_name(3, {"kind": "NetworkPolicy", "metadata": {"name": "router"}}) == "03-networkpolicy-router.yaml"
    one = file_name(12, {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "a" * 253}})
    other = file_name(12, {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "a" * 252 + "b"}})
    assert len(one) <= FILE_NAME_MAX and len(other) <= FILE_NAME_MAX and one != other
    assert one.startswith("12-horizontalpodautoscaler-aaaa") and one.endswith(".yaml")


def test_decimal_hint_of_a_fraction():
    assert "0.5Mi" in formats.bytes_problem("0.5m") and formats.parse_quantity("0.5m") == Decimal("0.0005")
