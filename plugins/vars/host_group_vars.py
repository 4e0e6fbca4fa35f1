# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Vars plugin split_brain.deploy.host_group_vars: ansible.builtin.host_group_vars that names the file."""

from __future__ import annotations

DOCUMENTATION = r"""
name: host_group_vars
short_description: Loads group_vars and host_vars, naming the file that cannot be read or decrypted
version_added: 2.0.0
author:
  - split-brain deploy team (@split-brain)
description:
  - Does what C(ansible.builtin.host_group_vars) does (loads C(group_vars/) and C(host_vars/) beside
    the inventory), but when a file cannot be read, say a vault that the given vault password does not
    decrypt, the error names that file and what to do, where ansible-core 2.19 says only
    C(Decryption failed (no vault secrets were found that could decrypt)).
  - Enable it instead of the builtin one, as the repository's C(ansible.cfg) does
    (C(vars_plugins_enabled = split_brain.deploy.host_group_vars)).
options:
  stage:
    description: When the plugin runs, as for C(ansible.builtin.host_group_vars).
    ini:
      - key: stage
        section: vars_host_group_vars
    env:
      - name: ANSIBLE_VARS_PLUGIN_STAGE
  _valid_extensions:
    description: Extensions of variable files, as for C(ansible.builtin.host_group_vars).
    default: [".yml", ".yaml", ".json"]
    env:
      - name: ANSIBLE_YAML_FILENAME_EXT
    ini:
      - key: yaml_valid_extensions
        section: defaults
    type: list
    elements: string
"""

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.vars import BaseVarsPlugin
from ansible.plugins.vars.host_group_vars import VarsModule as HostGroupVars

VAULT_HINT = (
    "the vault password given (--vault-password-file, ANSIBLE_VAULT_PASSWORD_FILE or ansible.cfg's "
    "vault_password_file) does not decrypt it: use the password this file was encrypted with, or "
    "re-encrypt it with `ansible-vault rekey %s` (docs/flow.md: Secrets and the vault)"
)


class VarsModule(BaseVarsPlugin):
    """The builtin plugin's lookup of the files, loading them one at a time so that a failure names
    its file. (Not a subclass: a collection's vars plugin may not carry REQUIRES_ENABLED.)"""

    is_stateless = True
    get_vars = HostGroupVars.get_vars

    def load_found_files(self, loader, data, found_files):
        for found in found_files:
            try:
                data = HostGroupVars.load_found_files(self, loader, data, [found])
            except AnsibleError as exc:
                message = to_native(exc.message if hasattr(exc, "message") else exc)
                if "Decryption failed" in message or "vault secrets" in message:
                    raise AnsibleError("Cannot read %s: %s" % (found, VAULT_HINT % found)) from None
                raise AnsibleError("Cannot read %s: %s" % (found, message)) from exc
        return data
