# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What a value of each format is: the ``format`` of a variable in its role's meta/constraints.yml.

``FORMATS`` maps a format's name to a check ``(name, value, constraint) -> [lines]``: ``name`` is
the variable (``split_brain_image_pull_secrets[1]`` for an element), ``value`` a string (or the
dict of a dict format), ``constraint`` the variable's entry in constraints.yml with ``example``,
its argument spec's example or default. The checks of a value of the wrong type are the spec's.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import in_cluster_host
from ansible_collections.split_brain.deploy.plugins.plugin_utils.validation.credentials import url_credential

# Imported when the module loads: ansible-playbook's main process loads the validate action (and
# this module) before it forks the task's worker, so the import (~0.4 s) happens once there and the
# in-process cluster actions that follow inherit it. ansible-test's import sanity test loads the
# plugins without the client (requirements.txt installs it).
try:
    from kubernetes.utils.quantity import parse_quantity as client_parse_quantity
except ImportError:
    client_parse_quantity = None

# The largest quantity the API server keeps as written.
QUANTITY_MAX = 2**63 - 1
# A Kubernetes int32 field (replicas, ports, probe seconds, minAvailable, ...).
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

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
# E-mail addresses (the dot-atom local part of RFC 5322) and their domains.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_NAME = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_PORTABLE_PATH = re.compile(r"[A-Za-z0-9._/-]+")

# The quantities of a resources dict, and an example of each for the messages.
RESOURCE_KEYS = ("cpu", "memory", "ephemeral-storage")
_RESOURCE_EXAMPLES = {"cpu": "250m or 1", "memory": "512Mi or 1Gi", "ephemeral-storage": "64Mi or 1Gi"}


