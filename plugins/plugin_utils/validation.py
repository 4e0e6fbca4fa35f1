# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Checks of an inventory beyond what a role argument spec can say (controller side, no I/O).

Every check takes ``values`` (variable name -> resolved value, as the argument spec validator
returns them) and returns a list of problems, one line each, starting with the variable's name.
No check puts the value of a secret variable into a line. The checks tolerate values of the wrong
type (the spec reports those): such a value is skipped, not reported twice.
"""

from __future__ import annotations

import difflib
import ipaddress
import posixpath
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

# Imported when the module loads: ansible-playbook's main process loads the validate action (and
# this module) before it forks the task's worker, so the import (~0.4 s) happens once there and the
# in-process cluster actions that follow inherit it. ansible-test's import sanity test loads the
# plugins without the client (requirements.txt installs it).
try:
    from kubernetes.utils.quantity import parse_quantity as client_parse_quantity
except ImportError:
    client_parse_quantity = None

COMPONENTS = ("router", "classifier", "ui", "cloudflared")
EXAMPLE_PREFIX = "EXAMPLE-"
RWO = "ReadWriteOnce"

# Integer variables and their (minimum, maximum or None).
RANGES = {
    "router_replicas": (0, None),
    "classifier_replicas": (0, None),
    "ui_replicas": (0, None),
    "cloudflared_replicas": (0, None),
    "router_pdb_min_available": (0, None),
    "classifier_pdb_min_available": (0, None),
    "ui_pdb_min_available": (0, None),
    "cloudflared_pdb_min_available": (0, None),
    "router_autoscaling_max_replicas": (1, None),
    "router_autoscaling_target_cpu_utilization": (1, None),
    "router_max_in_flight": (1, None),
    "router_cache_ttl_seconds": (0, None),
    "ui_session_ttl_hours": (1, None),
    "cloudflared_metrics_port": (1, 65535),
    "split_brain_run_as_user": (1, None),  # the pods run as non-root
    "split_brain_run_as_group": (0, None),
    "split_brain_fs_group": (0, None),
    "split_brain_probe_initial_delay_seconds": (0, None),
    "split_brain_probe_period_seconds": (1, None),
    "split_brain_probe_timeout_seconds": (1, None),
    "split_brain_probe_failure_threshold": (1, None),
    "split_brain_rollout_timeout": (1, None),
    "split_brain_lock_timeout": (0, None),
    "split_brain_lock_duration": (3, None),
    "split_brain_history_limit": (0, None),
    "split_brain_revision": (0, None),
}

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_LABEL_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?\Z")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
# What the API server's quantity grammar refuses and kubernetes.utils.parse_quantity (Python's
# Decimal) takes: any character beyond those of a quantity (whitespace, "_", NaN, Infinity,
# non-ASCII digits), "K" other than in "Ki", lower-case binary suffixes ("512mi"), and a suffix
# after an exponent ("1e3Mi").
_NOT_QUANTITY = re.compile(r"[^0-9+.eEnumkKMGTPi-]|K(?!i\Z)|[num]i\Z|[eE][+-]?[0-9]+[^0-9]", re.ASCII)
_PERCENT_OR_INT = re.compile(r"^(\d+)(%?)\Z", re.ASCII)
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?\Z")
# distribution/reference: [registry-host[:port]/]path-component[/path-component]...
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?/)?"
_PATH = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(r"^%s%s(?:/%s)*\Z" % (_DOMAIN, _PATH, _PATH))
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\Z")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}\Z")

# A Kubernetes int32 field (replicas, ports, probe seconds, minAvailable, ...).
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")
# Unicode categories no name, URL, path, tag or secret holds: controls (newline, tab, NUL, ...),
# surrogates, and the line and paragraph separators.
_CONTROL_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")
# E-mail addresses (the dot-atom local part of RFC 5322) and their domains.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_NAME = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
# Paths the pods read (on the shared volume), and the volume's mount point.
DATA_PATHS = ("classifier_head_path", "classifier_keywords_path")
_PORTABLE_PATH = re.compile(r"[A-Za-z0-9._/-]+")
# Quantities (cpu, memory) may be YAML numbers: 1 and "1", 0.5 and "0.5" are the same quantity.
QUANTITY_KEYS = ("cpu", "memory")


def _int(value):
    """``value`` if it is an int (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value):
    """``value`` if it is a string, else None (absent, or a type error the spec reports)."""
    return value if isinstance(value, str) else None


# Argument spec ----------------------------------------------------------------------------------

