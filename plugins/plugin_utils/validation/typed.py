# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Values as they were typed: the variable files of a run, re-read with PyYAML's composer.

Ansible reads variable files as YAML 1.1: ``010`` is the integer 8, ``12:00`` the integer 720,
``off`` the boolean false, ``2026-01-01`` a date, ``!!binary`` bytes, ``1_000`` the integer 1000.
By the time a value reaches the validation, what was written is gone. This module reads the files
again with ``yaml.compose`` (the safe loader's YAML 1.1 resolver, as Ansible's loader has), which
keeps each scalar's text, style and tag, and finds:

- every plain scalar whose YAML 1.1 reading is not what was written (a *finding*): an integer
  written other than in canonical decimal (leading zeros, octal, hex, sexagesimal, ``_``, ``+``),
  a float that does not read back as written (``1.10``), a boolean word other than true/false,
  a timestamp, an explicit tag (``!!binary``, ``!!int``, ...);
- every duplicate key of a mapping (Ansible warns and keeps the last one);
- the text as written of every scalar (the messages quote it, never the parsed value).

Which files: what ansible.builtin.host_group_vars loads for the host (``group_vars/<group>`` and
``host_vars/<host>`` beside each inventory source and beside the playbook, a file or a folder of
files, found as Ansible finds them: the first of ``<name>``, ``<name>.yml``, ``<name>.yaml``,
``<name>.json``, and in a folder every file with one of those extensions or none), the variables
of the YAML inventory files themselves, the files given as ``-e @file``, and the YAML or JSON
given inline to ``-e`` (``-e '{router_replicas: 010}'``). A file Ansible ignores because another
of the same group or host comes first (``group_vars/all.yml`` beside ``group_vars/all/``) is an
error naming both. A merge key (``<<: *defaults``) is followed: the merged keys are checked as
the mapping's own; an alias (``*name``) is the anchored value, checked where it is used.
A vault-encrypted file is skipped; an inline ``!vault`` value is a (secret) string.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re

import yaml

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
# Ansible's own tags: a vaulted value (a secret string) and a string never templated.
VAULT_TAGS = ("!vault", "!vault-encrypted")
STRING_TAGS = (STR, "!unsafe")
EXTENSIONS = ("", ".yml", ".yaml", ".json")
VAULT_HEADER = "$ANSIBLE_VAULT"

_CANONICAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_DIGITS = re.compile(r"[-+]?[0-9]+")
_RESOLVER = yaml.resolver.Resolver()


class Scalar:
    """One scalar of a variable file: its text as written, and what YAML 1.1 reads it as.

    ``kind``: ``string`` (read as written), ``secret`` (an inline vault), ``canonical`` (a number,
    boolean or null written as YAML reads it: ``8080``, ``1.5``, ``true``, an empty value), or
    ``changed`` (what YAML reads is not what was written: ``010``, ``12:00``, ``off``, a date,
    ``!!binary``, ``1.10``...). ``value`` is the safe loader's reading."""

    __slots__ = ("text", "kind", "value", "tag", "file", "line", "reason")

    def __init__(self, text, kind, value, tag, file, line, reason=""):
        self.text, self.kind, self.value, self.tag, self.file, self.line, self.reason = (
            text, kind, value, tag, file, line, reason)

    def __repr__(self):
        return "Scalar(%r, %s, %r)" % (self.text, self.kind, self.value)


class Collection:
    """A list or a mapping of a variable file, with its text as written (a flow ``[a, b]``)."""

    __slots__ = ("text", "kind", "tag", "file", "line", "items")

    def __init__(self, text, kind, tag, file, line, items):
        self.text, self.kind, self.tag, self.file, self.line, self.items = text, kind, tag, file, line, items


