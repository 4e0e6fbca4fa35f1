"""playbooks/status.yml against the converged local cluster.

Every test leaves the cluster as converge left it (it ends with a plain re-run).
"""

import base64
import re
import textwrap

import yaml

from clusterlib import get, recap, site

STATUS = "playbooks/status.yml"


def debug_msg(output, task):
    """The ``msg`` of debug task ``task`` in a playbook's output (yaml or json result format)."""
    found = re.search(r"TASK \[(?:[^\]]* : )?%s\][^\n]*\n.*?=> ?(.*?)\n\n(?=\S)" % re.escape(task), output, re.S)
    assert found, output[-3000:]
    return yaml.safe_load(textwrap.dedent(found.group(1)))["msg"]


def table(text, header):
    """Rows (lists of cells) of the table whose first column is ``header``; [] if it says none."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(header + "  ")), None)
    if start is None:
        assert header + ": none" in lines, text
        return []
    rows = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def status(*args):
    result = site(*args, playbook=STATUS)
    assert recap(result.stdout)["changed"] == 0
    return result, debug_msg(result.stdout, "Print the status")


def test_status_shows_components_pvc_and_secret_keys_never_values():
    try:
        result, text = status("--check", "-vvv")
        components = {row[0]: row for row in table(text, "COMPONENT")}
        assert set(components) == {"router", "classifier", "ui", "cloudflared"}, text
        for deployment in get("deployment"):
            name, replicas = deployment["metadata"]["name"], deployment["spec"]["replicas"]
            row = components[name]
            # COMPONENT DESIRED READY UPDATED AVAILABLE RESTARTS IMAGE LAST-ROLLOUT PROBLEMS
            assert row[1:5] == [str(replicas)] * 4, row
            assert row[6] == deployment["spec"]["template"]["spec"]["containers"][0]["image"]
            assert re.match(r"\d{4}-\d\d-\d\dT", row[7]) and row[8] == "-", row

        assert table(text, "PVC")[0][:3] == ["split-brain-data", "Bound", "10Gi"]

        keys = {row[0]: row[2] for row in table(text, "SECRET")}
        assert keys == {"anthropic-api-key": "ANTHROPIC_API_KEY", "cloudflared-credentials": "TUNNEL_TOKEN",
                        "split-brain-checksum-key": "key"}
        # No value, encoded or not, anywhere in the -vvv output (the dev vault values start with EXAMPLE-).
        assert "EXAMPLE-" not in result.stdout + result.stderr
        for secret in get("secret"):
            for encoded in (secret.get("data") or {}).values():
                assert encoded not in result.stdout
                if secret.get("type") != "split-brain.io/release.v1":  # revision records hold gzip
                    assert base64.b64decode(encoded).decode() not in result.stdout

        assert table(text, "HPA") == []  # autoscaling is off in dev
        policies = {row[0]: row[1] for row in table(text, "NETWORKPOLICY")}
        assert policies["default-deny"] == "(all pods)"
        assert "app.kubernetes.io/name=router" in policies["router"]
    finally:
        site()


def test_status_shows_the_hpa_when_autoscaling_is_on():
    try:
        site("-e", "router_autoscaling_enabled=true", "-e", "router_autoscaling_max_replicas=3")
        text = status()[1]
        # HPA TARGET MIN MAX CURRENT DESIRED
        assert [row[:4] for row in table(text, "HPA")] == [["router", "Deployment/router", "1", "3"]], text
    finally:
        site()
    assert table(status()[1], "HPA") == []