_TYPE_ERROR = re.compile(
    r"^argument '(?P<name>[^']+)' is of type (?P<got>\S+)(?: found in '(?P<ctx>[^']+)')?"
    r" and we were unable to convert to (?P<want>\w+): (?P<detail>.*)$", re.S)
_VALUE_ERROR = re.compile(
    r"^value of (?P<name>\S+) must be one of: (?P<choices>.*), got: (?P<got>.*?)"
    r"(?: found in '(?P<ctx>[^']+)')?$", re.S)


def _reword(message):
    """Turn the validator's wording into ``variable: what is wrong``; unknown shapes stay as they are."""
    match = _TYPE_ERROR.match(message)
    if match:
        path = ".".join((match["ctx"] or "").split(" -> ") + [match["name"]]).lstrip(".")
        return "%s: must be of type %s, got %s (%s)" % (path, match["want"], match["got"], match["detail"])
    match = _VALUE_ERROR.match(message)
    if match:
        path = ".".join((match["ctx"] or "").split(" -> ") + [match["name"]]).lstrip(".")
        return "%s: must be one of %s, got %s" % (path, match["choices"], match["got"])
    return message


def _suboptions(argument_spec, path):
    spec = {"options": argument_spec}
    for key in path:
        spec = (spec.get("options") or {}).get(key) or {}
    return sorted(spec.get("options") or {})


def _describe(value, secret=False):
    """``the float 1.1``, ``a dict``: what a value is, in words. A secret's value is never quoted."""
    if isinstance(value, bool):
        return "the boolean %s" % ("true" if value else "false") if not secret else "a boolean"
    if isinstance(value, int):
        return "the integer %d" % value if not secret else "an integer"
    if isinstance(value, float):
        return "the float %r" % value if not secret else "a float"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "null (an empty YAML value)"
    if isinstance(value, str):
        return "the string %r" % value if not secret else "a string"
    return "a %s" % type(value).__name__


def _string_hint(value, secret=False):
    """How to write ``value``'s option so that it is a string (a secret's value never quoted)."""
    if isinstance(value, bool):
        return 'quote it in YAML (e.g. "true" or "yes") so it stays a string'
    if isinstance(value, float):
        return 'quote it in YAML (e.g. "1.10") so it stays a string; unquoted, 1.10 is the number 1.1'
    if isinstance(value, int):
        return 'quote it in YAML (e.g. "%s") so it stays a string' % ("1234" if secret else value)
    if value is None:
        return 'write "" for an empty value'
    return "give a single string"


def _text_problem(text):
    """Why ``text`` is no clean single-line value (control characters, outer whitespace), or None."""
    for char in text:
        if unicodedata.category(char) in _CONTROL_CATEGORIES:
            return "contains the control character U+%04X (a newline, tab or similar)" % ord(char)
    if text != text.strip():
        return "has leading or trailing whitespace"
    return None


def type_problems(argument_spec, values, path=""):
    """Values whose YAML type is not the option's type, before any conversion; one line each.

    - ``str``: a string only. A float, int, bool, dict, list or null is an error that says how to
      write it (``1.10`` unquoted is the float 1.1, never the tag "1.10"). A string with control
      characters or outer whitespace is an error too (a newline is not part of a name or a path).
    - ``int``: an int, or a string of digits (what ``-e name=3`` gives); not a float or a bool;
      within int32 (Kubernetes stores every count, port and second as one).
    - ``bool``: a bool, or the strings true/false in any case (``-e name=true``).
    - ``list``/``dict``: a list/dict (no comma-separated string), elements and suboptions likewise.
    - ``raw``: left to the rules of the variable.
    Returns ``(problems, bad)``: the lines, and the names (top-level) of the variables they are about.
    A ``no_log`` option's value is never quoted.
    """
    problems, bad = [], set()
    for name, option in argument_spec.items():
        if name not in values:
            continue
        full = path + name
        line = _type_problem(full, option, values[name], bool(option.get("no_log")))
        if line:
            problems.extend(line)
            bad.add(name)
    return problems, bad


