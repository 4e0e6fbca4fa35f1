# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""One line for an API server that cannot be reached or cannot answer, naming it and the likely cause.

The kubernetes client reports an unreachable server as a urllib3 ``MaxRetryError`` whose text runs
over several lines of object reprs (``NewConnectionError('<urllib3.connection.HTTPSConnection
object at 0x7f...>: Failed to establish a new connection: [Errno 111] Connection refused')``), an
etcd that is down as a bare ``504``. ``describe_api_error`` turns both (the exception, or the text
of a failure such as kubernetes.core.k8s's) into one line; anything else gives None, and the
caller keeps its own message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

# (pattern of the error text, what it means), most specific first. The text is matched
# case-insensitively; the first pattern that matches wins.
_TEXT_CAUSES = (
    (r"connection refused", "connection refused: is kube-apiserver running, and is the kubeconfig's server address right?"),
    (r"name or service not known|nodename nor servname|temporary failure in name resolution|"
     r"nameresolutionerror|failed to resolve|no address associated",
     "its host name does not resolve: check the server address of the kubeconfig (and DNS)"),
    (r"no route to host|network is unreachable|host is unreachable",
     "no route to it: check the network (VPN, firewall) between here and the cluster"),
    (r"certificate verify failed|sslerror|ssl:|wrong version number",
     "the TLS handshake failed: the kubeconfig's certificate authority does not match the server"),
    (r"connecttimeout|connect timeout|connection to .* timed out",
     "no answer to the connection in time: the server is down, overloaded, or a firewall drops the traffic"),
    (r"readtimeout|read timed out|timed out",
     "it did not answer in time: the server is overloaded (or its storage, etcd, is slow)"),
    (r"remotedisconnected|connection reset|connection aborted|protocolerror|broken pipe",
     "it closed the connection: the server is restarting or overloaded"),
    (r"max retries exceeded|failed to establish a new connection|newconnectionerror",
     "the connection failed: is kube-apiserver running, and is the kubeconfig's server address right?"),
)

# HTTP statuses of a server that is there but cannot serve.
_STATUS_CAUSES = {
    429: "429 Too Many Requests: the server is overloaded and throttles clients (API priority and fairness); try again later",
    500: "500 Internal Server Error: the server failed (is etcd healthy?)",
    502: "502 Bad Gateway: a proxy or load balancer in front of kube-apiserver cannot reach it",
    503: "503 Service Unavailable: the server is starting, overloaded, or cannot reach its storage (etcd)",
    504: "504 Gateway Timeout: the server could not reach its storage in time; is etcd running and healthy?",
}

_STATUS_IN_TEXT = re.compile(r"(?:\((\d{3})\)|status(?: code)?[:= ]+(\d{3})|\"code\": ?(\d{3})|\b(\d{3}) (?:Gateway Timeout|"
                             r"Service Unavailable|Too Many Requests|Bad Gateway|Internal Server Error))", re.I)


def _status(error):
    """The HTTP status of an API error (an exception with ``status``, or its text), or None."""
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return status
    match = _STATUS_IN_TEXT.search(str(error))
    if match:
        return int(next(group for group in match.groups() if group))
    return None


def likely_cause(error):
    """What an error of the API (exception or text) most likely means, or None when it is not a
    reachability or overload problem."""
    status = _status(error)
    if status in _STATUS_CAUSES:
        return _STATUS_CAUSES[status]
    if status is not None and not str(status).startswith("5"):
        return None  # the server answered: a 4xx is about the request, not the server
    text = "%s %s" % (type(error).__name__, error)
    for pattern, cause in _TEXT_CAUSES:
        if re.search(pattern, text, re.I):
            return cause
    return None


def describe_api_error(error, server=None):
    """One line naming the API server and the likely cause, or None for any other error."""
    cause = likely_cause(error)
    if cause is None:
        return None
    where = "the Kubernetes API server at %s" % server if server else "the Kubernetes API server"
    if _status(error) in _STATUS_CAUSES:
        return "%s answered %s" % (where[0].upper() + where[1:], cause)
    return "Cannot reach %s: %s" % (where, cause)


def api_server(auth):
    """The server address (``https://host:port``) that the connection options ``auth``
    (kubernetes.core's: kubeconfig, context, host, ...) point at, or None when unknown."""
    if auth.get("host") or os.environ.get("K8S_AUTH_HOST"):
        return auth.get("host") or os.environ["K8S_AUTH_HOST"]
    try:
        from kubernetes import client as k8s_client, config as k8s_config
    except ImportError:
        return None
    configuration = k8s_client.Configuration()
    try:
        kubeconfig = auth.get("kubeconfig")
        if isinstance(kubeconfig, dict):
            k8s_config.load_kube_config_from_dict(kubeconfig, context=auth.get("context"),
                                                  client_configuration=configuration, persist_config=False)
        else:
            path = kubeconfig or os.environ.get("K8S_AUTH_KUBECONFIG") or os.environ.get("KUBECONFIG")
            path = (path or os.path.expanduser("~/.kube/config")).split(os.pathsep)[0]
            k8s_config.load_kube_config(config_file=path, context=auth.get("context"),
                                        client_configuration=configuration, persist_config=False)
    except Exception:  # no kubeconfig, in-cluster, exec plugin not runnable...: say "the server"
        return None
    return configuration.host or None


# What a line of the table above blames in a kubeconfig, and the setting of a bearer-token
# connection (K8S_AUTH_HOST, K8S_AUTH_SSL_CA_CERT: AWX's credential) to name instead.
BEARER_TOKEN_WORDS = (
    ("the kubeconfig's server address", "the server address (K8S_AUTH_HOST)"),
    ("the server address of the kubeconfig", "the server address (K8S_AUTH_HOST)"),
    ("the kubeconfig's certificate authority", "the certificate authority (K8S_AUTH_SSL_CA_CERT)"),
)


def _kubeconfig_named(auth):
    return auth.get("kubeconfig") or os.environ.get("K8S_AUTH_KUBECONFIG") or os.environ.get("KUBECONFIG") or ""


def _status_message(error):
    """The ``message`` of the Status the API server answered with (its body, JSON), or None."""
    body = getattr(error, "body", None)
    if body is None:
        found = re.search(r'"message":\s*("(?:[^"\\]|\\.)*")', str(error))
        body = '{"message": %s}' % found.group(1) if found else None
    try:
        message = json.loads(body.decode("utf-8", "replace") if isinstance(body, bytes) else body).get("message")
    except (TypeError, ValueError, AttributeError):
        return None
    return " ".join(str(message).split()).rstrip(".") if message else None


def connection_failure(error, auth):
    """One line with the cause and the next step when the release cannot talk to the API server
    (no kubeconfig, a context it does not have, an expired or wrong credential, a Forbidden, a
    server that does not answer or is no Kubernetes API server), or None for any other error.
    ``auth`` holds the connection options (kubeconfig, context, host, ...)."""
    text = " ".join(str(error).split())
    status = _status(error)
    context = re.search(r"Expected key current-context|context[^\w]*(\S+)[^\w]* (?:not found|does not exist)|"
                        r"Invalid kube-config file\. No context", text)
    if context or (auth.get("context") and "context" in text.lower() and "config" in text.lower()):
        kubeconfig = _kubeconfig_named(auth) or "~/.kube/config"
        if auth.get("context"):
            return ("Cannot connect to Kubernetes: the kubeconfig %s has no context %r. Set split_brain_context to one "
                    "of its contexts (kubectl config get-contexts)." % (kubeconfig, auth["context"]))
        return ("Cannot connect to Kubernetes: the kubeconfig %s names no current context. Set split_brain_context to "
                "one of its contexts (kubectl config get-contexts), or point split_brain_kubeconfig at the cluster's "
                "kubeconfig." % kubeconfig)
    if "No configuration found" in text or "Invalid kube-config file" in text:
        named = _kubeconfig_named(auth)
        where = ("the kubeconfig %s holds no cluster" % named) if named else (
            "no kubeconfig: split_brain_kubeconfig, K8S_AUTH_KUBECONFIG and KUBECONFIG are unset and ~/.kube/config does not exist")
        return ("Cannot connect to Kubernetes: %s. Set split_brain_kubeconfig (or KUBECONFIG) to the cluster's kubeconfig, "
                "or K8S_AUTH_HOST and K8S_AUTH_API_KEY for a bearer token." % where)
    server = api_server(auth) or "the configured address"
    if status == 401:
        return ("The Kubernetes API server at %s refused the credentials (401 Unauthorized): the token expired or is "
                "wrong. Log in again or renew the token (K8S_AUTH_API_KEY, or the kubeconfig's user), then run again."
                % server)
    if status == 403:
        return ("The Kubernetes API server at %s refused the request (403 Forbidden): %s. Deploy with the release's "
                "identity (playbooks/access.yml, run once by a cluster admin, writes its kubeconfig) or one with "
                "these permissions." % (server, _status_message(error) or "the identity lacks a permission"))
    if status == 404 and ("/version" in text or "/api" in text or "page not found" in text.lower()):
        return ("The server at %s answered 404 Not Found where a Kubernetes API server answers: it is not one. Check "
                "the server address (the kubeconfig's cluster.server, or K8S_AUTH_HOST)." % server)
    # The client's discovery reads /apis as JSON: a JSON parser's error, or (an HTML page, which
    # the client returns as a string) no attribute `groups` on it.
    if "JSONDecodeError" in text or "Expecting value" in text or "has no attribute 'groups'" in text:
        return ("The server at %s answered something other than Kubernetes (no JSON). Check the server address (the "
                "kubeconfig's cluster.server, or K8S_AUTH_HOST)." % server)
    line = describe_api_error(error, server if likely_cause(error) else None)
    if line and (auth.get("host") or os.environ.get("K8S_AUTH_HOST")):
        # A bearer-token connection (AWX's credential) has no kubeconfig to blame.
        for kubeconfig_words, words in BEARER_TOKEN_WORDS:
            line = line.replace(kubeconfig_words, words)
    return line
