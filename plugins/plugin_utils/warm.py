# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Prepare ansible-playbook's main process for the workers it forks, once.

Ansible forks one worker process per task and host, and a worker starts from the main process's
memory. The actions that run in-process (and validate) import plugin_utils/in_process.py, which
the main process loads before it queues their first task; in_process.py calls
``prepare_workers`` when it is imported, so once per process. It does two things:

- Loads the filter and test plugins (ansible.builtin's and this collection's) and Jinja's lexer.
  The main process never templates a condition or a task argument itself, so each worker would
  load them the first time it meets a filter: about 10 ms for every task of a run, skipped ones
  included. It evaluates one trusted, constant condition with Ansible's public Templar: no
  variable, no play, nothing that a task could see.
- Freezes what the process holds by then (the kubernetes client, Ansible, the plugins) out of
  Python's cyclic garbage collector, as Python's documentation advises for a process that forks
  workers (``gc.freeze``): the workers' collections no longer walk those objects, and their
  pages stay shared instead of being copied; at exit the interpreter no longer collects them
  either (a third of a second of a converged run's 3 s was that). Only objects that exist at the
  freeze are concerned; everything created later is collected as usual.

A failure is ignored: the workers then do what they did before.
"""

from __future__ import annotations

import gc


def prepare_workers():
    """Load the templating plugins, then freeze the process's objects out of the collector."""
    try:
        from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
        from ansible.template import Templar, trust_as_template  # pylint: disable=import-outside-toplevel

        Templar(loader=DataLoader()).evaluate_conditional(
            trust_as_template("{} | split_brain.deploy.to_json is string and 'a' | length > 0")
        )
    except Exception:  # pylint: disable=broad-exception-caught
        pass
    gc.freeze()
