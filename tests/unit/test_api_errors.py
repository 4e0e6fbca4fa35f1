"""plugins/module_utils/api_errors.py: one line for an API server that cannot be reached or answer."""

import pytest

from ansible_collections.split_brain.deploy.plugins.module_utils import api_errors as a
from ansible_collections.split_brain.deploy.plugins.plugin_utils import manifest

SERVER = "https://127.0.0.1:32758"
# What kubernetes.core.k8s's failure says when the server is down (the apply's rescue sees this).
K8S_REFUSED = ("Task failed: Module failed: Value of unknown type: <class 'urllib3.exceptions.NewConnectionError'>,"
               " HTTPSConnection(host='127.0.0.1', port=32758): Failed to establish a new connection:"
               " [Errno 111] Connection refused")


class ApiError(Exception):
    def __init__(self, status, reason):
        super().__init__("(%d)\nReason: %s\n" % (status, reason))
        self.status = status


@pytest.mark.parametrize("error, expected", [
    (K8S_REFUSED, "Cannot reach the Kubernetes API server at %s: connection refused: is kube-apiserver running,"
                  " and is the kubeconfig's server address right?" % SERVER),
    ("HTTPSConnectionPool(host='k8s.example', port=443): Max retries exceeded with url: /api (Caused by"
     " NameResolutionError(\"Failed to resolve 'k8s.example'\"))",
     "Cannot reach the Kubernetes API server at %s: its host name does not resolve: check the server address"
     " of the kubeconfig (and DNS)" % SERVER),
    ("HTTPSConnectionPool(host='10.0.0.1', port=6443): Read timed out. (read timeout=30)",
     "Cannot reach the Kubernetes API server at %s: it did not answer in time: the server is overloaded (or its"
     " storage, etcd, is slow)" % SERVER),
    (ApiError(504, "Gateway Timeout"),
     "The Kubernetes API server at %s answered 504 Gateway Timeout: the server could not reach its storage in"
     " time; is etcd running and healthy?" % SERVER),
    (ApiError(503, "Service Unavailable"),
     "The Kubernetes API server at %s answered 503 Service Unavailable: the server is starting, overloaded, or"
     " cannot reach its storage (etcd)" % SERVER),
    (ApiError(429, "Too Many Requests"),
     "The Kubernetes API server at %s answered 429 Too Many Requests: the server is overloaded and throttles"
     " clients (API priority and fairness); try again later" % SERVER),
    ("Failed to apply object: b'{\"code\":504}' (504)\nReason: Gateway Timeout",
     "The Kubernetes API server at %s answered 504 Gateway Timeout: the server could not reach its storage in"
     " time; is etcd running and healthy?" % SERVER),
])
def test_unreachable_or_overloaded_servers_get_one_line(error, expected):
    line = a.describe_api_error(error, SERVER)
    assert line == expected
    assert "\n" not in line


@pytest.mark.parametrize("error", [
    ApiError(403, "Forbidden"), ApiError(422, "Unprocessable Entity"), ApiError(404, "Not Found"),
    "Deployment.apps \"router\" is invalid: spec.replicas: Invalid value: -1",
    ValueError("something else"),
])
def test_any_other_error_is_left_to_the_caller(error):
    assert a.describe_api_error(error, SERVER) is None


def test_without_a_known_server_it_says_the_api_server():
    assert a.describe_api_error(ConnectionRefusedError(111, "Connection refused")).startswith(
        "Cannot reach the Kubernetes API server: connection refused")


def test_api_server_reads_the_kubeconfig(tmp_path):
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        "clusters: [{name: k, cluster: {server: 'https://k8s.example:6443'}}]\n"
        "users: [{name: u, user: {token: abc}}]\n"
        "contexts: [{name: c, context: {cluster: k, user: u}}]\n")
    assert a.api_server({"kubeconfig": str(kubeconfig)}) == "https://k8s.example:6443"
    assert a.api_server({"host": "https://h:1"}) == "https://h:1"
    assert a.api_server({"kubeconfig": str(tmp_path / "missing")}) is None


