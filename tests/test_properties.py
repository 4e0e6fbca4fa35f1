"""Property: a string an operator types reaches the objects literally, or validation rejects it.

Hypothesis feeds random strings (newlines, quotes, `{{`, `{#`, `: `, YAML indicators, unicode
line separators, emoji, whitespace) into every string variable of every role's argument spec
(and into a ConfigMap value of every *_config_extra). Each example first goes through the real
validation (plugins/plugin_utils/validation/, as split_brain.deploy.validate runs it); if it
passes, the real role templates are rendered in-process with Ansible's own template lookup (the
same code `lookup('ansible.builtin.template', ...)` runs in a play) and parsed with the
collection's `manifests` filter. The objects must then equal the baseline render except where
the variable's value was, and there hold exactly the new string. A run of ansible-playbook per
example would take seconds; in-process one takes milliseconds.
"""

import copy
import functools
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings, strategies as st  # noqa: E402

from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.plugins.loader import init_plugin_loader  # noqa: E402
from ansible.template import Templar  # noqa: E402

# What ansible-playbook does at start-up: Ansible's collection loader, on the repository's
# collections/ (other tests of this process may have imported the collection as a plain package
# from sys.path; the plugin loader needs its own import of it).
for _module in [m for m in sys.modules if m == "ansible_collections" or m.startswith("ansible_collections.")]:
    del sys.modules[_module]
init_plugin_loader([str(ROOT / "collections")])

from ansible_collections.split_brain.deploy.plugins.action.validate import load_specs  # noqa: E402
from ansible_collections.split_brain.deploy.plugins.plugin_utils import validation  # noqa: E402
from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import url_egress  # noqa: E402
from ansible_collections.split_brain.deploy.plugins.plugin_utils.render import render_role, trusted  # noqa: E402

ROLES = ("split_brain", "namespace", "storage", "router", "classifier", "ui", "cloudflared")
OPTIONS, SECRETS = load_specs()
# Settings of the run itself (its connection, hosts and render folder), not in any object; and playbooks/access.yml's (tests/test_access_playbook.py).
NOT_RENDERED = {"split_brain_context", "split_brain_hosts", "split_brain_render_dir", "split_brain_access_kubeconfig_path",
                "split_brain_access_service_account", "split_brain_access_server"}
STRING_VARIABLES = sorted(name for name, option in OPTIONS.items()
                          if option.get("type", "str") == "str" and name not in NOT_RENDERED)
CONFIG_EXTRA = ["%s_config_extra" % c for c in ("router", "classifier", "ui")]

# A baseline that uses every string: ScalarLM, Google sign-in, a storage class, secrets set.
BASELINE = {
    "router_anthropic_api_key": "sk-ant-property-0001",
    "cloudflared_tunnel_token": "tunnel-property-0002",
    "router_scalarlm_base_url": "https://scalarlm.example.com",
    "router_scalarlm_api_key": "sk-scalarlm-property-0003",
    "router_scalarlm_model": "llama-3",
    "ui_google_signin_enabled": True,
    "ui_google_client_id": "client.apps.googleusercontent.com",
    "ui_google_client_secret": "google-property-0004",
    "ui_google_session_secret": "session-property-0005",
    "ui_google_redirect_url": "https://split-brain.example.com/auth/google/callback",
    "ui_google_allowed_domains": ["example.com"],
    "ui_cloudflare_access_team_domain": "team.cloudflareaccess.com",
    "ui_cloudflare_access_audience": "audience-tag",
    "split_brain_storage_class_name": "standard",
}


def _load(path):
    return trusted(yaml.safe_load(path.read_text()) or {}) if path.is_file() else {}


def _defaults():
    values = {}
    for role in ROLES:
        values.update(_load(ROOT / "roles" / role / "defaults" / "main.yml"))
    values.update(BASELINE)
    return values


ROLE_VARS = {}
for _role in ROLES:
    ROLE_VARS.update(_load(ROOT / "roles" / _role / "vars" / "main.yml"))