def _construct(node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def classify(node, file="", line=0):
    """A Scalar for a composed scalar ``node``."""
    text, tag = node.value, node.tag
    line = line or node.start_mark.line + 1
    if tag in VAULT_TAGS:
        return Scalar("", "secret", "", tag, file, line)
    if tag in STRING_TAGS:
        return Scalar(text, "string", text, tag, file, line)
    plain = node.style is None
    implicit = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) if plain else STR
    if tag != implicit:
        value = _construct(node) if tag.startswith("tag:yaml.org,2002:") else None
        name = tag.replace("tag:yaml.org,2002:", "!!")
        return Scalar(text, "changed", value, tag, file, line, "the tag %s" % name)
    value = _construct(node)
    if tag == INT:
        if _CANONICAL_INT.fullmatch(text):
            return Scalar(text, "canonical", value, tag, file, line)
        return Scalar(text, "changed", value, tag, file, line, "integer")
    if tag == FLOAT:
        if isinstance(value, float) and not math.isnan(value) and repr(value) == text:
            return Scalar(text, "canonical", value, tag, file, line)
        return Scalar(text, "changed", value, tag, file, line, "float")
    if tag == BOOL:
        if text.lower() in ("true", "false"):
            return Scalar(text, "canonical", value, tag, file, line)
        return Scalar(text, "changed", value, tag, file, line, "boolean word")
    if tag == NULL:
        return Scalar(text, "canonical", None, tag, file, line)
    if tag == TIMESTAMP:
        return Scalar(text, "changed", value, tag, file, line, "timestamp")
    return Scalar(text, "string", text, tag, file, line)


def _source_text(node):
    mark, end = node.start_mark, node.end_mark
    if mark.buffer is not None and end.pointer > mark.pointer:
        return mark.buffer[mark.pointer:end.pointer].rstrip("\0").strip()
    return ""