def _type_problem(name, option, value, secret):
    kind = option.get("type", "str")
    if kind == "str":
        if not isinstance(value, str):
            return ["%s: must be a string, got %s; %s" % (name, _describe(value, secret), _string_hint(value, secret))]
        reason = _text_problem(value)
        if reason:
            return ["%s: %s" % (name, reason) if secret else "%s: %r %s" % (name, value, reason)]
        return []
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, (int, str)) or (
                isinstance(value, str) and not _INTEGER.fullmatch(value)):
            return ["%s: must be an integer, got %s" % (name, _describe(value, secret))]
        number = int(value)
        if not INT32_MIN <= number <= INT32_MAX:
            return ["%s: must be at most %d (Kubernetes stores it as a 32-bit integer), got %d"
                    % (name, INT32_MAX, number) if number > 0 else
                    "%s: must be at least %d, got %d" % (name, INT32_MIN, number)]
        return []
    if kind == "bool":
        if isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false")):
            return []
        return ["%s: must be true or false, got %s" % (name, _describe(value, secret))]
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            return ["%s: must be a list (e.g. [a, b]), got %s" % (name, _describe(value, secret))]
        element = {"type": option["elements"]} if option.get("elements") else None
        lines = []
        for index, item in enumerate(value if element else ()):
            lines += _type_problem("%s[%d]" % (name, index), element, item, secret)
        return lines
    if kind == "dict":
        if not isinstance(value, dict):
            return ["%s: must be a dict (key: value), got %s" % (name, _describe(value, secret))]
        lines = []
        for key, sub in (option.get("options") or {}).items():
            if key in value and value[key] is not None:
                if key in QUANTITY_KEYS and sub.get("type") == "raw":
                    lines += _quantity_type_problem("%s.%s" % (name, key), value[key])
                else:
                    lines += _type_problem("%s.%s" % (name, key), sub, value[key], secret or bool(sub.get("no_log")))
        return lines
    return []


