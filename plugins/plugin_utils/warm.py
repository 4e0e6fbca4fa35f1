# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Load once, in ansible-playbook's main process, what every task's worker would load again.

Ansible forks one worker process per task and host, and a worker starts from the main process's
memory. The main process never templates a condition or a task argument itself, so each worker
loads the filter and test plugins (ansible.builtin's and this collection's) and builds Jinja's
lexer the first time it meets a filter: about 10 ms per task, for every task of a run, skipped
ones included. ``warm_templating`` does that once, where the workers inherit it: the actions that
ansible-playbook's main process loads before it queues their task (plugin_utils/in_process.py,
plugins/action/validate.py) call it when they are imported.

It evaluates one trusted, constant condition with Ansible's public Templar: no variable, no
play, nothing that a task could see. A failure is ignored; the workers then load as before.
"""

from __future__ import annotations

_WARMED = []


def warm_templating():
    """Load the filter and test plugins and Jinja's lexer in this process (once)."""
    if _WARMED:
        return
    _WARMED.append(True)
    try:
        from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
        from ansible.template import Templar, trust_as_template  # pylint: disable=import-outside-toplevel

        Templar(loader=DataLoader()).evaluate_conditional(
            trust_as_template("{} | split_brain.deploy.to_json is string and 'a' | length > 0")
        )
    except Exception:  # pylint: disable=broad-exception-caught
        pass