def tree(node, file, duplicates, path):
    """The Scalar/Collection tree of ``node``; duplicate keys appended to ``duplicates``."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return classify(node, file, line)
    if isinstance(node, yaml.SequenceNode):
        return Collection(_source_text(node), "list", node.tag, file, line,
                          [tree(item, file, duplicates, "%s[%d]" % (path, index)) for index, item in enumerate(node.value)])
    items, seen, merged = {}, {}, {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = key_node.value
        key_line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge" or (key == "<<" and key_node.style is None):
            # A merge key (<<: *defaults, or a list of them): its mappings' keys are the
            # mapping's too, below the keys written in it; the first mapping merged wins.
            for source in (value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]):
                if isinstance(source, yaml.MappingNode):
                    for name, item in tree(source, file, [], path).items.items():
                        merged.setdefault(name, item)
            continue
        where = "%s.%s" % (path, key) if path else key
        if key in seen:
            duplicates.append((file, key_line, where, seen[key]))
        seen[key] = key_line
        items[key] = tree(value_node, file, duplicates, where)
    for name, item in merged.items():
        items.setdefault(name, item)
    return Collection(_source_text(node), "mapping", node.tag, file, line, items)


@functools.lru_cache(maxsize=256)
def _read(path, _stamp):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None, ()
    return parse(text, path)


def parse(text, file):
    """``(tree, duplicates)`` of the YAML ``text`` (``file`` names it in the messages)."""
    if text.lstrip().startswith(VAULT_HEADER):
        return None, ()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None, ()  # Ansible reports a file it cannot parse itself.
    if node is None:
        return None, ()
    duplicates = []
    return tree(node, file, duplicates, ""), tuple(duplicates)


def read(path):
    """``(tree, duplicates)`` of one variable file: the tree is None for a vault-encrypted file or
    one that is no YAML; ``duplicates`` are ``(file, line, key path, line of the first)``."""
    try:
        stat = os.stat(path)
    except OSError:
        return None, ()
    return _read(os.path.abspath(path), (stat.st_mtime_ns, stat.st_size))


# Which files -------------------------------------------------------------------------------------

def _folder_files(path, extensions=EXTENSIONS):
    """The files of a group_vars/host_vars folder that Ansible loads (DataLoader._get_dir_vars_files):
    by name, recursively into sub-folders without an extension, each file with one of the
    extensions or none (``group_vars/split_brain/vars``), hidden files and ``~`` backups left out."""
    found = []
    for name in sorted(os.listdir(path)):
        if name.startswith(".") or name.endswith("~"):
            continue
        full, ext = os.path.join(path, name), os.path.splitext(name)[1]
        if os.path.isdir(full) and not ext:
            found.extend(_folder_files(full, extensions))
        elif os.path.isfile(full) and (not ext or ext in extensions):
            found.append(full)
    return found


def _entity_files(base, extensions=EXTENSIONS):
    """What host_group_vars loads for ``base`` (group_vars/<name> or host_vars/<name>), as
    DataLoader.find_vars_files finds it: the first of ``<name>`` (a file, or a folder of files),
    ``<name>.yml``, ``<name>.yaml``, ``<name>.json`` that exists, and only that one."""
    for ext in extensions:
        path = base + ext
        if os.path.isdir(path):
            return _folder_files(path, extensions)
        if os.path.exists(path):
            return [path]
    return []


def shadowed_entity_files(base, extensions=EXTENSIONS):
    """``(used, ignored)``: the path Ansible reads for ``base`` and those it ignores because of it
    (``group_vars/all.yml`` beside a ``group_vars/all/`` folder), or None when it ignores none."""
    existing = [base + ext for ext in extensions if os.path.exists(base + ext)]
    return (existing[0], existing[1:]) if len(existing) > 1 else None


def shadowed_lines(task_vars):
    """One error per variable file Ansible ignores silently because another one of the same group
    or host comes first; it names both."""
    lines = []
    for directory, kind, name in _entity_bases(task_vars):
        found = shadowed_entity_files(os.path.join(directory, kind, name))
        if not found:
            continue
        used, ignored = found
        for path in ignored:
            lines.append("%s: Ansible ignores this file, as it reads %s%s for %s %s first; move its variables into"
                         " %s and remove it" % (_where(path), _where(used), "/ (a folder)" if os.path.isdir(used) else "",
                                                "group" if kind == "group_vars" else "host", name,
                                                _where(used) + ("/" if os.path.isdir(used) else "")))
    return lines


def _inventory_dirs(task_vars):
    """``(folders, inventory files)``: the folders beside the run's inventory sources and playbook
    (where group_vars/ and host_vars/ are read), and its YAML inventory files."""
    dirs, inventories = [], []
    for source in task_vars.get("ansible_inventory_sources") or ():
        source = str(source)
        if os.path.isdir(source):
            dirs.append(source)
            # An inventory folder: Ansible reads each of its files as an inventory source.
            inventories.extend(os.path.join(source, name) for name in sorted(os.listdir(source))
                               if name.endswith((".yml", ".yaml")) and os.path.isfile(os.path.join(source, name)))
        elif os.path.isfile(source):
            dirs.append(os.path.dirname(source))
            if source.endswith((".yml", ".yaml")):
                inventories.append(source)
    for name in ("inventory_dir", "playbook_dir"):
        if task_vars.get(name):
            dirs.append(str(task_vars[name]))
    return list(dict.fromkeys(os.path.abspath(d) for d in dirs)), inventories


def _entity_bases(task_vars):
    """``(folder, "group_vars" or "host_vars", name)`` of every group_vars/host_vars entry the host reads."""
    dirs, _inventories = _inventory_dirs(task_vars)
    groups = ["all"] + [str(group) for group in task_vars.get("group_names") or ()]
    host = str(task_vars.get("inventory_hostname") or "")
    for directory in dirs:
        for group in groups:
            yield directory, "group_vars", group
        if host:
            yield directory, "host_vars", host


def inline_extra_vars(extra_vars=()):
    """The ``-e`` values Ansible reads as YAML or JSON text (``-e '{router_replicas: 010}'``): those
    starting with ``{`` or ``[``, as ansible.utils.vars.load_extra_vars reads them."""
    return [str(item) for item in extra_vars or () if str(item)[:1] in ("{", "[")]


def variable_files(task_vars, extra_vars=()):
    """The variable files of the run for one host, as ``(kind, path)``: ``vars`` (a group_vars or
    host_vars file, or an ``-e @file``) or ``inventory`` (a YAML inventory file). Paths of
    ``-e @file`` are relative to the current folder, as Ansible reads them."""
    _dirs, inventories = _inventory_dirs(task_vars)
    files, seen = [], set()

    def add(kind, path):
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            files.append((kind, path))

    for path in inventories:
        add("inventory", path)
    for directory, kind, name in _entity_bases(task_vars):
        for path in _entity_files(os.path.join(directory, kind, name)):
            add("vars", path)
    for item in extra_vars or ():
        item = str(item)
        if item.startswith("@") and not item.startswith("@@"):
            add("vars", item[1:])
    return files


def _inventory_variables(node, groups, host, out, in_group=False):
    """The variables of ``host`` and of its ``groups`` in a YAML inventory tree."""
    if not isinstance(node, Collection) or node.kind != "mapping":
        return
    for name, group in node.items.items():
        if not isinstance(group, Collection) or group.kind != "mapping":
            continue
        if name in groups and isinstance(group.items.get("vars"), Collection):
            out.append(group.items["vars"])
        hosts = group.items.get("hosts")
        if isinstance(hosts, Collection) and hosts.kind == "mapping" and isinstance(hosts.items.get(host), Collection):
            out.append(hosts.items[host])
        _inventory_variables(group.items.get("children"), groups, host, out, True)


def sources(task_vars, extra_vars=()):
    """``(variables, duplicates)``: variables is a list of ``(name, tree)`` (a top-level variable
    of one of the run's files, in the order the files were found); duplicates as read() gives."""
    variables, duplicates = [], []
    groups = {"all"} | {str(group) for group in task_vars.get("group_names") or ()}
    host = str(task_vars.get("inventory_hostname") or "")
    files = variable_files(task_vars, extra_vars) + [("inline", text) for text in inline_extra_vars(extra_vars)]
    for kind, path in files:
        root, dups = read(path) if kind != "inline" else parse(path, "-e")
        duplicates.extend(dups)
        if root is None:
            continue
        if kind == "inventory":
            mappings = []
            _inventory_variables(root, groups, host, mappings)
        else:
            mappings = [root]
        for mapping in mappings:
            if isinstance(mapping, Collection) and mapping.kind == "mapping":
                variables.extend(mapping.items.items())
    return variables, duplicates


# What was written, against what the run has ------------------------------------------------------

def plain(node):
    """The plain data of a tree (what the safe loader reads)."""
    if isinstance(node, Scalar):
        return node.value
    if node.kind == "list":
        return [plain(item) for item in node.items]
    return {key: plain(item) for key, item in node.items.items()}


def same(written, value):
    """Whether the run's ``value`` is what the tree ``written`` reads as (so it came from there)."""
    if isinstance(written, Scalar):
        if written.kind == "secret":
            return True
        data = written.value
        if isinstance(data, bool) or isinstance(value, bool):
            return isinstance(data, bool) and isinstance(value, bool) and data == value
        if isinstance(data, datetime.date) or isinstance(value, datetime.date):
            return isinstance(value, datetime.date) and isinstance(data, datetime.date) and str(value) == str(data)
        if isinstance(data, (int, float)) and isinstance(value, (int, float)):
            return data == value or (isinstance(data, float) and isinstance(value, float) and math.isnan(data) and math.isnan(value))
        if isinstance(data, str) and isinstance(value, str):
            return data == value
        if isinstance(data, (bytes, bytearray)) and isinstance(value, (bytes, bytearray)):
            return bytes(data) == bytes(value)
        return data is None and value is None
    if written.kind == "list":
        return isinstance(value, (list, tuple)) and len(value) == len(written.items) and all(
            same(item, other) for item, other in zip(written.items, value))
    return isinstance(value, dict) and set(map(str, value)) >= set(written.items) and all(
        same(item, value[key]) for key, item in written.items.items() if key in value)


def in_effect(variables, task_vars):
    """``{name: tree}``: for each top-level variable, the last tree written whose value is the
    run's (task_vars holds the variables before templating)."""
    out = {}
    for name, written in variables:
        if name in task_vars and same(written, task_vars[name]):
            out[name] = written
    return out


def walk(node, path=""):
    """``(path, Scalar or Collection)`` of every node of a tree, the tree itself first."""
    yield path, node
    if isinstance(node, Collection):
        for key, item in (enumerate(node.items) if node.kind == "list" else node.items.items()):
            child = "%s[%d]" % (path, key) if node.kind == "list" else "%s.%s" % (path, key)
            yield from walk(item, child)


# Words --------------------------------------------------------------------------------------------

def yaml_type(value):
    """The plain YAML name of a value's type: string, integer, float, boolean, date, timestamp,
    list, mapping, null, bytes (never a Python class name)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime.datetime):
        return "timestamp"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, (bytes, bytearray)):
        return "bytes"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (list, tuple, set)):
        return "list"
    if value is None:
        return "null"
    return "value"


def reading(value):
    """``the integer 8``, ``the boolean false``, ``the date 2026-01-01``, ``bytes (binary data)``."""
    kind = yaml_type(value)
    if kind == "boolean":
        return "the boolean %s" % ("true" if value else "false")
    if kind in ("integer", "date", "timestamp"):
        return "the %s %s" % (kind, value.isoformat() if kind != "integer" else value)
    if kind == "float":
        return "the float %r" % value
    if kind == "bytes":
        return "bytes (binary data), not text"
    if kind == "null":
        return "null"
    if kind == "string":
        return "the string %r" % value
    return "a %s" % kind


def finding_line(path, scalar, context, secret=False):
    """The problem of a scalar whose YAML 1.1 reading is not what was written.

    ``context`` is what the field holds: ``int``, ``bool``, ``number`` (a quantity, or any
    number), or ``str`` (a string, a value of a free-form map)."""
    text, value = scalar.text, scalar.value
    what = reading(value)
    if scalar.reason.startswith("the tag"):
        what = "%s (%s)" % (what, scalar.reason) if value is not None else "a value of %s" % scalar.reason
    if secret:
        return "%s: is read by YAML 1.1 as a %s, not as written; quote the value in the vault" % (path, yaml_type(value))
    if context == "int" and isinstance(value, int) and not isinstance(value, bool) and ":" in text:
        return ('%s: %s is read by YAML 1.1 as %s (base 60); write the number you mean in decimal, or quote it ("%s")'
                ' if you mean text' % (path, text, what, text))
    if context == "int" and isinstance(value, int) and not isinstance(value, bool):
        meant = int(text.replace("_", ""), 10) if _DECIMAL_DIGITS.fullmatch(text.replace("_", "")) else value
        return '%s: %s is read by YAML 1.1 as %s; write %d, or quote it ("%s") if you mean text' % (
            path, text, what, meant, text)
    if context == "bool" and isinstance(value, bool):
        return "%s: %s is read by YAML 1.1 as %s; write %s (YAML 1.2 and JSON read %s as a string)" % (
            path, text, what, "true" if value else "false", text)
    if context == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return '%s: %s is read by YAML 1.1 as %s; write it in decimal, or quote it ("%s")' % (path, text, what, text)
    return '%s: %s is read by YAML 1.1 as %s; quote it: "%s"' % (path, text, what, text.replace('"', '\\"'))


# The problems -------------------------------------------------------------------------------------

def _context(option):
    """What a field holds, for finding_line: int, bool, number (raw: quantities, counts or
    percentages), str, or free (a value of a free-form map: one string)."""
    kind = (option or {}).get("type", "str")
    if kind in ("int", "bool"):
        return kind
    if kind in ("raw", "float"):
        return "number"
    return "str"


def free_form(option):
    """Whether an option is a free-form map (a dict without suboptions: keys of the operator's)."""
    return option.get("type") == "dict" and not option.get("options")


def child_option(option, key):
    """The option of the item ``key`` of a list or mapping option (None when not declared)."""
    if option is None:
        return None
    if option.get("type") == "list":
        return {"type": option.get("elements", "raw")} if option.get("elements") else {"type": "raw"}
    if free_form(option):
        return {"type": "str", "free": True}
    return (option.get("options") or {}).get(key)


def findings(name, node, option, secret, written, lines):
    """Walk a tree against its option: the changed scalars' lines, and what each scalar was."""
    stack = [(name, node, option, secret)]
    while stack:
        path, item, opt, hidden = stack.pop()
        hidden = hidden or bool((opt or {}).get("no_log"))
        if isinstance(item, Scalar):
            if item.kind in ("canonical", "changed") and not hidden:
                written[path] = _written_text(item)
            if item.kind != "changed" or opt is None:
                continue
            context = _context(opt)
            if context == "str" and not opt.get("free") and not item.reason.startswith("the tag"):
                continue  # the spec refuses a non-string, its hint quoting the text as written
            if item.reason == "float" and context != "str":
                continue  # 0.50 for a quantity is still one half; an int field refuses a float itself.
            lines.append(finding_line(path, item, context, hidden) if not item.reason.startswith("the tag")
                         else tag_line(path, item, hidden))
            continue
        if item.kind == "list":
            for index, child in reversed(list(enumerate(item.items))):
                stack.append(("%s[%d]" % (path, index), child, child_option(opt, index) if opt else None, hidden))
        else:
            for key, child in reversed(list(item.items.items())):
                stack.append(("%s.%s" % (path, key), child, child_option(opt, key) if opt else None, hidden))


def _written_text(scalar):
    return scalar.text if scalar.tag in (INT, FLOAT, BOOL, NULL, TIMESTAMP, STR) else "!%s %s" % (
        scalar.tag.replace("tag:yaml.org,2002:", "!"), scalar.text)


def tag_line(path, scalar, secret=False):
    """An explicit tag (``!!binary``, ``!!int``, ``!!float``...): the value is not text as written."""
    tag = scalar.tag.replace("tag:yaml.org,2002:", "!!")
    if secret:
        return "%s: has the tag %s, so it is not read as the text written; write the text itself, quoted" % (path, tag)
    value = scalar.value
    if isinstance(value, (bytes, bytearray)):
        try:
            decoded = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            decoded = None
        hint = 'write the text itself, quoted ("%s")' % decoded if decoded is not None and decoded.isprintable() \
            else "write the text itself, quoted"
        return "%s: %s %s is read by YAML 1.1 as bytes (binary data), not text; %s" % (path, tag, scalar.text, hint)
    what = reading(value) if value is not None else "a value of the tag %s" % tag
    return '%s: %s %s is read by YAML 1.1 as %s; drop the tag and write the value, quoted if it is text ("%s")' % (
        path, tag, scalar.text, what, scalar.text)


def _where(path):
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return relative if not relative.startswith("..") else path


def duplicate_lines(duplicates):
    """One line per duplicate key: the key, the file and both lines."""
    seen, lines = set(), []
    for file, line, key, first in duplicates:
        if (file, line) in seen:
            continue
        seen.add((file, line))
        lines.append("%s: given twice in %s (line %d, and line %d); Ansible keeps only the last, so remove one"
                     % (key, _where(file), first, line))
    return lines


def _free_value_line(name, path, value, node, secret):
    """A value of a free-form map that is not one string as typed, or None."""
    if isinstance(node, Scalar) and node.kind == "changed":
        return None  # reported as a finding
    if isinstance(value, str):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and (not isinstance(node, Scalar) or node.kind == "canonical"):
        return None  # 8080 is rendered as written
    if secret:
        return "%s: must be a string, got a %s" % (path, yaml_type(value))
    if isinstance(node, Scalar) and node.kind == "canonical":
        if node.value is None:
            return '%s: an empty value is null, not text; write "" for an empty value' % path
        return '%s: %s is read by YAML as %s, and every value of %s is one string; quote it: "%s"' % (
            path, node.text, reading(node.value), name, node.text)
    if isinstance(node, Collection):
        return "%s: %s is a %s, and every value of %s is one string; quote the text you mean" % (
            path, node.text or "the value", "list" if node.kind == "list" else "mapping", name)
    return "%s: must be a string, got %s; every value of %s is one string" % (path, reading(value), name)


def check(task_vars, options, values, extra_vars=()):
    """The problems of what was typed. Returns ``(lines, bad, written, operator_names, effect)``:

    - lines: the findings of the variables the collection knows (``options``), the duplicate keys
      of every file, and the values and keys of the free-form maps that are refused;
    - bad: the variables those lines are about (the other checks leave them out);
    - written: path -> text as typed, for the hints of the other checks;
    - operator_names: every top-level variable the run's files set;
    - effect: in_effect(), the tree as written of each variable (the rule of templated.py reads it).

    ``values`` are the resolved (templated) values of the options the run sets.
    """
    variables, duplicates = sources(task_vars, extra_vars)
    effect = in_effect(variables, task_vars)
    lines, bad, written = [], set(), {}
    for name in sorted(effect):
        if name not in options:
            continue
        found = []
        findings(name, effect[name], options[name], False, written, found)
        if found:
            lines += found
            bad.add(name)
    for name in sorted(values):
        option = options.get(name) or {}
        mapping = values[name]
        if not free_form(option) or not isinstance(mapping, dict):
            continue
        tree_ = effect.get(name)
        found = []
        for key, value in mapping.items():
            node = tree_.items.get(str(key)) if isinstance(tree_, Collection) and tree_.kind == "mapping" else None
            line = _free_value_line(name, "%s.%s" % (name, key), value, node, bool(option.get("no_log")))
            if line:
                found.append(line)
        if found:
            lines += found
            bad.add(name)
    lines += duplicate_lines(duplicates)
    lines += shadowed_lines(task_vars)
    return lines, bad, written, {name for name, _tree in variables}, effect


# INI inventories ------------------------------------------------------------------------------------

_INI_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_INI_SETTING = re.compile(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=")


def ini_variables(task_vars):
    """``{name: "host" or "vars"}``: the variables an INI inventory source of the run sets, on a
    host line or in a ``[group:vars]`` section. Ansible reads a host line's value with shell
    quoting (``x="1.10"`` is ``1.10``, then the float 1.1) and a vars section's as a Python
    literal (``x="1.10"`` is the string), so "quote it" means something else in each."""
    found = {}
    for source in task_vars.get("ansible_inventory_sources") or ():
        paths = [str(source)]
        if os.path.isdir(paths[0]):
            paths = [os.path.join(paths[0], name) for name in sorted(os.listdir(paths[0]))]
        for path in paths:
            if path.endswith((".yml", ".yaml", ".json")) or not os.path.isfile(path) or os.access(path, os.X_OK):
                continue
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                continue
            section = ""
            for line in text.splitlines():
                if line.lstrip().startswith(("#", ";")):
                    continue
                match = _INI_SECTION.match(line)
                if match:
                    section = match.group(1)
                    continue
                if section.endswith(":vars"):
                    name = line.split("=", 1)[0].strip() if "=" in line else ""
                    if name:
                        found.setdefault(name, "vars")
                else:
                    for name in _INI_SETTING.findall(line):
                        found.setdefault(name, "host")
    return found


def ini_hints(lines, variables):
    """``lines`` with how to write the value in INI appended to each that says to quote a value of
    a variable an INI inventory sets (quoting as in YAML does not help on a host line)."""
    out = []
    for line in lines:
        name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", line)
        where = variables.get(name.group()) if name else None
        if where and "quote" in line:
            if where == "host":
                line += ("; it is set on a host line of an INI inventory, which drops plain quotes: write"
                         " %s='\"...\"' there, or set it in a YAML host_vars/group_vars file" % name.group())
            else:
                line += ("; it is set in a [group:vars] section of an INI inventory: write %s=\"...\" there (double"
                         " quotes), or set it in a YAML group_vars file" % name.group())
        out.append(line)
    return out