def _quantity_type_problem(name, value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ["%s: must be a quantity such as 250m or 1Gi, got %s" % (name, _describe(value))]
    return []


def spec_problems(argument_spec, values):
    """Validate ``values`` against ``argument_spec`` (the options of role entry points).

    Strict types first (type_problems: no silent conversion), then Ansible's argument spec
    validator on the variables whose types are right (choices, unknown keys, and the conversion of
    "3" and "true" from ``-e``). Returns ``(problems, validated)``: one line per problem, and the
    values converted to their types (what the other checks read); a variable with a problem is
    left out of ``validated``, so that the other checks do not report it twice.
    """
    problems, bad = type_problems(argument_spec, values)
    values = {name: value for name, value in values.items() if name not in bad}
    result = ArgumentSpecValidator(argument_spec).validate(values)
    problems += [_reword(error.msg) for error in result.errors if not isinstance(error, UnsupportedError)]
    unknown = [path if isinstance(path, tuple) else (path,) for path in result.unsupported_parameters]
    for path in sorted(unknown):
        allowed = ", ".join(_suboptions(argument_spec, path[:-1])) or "none"
        problems.append("%s: unknown key %s (allowed: %s)" % (".".join(path[:-1]) or path[-1], path[-1], allowed))
    validated = {name: value for name, value in result.validated_parameters.items() if name not in bad}
    return problems, validated


# Replicas, disruption budgets, autoscaling, storage ---------------------------------------------

def range_problems(values):
    """Integers outside their range (negative replicas, a zero probe period, a root UID, ...).

    int32 bounds, which every int option has, are type_problems'."""
    problems = []
    for name, (low, high) in RANGES.items():
        number = _int(values.get(name))
        if number is None:
            continue
        if number < low:
            problems.append("%s: must be at least %d, got %d" % (name, low, number))
        elif high is not None and number > high:
            problems.append("%s: must be at most %d, got %d" % (name, high, number))
    return problems


def replica_problems(values):
    """Disruption budgets that block every drain, HPA bounds, and the ui's single writer."""
    problems = []
    for component in COMPONENTS:
        replicas = _int(values.get(component + "_replicas"))
        minimum = _int(values.get(component + "_pdb_min_available"))
        if values.get(component + "_pdb_enabled") is True and None not in (replicas, minimum) and minimum >= replicas:
            problems.append(
                "%s_pdb_min_available: %d is not below %s_replicas (%d), so no pod could ever be evicted;"
                " lower it or set %s_pdb_enabled: false" % (component, minimum, component, replicas, component))
    if values.get("router_autoscaling_enabled") is True:
        replicas = _int(values.get("router_replicas"))
        maximum = _int(values.get("router_autoscaling_max_replicas"))
        if replicas is not None and replicas < 1:
            problems.append("router_replicas: must be at least 1 with router_autoscaling_enabled (it is the HPA's minimum)")
        if None not in (replicas, maximum) and maximum < replicas:
            problems.append("router_autoscaling_max_replicas: %d is below router_replicas (%d), the HPA's minimum"
                            % (maximum, replicas))
    # ReadWriteOnce: router and classifier may scale (a required pod affinity puts every pod that
    # mounts the volume on one node), but the ui is the single writer of its files.
    ui_replicas = _int(values.get("ui_replicas"))
    if values.get("split_brain_storage_access_mode") == RWO and ui_replicas is not None and ui_replicas > 1:
        problems.append("ui_replicas: %d with split_brain_storage_access_mode ReadWriteOnce; the ui is the single"
                        " writer of its files on the shared volume, use 1 (or ReadWriteMany storage)" % ui_replicas)
    rollout = {k: values[k] for k in ("split_brain_rollout_max_surge", "split_brain_rollout_max_unavailable") if k in values}
    for name, value in rollout.items():
        match = None if isinstance(value, (bool, float)) else _PERCENT_OR_INT.match(str(value))
        if not match:
            problems.append("%s: must be a number of pods or a percentage such as 25%%" % name)
        elif match.group(2) and int(match.group(1)) > 100:
            problems.append("%s: %s is above 100%%" % (name, value))
        elif not match.group(2) and int(match.group(1)) > INT32_MAX:
            problems.append("%s: must be at most %d pods" % (name, INT32_MAX))
    if len(rollout) == 2 and all(str(v).rstrip("%") == "0" for v in rollout.values()):
        problems.append("split_brain_rollout_max_surge: cannot be 0 while split_brain_rollout_max_unavailable is 0"
                        " (a rollout could never start)")
    return problems


# Secrets ------------------------------------------------------------------------------------------

def secret_problems(values, secrets=(), deploying=False):
    """Missing secrets and settings that need them; shipped example secrets in production.

    ``secrets`` names the secret variables (no_log in the specs). With
    ``split_brain_secrets_create`` false no Secret is written, so the secret variables are not
    needed (the play checks the Secrets in the cluster instead).
    """
    problems = []
    create = values.get("split_brain_secrets_create", True) is True

    def empty(name):
        # A variable that is absent (e.g. could not be resolved, reported elsewhere) is not empty.
        return name in values and values[name] in ("", None)

    if create:
        for name in ("router_anthropic_api_key", "cloudflared_tunnel_token"):
            if empty(name):
                problems.append("%s: empty, but split_brain_secrets_create is true; put it in the inventory's vault" % name)
        url_empty, key_empty = empty("router_scalarlm_base_url"), empty("router_scalarlm_api_key")
        if key_empty and "router_scalarlm_base_url" in values and not url_empty:
            problems.append("router_scalarlm_api_key: empty, but router_scalarlm_base_url is set"
                            " (the Secret scalarlm-credentials needs it)")
        if url_empty and "router_scalarlm_api_key" in values and not key_empty:
            problems.append("router_scalarlm_api_key: set, but router_scalarlm_base_url is empty (ScalarLM is off);"
                            " set the URL or remove the key")
    if values.get("ui_google_signin_enabled") is True:
        needed = ["ui_google_client_id"] + (["ui_google_client_secret", "ui_google_session_secret"] if create else [])
        for name in needed:
            if empty(name):
                problems.append("%s: empty, but ui_google_signin_enabled is true" % name)
    if deploying and create and values.get("split_brain_production") is True:
        for name in sorted(secrets):
            value = values.get(name)
            if isinstance(value, str) and value.startswith(EXAMPLE_PREFIX):
                problems.append("%s: still the shipped example value; replace it in the production inventory's"
                                " vault before deploying" % name)
    return problems


# Formats ----------------------------------------------------------------------------------------

def parse_quantity(value):
    """Return the Decimal value of a Kubernetes quantity (``250m``, ``1.5``, ``1Gi``, ``1e3``).

    The kubernetes client's ``kubernetes.utils.parse_quantity`` does the parsing; it reads with
    Python's Decimal, so it also takes what the API server refuses, which is refused here first:
    booleans, whitespace and underscores, NaN and Infinity, the suffix ``K`` and lower-case binary
    suffixes (``512mi``), and an exponent followed by a suffix (``1e3Mi``). Raises ValueError when
    ``value`` is not a quantity.
    """
    if client_parse_quantity is None:
        raise ValueError("cannot check the quantity %r: the kubernetes Python client is not installed" % (value,))
    if isinstance(value, bool):
        raise ValueError("a boolean is not a quantity")
    text = value if isinstance(value, str) else str(value)  # 0.5 reads as "0.5", not as the binary float
    if not text or _NOT_QUANTITY.search(text):
        raise ValueError("%r is not a Kubernetes quantity" % (value,))
    try:
        quantity = client_parse_quantity(text)
    except ArithmeticError:
        raise ValueError("%r is out of range" % (value,)) from None
    except ValueError:
        raise ValueError("%r is not a Kubernetes quantity" % (value,)) from None
    if not quantity.is_finite():
        raise ValueError("%r is not a Kubernetes quantity" % (value,))
    return quantity


RESOURCE_KEYS = ("cpu", "memory", "ephemeral-storage")


def _quantity_or_none(value):
    """The Decimal of a quantity above 0, or None (not given, or not such a quantity)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        quantity = parse_quantity(value)
    except ValueError:
        return None
    return quantity if quantity > 0 else None


def resource_problems(values):
    """Requests and limits that are not quantities, are negative, or whose request exceeds its limit."""
    problems = []
    examples = {"cpu": "250m or 1", "memory": "512Mi or 1Gi", "ephemeral-storage": "64Mi or 1Gi"}
    tmp_limit = _quantity_or_none(values.get("split_brain_tmp_size_limit"))
    for component in COMPONENTS:
        name = component + "_resources"
        resources = values.get(name)
        if not isinstance(resources, dict):
            continue
        parsed = {}
        for section in ("requests", "limits"):
            quantities = resources.get(section)
            for key in RESOURCE_KEYS:
                value = quantities.get(key) if isinstance(quantities, dict) else None
                if value is None:
                    continue
                try:
                    quantity = parse_quantity(value)
                except ValueError:
                    problems.append("%s.%s.%s: %r is not a Kubernetes quantity (such as %s)"
                                    % (name, section, key, str(value), examples[key]))
                    continue
                if quantity < 0:
                    problems.append("%s.%s.%s: must not be negative" % (name, section, key))
                parsed[section, key] = (quantity, value)
        for key in RESOURCE_KEYS:
            request, limit = parsed.get(("requests", key)), parsed.get(("limits", key))
            if request and limit and request[0] > limit[0]:
                problems.append("%s: requests.%s %s is above limits.%s %s" % (name, key, request[1], key, limit[1]))
        limit = parsed.get(("limits", "ephemeral-storage"))
        if tmp_limit is not None and limit and tmp_limit > limit[0]:
            problems.append("split_brain_tmp_size_limit: %s is above %s.limits.ephemeral-storage %s (the /tmp emptyDir"
                            " counts against it)" % (values["split_brain_tmp_size_limit"], name, limit[1]))
    tmp = values.get("split_brain_tmp_size_limit")
    if tmp is not None and tmp_limit is None:
        problems.append("split_brain_tmp_size_limit: %r is not a Kubernetes quantity above 0 (such as 128Mi)" % str(tmp))
    size = _str(values.get("split_brain_storage_size"))
    if size is not None:
        try:
            if parse_quantity(size) <= 0:
                problems.append("split_brain_storage_size: must be above 0")
        except ValueError:
            problems.append("split_brain_storage_size: %r is not a Kubernetes quantity (such as 20Gi)" % size)
    return problems


def image_problems(values):
    """Image repositories, tags and digests that a container runtime would refuse."""
    problems = []
    for component in COMPONENTS:
        prefix = component + "_image_"
        repository, tag, digest = (_str(values.get(prefix + k)) for k in ("repository", "tag", "digest"))
        if repository is not None:
            if not repository:
                problems.append("%srepository: empty" % prefix)
            elif "@" in repository or ":" in repository.rsplit("/", 1)[-1]:
                problems.append("%srepository: %r carries a tag or digest; put it in %stag or %sdigest"
                                % (prefix, repository, prefix, prefix))
            elif len(repository) > 255 or not _REPOSITORY.match(repository):
                problems.append("%srepository: %r is not an image repository (lowercase path components"
                                " separated by /, optionally after a registry host)" % (prefix, repository))
        if tag == "" and digest == "":
            problems.append("%stag: empty, and %sdigest is empty too; set a tag (e.g. \"1.0.0\") or a digest"
                            " (an image without either would silently be :latest)" % (prefix, prefix))
        if tag and not _TAG.match(tag):
            problems.append("%stag: %r is not an image tag (letters, digits, _ . -; at most 128, not starting"
                            " with . or -)" % (prefix, tag))
        if digest and not _DIGEST.match(digest):
            problems.append("%sdigest: %r is not a digest; use sha256: followed by 64 lowercase hex digits"
                            % (prefix, digest))
    return problems


def url_problem(url):
    """Why ``url`` is not a usable http(s) URL with a host, or None. Never quotes the URL."""
    if any(char.isspace() for char in url):
        return "contains whitespace"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if "@" in parts.netloc:
        return "must not carry user:password@ (credentials belong in a Secret)"
    if not parts.hostname:
        return "has no host"
    try:
        parts.port
    except ValueError:
        return "has an invalid port"
    try:
        ipaddress.ip_address(parts.hostname)
    except ValueError:
        if len(parts.hostname) > 253 or not _HOST.match(parts.hostname):
            return "has an invalid host name"
    return None


def url_problems(values):
    """The URL variables that are set but not http(s) URLs with a host."""
    problems = []
    for name in ("router_scalarlm_base_url", "ui_google_redirect_url"):
        url = _str(values.get(name))
        reason = url_problem(url) if url else None
        if reason:
            problems.append("%s: %s" % (name, reason))
    return problems


def domain_problem(domain):
    """Why ``domain`` is not a DNS domain name such as example.com, or None."""
    if len(domain) > 253 or not _DOMAIN_NAME.fullmatch(domain):
        return "is not a domain name such as example.com"
    return None


def account_problems(values):
    """Who may sign in: e-mail addresses and domains of ui_google_allowed_*, the Access team domain."""
    problems = []
    domains = values.get("ui_google_allowed_domains")
    for index, domain in enumerate(domains if isinstance(domains, list) else []):
        text = _str(domain)
        if text is None:
            continue
        if text.startswith("@"):
            problems.append("ui_google_allowed_domains[%d]: %r starts with @; write the domain alone (%s)"
                            % (index, text, text[1:]))
        elif domain_problem(text):
            problems.append("ui_google_allowed_domains[%d]: %r %s" % (index, text, domain_problem(text)))
    emails = values.get("ui_google_allowed_emails")
    for index, email in enumerate(emails if isinstance(emails, list) else []):
        text = _str(email)
        if text is None:
            continue
        local, at, domain = text.rpartition("@")
        if not at or len(local) > 64 or not _LOCAL_PART.fullmatch(local) or domain_problem(domain):
            problems.append("ui_google_allowed_emails[%d]: %r is not an e-mail address such as alice@example.com"
                            % (index, text))
    team = _str(values.get("ui_cloudflare_access_team_domain"))
    if team and domain_problem(team):
        problems.append("ui_cloudflare_access_team_domain: %r %s (e.g. myteam.cloudflareaccess.com)"
                        % (team, domain_problem(team)))
    return problems


def path_problem(path):
    """Why ``path`` is not an absolute, clean path, or None."""
    if not path.startswith("/"):
        return "must be an absolute path"
    if not _PORTABLE_PATH.fullmatch(path):
        return ("%r has characters beyond the portable file name set (letters, digits, . _ - and /)" % path)
    if posixpath.normpath(path) != path or path.startswith("//"):
        return "is not a clean path (no trailing /, //, . or ..); did you mean %s?" % posixpath.normpath(path)
    return None


def path_problems(values):
    """The shared volume's mount path and the files the classifier reads from it."""
    problems = []
    mount = _str(values.get("split_brain_data_mount_path"))
    if mount is not None:
        reason = path_problem(mount)
        if reason:
            problems.append("split_brain_data_mount_path: %s" % reason)
            mount = None
        elif mount in ("/", "/tmp"):
            problems.append("split_brain_data_mount_path: %s would %s; use a folder of its own such as /var/split-brain"
                            % (mount, "hide the container's files" if mount == "/" else "clash with the pods' /tmp volume"))
            mount = None
    for name in DATA_PATHS:
        path = _str(values.get(name))
        if path is None:
            continue
        reason = path_problem(path)
        if reason:
            problems.append("%s: %s" % (name, reason))
        elif mount and not path.startswith(mount.rstrip("/") + "/"):
            problems.append("%s: %s is not on the shared volume (split_brain_data_mount_path is %s)" % (name, path, mount))
    return problems


def name_problems(values):
    """Names Kubernetes would refuse: DNS-1123 labels and subdomains, label values and selectors."""
    problems = []
    for name in ("split_brain_namespace", "split_brain_instance", "split_brain_dns_namespace"):
        text = _str(values.get(name))
        if text is not None and (len(text) > 63 or not _LABEL.match(text)):
            problems.append("%s: %r is not a DNS-1123 label (lowercase letters, digits and -, starting and ending"
                            " with a letter or digit, at most 63)" % (name, text))
    subdomains = [(n, _str(values.get(n))) for n in ("namespace_default_deny_name", "namespace_allow_dns_name")]
    if _str(values.get("split_brain_storage_class_name")):
        subdomains.append(("split_brain_storage_class_name", values["split_brain_storage_class_name"]))
    pull_secrets = values.get("split_brain_image_pull_secrets")
    if isinstance(pull_secrets, list):
        subdomains += [("split_brain_image_pull_secrets[%d]" % i, _str(s)) for i, s in enumerate(pull_secrets)]
    for name, text in subdomains:
        if text is not None and (len(text) > 253 or not _SUBDOMAIN.match(text)):
            problems.append("%s: %r is not a DNS-1123 subdomain (lowercase letters, digits, - and .)" % (name, text))
    version = _str(values.get("split_brain_version"))
    if version is not None and (len(version) > 63 or not _LABEL_VALUE.match(version)):
        problems.append("split_brain_version: %r is not a valid label value (letters, digits, - _ ., at most 63)"
                        % version)
    selector = values.get("split_brain_dns_pod_labels")
    if isinstance(selector, dict):
        for key, value in selector.items():
            prefix, _slash, name = str(key).rpartition("/")
            if (prefix and not _SUBDOMAIN.match(prefix)) or not name or len(name) > 63 or not _LABEL_VALUE.match(name):
                problems.append("split_brain_dns_pod_labels: %r is not a label key" % str(key))
            if not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
                problems.append("split_brain_dns_pod_labels.%s: %r is not a label value" % (key, value))
    return problems


def cidr_problems(values):
    """Entries of split_brain_egress_excluded_cidrs that cannot be excepted from 0.0.0.0/0."""
    problems = []
    cidrs = values.get("split_brain_egress_excluded_cidrs")
    for index, cidr in enumerate(cidrs if isinstance(cidrs, list) else []):
        name = "split_brain_egress_excluded_cidrs[%d]" % index
        text = str(cidr).strip()
        try:
            network = ipaddress.ip_network(text) if "/" in text else None
        except ValueError:
            try:
                network = ipaddress.ip_network(text, strict=False)
            except ValueError:
                network = None
            else:
                problems.append("%s: %r has host bits set; did you mean %s?" % (name, text, network))
                continue
        if network is None:
            problems.append("%s: %r is not a CIDR such as 10.0.0.0/8" % (name, text))
        elif network.version != 4:
            problems.append("%s: %r is not IPv4; it is excepted from 0.0.0.0/0" % (name, text))
        elif network.prefixlen == 0:
            problems.append("%s: %r would exclude every address" % (name, text))
    return problems


def config_problems(values):
    """Keys of the *_config_extra dicts that are not environment variable names, and nested values."""
    problems = []
    for component in ("router", "classifier", "ui"):
        name = component + "_config_extra"
        extra = values.get(name)
        for key, value in (extra.items() if isinstance(extra, dict) else ()):
            if not _ENV_NAME.match(str(key)):
                problems.append("%s: key %r is not an environment variable name (letters, digits and _,"
                                " not starting with a digit)" % (name, str(key)))
            elif isinstance(value, dict):
                problems.append("%s.%s: must be a string, number, boolean or list, not a dict" % (name, key))
            elif isinstance(value, float) or (isinstance(value, list) and any(isinstance(i, float) for i in value)):
                problems.append("%s.%s: holds a float (%s); quote it in YAML (e.g. \"1.10\") so that it is passed"
                                " as written (unquoted, 1.10 is the number 1.1)" % (name, key, value))
            elif isinstance(value, list) and any(isinstance(i, (dict, list)) for i in value):
                problems.append("%s.%s: a list of strings, numbers or booleans only" % (name, key))
    threshold = _str(values.get("router_classifier_threshold"))
    if threshold is not None:
        try:
            ok = 0 <= Decimal(threshold) <= 1
        except InvalidOperation:
            ok = False
        if not ok:
            problems.append("router_classifier_threshold: %r is not a number from 0 to 1" % threshold)
    return problems


# All of them --------------------------------------------------------------------------------------

def check(values, secrets=(), deploying=False):
    """Every cross-field and format problem of ``values`` (already type-validated), in a stable order."""
    problems = []
    for rule in (range_problems, replica_problems, resource_problems, image_problems, url_problems,
                 account_problems, name_problems, path_problems, cidr_problems, config_problems):
        problems.extend(rule(values))
    problems.extend(secret_problems(values, secrets, deploying))
    return problems


def kubeconfig_problems(kubeconfig, environ, exists, defaults=None):
    """Where the kubeconfig of a deploy comes from, and whether that file is there (one line or none).

    ``kubeconfig`` is split_brain_kubeconfig, ``environ`` the task's environment (the controller's
    and the task's ``environment:``), ``defaults`` the connection options a cluster task would get
    from the play's ``module_defaults``, and ``exists(path)`` tells whether a file is there (the
    caller does the I/O). Empty split_brain_kubeconfig means the module_defaults, else the kubernetes
    client's defaults: K8S_AUTH_KUBECONFIG, else KUBECONFIG (paths separated by :), else
    ~/.kube/config, else in-cluster. A host given without a kubeconfig (token auth) needs no file.
    """
    defaults = defaults or {}
    what = ("point it at your cluster's kubeconfig file, or leave split_brain_kubeconfig empty to use"
            " K8S_AUTH_KUBECONFIG, KUBECONFIG or ~/.kube/config")
    if isinstance(kubeconfig, dict):
        return []
    if not isinstance(kubeconfig, str):
        return ["split_brain_kubeconfig: must be the path of a kubeconfig file or a kubeconfig dict, got %s"
                % _describe(kubeconfig)]
    if kubeconfig:
        if not exists(kubeconfig):
            return ["split_brain_kubeconfig: the file %s does not exist; %s" % (kubeconfig, what)]
        return []
    if defaults.get("kubeconfig"):
        path = defaults["kubeconfig"]
        if isinstance(path, str) and not exists(path):
            return ["module_defaults: the kubeconfig %s of group/split_brain.deploy.cluster does not exist"
                    " (split_brain_kubeconfig is empty, so the play's module_defaults name it)" % path]
        return []
    if defaults.get("host") or environ.get("K8S_AUTH_HOST"):
        return []
    if environ.get("K8S_AUTH_KUBECONFIG"):
        path = environ["K8S_AUTH_KUBECONFIG"]
        if not exists(path):
            return ["K8S_AUTH_KUBECONFIG: the file %s does not exist (split_brain_kubeconfig is empty, so the"
                    " environment names the kubeconfig); set it to your cluster's kubeconfig file, or unset it" % path]
        return []
    if environ.get("KUBECONFIG"):
        paths = [p for p in environ["KUBECONFIG"].split(":") if p]
        if not any(exists(p) for p in paths):
            return ["KUBECONFIG: %s %s (split_brain_kubeconfig is empty, so the environment names the"
                    " kubeconfig); set it to your cluster's kubeconfig file, or set split_brain_kubeconfig"
                    % (", ".join(paths), "does not exist" if len(paths) == 1 else "do not exist")]
        return []
    if not exists("~/.kube/config") and not environ.get("KUBERNETES_SERVICE_HOST"):
        return ["split_brain_kubeconfig: empty, and neither K8S_AUTH_KUBECONFIG, KUBECONFIG nor ~/.kube/config names"
                " a kubeconfig (and this is not a pod in a cluster); set split_brain_kubeconfig to your cluster's"
                " kubeconfig file"]
    return []


def redact(lines, secret_values):
    """``lines`` with every secret value (4 characters or more) masked as Ansible masks ``no_log``
    values (``remove_values``): ``********`` where a line holds it, ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``
    for a line that is the value."""
    return remove_values(list(lines), _mask_values(secret_values))


def _mask_values(values):
    """The values worth masking: shorter ones (``""``, ``0``, ``ab``) would only shred the text."""
    return {str(value) for value in values if value is not None and len(str(value)) >= 4}


def unknown_variables(names, known, prefixes, options=None):
    """Warnings for ``names`` that look like the collection's variables but are not ``known``.

    A name with one of ``prefixes`` that the collection never mentions is a likely typo; so is a
    name without a prefix that is very close to one of ``options`` (``routr_replicas``). Suggestions
    come from ``options`` alone (the documented variables), never from other names the roles
    mention.
    """
    options = sorted(options if options is not None else known)
    warnings = []
    for name in sorted(names):
        if name in known:
            continue
        if name.startswith(tuple(prefixes)):
            close = difflib.get_close_matches(name, options, n=1, cutoff=0.8)
        else:
            close = difflib.get_close_matches(name, options, n=1, cutoff=0.9)
            if not close:
                continue
        hint = " (did you mean %s?)" % close[0] if close else ""
        warnings.append("%s is not a variable of split_brain.deploy and is ignored%s" % (name, hint))
    return warnings
