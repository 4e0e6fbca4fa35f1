# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Lookup split_brain.deploy.vault_password_file: the vault password file this run was given."""

from __future__ import annotations

DOCUMENTATION = r"""
name: vault_password_file
short_description: The vault password file of this run (its path, never the password)
version_added: 4.0.0
author:
  - split-brain deploy team (@split-brain)
description:
  - Returns the path of the vault password file that ansible-playbook was given, in the order it
    reads them - C(--vault-password-file), a C(--vault-id) that names a file (C(label@file) or
    C(file)), then C(ANSIBLE_VAULT_PASSWORD_FILE) or C(vault_password_file) of C(ansible.cfg) - or
    an empty string when there is none (C(--ask-vault-pass) prompts, and gives no file).
  - C(split_brain.deploy.init) encrypts the new inventory's vault with that file, so that the
    inventory opens with the password of the run that wrote it.
  - The path is as given, relative to the folder ansible-playbook runs in.
options: {}
"""

EXAMPLES = r"""
- name: Say which vault password file this run uses
  ansible.builtin.debug:
    msg: "{{ lookup('split_brain.deploy.vault_password_file') or 'none' }}"
"""

RETURN = r"""
_raw:
  description: The path of the run's vault password file, or an empty string.
  type: list
  elements: str
"""

from ansible import constants as C
from ansible import context
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    """The first vault password file of the run's command line, else of its configuration."""

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        given = list(context.CLIARGS.get("vault_password_files") or ())
        for vault_id in context.CLIARGS.get("vault_ids") or ():
            source = str(vault_id).split("@", 1)[-1]
            if source and source != "prompt":
                given.append(source)
        if C.DEFAULT_VAULT_PASSWORD_FILE:
            given.append(C.DEFAULT_VAULT_PASSWORD_FILE)
        return [str(given[0]) if given else ""]
