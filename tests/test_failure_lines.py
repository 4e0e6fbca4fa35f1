"""A server that is no Kubernetes API server (a web server answering 404, or HTML) given as AWX's
bearer-token credential (K8S_AUTH_HOST): the run fails in one line naming the address and what to
check, not a traceback, and says it once (ansible-core shows a failed task's message in its [ERROR]
summary and in the fatal result). The other causes (401, 403, a missing context, no kubeconfig)
need a real API server: tests/cluster/test_failure_lines.py."""

import http.server
import threading

import pytest

from helpers import failure_line, run_playbook


class _NotKubernetes(http.server.BaseHTTPRequestHandler):
    status, body, content_type = 404, b"404 page not found\n", "text/plain"

    def do_GET(self):  # noqa: N802 (the handler's API)
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):  # quiet
        pass


class _Html(_NotKubernetes):
    status, body, content_type = 200, b"<html><body>Welcome</body></html>\n", "text/html"


@pytest.fixture(params=[_NotKubernetes, _Html], ids=["404", "html"])
def server(request):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), request.param)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % httpd.server_address[1], request.param
    httpd.shutdown()


def test_a_server_that_is_not_kubernetes_is_one_line_naming_it(server, tmp_path):
    address, handler = server
    env = {"K8S_AUTH_HOST": address, "K8S_AUTH_API_KEY": "token-not-used", "KUBECONFIG": "", "K8S_AUTH_KUBECONFIG": "",
           "HOME": str(tmp_path), "ANSIBLE_HOME": str(tmp_path / ".ansible")}
    result = run_playbook("site.yml", "dev", env=env)
    line = failure_line(result)
    expected = ("answered 404 Not Found where a Kubernetes API server answers: it is not one" if handler.status == 404
                else "answered something other than Kubernetes (no JSON)")
    assert line.startswith("The server at %s %s" % (address, expected)), line
    assert "K8S_AUTH_HOST" in line, line
    assert "Traceback" not in result.stdout + result.stderr, (result.stdout + result.stderr)[-3000:]
