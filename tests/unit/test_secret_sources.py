"""plugin_utils/secret_sources.py: which secret values Ansible would evaluate, found on the raw values."""

import hashlib

from ansible.template import trust_as_template

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import KEYED_AT_APPLY, secret_checksum
from ansible_collections.split_brain.deploy.plugins.plugin_utils.secret_sources import is_evaluated, template_problems

SECRETS = ["router_anthropic_api_key", "cloudflared_tunnel_token"]
MAPPING = {
    "router_anthropic_api_key": trust_as_template("{{ vault_router_anthropic_api_key }}"),
    "cloudflared_tunnel_token": trust_as_template("{{ vault_cloudflared_tunnel_token | default('') }}"),
}


def test_unsafe_and_plain_values_are_not_evaluated():
    assert not is_evaluated("{{ lookup('pipe', 'id') }}")  # not trusted: !unsafe
    assert not is_evaluated(trust_as_template("sk-ant-plain"))
    assert is_evaluated(trust_as_template("tok{#en"))
    assert is_evaluated(trust_as_template("a {% b"))
    assert not is_evaluated({"value": "{{ x }}"})


def test_literal_and_unsafe_vault_values_pass():
    variables = dict(MAPPING, vault_router_anthropic_api_key=trust_as_template("sk-ant-0000"),
                     vault_cloudflared_tunnel_token="tok{{en{#x")  # untrusted, as !unsafe loads it
    assert template_problems(SECRETS, variables) == ([], set())


def test_a_trusted_vault_value_with_template_syntax_is_named_never_printed():
    value = "sk-{{ lookup('pipe', 'touch /tmp/x') }}"
    variables = dict(MAPPING, vault_router_anthropic_api_key=trust_as_template(value),
                     vault_cloudflared_tunnel_token=trust_as_template("tok{#en"))
    problems, unsafe = template_problems(SECRETS, variables)
    assert unsafe == set(SECRETS)
    assert problems[0].startswith("router_anthropic_api_key: its source vault_router_anthropic_api_key holds template syntax")
    assert problems[1].startswith("cloudflared_tunnel_token: its source vault_cloudflared_tunnel_token holds")
    assert "!unsafe" in problems[0]
    assert not any(value in line or "tok{#en" in line for line in problems)


def test_references_are_followed_and_a_whole_expression_mapping_is_code():
    variables = {
        "router_anthropic_api_key": trust_as_template("{{ vault_a }}"),
        "vault_a": trust_as_template("{{ vault_b }}"),
        "vault_b": trust_as_template("{{ 1 }}-x"),
        "cloudflared_tunnel_token": trust_as_template("{{ lookup('env', 'TUNNEL_TOKEN') }}"),
    }
    problems, unsafe = template_problems(SECRETS, variables)
    assert unsafe == {"router_anthropic_api_key"}
    assert problems == [p for p in problems if "its source vault_a -> vault_b holds" in p]
    # An undefined reference is left to templating, which names it; a cycle ends.
    assert template_problems(SECRETS, {"router_anthropic_api_key": trust_as_template("{{ missing }}")}) == ([], set())
    cycle = {"router_anthropic_api_key": trust_as_template("{{ x }}"), "x": trust_as_template("{{ router_anthropic_api_key }}")}
    assert template_problems(SECRETS, cycle) == ([], set())


def test_a_value_with_template_syntax_inside_text_is_refused():
    problems, unsafe = template_problems(SECRETS, {"router_anthropic_api_key": trust_as_template("sk-{{ x }}")})
    assert unsafe == {"router_anthropic_api_key"}
    assert problems[0].startswith("router_anthropic_api_key: holds template syntax")


def test_the_secret_checksum_is_keyed():
    data = '[{"ANTHROPIC_API_KEY": "sk-guess"}]'
    assert secret_checksum(data) == KEYED_AT_APPLY
    keyed = secret_checksum(data, "k1")
    assert len(keyed) == 64 and keyed != secret_checksum(data, "k2")
    assert keyed == secret_checksum(data, "k1")
    assert keyed != hashlib.sha256(data.encode()).hexdigest()
