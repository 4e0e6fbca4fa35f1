"""Revision history, rollback and atomic runs against the local cluster.

Every test leaves the cluster as converge left it (it ends with a plain re-run).
"""

import os
import re

import pytest

from clusterlib import get, recap, site

HISTORY = "playbooks/history.yml"
ROLLBACK = "playbooks/rollback.yml"
LINE = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*?)\s*$")


def history():
    """[(revision, updated, status, version, by, description)] as playbooks/history.yml prints them."""
    out = site(playbook=HISTORY).stdout
    assert "REVISION  UPDATED" in out, out[-2000:]
    rows = []
    for line in out.split("REVISION  UPDATED", 1)[1].splitlines()[1:]:
        match = LINE.match(line)
        if not match:
            break
        rows.append(match.groups())
    return rows


def router_image():
    router = get("deployment", "router")
    assert router["status"]["updatedReplicas"] == router["status"]["availableReplicas"] == router["spec"]["replicas"]
    return router["spec"]["template"]["spec"]["containers"][0]["image"]


def test_history_lists_revisions_and_rollback_restores_the_previous_one():
    try:
        site()
        before = history()
        top = int(before[-1][0])  # the newest record (an interrupted or failed run's, maybe)
        start = int([r for r in before if r[2] == "deployed"][-1][0])
        upgrade = site("-e", "router_image_tag=1.1.0")
        assert router_image().endswith(":1.1.0")
        rows = history()
        status = {int(r[0]): r[2] for r in rows}
        assert rows[-1][0] == str(top + 1)
        assert rows[-1][2] == "deployed" and rows[-1][5] == "upgrade" and status[start] == "superseded"
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows[-1][1]) and "@" in rows[-1][4]
        assert recap(upgrade.stdout)["changed"] >= 1

        # A no-op run records nothing and changes nothing.
        assert recap(site("-e", "router_image_tag=1.1.0").stdout)["changed"] == 0
        assert len(history()) == len(rows)

        # Rollback without a number: the latest-but-one, from the cluster alone (the inventory
        # still says nothing of 1.0.0 vs 1.1.0: the objects come from the record).
        back = site(playbook=ROLLBACK)
        assert "Rolled back to revision %d, recorded as revision %d" % (start, top + 2) in " ".join(back.stdout.split())
        assert router_image().endswith(":1.0.0")
        rows = history()
        assert rows[-1][0] == str(top + 2) and rows[-1][2] == "deployed"
        assert rows[-1][5] == "rollback to %d" % start
        assert rows[-2][2] == "superseded"

        # Rollback to a given revision: forward to 1.1.0 again.
        site("-e", "split_brain_revision=%d" % (top + 1), playbook=ROLLBACK)
        assert router_image().endswith(":1.1.0")
        assert history()[-1][5] == "rollback to %d" % (top + 1)

        missing = site("-e", "split_brain_revision=999", playbook=ROLLBACK, check=False)
        assert missing.returncode != 0
        assert "split_brain_revision: there is no revision 999" in " ".join(missing.stdout.split())
    finally:
        site()
    assert router_image().endswith(":1.0.0")
    assert recap(site().stdout)["changed"] == 0


@pytest.mark.skipif(os.environ.get("SPLIT_BRAIN_CLUSTER") != "local", reason="the broken-image stage is kwok's")
def test_atomic_run_restores_the_deployed_revision_when_the_rollout_fails():
    try:
        site()
        before = history()
        deployed = [r for r in before if r[2] == "deployed"][-1]
        top = int(before[-1][0])
        result = site("-e", "router_image_tag=does-not-exist", "-e", "split_brain_rollout_timeout=15",
                      "-e", "split_brain_atomic=true", check=False)
        assert result.returncode != 0
        out = " ".join(result.stdout.split())
        failure = out.rsplit("fatal:", maxsplit=1)[-1]
        assert "container router waiting: ImagePullBackOff" in failure, failure[-3000:]
        assert "Revision %d is recorded as failed" % (top + 1) in failure
        assert "split_brain_atomic: revision %s was restored and its rollout finished" % deployed[0] in failure
        # The cluster runs the deployed revision again, rolled out.
        assert router_image().endswith(":1.0.0")
        rows = history()
        assert rows[-1][0] == str(top + 1) and rows[-1][2] == "failed"
        assert [r for r in rows if r[2] == "deployed"] == [deployed]
    finally:
        site()
    assert recap(site().stdout)["changed"] == 0