class Renderer:
    """The objects of every role for some variables, rendered by the release action's own code
    (plugin_utils/render.py: each role's templates/objects.yaml.j2 with a play's templar)."""

    def __init__(self):
        self.loader = DataLoader()

    def render(self, values):
        variables = dict(values, **ROLE_VARS)
        templar = Templar(loader=self.loader, variables=variables)
        objects = []
        for role in ROLES[1:]:
            objects += render_role(templar, variables, role)
        return _plain(objects)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))
    else:
        yield path, value


def problems(values):
    lines, validated = validation.spec_problems({n: OPTIONS[n] for n in values if n in OPTIONS}, values)
    return lines + validation.check(validated, SECRETS)


# Derived from the values (a hash of the ConfigMap's or the Secrets' data): they change with them.
CHECKSUMS = ("split-brain.io/config-checksum", "split-brain.io/secret-checksum")


@functools.lru_cache(maxsize=None)
def renderer():
    return Renderer()


@functools.lru_cache(maxsize=None)
def baseline():
    values = _defaults()
    assert problems(values) == []
    objects = renderer().render(values)
    return values, objects, dict(_leaves(objects))


def test_the_baseline_renders_every_object():
    _values, objects, _leaves_ = baseline()
    kinds = {obj["kind"] for obj in objects}
    assert {"Namespace", "NetworkPolicy", "PersistentVolumeClaim", "Deployment", "Secret", "ConfigMap"} <= kinds


# Examples per run (SPLIT_BRAIN_PROPERTY_EXAMPLES=2000 for a longer search).
EXAMPLES = int(os.environ.get("SPLIT_BRAIN_PROPERTY_EXAMPLES", "300"))
# Pieces that mean something to YAML, Jinja or a shell, and characters YAML reads differently.
PIECES = ["\n", "\r\n", "\t", " ", ": ", "- ", "#", "'", '"', "\\", "{{", "}}", "{#", "#}", "{%", "%}", "{{ x }}",
          "&a", "*a", "!!python/object", "---", "...", "|", ">", "@", "`", "%", "[", "]", "{", "}", ",", "?",
          "\u2028", "\u0085", "\ufeff", "\x7f", "\x00", "é", "ü", "\U0001F600", "雪", "null", "true", "1.10", "0x10",
          "/", "-", ".", "a", "z", "0", "9", "split-brain", "https://", "sha256:",
          # Format characters (Unicode category Cf): zero-width space, joiners, bidi controls, soft hyphen.
          "\u200b", "\u200c", "\u200d", "\u2060", "\u202e", "\u2066", "\u00ad", "\U000E0041"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=8).map("".join).filter(bool)
# Long strings: past a label (63), a key or a name (253), a file name (255).
LONG = st.one_of(st.builds(lambda c, n: c * n, st.sampled_from(["a", "A", "-", "1", "\u200b", "é"]), st.integers(60, 300)),
                 st.text(min_size=60, max_size=300))
# Plausible values too, so that the strict variables (names, tags, paths) are also accepted and rendered.
PLAUSIBLE = st.one_of(st.from_regex(r"[a-z0-9]([a-z0-9.-]{0,14}[a-z0-9])?", fullmatch=True),
                      st.from_regex(r"/var/split-brain(/[A-Za-z0-9._-]{1,8}){0,2}", fullmatch=True),
                      st.from_regex(r"https://[a-z]{1,8}\.example\.com(:[0-9]{2,4})?(/[a-z]{0,6})?", fullmatch=True))


def _expected(name, old, old_value, new_value):
    """A leaf that held the variable's value holds the new one instead."""
    if name.endswith("_image_digest"):
        return "%s@%s" % (old.rsplit(":", 1)[0], new_value)  # a digest replaces the tag
    if isinstance(old, str) and old_value and old_value in old:
        return old.replace(old_value, new_value)
    return new_value


