"""Each run's work is scoped to its release: importing the site twice in one playbook (two
releases, two namespaces) renders exactly each release's objects, the same as rendering each alone.

tests/playbooks/two_releases.yml: release a (namespace sb-a, the router HPA on), then release b
(sb-b, no HPA). Before the runs were scoped, b got 71 objects, a's HPA among them.
"""

from helpers import ROOT, by_key, load_dir, run_playbook

PLAYBOOK = ROOT / "tests" / "playbooks" / "two_releases.yml"


def alone(out, namespace, instance, *extra):
    """The objects of one release rendered on its own."""
    run_playbook("playbooks/render.yml", "dev", "-e", "split_brain_render_dir=%s" % out, "-e", "split_brain_namespace=%s" % namespace,
                 "-e", "split_brain_instance=%s" % instance, *extra, check=True)
    return load_dir(out)


def test_two_releases_in_one_playbook_render_exactly_their_own_objects(tmp_path):
    run_playbook(PLAYBOOK, "dev", "-e", "two_releases_render_root=%s" % (tmp_path / "both"), check=True)
    a, b = load_dir(tmp_path / "both" / "a"), load_dir(tmp_path / "both" / "b")

    assert {obj["metadata"].get("namespace", obj["metadata"]["name"]) for obj in a} == {"sb-a"}
    assert {obj["metadata"].get("namespace", obj["metadata"]["name"]) for obj in b} == {"sb-b"}
    assert {obj["metadata"]["labels"]["app.kubernetes.io/instance"] for obj in a} == {"a"}
    assert {obj["metadata"]["labels"]["app.kubernetes.io/instance"] for obj in b} == {"b"}
    assert ("HorizontalPodAutoscaler", "router") in by_key(a)
    assert ("HorizontalPodAutoscaler", "router") not in by_key(b)
    assert len(by_key(b)) == len(b), "an object is rendered twice"

    # Exactly what each release renders on its own.
    assert a == alone(tmp_path / "a", "sb-a", "a", "-e", "router_autoscaling_enabled=true",
                      "-e", "router_autoscaling_max_replicas=3")
    assert b == alone(tmp_path / "b", "sb-b", "b")
    files_b = [line for line in (tmp_path / "both" / "b" / ".split-brain-render").read_text().splitlines() if not line.startswith("#")]
    assert len(files_b) == len(b)
