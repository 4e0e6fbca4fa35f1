# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""No credential in a plain object: secrets go only into Secrets.

A ConfigMap, a Deployment's args and a URL are readable by anyone who may read the namespace's
objects (and are shown by ``kubectl describe``). So:

- a URL (a URL variable, or a URL inside a free-form map's value or an argument) carries no
  credential in its query string or fragment (``?token=``, ``#access_token=``, ``?sig=``), nor
  ``user:password@``;
- ``cloudflared_args`` holds no tunnel token (``--token``, ``--credentials-contents``, or an
  argument that is a token: the base64 JSON of cloudflared, a JWT);
- a free-form map's value is no token either, and no value of a secret variable appears in a
  plain variable;
- ``cloudflared_tunnel_token`` is the token alone, not a pasted ``cloudflared service install
  <token>`` command line.

No line quotes the credential: it names the variable, the argument's position or the query
parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from urllib.parse import parse_qsl, urlsplit

CONFIG_EXTRA = ("router_config_extra", "classifier_config_extra", "ui_config_extra")
TOKEN_VARIABLE = "cloudflared_tunnel_token"
ARGS = "cloudflared_args"
# The words of a query parameter's name (split at - _ .) that make it a credential.
CREDENTIAL_WORDS = frozenset((
    "token", "key", "apikey", "password", "passwd", "pwd", "pass", "secret", "sig", "signature", "credential",
    "credentials", "auth", "authorization", "jwt", "session", "sessionid", "accesstoken", "bearer",
))
# cloudflared's flags whose value is the tunnel's credential.
TOKEN_FLAGS = ("--token", "--credentials-contents")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{0,31}://[^\s,;\"'<>]+")
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\Z")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]{40,}={0,2}\Z")
# Well-known shapes of API keys (Anthropic's, OpenAI's, Google's OAuth client secrets, GitHub's).
_API_KEY = re.compile(r"^(sk-ant-|sk-proj-|GOCSPX-|ghp_|github_pat_|xox[bp]-)[A-Za-z0-9_-]{8,}")


def credential_parameter(name):
    """Whether the query parameter ``name`` (``api_key``, ``X-Amz-Signature``) names a credential."""
    lowered = name.lower()
    words = [word for word in re.split(r"[-_.]", lowered) if word]
    return lowered.replace("-", "").replace("_", "") in CREDENTIAL_WORDS or any(word in CREDENTIAL_WORDS for word in words)


def url_credential(url):
    """Why ``url`` carries a credential in clear (its query string, fragment or user info), or None.
    Never quotes a value."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return None
    if "@" in netloc:
        return "must not carry user:password@ (credentials belong in a Secret)"
    for where, text in (("query string", parts.query), ("fragment", parts.fragment)):
        for key, _value in parse_qsl(text, keep_blank_values=True):
            if credential_parameter(key):
                return ("carries a credential in its %s (%s=); credentials belong in a Secret, not in a URL that"
                        " objects show in clear" % (where, key))
    return None


def looks_like_token(text):
    """Whether ``text`` looks like a credential: a cloudflared tunnel token (base64 of a JSON object
    with ``a``, ``t`` and ``s``), a JWT (``eyJ...``), or a well-known API key shape."""
    if _JWT.match(text) or _API_KEY.match(text):
        return True
    if _BASE64.match(text):
        padded = text + "=" * (-len(text) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded = json.loads(decode(padded.encode("ascii")).decode("utf-8"))
            except (binascii.Error, ValueError, UnicodeDecodeError):
                continue
            if isinstance(decoded, dict) and {"a", "t", "s"} <= set(decoded):
                return True
    return False


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def config_extra_problems(values):
    """A free-form map's value is no token and carries no URL with a credential."""
    problems = []
    for name in CONFIG_EXTRA:
        extra = values.get(name)
        if not isinstance(extra, dict):
            continue
        for key, value in extra.items():
            for text in _strings(value):
                if looks_like_token(text.strip()):
                    problems.append("%s.%s: looks like a token or API key, which would land in the ConfigMap in clear;"
                                    " secrets go only into Secrets (the collection's secret variables)" % (name, key))
                    break
                reason = next((url_credential(url) for url in _URL.findall(text) if url_credential(url)), None)
                if reason:
                    problems.append("%s.%s: a URL in it %s" % (name, key, reason))
                    break
    return problems


def args_problems(values):
    """``cloudflared_args`` carries no tunnel token: it is in the Deployment, readable in clear."""
    args = values.get(ARGS)
    if not isinstance(args, list):
        return []
    problems = []
    for index, arg in enumerate(args):
        if not isinstance(arg, str):
            continue
        flag = arg.split("=", 1)[0]
        if flag in TOKEN_FLAGS:
            problems.append("%s[%d]: %s puts the tunnel's credential into the Deployment in clear; remove it and set"
                            " %s (in the vault), which the pods read from the Secret as TUNNEL_TOKEN"
                            % (ARGS, index, flag, TOKEN_VARIABLE))
        elif looks_like_token(arg.strip()):
            problems.append("%s[%d]: looks like a tunnel token or other credential, which would be in the Deployment"
                            " in clear; put it in %s (in the vault), which the pods read from the Secret"
                            % (ARGS, index, TOKEN_VARIABLE))
        else:
            reason = next((url_credential(url) for url in _URL.findall(arg) if url_credential(url)), None)
            if reason:
                problems.append("%s[%d]: a URL in it %s" % (ARGS, index, reason))
    return problems


def token_problems(values):
    """``cloudflared_tunnel_token`` is the token alone (``eyJ...``), not a pasted command line."""
    token = values.get(TOKEN_VARIABLE)
    if not isinstance(token, str) or not token:
        return []
    words = token.split()
    if len(words) > 1 and (words[0] in ("cloudflared", "sudo") or "install" in words or "--token" in words
                           or any(looks_like_token(word) for word in words)):
        return ["%s: is a whole command line; paste only the token (the last word of `cloudflared service install"
                " <token>`)" % TOKEN_VARIABLE]
    if token.startswith("--token"):
        return ["%s: starts with --token; paste only the token" % TOKEN_VARIABLE]
    return []


def secret_in_plain_problems(values, secrets):
    """No value of a secret variable (8 characters or more) appears in a plain variable (a string,
    an element of a list, a key or value of a dict), where it would be written in clear."""
    secret_values = {name: values[name] for name in secrets
                     if isinstance(values.get(name), str) and len(values[name].strip()) >= 8}
    if not secret_values:
        return []
    problems = []
    for name in sorted(values):
        if name in secrets:
            continue
        texts = list(_plain_strings(values[name]))
        for secret, value in sorted(secret_values.items()):
            if any(value in text for text in texts):
                problems.append("%s: holds the value of %s; secrets go only into Secrets (remove it here)" % (name, secret))
    return problems


def _plain_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _plain_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _plain_strings(item)


# Where each plain variable lands, for the messages (the rest: the Deployment or the ConfigMap).
_WHERE = {
    "split_brain_extra_annotations": "every object's annotations",
    "split_brain_extra_labels": "every object's labels",
    "split_brain_dns_pod_labels": "a NetworkPolicy",
}


def plain_credential_problems(values, secrets=(), formats=None):
    """No string of a plain variable (``secrets`` excepted) is, or carries, a credential: a model
    name, a client id, a label or annotation value, a path, an element of a list. Each lands in an
    object anyone who reads the namespace can read. The free-form maps of the components and
    ``cloudflared_args`` have their own rules (config_extra_problems, args_problems), as does a
    variable of the ``url`` format (formats.url_problem); ``formats`` maps a variable to its format.
    Never quotes the value."""
    skip = set(secrets) | set(CONFIG_EXTRA) | {ARGS, TOKEN_VARIABLE}
    # A secret's own value in a plain variable is secret_in_plain_problems' to report.
    secret_values = [values[name] for name in secrets if isinstance(values.get(name), str) and len(values[name].strip()) >= 8]
    problems = []
    for name in sorted(values):
        if name in skip:
            continue
        where = _WHERE.get(name, "the objects")
        url_format = (formats or {}).get(name) == "url"
        for path, text in plain_strings(name, values[name]):
            stripped = text.strip()
            if any(secret in text for secret in secret_values):
                continue
            if looks_like_token(stripped) or any(looks_like_token(word) for word in stripped.split()):
                problems.append("%s: looks like a token or API key, which would be in %s in clear; secrets go only"
                                " into Secrets (the collection's secret variables)" % (path, where))
                continue
            if url_format and path == name:
                continue
            reason = next((url_credential(url) for url in _URL.findall(text) if url_credential(url)), None)
            if reason:
                problems.append("%s: a URL in it %s" % (path, reason))
    return problems


def plain_strings(name, value):
    """``(path, text)`` of every string value in ``value`` (dict values, list elements)."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from plain_strings("%s.%s" % (name, key), item)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from plain_strings("%s[%d]" % (name, index), item)


def credential_like(values):
    """Every string in ``values`` that looks like a credential (whole, or a word of it): what no
    message may quote, whichever variable holds it."""
    found = set()
    for name in values:
        for _path, text in plain_strings(name, values[name]):
            for word in [text.strip()] + text.split():
                if looks_like_token(word):
                    found.add(word)
    return found


RULES = (config_extra_problems, args_problems, token_problems)