def test_the_apply_rescue_filter(tmp_path):
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        "clusters: [{name: k, cluster: {server: '%s'}}]\n"
        "users: [{name: u, user: {token: abc}}]\n"
        "contexts: [{name: c, context: {cluster: k, user: u}}]\n" % SERVER)
    assert manifest.api_failure(K8S_REFUSED, str(kubeconfig)).startswith("Cannot reach the Kubernetes API server at %s: connection refused" % SERVER)
    other = "Failed to create object: Deployment.apps \"router\" is invalid"
    assert manifest.api_failure(other, str(kubeconfig)) == other


class _ApiError(Exception):
    def __init__(self, status, body=""):
        super().__init__("(%d)\nReason: %s\nHTTP response body: %s" % (status, "x", body))
        self.status = status


@pytest.mark.parametrize("error, auth, expected", [
    (Exception("Could not create API client: Invalid kube-config file. No configuration found."), {},
     "Cannot connect to Kubernetes: no kubeconfig: split_brain_kubeconfig, K8S_AUTH_KUBECONFIG and KUBECONFIG are unset"),
    (Exception("Could not create API client: Invalid kube-config file. Expected key current-context in /k"),
     {"kubeconfig": "/k", "context": "prod"}, "the kubeconfig /k has no context 'prod'. Set split_brain_context"),
    (_ApiError(401, '{"message": "Unauthorized"}'), {"host": "https://k:6443"},
     "The Kubernetes API server at https://k:6443 refused the credentials (401 Unauthorized): the token expired"),
    (_ApiError(403, '{"message": "secrets is forbidden: User \\"bob\\" cannot list"}'), {"host": "https://k:6443"},
     '(403 Forbidden): secrets is forbidden: User "bob" cannot list. Deploy with'),
    (_ApiError(404, "404 page not found /version"), {"host": "https://web:443"},
     "The server at https://web:443 answered 404 Not Found where a Kubernetes API server answers"),
    (AttributeError("'str' object has no attribute 'groups'"), {"host": "https://web:443"},
     "The server at https://web:443 answered something other than Kubernetes (no JSON)"),
    (Exception("HTTPSConnectionPool(host='127.0.0.1', port=9): Max retries exceeded (Caused by NewConnectionError: "
               "[Errno 111] Connection refused)"), {"host": "https://127.0.0.1:9"},
     "Cannot reach the Kubernetes API server at https://127.0.0.1:9: connection refused"),
])
def test_a_connection_failure_is_one_line_with_the_cause_and_the_next_step(monkeypatch, error, auth, expected):
    for name in ("KUBECONFIG", "K8S_AUTH_KUBECONFIG"):
        monkeypatch.delenv(name, raising=False)
    line = a.connection_failure(error, auth)
    assert expected in line, line
    assert "\n" not in line


@pytest.mark.parametrize("error, expected", [
    (Exception("HTTPSConnectionPool(host='k', port=6443): Max retries exceeded (Caused by SSLError("
               "SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')))"),
     "the TLS handshake failed: the certificate authority (K8S_AUTH_SSL_CA_CERT) does not match the server"),
    (Exception("HTTPSConnectionPool(host='k.example', port=6443): Max retries exceeded (Caused by NameResolutionError("
               "Failed to resolve 'k.example'))"),
     "its host name does not resolve: check the server address (K8S_AUTH_HOST) (and DNS)"),
])
def test_a_bearer_token_connection_blames_no_kubeconfig(monkeypatch, error, expected):
    """AWX's credential (K8S_AUTH_HOST, K8S_AUTH_API_KEY, K8S_AUTH_SSL_CA_CERT) has no kubeconfig."""
    for name in ("KUBECONFIG", "K8S_AUTH_KUBECONFIG"):
        monkeypatch.delenv(name, raising=False)
    line = a.connection_failure(error, {"host": "https://k:6443", "api_key": "t"})
    assert expected in line and "kubeconfig" not in line, line


def test_another_error_is_left_to_the_caller():
    assert a.connection_failure(ValueError("field is immutable"), {}) is None