def _egress_paths_from_url(name, objects, text, excluded):
    """The router's egress rule to ScalarLM is derived from the URL (its port; an in-cluster host's
    namespace, an IP host's /32), not a copy of it. For that variable, return the egress paths to
    leave out of the leaf comparison after checking that the rule is exactly what the URL says."""
    if name != "router_scalarlm_base_url":
        return lambda path: False
    rule = url_egress(text, excluded)
    policies = [obj for obj in objects if obj["kind"] == "NetworkPolicy" and obj["metadata"]["name"] == "router"]
    assert policies and rule in policies[0]["spec"]["egress"], (rule, policies)
    return lambda path: "egress" in path


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(STRING_VARIABLES + CONFIG_EXTRA), text=st.one_of(TEXT, PLAUSIBLE, LONG))
@example(name="router_scalarlm_base_url", text="https://a.example.com:01")  # the port reaches the egress rule
@example(name="router_scalarlm_base_url", text="http://10.1.2.3:8000")
@example(name="split_brain_storage_size", text="9" * 40)  # once a decimal.DivisionImpossible crash
@example(name="split_brain_storage_size", text="0.0001Gi")  # finer than Kubernetes keeps
def test_a_string_is_rejected_or_reaches_the_objects_literally(name, text):
    values, _objects, before = baseline()
    values = copy.copy(values)
    if name in CONFIG_EXTRA:
        old_value = None
        values[name] = {"PROPERTY_VALUE": text}
    else:
        old_value = values.get(name, "")
        values[name] = text
    found = problems(values)
    hypothesis.event("rejected" if found else "rendered")
    if found:
        assert name in "\n".join(found), found
        if name in SECRETS and len(text.strip()) >= 4:
            assert text.strip() not in "\n".join(found), "a secret value was printed"
        return
    objects = renderer().render(values)
    derived = _egress_paths_from_url(name, objects, text, values["split_brain_egress_excluded_cidrs"])
    after = {path: leaf for path, leaf in _leaves(objects) if path[-1] not in CHECKSUMS and not derived(path)}
    before = {path: leaf for path, leaf in before.items() if path[-1] not in CHECKSUMS and not derived(path)}
    if name in CONFIG_EXTRA:
        added = {path: leaf for path, leaf in after.items() if path not in before}
        assert list(added.values()) == [text], added
        assert all(after[path] == leaf for path, leaf in before.items())
        return
    assert set(before) <= set(after), "fields disappeared: %s" % sorted(set(before) - set(after))
    for path, leaf in after.items():
        if path not in before:
            assert leaf == text, (path, leaf)
        elif leaf != before[path]:
            assert leaf == _expected(name, before[path], old_value, text), (path, before[path], leaf)
    if text != old_value and name not in ("split_brain_kubeconfig",):
        assert any(after.get(path) != leaf for path, leaf in before.items()) or set(after) != set(before), \
            "%s changed nothing" % name


def test_every_string_variable_is_exercised():
    """The sample covers the variables the templates read (a variable nothing reads is listed here)."""
    read = set()
    for path in ROOT.glob("roles/*/templates/*.j2"):
        read.add(path.read_text())
    for path in ROOT.glob("roles/*/vars/main.yml"):
        read.add(path.read_text())
    text = "\n".join(read)
    unread = [name for name in STRING_VARIABLES if name not in text]
    assert unread == [], unread


# Free-form maps: their keys and values, each rendered as it is or refused.
FREE_FORM_MAPS = CONFIG_EXTRA + ["split_brain_dns_pod_labels"]
# A plausible key of each (an environment variable name, a label key), so that keys are also accepted.
PLAUSIBLE_KEY = st.one_of(st.from_regex(r"[A-Z_][A-Z0-9_]{0,20}", fullmatch=True),
                          st.from_regex(r"([a-z0-9]{1,8}\.){0,2}[a-z0-9]{1,8}/[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?", fullmatch=True))
LIST_VARIABLES = sorted(name for name, option in OPTIONS.items()
                        if option.get("type") == "list" and option.get("elements") == "str" and name not in NOT_RENDERED)


def _render_or_refused(name, values):
    """The rendered leaves ``{path: leaf}`` of ``values``, or None when validation refuses them
    (then a line names ``name``)."""
    found = problems(values)
    hypothesis.event("rejected" if found else "rendered")
    if found:
        assert name in "\n".join(found), found
        return None
    return dict(_leaves(renderer().render(values)))


