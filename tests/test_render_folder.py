"""`make render` into a folder: it replaces and removes only the files it wrote itself.

The render records its files in `<dest>/.split-brain-render` (not .json or .yaml, which `kubectl apply
-f <dest>` would read); an operator's own files stay, one in the way of a file to write is an error, a `dest` that is a file is an error, revealed
Secret files are 0600, and `--check` writes nothing.
"""

import stat

from helpers import load_dir, run_playbook

MANIFEST = ".split-brain-render"


def render(dest, *extra):
    return run_playbook("playbooks/render.yml", "dev", "-e", "split_brain_render_dir=%s" % dest, *extra)


def manifest(dest):
    """The file names the render recorded in ``dest``."""
    return [line for line in (dest / MANIFEST).read_text().splitlines() if not line.startswith("#")]


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_only_the_render_s_own_files_are_replaced_or_removed(tmp_path):
    notes = tmp_path / "notes.yaml"
    notes.write_text("# my notes\n")
    first = render(tmp_path, "-e", "router_autoscaling_enabled=true", "-e", "router_autoscaling_max_replicas=3")
    assert first.returncode == 0, first.stdout[-3000:]
    # The cluster steps are skipped, and so quietly: no task name fails to template.
    assert "template error" not in first.stderr, first.stderr[-3000:]
    owned = manifest(tmp_path)
    assert "notes.yaml" not in owned and any("horizontalpodautoscaler-router" in name for name in owned)
    assert sorted(p.name for p in tmp_path.glob("*.yaml")) == sorted(owned + ["notes.yaml"])

    # The router HPA is no longer rendered: its file goes, the notes stay, the manifest follows.
    second = render(tmp_path)
    assert second.returncode == 0, second.stdout[-3000:]
    assert not list(tmp_path.glob("*horizontalpodautoscaler-router*"))
    assert notes.read_text() == "# my notes\n"
    assert sorted(manifest(tmp_path)) == sorted(
        p.name for p in tmp_path.glob("*.yaml") if p.name != "notes.yaml")
    assert "notes.yaml" not in second.stdout

    third = render(tmp_path)
    assert "changed=0" in third.stdout


def test_a_file_of_the_operator_in_the_way_is_an_error_and_nothing_is_written(tmp_path):
    mine = tmp_path / "00-namespace-split-brain.yaml"
    mine.write_text("# mine\n")
    result = render(tmp_path)
    assert result.returncode != 0
    assert "00-namespace-split-brain.yaml, which this render did not write" in result.stdout
    assert mine.read_text() == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00-namespace-split-brain.yaml"]


def test_a_dest_that_is_a_file_is_an_error(tmp_path):
    dest = tmp_path / "out.yaml"
    dest.write_text("keep\n")
    result = render(dest)
    assert result.returncode != 0
    assert "split_brain_render_dir: %s is a file, not a folder" % dest in result.stdout
    assert dest.read_text() == "keep\n"


def test_revealed_secret_files_are_0600_and_the_others_0644(tmp_path):
    revealed = render(tmp_path, "-e", "split_brain_render_secrets=true")
    assert revealed.returncode == 0, revealed.stdout[-3000:]
    for path in tmp_path.glob("*.yaml"):
        assert mode(path) == (0o600 if "-secret-" in path.name else 0o644), path.name
    assert "EXAMPLE-" in (tmp_path / next(p.name for p in tmp_path.glob("*-secret-anthropic-api-key.yaml"))).read_text()

    # Redacted again: the Secret files are rewritten without their values.
    redacted = render(tmp_path)
    assert redacted.returncode == 0
    assert not any("EXAMPLE-" in path.read_text() for path in tmp_path.glob("*.yaml"))


def test_check_mode_writes_nothing(tmp_path):
    dest = tmp_path / "out"
    result = render(dest, "--check")
    assert result.returncode == 0, result.stdout[-3000:]
    assert not dest.exists()
    assert render(dest).returncode == 0
    before = {p.name: p.read_text() for p in dest.iterdir()}
    changed = render(dest, "--check", "-e", "router_replicas=3")
    assert changed.returncode == 0 and "changed=1" in changed.stdout
    assert {p.name: p.read_text() for p in dest.iterdir()} == before
    assert load_dir(dest)


def test_the_rendered_checksum_annotation_says_it_is_keyed_at_apply(tmp_path):
    assert render(tmp_path).returncode == 0
    deployments = [obj for obj in load_dir(tmp_path) if obj["kind"] == "Deployment"]
    assert deployments
    for deployment in deployments:
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["split-brain.io/secret-checksum"] == "<keyed at apply>"


def test_a_partial_resources_dict_merges_into_the_role_s_defaults(tmp_path):
    """`router_resources: {limits: {memory: 2Gi}}` changes that limit and keeps every other request and
    limit of the role's default; a full dict (the other components, from the inventory) is as given."""
    result = render(tmp_path, "-e", '{"router_resources": {"limits": {"memory": "2Gi"}}}')
    assert result.returncode == 0, result.stdout[-3000:]
    objects = {(obj["kind"], obj["metadata"]["name"]): obj for obj in load_dir(tmp_path)}
    router = objects["Deployment", "router"]["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert router == {"requests": {"cpu": "250m", "memory": "512Mi", "ephemeral-storage": "64Mi"},
                      "limits": {"cpu": "1", "memory": "2Gi", "ephemeral-storage": "256Mi"}}
    ui = objects["Deployment", "ui"]["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert ui["limits"]["memory"] == "1Gi" and ui["requests"]["cpu"] == "250m"


def test_an_object_name_of_any_valid_length_gets_a_file(tmp_path):
    """A NetworkPolicy name of 250 characters (a valid DNS-1123 subdomain) is cut in its file's name and
    followed by a hash of the whole name; the object keeps its name."""
    long_name = "deny-" + "a" * 245
    result = render(tmp_path, "-e", "namespace_default_deny_name=%s" % long_name)
    assert result.returncode == 0, result.stdout[-3000:]
    names = manifest(tmp_path)
    assert all(len(name) <= 200 for name in names), names
    policies = [obj for obj in load_dir(tmp_path) if obj["kind"] == "NetworkPolicy"]
    assert long_name in [obj["metadata"]["name"] for obj in policies]
    assert "01-networkpolicy-allow-dns.yaml" in names or any(name.endswith("-networkpolicy-allow-dns.yaml") for name in names)


def test_an_integer_extra_label_renders_as_its_text_on_every_object(tmp_path):
    """split_brain_extra_labels: {cost-center: 1234} is the label value "1234" (text, as the API
    server takes it), on every object and pod template; never the number."""
    labels = tmp_path / "labels.yml"
    labels.write_text("split_brain_extra_labels:\n  cost-center: 1234\n")
    run_playbook("playbooks/render.yml", "dev", "-e", "split_brain_render_dir=%s" % (tmp_path / "out"),
                 "-e", "@%s" % labels, check=True)
    objects = load_dir(tmp_path / "out")
    assert objects and all(obj["metadata"]["labels"]["cost-center"] == "1234" for obj in objects)
    templates = [obj["spec"]["template"] for obj in objects if obj["kind"] == "Deployment"]
    assert templates and all(t["metadata"]["labels"]["cost-center"] == "1234" for t in templates)
