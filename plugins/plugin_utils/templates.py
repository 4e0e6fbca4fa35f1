# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The collection's templates, compiled once per ansible-playbook process.

ansible-core 2.19 compiles a Jinja template every time it renders it, and every task runs in a
worker process forked for it: the six render tasks of a run compiled the shared templates
(deployment.yaml.j2, networkpolicy.yaml.j2, ...) once each, about 0.2 CPU s of a converged run,
and a fleet of N releases paid it N times. ``compile_collection_templates`` compiles every
``roles/*/templates/*.j2`` of this collection in the main process (``warm.prepare_workers``),
into ``COMPILED``, which every worker forked afterwards inherits; the ``objects`` lookup hands it
to the Jinja environment it renders with, as that environment's bytecode cache (Jinja's own
mechanism for reusing compiled templates; nothing is written to disk).

A compiled template is reused only for the same name, file, source text (checksum) and the
settings of the environment that compiles code (delimiters, whitespace handling, code
generator): a template changed on disk after the main process compiled it, or an environment
configured differently, compiles again. Only the ``objects`` lookup's environments use it;
every other template of a run (the user's own) is compiled by ansible-core as before.
"""

from __future__ import annotations

import glob
import os

from jinja2 import BytecodeCache

# The environment settings that change the code Jinja generates from a template's source.
_CODE_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "autoescape",
)

# roles/ of this collection (plugins/plugin_utils/templates.py -> the collection's root).
ROLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "roles")


def _code_settings(environment):
    return (type(environment), environment.code_generator_class, tuple(sorted(environment.extensions))) + tuple(
        getattr(environment, name, None) for name in _CODE_SETTINGS)


class CompiledTemplates(BytecodeCache):
    """A Jinja bytecode cache in memory: the code of each template, by its environment's code
    settings, name, file and source checksum."""

    def __init__(self):
        self.codes = {}

    def get_cache_key(self, name, filename=None):
        return "%s\0%s" % (name, filename)

    def _key(self, bucket):
        return _code_settings(bucket.environment), bucket.key, bucket.checksum

    def load_bytecode(self, bucket):
        bucket.code = self.codes.get(self._key(bucket))

    def dump_bytecode(self, bucket):
        self.codes[self._key(bucket)] = bucket.code


COMPILED = CompiledTemplates()


def jinja_environment(templar):
    """The Jinja environment a Templar renders with, or None where ansible-core keeps it elsewhere
    (then nothing is reused, and rendering is as slow as ansible.builtin.template's, no less right)."""
    return getattr(getattr(templar, "_engine", None), "environment", None)


def use_compiled(templar, cache=COMPILED):
    """Make ``templar``'s environment load the templates it includes from ``cache``."""
    environment = jinja_environment(templar)
    if environment is not None:
        environment.bytecode_cache = cache
    return templar


def compile_templates(folders, cache=COMPILED):
    """Compile every ``*.j2`` of ``folders`` into ``cache``, as the objects lookup's environments
    load them (a Templar's environment searching that folder); returns how many."""
    # Imported here: the main process imports this module before it has loaded the templating.
    from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
    from ansible.template import Templar  # pylint: disable=import-outside-toplevel

    count = 0
    for folder in folders:
        templar = use_compiled(Templar(loader=DataLoader()).copy_with_new_env(searchpath=[folder]), cache)
        environment = jinja_environment(templar)
        if environment is None:
            return count
        for path in sorted(glob.glob(os.path.join(folder, "*.j2"))):
            try:
                environment.get_template(os.path.basename(path))
            except Exception:  # pylint: disable=broad-exception-caught
                continue  # the lookup that renders it says what is wrong, with the task
            count += 1
    return count


def compile_collection_templates(cache=COMPILED):
    """Compile the templates of every role of this collection into ``cache``."""
    return compile_templates(sorted(glob.glob(os.path.join(ROLES, "*", "templates"))), cache)