@settings(max_examples=max(EXAMPLES // 2, 20), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FREE_FORM_MAPS), key=st.one_of(TEXT, PLAUSIBLE_KEY, LONG), text=st.one_of(TEXT, PLAUSIBLE, LONG))
@example(name="router_config_extra", key="A" * 254, text="x")  # a ConfigMap key is at most 253
@example(name="ui_config_extra", key="FEATURE\u200bFLAG", text="on")
@example(name="split_brain_dns_pod_labels", key="k8s-app", text="kube-dns\u200d")
def test_a_free_form_map_s_keys_and_values_are_rejected_or_rendered_literally(name, key, text):
    """Every key and value of a free-form map reaches the objects as it is (a ConfigMap's data, the
    DNS pods' labels), or validation refuses it naming the map."""
    values = copy.copy(baseline()[0])
    values[name] = {key: text}
    leaves = _render_or_refused(name, values)
    if leaves is None:
        return
    matches = [leaf for path, leaf in leaves.items() if path and path[-1] == key]
    assert text in matches, (key, text, matches)


@settings(max_examples=max(EXAMPLES // 2, 20), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(LIST_VARIABLES), text=st.one_of(TEXT, PLAUSIBLE, LONG))
@example(name="split_brain_image_pull_secrets", text="regcred\u200b")
@example(name="ui_google_allowed_domains", text="a" * 64 + ".com")
def test_a_list_s_string_is_rejected_or_rendered_literally(name, text):
    """A string element of a list variable (the only one) reaches the objects as it is, or is refused."""
    values = copy.copy(baseline()[0])
    values[name] = [text]
    leaves = _render_or_refused(name, values)
    if leaves is None:
        return
    assert text in leaves.values(), (name, text)


# Issue 25: a decimal the router reads as written; no line quotes a credential ---------------------

_ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


@settings(max_examples=max(EXAMPLES // 2, 20), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(alphabet="0123456789.٠١٥０５_eE+- ", max_size=8), st.from_regex(r"\A0\.[0-9]{1,3}\Z")))
@example(text="٠.٥")  # Arabic-Indic digits: Decimal reads them, the router does not
@example(text="0.2_5")  # Decimal reads 0.25
@example(text="5e-1")
def test_a_threshold_is_ascii_decimal_or_refused(text):
    values = dict(_defaults(), router_classifier_threshold=text)
    found = [line for line in problems(values) if line.startswith("router_classifier_threshold:")]
    if _ASCII_DECIMAL.fullmatch(text) and 0 <= float(text) <= 1:
        assert not found, found
    else:
        assert found, text


TOKENS = st.one_of(
    st.from_regex(r"\AeyJ[A-Za-z0-9_-]{8,20}\.[A-Za-z0-9_-]{8,20}\.[A-Za-z0-9_-]{0,20}\Z"),
    st.from_regex(r"\A(sk-ant-|GOCSPX-|ghp_)[A-Za-z0-9]{8,20}\Z"),
)


@settings(max_examples=max(EXAMPLES // 2, 20), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["router_anthropic_model", "ui_google_client_id", "router_scalarlm_model", "split_brain_version"]),
       token=TOKENS, pad=st.sampled_from(["", " ", "\n", "x "]))
@example(name="router_anthropic_model", token="sk-ant-abcdefgh", pad=" ")  # a refusal for whitespace quoted it
@example(name="split_brain_version", token="eyJabcdefgh.abcdefgh.", pad="")  # a label value message quoted it
def test_a_token_in_a_plain_variable_is_refused_and_never_quoted(name, token, pad):
    from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import credentials, secrets
    values = dict(_defaults(), **{name: pad + token})
    found = problems(values)
    assert any(line.startswith(name + ":") for line in found), found
    # What the action prints: redacted with the secrets and every credential-like string.
    shown = "\n".join(secrets.redact(found, sorted(credentials.credential_like(values))))
    assert token not in shown, shown


# Issue 25: a value that reaches a field through a template, from a file or from -e -----------------

from ansible.template import trust_as_template  # noqa: E402

from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation import templated, typed  # noqa: E402

# Plain scalars as an operator types them: versions, counts, words YAML 1.1 reads as something else.
SCALAR_TEXT = st.one_of(
    st.from_regex(r"\A[0-9]{1,3}(\.[0-9]{1,3}){0,2}\Z"),
    st.from_regex(r"\A[+-]?0[0-9xob]?[0-9a-f_]{0,4}\Z"),
    st.from_regex(r"\A[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?\Z"),
    st.sampled_from(["off", "on", "yes", "no", "true", "False", "null", "~", "", "2026-01-01", "1_000", ".5", "1e3",
                     "1.0e+3", ".inf", ".NaN", "v1", "stable", "0.50", "1.10", "010", "0x1F", "0o17"]),
    st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,10}\Z"),
)
# Where the template's result lands: text (the tag is v<value>), or the value itself (an integer).
BUILT_FIELDS = {"router_image_tag": "v{{ app_value }}", "router_max_in_flight": "{{ app_value }}",
                "split_brain_version": "{{ app_value }}"}


def _run_vars(folder, via, text):
    """The task vars and -e of a run where ``app_value: <text>`` is typed in group_vars/all.yml or given
    inline to -e, read by Ansible's own loader; None when Ansible would refuse the file itself."""
    source = "{app_value: %s}" % text if via == "extra_vars" else "app_value: %s\n" % text
    try:
        loaded = DataLoader().load(source)
    except Exception:  # pylint: disable=broad-except
        return None
    if not isinstance(loaded, dict) or list(loaded) != ["app_value"]:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts.yml").write_text("all: {}\n")
    (folder / "group_vars").mkdir(exist_ok=True)
    (folder / "group_vars" / "all.yml").write_text(source if via == "file" else "---\n")
    task_vars = {"ansible_inventory_sources": [str(folder / "hosts.yml")], "inventory_hostname": "h1",
                 "group_names": ["split_brain"], "app_value": loaded["app_value"]}
    return task_vars, ((source,) if via == "extra_vars" else ())


@settings(max_examples=max(EXAMPLES // 2, 20), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=SCALAR_TEXT, via=st.sampled_from(["file", "extra_vars"]), field=st.sampled_from(sorted(BUILT_FIELDS)))
@example(text="1.10", via="file", field="router_image_tag")  # deployed the tag v1.1
@example(text="010", via="extra_vars", field="router_max_in_flight")  # 8, not 10
@example(text="", via="file", field="router_image_tag")  # vNone
@example(text="true", via="extra_vars", field="router_image_tag")  # vTrue
def test_a_value_built_by_a_template_is_refused_or_is_what_was_typed(tmp_path_factory, text, via, field):
    """``app_value: <text>`` (a file, or -e '{...}') and ``<field>: <template reading it>``: the run
    refuses it, naming the field, or the field's value is exactly what was typed (as text, or as the
    number written in decimal)."""
    run = _run_vars(tmp_path_factory.mktemp("built"), via, text)
    if run is None:
        return
    task_vars, extra_vars = run
    task_vars[field] = trust_as_template(BUILT_FIELDS[field])
    effect = typed.check(task_vars, OPTIONS, {}, extra_vars)[4]
    lines, names = templated.built_from_lines(OPTIONS, task_vars, effect, set(SECRETS))
    value = Templar(loader=DataLoader(), variables=task_vars).template(task_vars[field])
    spec_lines, _validated = validation.spec_problems({field: OPTIONS[field]}, {field: value})
    refused = lines or spec_lines or [line for line in validation.check({field: value}, SECRETS) if line.startswith(field)]
    hypothesis.event("refused" if refused else "rendered")
    if refused:
        assert all(line.startswith(field) for line in lines + spec_lines), (lines, spec_lines)
        return
    if BUILT_FIELDS[field].startswith("v"):
        assert value == "v" + text, (text, value)
    else:
        # An integer field takes the number, or its digits as text (``08``, which YAML 1.1 leaves a
        # string): either way what reaches the object reads as typed.
        assert str(value) == text, (text, value)
