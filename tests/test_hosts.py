"""The playbooks run on the hosts split_brain_hosts names; an inventory without them is an error."""

import shutil

import yaml

from helpers import ROOT, load_dir, run_playbook


def inventory_with_group(tmp_path, group):
    """inventories/dev, its host in ``group`` instead of split_brain."""
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventories" / "dev", inventory)
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    children = hosts["all"]["children"]
    children[group] = children.pop("split_brain")
    (inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    return inventory


def test_an_inventory_without_the_group_fails_and_names_it(tmp_path):
    inventory = inventory_with_group(tmp_path, "deployers")
    for playbook in ("site.yml", "playbooks/render.yml", "playbooks/status.yml", "playbooks/uninstall.yml"):
        result = run_playbook(playbook, inventory, "-e", "split_brain_render_dir=%s" % (tmp_path / "out"))
        output = result.stdout + result.stderr
        assert result.returncode == 2, output[-3000:]
        assert "split_brain_hosts: no host of the inventory matches 'split_brain'" in output
        assert "to a group named split_brain" in output
        assert "Validate the inventory" not in output and "TASK [split_brain.deploy" not in output
        assert not (tmp_path / "out").exists()


def test_split_brain_hosts_names_the_group(tmp_path):
    inventory = inventory_with_group(tmp_path, "deployers")
    out = tmp_path / "out"
    run_playbook("playbooks/render.yml", inventory, "-e", "split_brain_hosts=deployers",
                 "-e", "split_brain_render_dir=%s" % out, check=True)
    reference = tmp_path / "reference"
    run_playbook("playbooks/render.yml", "dev", "-e", "split_brain_render_dir=%s" % reference, check=True)
    objects = load_dir(out)
    assert objects and objects == load_dir(reference)


def test_a_pattern_that_matches_nothing_is_named(tmp_path):
    result = run_playbook("site.yml", "dev", "-e", "split_brain_hosts=nosuchgroup")
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "no host of the inventory matches 'nosuchgroup'" in output
