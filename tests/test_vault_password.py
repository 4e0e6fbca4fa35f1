"""A wrong vault password names the vault file and says what to do, before any task runs.

ansible-core 2.19 says only "Decryption failed (no vault secrets were found that could decrypt)";
the collection's vars plugin split_brain.deploy.host_group_vars (enabled by ansible.cfg) loads the
inventory's variable files one at a time and names the one it cannot decrypt.
"""

import pytest

from helpers import ROOT, run_playbook


@pytest.mark.parametrize("inventory", ["dev", "prod"])
def test_a_wrong_vault_password_names_the_file_and_what_to_do(tmp_path, inventory):
    password = tmp_path / "wrong-password"
    password.write_text("not-the-password\n")
    out = tmp_path / "render"
    result = run_playbook("site.yml", inventory, "-e", "split_brain_render_dir=%s" % out,
                          env={"ANSIBLE_VAULT_PASSWORD_FILE": str(password), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    vault = ROOT / "inventories" / inventory / "group_vars" / "all" / "90-vault.yml"
    assert "Cannot read %s: the vault password given" % vault.resolve() in output or \
        "Cannot read %s: the vault password given" % vault in output, output[-2000:]
    assert "ansible-vault rekey" in output
    assert "TASK [" not in output, "a task ran"
    assert not out.exists(), "something was rendered"
    assert "EXAMPLE-" not in output


def test_the_right_password_still_loads_every_variable_file(tmp_path):
    """The plugin loads what the builtin one loads: the dev overlay over the linked base values."""
    out = tmp_path / "render"
    result = run_playbook("playbooks/render.yml", "dev", "-e", "split_brain_render_dir=%s" % out,
                          env={"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")}, check=True)
    assert "changed=1" in result.stdout
    router = (out / "20-deployment-router.yaml").read_text()
    assert "replicas: 1\n" in router  # the dev overlay (10-base.yml says 3)
