"""What the secret-leak tests share: an inventory whose every secret variable holds a distinct
value, and the forms in which a value must never appear in output (plain, base64, JSON-escaped)."""

import base64
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSIBLE_VAULT = str(Path(sys.executable).with_name("ansible-vault"))
SECRET_VARIABLES = ("router_anthropic_api_key", "router_scalarlm_api_key", "cloudflared_tunnel_token",
                    "ui_google_client_secret", "ui_google_session_secret")


def distinct_values():
    """One value per secret variable, each unique to this run (plausible enough to pass validation)."""
    token = uuid.uuid4().hex[:12]
    return {name: "LEAK-%s-%s-%s" % (name.split("_", maxsplit=1)[0], token, "x" * 8) for name in SECRET_VARIABLES}


def leak_inventory(folder, values):
    """inventories/prod (ScalarLM and Google sign-in on, so every secret is rendered) copied to
    ``folder`` with an encrypted vault holding ``values``. Returns the inventory's path."""
    inventory = Path(folder) / "inventory"
    shutil.copytree(ROOT / "inventories" / "prod", inventory, symlinks=False)
    vault = inventory / "group_vars" / "all" / "90-vault.yml"
    vault.write_text("---\n" + "".join("vault_%s: !unsafe '%s'\n" % (name, value) for name, value in values.items()))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    subprocess.run([ANSIBLE_VAULT, "encrypt", str(vault)], cwd=ROOT, env=env, capture_output=True, check=True)
    return inventory


def forms(value):
    """The forms of ``value`` that would give it away: as it is, base64 (as a Secret's data holds
    it), and JSON-escaped."""
    return {value, base64.b64encode(value.encode()).decode(), json.dumps(value)[1:-1]}


def leaks(text, values):
    """``[(variable, form)]`` of every value of ``values`` found in ``text``, in any of its forms."""
    return [(name, form) for name, value in values.items() for form in sorted(forms(value)) if form in text]