def as_int(value):
    """``value`` if it is an int (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_str(value):
    """``value`` if it is a string, else None (absent, or a type error the spec reports)."""
    return value if isinstance(value, str) else None


# Ranges -------------------------------------------------------------------------------------------

def range_problems(name, number, constraint):
    """An integer below ``min`` or above ``max`` (int32 bounds, which every int option has, are the
    spec's)."""
    low, high = constraint.get("min"), constraint.get("max")
    if low is not None and number < low:
        return ["%s: must be at least %d, got %d" % (name, low, number)]
    if high is not None and number > high:
        return ["%s: must be at most %d, got %d" % (name, high, number)]
    return []


# Quantities ---------------------------------------------------------------------------------------

class QuantityOutOfRange(ValueError):
    """A quantity beyond what the API server keeps as written (2^63-1)."""


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
    # The API server caps a quantity at 2^63-1: refused here, as what would run is not what was
    # written (and Decimal's arithmetic on a quantity stays exact below the cap).
    if abs(quantity) > QUANTITY_MAX:
        raise QuantityOutOfRange("%r is out of range: Kubernetes caps a quantity at 2^63-1 (%d)" % (value, QUANTITY_MAX))
    return quantity


def quantity_or_none(value):
    """The Decimal of a quantity, or None (not given, or not a quantity)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return parse_quantity(value)
    except ValueError:
        return None


# The suffixes of a quantity of bytes at a plausible scale: binary (Ki ... Ei) and decimal (k ... E).
BYTE_SUFFIXES = ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E")
# A size of a container's memory, scratch space or volume at least this big (1 PiB) is not what
# was meant (``1E``, ``1Pi``, ``2e18``): the unit was.
BYTES_IMPLAUSIBLE = 1024 ** 5
# A cpu quantity is cores (``1``, ``0.5``) or millicores (``250m``); no container of the stack
# needs this many cores, so a number at least this big is taken for millicores without the m.
CPU_IMPLAUSIBLE_CORES = 100
_SUFFIX = re.compile(r"^[+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?(?P<suffix>[a-zA-Z]*)\Z", re.ASCII)
_NUMBER = re.compile(r"^[+-]?[0-9.]+", re.ASCII)


def _suffix(text):
    match = _SUFFIX.match(text)
    return match["suffix"] if match else ""


def _plain(quantity):
    """A Decimal as a plain number (``0.512``, ``500000000``)."""
    text = format(quantity.normalize(), "f")
    return text


def byte_unit_hint(name):
    """The unit an operator most likely meant for the variable or resource key ``name``."""
    return "Gi" if name.endswith("storage_size") else "Mi"


def bytes_problem(value, unit="Mi"):
    """Why ``value`` (a valid quantity) is no plausible size in bytes, or None: it needs a unit of
    bytes (``Ki``/``k`` or above). Milli-, micro- and nano-bytes (``512m``), a number without a
    unit (``512``, ``"20"``: bytes) and an exponent (``1e9``) are refused with what was likely
    meant (``512Mi``); 0 needs no unit."""
    text = value if isinstance(value, str) else str(value)
    quantity = parse_quantity(value)
    if quantity == 0:
        return None
    suffix = _suffix(text)
    number = _NUMBER.match(text).group().rstrip(".") if _NUMBER.match(text) else text
    if quantity >= BYTES_IMPLAUSIBLE:
        return "%s is %s bytes, far beyond what a container or volume of the stack needs; did you mean %s%s?" % (
            text, _plain(quantity), number, unit)
    if suffix in BYTE_SUFFIXES:
        return None
    if suffix in ("m", "u", "n"):
        return "%s is %s bytes (%s is milli, micro or nano); did you mean %s%s?" % (
            text, _plain(quantity), suffix, number, unit)
    if "e" in text.lower():
        return "%s is %s bytes; write it with a unit of bytes such as %s (Ki, Mi, Gi, or k, M, G)" % (
            text, _plain(quantity), "512Mi" if unit == "Mi" else "20Gi")
    for power, name in ((4, "Ti"), (3, "Gi"), (2, "Mi")):
        if quantity >= 1024 ** power and quantity % (1024 ** power) == 0:
            return "%s is %s bytes; write it with a unit, %s%s (a size needs a unit: Ki, Mi, Gi, or k, M, G)" % (
                text, _plain(quantity), _plain(quantity / 1024 ** power), name)
    return "%s is %s bytes; did you mean %s%s? (a size needs a unit: Ki, Mi, Gi, or k, M, G)" % (
        text, _plain(quantity), number, unit)


def cpu_problem(value):
    """Why ``value`` (a valid quantity) is no plausible cpu quantity, or None: cores (``1``,
    ``0.5``) or millicores (``250m``). A suffix of bytes (``500M``, ``1Gi``, ``2k``) is refused
    with the millicores likely meant (``500m``), as is a number of cores beyond any container of the
    stack (``500``)."""
    text = value if isinstance(value, str) else str(value)
    quantity = parse_quantity(value)
    suffix = _suffix(text)
    number = _NUMBER.match(text).group().rstrip(".") if _NUMBER.match(text) else text
    if suffix in ("", "m"):
        if suffix == "" and "e" not in text.lower() and quantity >= CPU_IMPLAUSIBLE_CORES:
            return "%s is %s cores; did you mean %sm (millicores)?" % (text, _plain(quantity), number)
        return None
    if suffix in ("u", "n"):
        return "%s is below a millicore; write cores (such as 1 or 0.5) or millicores (such as 250m)" % text
    return ("%s is %s cores (%s is a unit of bytes or a multiplier, not of cpu); did you mean %sm (millicores)?"
            % (text, _plain(quantity), suffix, number))


def quantity_problems(name, value, constraint):
    """A Kubernetes quantity (``20Gi``), above ``above`` when the constraint has it; a size in
    bytes (``bytes_problem``) when the constraint's ``unit`` is ``bytes``."""
    try:
        quantity = parse_quantity(value)
    except QuantityOutOfRange as exc:
        return ["%s: %s" % (name, exc)]
    except ValueError:
        return ["%s: %r is not a Kubernetes quantity (such as %s)" % (name, str(value), constraint["example"])]
    if constraint.get("above") is not None and quantity <= constraint["above"]:
        return ["%s: must be above %s" % (name, constraint["above"])]
    if constraint.get("unit") == "bytes":
        reason = bytes_problem(value, byte_unit_hint(name))
        if reason:
            return ["%s: %s" % (name, reason)]
    return []


def resource_problem(key, value):
    """Why ``value`` is no plausible quantity of the resource ``key`` (cpu, memory,
    ephemeral-storage), or None; raises ValueError when it is no quantity at all."""
    if key == "cpu":
        return cpu_problem(value)
    return bytes_problem(value, "Mi")


def resources_problems(name, resources, _constraint):
    """``requests`` and ``limits`` of a container: each of cpu, memory and ephemeral-storage that is
    given is a Kubernetes quantity, not negative, of a plausible unit (``resource_problem``)."""
    problems = []
    for section in ("requests", "limits"):
        quantities = resources.get(section)
        for key in RESOURCE_KEYS:
            value = quantities.get(key) if isinstance(quantities, dict) else None
            if value is None:
                continue
            try:
                quantity = parse_quantity(value)
            except QuantityOutOfRange as exc:
                problems.append("%s.%s.%s: %s" % (name, section, key, exc))
                continue
            except ValueError:
                problems.append("%s.%s.%s: %r is not a Kubernetes quantity (such as %s)"
                                % (name, section, key, str(value), _RESOURCE_EXAMPLES[key]))
                continue
            if quantity < 0:
                problems.append("%s.%s.%s: must not be negative" % (name, section, key))
                continue
            reason = resource_problem(key, value)
            if reason:
                problems.append("%s.%s.%s: %s" % (name, section, key, reason))
    return problems


def resource_quantities(resources):
    """``{(section, key): (Decimal, value as given)}`` of the valid quantities of a resources dict."""
    parsed = {}
    for section in ("requests", "limits"):
        quantities = resources.get(section)
        for key in RESOURCE_KEYS:
            value = quantities.get(key) if isinstance(quantities, dict) else None
            quantity = quantity_or_none(value)
            if quantity is not None and quantity >= 0:
                parsed[section, key] = (quantity, value)
    return parsed


def pods_or_percent_problems(name, value, _constraint):
    """A number of pods or a percentage up to 100% (``maxSurge``, ``maxUnavailable``)."""
    match = None if isinstance(value, (bool, float)) else _PERCENT_OR_INT.match(str(value))
    if not match:
        return ["%s: must be a number of pods or a percentage such as 25%%" % name]
    if match.group(2) and int(match.group(1)) > 100:
        return ["%s: %s is above 100%%" % (name, value)]
    if not match.group(2) and int(match.group(1)) > INT32_MAX:
        return ["%s: must be at most %d pods" % (name, INT32_MAX)]
    return []


_ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def decimal_problems(name, text, constraint):
    """A decimal number from ``min`` to ``max`` written as a string (``"0.5"``), in ASCII digits:
    Python's Decimal also reads ``"٠.٥"`` (Arabic-Indic digits), ``"1_0"`` and ``" 0.5 "``, which
    the components, reading the rendered text, do not."""
    if not _ASCII_DECIMAL.fullmatch(text):
        digits = any(char.isdigit() and not "0" <= char <= "9" for char in text)
        return ["%s: %r is not a decimal number written with the digits 0-9%s (such as \"0.5\")" % (
            name, text, " (it has digits of another script, which the components cannot read)" if digits else "")]
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    low, high = constraint.get("min"), constraint.get("max")
    if number is None or not number.is_finite() or (low is not None and number < low) or (high is not None and number > high):
        return ["%s: %r is not a number from %s to %s" % (name, text, low, high)]
    return []


# Images -------------------------------------------------------------------------------------------

def image_repository_problems(name, repository, _constraint):
    """An image repository without tag or digest (``ghcr.io/split-brain/router``)."""
    if not repository:
        return ["%s: empty" % name]
    if "@" in repository or ":" in repository.rsplit("/", 1)[-1]:
        prefix = name[:-len("repository")]
        return ["%s: %r carries a tag or digest; put it in %stag or %sdigest" % (name, repository, prefix, prefix)]
    if len(repository) > 255 or not _REPOSITORY.match(repository):
        return ["%s: %r is not an image repository (lowercase path components separated by /, optionally"
                " after a registry host)" % (name, repository)]
    return []


def image_tag_problems(name, tag, _constraint):
    """An image tag, or empty (then the digest names the image: a rule between the two)."""
    if tag and not _TAG.match(tag):
        return ["%s: %r is not an image tag (letters, digits, _ . -; at most 128, not starting with . or -)"
                % (name, tag)]
    return []


def image_digest_problems(name, digest, _constraint):
    if not _DIGEST.match(digest):
        return ["%s: %r is not a digest; use sha256: followed by 64 lowercase hex digits" % (name, digest)]
    return []


# URLs, domains, e-mail addresses -----------------------------------------------------------------

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
        reason = _host_problem(parts.hostname.rstrip("."))
        if reason:
            return reason
    return url_credential(url)


def _host_problem(host):
    """Why a host name is no host a pod can be let through to, or None.

    A DNS label is at most 63 characters (and the namespace of an in-cluster host becomes a label
    value of the NetworkPolicy). A single-label host (``scalarlm``) resolves only inside the cluster,
    through the pod's search domains, and names no namespace the NetworkPolicy could admit; an
    in-cluster Service is ``<service>.<namespace>.svc[.cluster.local]``, ``svc`` third.
    """
    labels = host.split(".")
    if any(len(label) > 63 for label in labels):
        return "has a host name with a label longer than 63 characters"
    if len(labels) == 1 and host != "localhost":
        return ("has the single-label host %s, which only resolves inside the cluster; write the Service's full"
                " name (%s.<namespace>.svc.cluster.local) or a public host name" % (host, host))
    if not in_cluster_host(host) and (labels[-1] == "svc" or host.endswith(".cluster.local")):
        return ("has the host %s; an in-cluster Service is <service>.<namespace>.svc or"
                " <service>.<namespace>.svc.cluster.local" % host)
    return None


def url_problems(name, url, _constraint):
    reason = url_problem(url)
    return ["%s: %s" % (name, reason)] if reason else []


def domain_problem(domain):
    """Why ``domain`` is not a DNS domain name such as example.com, or None."""
    if len(domain) > 253 or not _DOMAIN_NAME.fullmatch(domain):
        return "is not a domain name such as example.com"
    return None


def domain_problems(name, domain, constraint):
    """A DNS domain name; the constraint's ``example`` (the argument spec's) is shown with it."""
    if domain.startswith("@"):
        return ["%s: %r starts with @; write the domain alone (%s)" % (name, domain, domain[1:])]
    reason = domain_problem(domain)
    if not reason:
        return []
    example = constraint.get("example")
    return ["%s: %r %s%s" % (name, domain, reason, " (e.g. %s)" % example if isinstance(example, str) and example else "")]


def email_problems(name, email, _constraint):
    local, at, domain = email.rpartition("@")
    if not at or len(local) > 64 or not _LOCAL_PART.fullmatch(local) or domain_problem(domain):
        return ["%s: %r is not an e-mail address such as alice@example.com" % (name, email)]
    return []


# Names and paths ---------------------------------------------------------------------------------

def dns1123_label_problems(name, text, _constraint):
    if len(text) > 63 or not _LABEL.match(text):
        return ["%s: %r is not a DNS-1123 label (lowercase letters, digits and -, starting and ending with a"
                " letter or digit, at most 63)" % (name, text)]
    return []


def dns1123_subdomain_problems(name, text, _constraint):
    if len(text) > 253 or not _SUBDOMAIN.match(text):
        return ["%s: %r is not a DNS-1123 subdomain (lowercase letters, digits, - and .)" % (name, text)]
    return []


def label_value_problems(name, text, _constraint):
    if len(text) > 63 or not _LABEL_VALUE.match(text):
        return ["%s: %r is not a valid label value (letters, digits, - _ ., at most 63)" % (name, text)]
    return []


def labels_problems(name, labels, constraint):
    """A dict of label keys (an optional DNS subdomain prefix and /, then a name) to label values.
    With the constraint's ``integers: text``, an integer value is taken as its decimal text (the
    labels filter renders ``1234`` as ``"1234"``); otherwise it is refused, saying to quote it."""
    problems = []
    for key, value in labels.items():
        prefix, _slash, short = str(key).rpartition("/")
        if (prefix and not _SUBDOMAIN.match(prefix)) or not short or len(short) > 63 or not _LABEL_VALUE.match(short):
            problems.append("%s: %r is not a label key" % (name, str(key)))
        if isinstance(value, int) and not isinstance(value, bool) and constraint.get("integers") == "text":
            if value < 0 or len(str(value)) > 63:
                problems.append("%s.%s: %d is not a label value (a label value is at most 63 letters, digits, - _ .,"
                                " starting with a letter or digit)" % (name, key, value))
        elif isinstance(value, int) and not isinstance(value, bool):
            # A label value is a string: the objects would carry the number, which the API server refuses.
            problems.append('%s.%s: %d is read by YAML as an integer, and a label value is text; quote it: "%d"'
                            % (name, key, value, value))
        elif not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
            problems.append("%s.%s: %r is not a label value (letters, digits, - _ ., at most 63, starting and ending"
                            " with a letter or digit)" % (name, key, value))
    return problems


def path_problem(path):
    """Why ``path`` is not an absolute, clean path, or None."""
    if not path.startswith("/"):
        return "must be an absolute path"
    if not _PORTABLE_PATH.fullmatch(path):
        return "%r has characters beyond the portable file name set (letters, digits, . _ - and /)" % path
    if posixpath.normpath(path) != path or path.startswith("//"):
        return "is not a clean path (no trailing /, //, . or ..); did you mean %s?" % posixpath.normpath(path)
    return None


def path_problems(name, path, _constraint):
    reason = path_problem(path)
    return ["%s: %s" % (name, reason)] if reason else []


def ipv4_cidr_problems(name, cidr, _constraint):
    """An IPv4 CIDR that can be excepted from 0.0.0.0/0 (no host bits, not 0.0.0.0/0 itself)."""
    text = str(cidr).strip()
    try:
        network = ipaddress.ip_network(text) if "/" in text else None
    except ValueError:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            network = None
        else:
            return ["%s: %r has host bits set; did you mean %s?" % (name, text, network)]
    if network is None:
        return ["%s: %r is not a CIDR such as 10.0.0.0/8" % (name, text)]
    if network.version != 4:
        return ["%s: %r is not IPv4; it is excepted from 0.0.0.0/0" % (name, text)]
    if network.prefixlen == 0:
        return ["%s: %r would exclude every address" % (name, text)]
    return []


def environment_problems(name, extra, _constraint):
    """Keys that are environment variable names, values that are strings, numbers, booleans or
    lists of them; no float (unquoted, 1.10 is the number 1.1)."""
    problems = []
    for key, value in extra.items():
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
    return problems


# Format name -> (the type of value it checks, the check).
FORMATS = {
    "dns1123_label": (str, dns1123_label_problems),
    "dns1123_subdomain": (str, dns1123_subdomain_problems),
    "label_value": (str, label_value_problems),
    "labels": (dict, labels_problems),
    "path": (str, path_problems),
    "url": (str, url_problems),
    "domain": (str, domain_problems),
    "email": (str, email_problems),
    "ipv4_cidr": (str, ipv4_cidr_problems),
    "image_repository": (str, image_repository_problems),
    "image_tag": (str, image_tag_problems),
    "image_digest": (str, image_digest_problems),
    "quantity": (str, quantity_problems),
    "resources": (dict, resources_problems),
    "decimal": (str, decimal_problems),
    "pods_or_percent": (object, pods_or_percent_problems),
    "environment": (dict, environment_problems),
}
