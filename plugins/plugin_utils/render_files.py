# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The render folder: one YAML file per object, in apply order, written atomically; Secret values
redacted unless asked for (then the file is 0600). The folder's manifest names the files a render
wrote: it replaces or removes those only, and refuses to replace a file it did not write."""

from __future__ import annotations

import hashlib
import os

import yaml

from ansible_collections.split_brain.deploy.plugins.module_utils.objects import apply_order
from ansible_collections.split_brain.deploy.plugins.plugin_utils.manifest import redact


class RenderError(Exception):
    """The folder cannot take the render; ``str()`` says why and what to do."""


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order and indents lists under their key."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


# The longest file name the render writes: file systems take 255 bytes, and the render first writes
# `<name>.<pid>.tmp` beside it. An object name may have 253 characters.
FILE_NAME_MAX = 200
_HASH_LENGTH = 12


def file_name(index, obj):
    """``<index>-<kind>-<name>.yaml``; a name too long for a file name is cut and followed by a short
    hash of the whole name (``-<12 hex digits>``), so that two long names that share their start
    still get files of their own."""
    prefix = "%02d-%s-" % (index, obj["kind"].lower())
    name = str(obj["metadata"]["name"])
    whole = prefix + name + ".yaml"
    if len(whole.encode("utf-8")) <= FILE_NAME_MAX:
        return whole
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    room = FILE_NAME_MAX - len(prefix.encode("utf-8")) - len("-%s.yaml" % digest)
    cut = name.encode("utf-8")[:max(room, 0)].decode("utf-8", "ignore")
    return "%s%s-%s.yaml" % (prefix, cut, digest)


def to_yaml(obj):
    # The objects come from templates: turn Ansible's tagged values into plain Python first.
    return yaml.dump(_plain(obj), Dumper=_Dumper, sort_keys=False, default_flow_style=False)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


# The record of the files a render wrote, one name a line. No .json/.yaml/.yml extension: `kubectl
# apply -f <dest>` reads those, and must see the objects only.
MANIFEST = ".split-brain-render"
MANIFEST_HEADER = "# Files split_brain.deploy.render wrote here; it replaces or removes these only.\n"


def read_manifest(dest):
    """The files an earlier render wrote to ``dest`` (its manifest), or an empty set."""
    path = os.path.join(dest, MANIFEST)
    if not os.path.isfile(path):
        return set()
    with open(path, encoding="utf-8") as handle:
        names = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    # Names only: a manifest never makes the render touch anything outside dest.
    return {name for name in names if os.path.basename(name) == name and name not in (".", "..", MANIFEST)}


def file_mode(obj, reveal):
    """0600 for a Secret whose values are written in clear, 0644 for everything else."""
    return 0o600 if reveal and obj.get("kind") == "Secret" else 0o644


def write_file(path, text, mode):
    """Write ``text`` to ``path`` atomically, created with ``mode`` (never readable by others first)."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def plan(dest, wanted, modes, owned):
    """``(written, removed, foreign)``: the files to (re)write, the render's own files to remove, and
    files in the way that the render did not write (an operator's own, with a name it wants)."""
    existing = set(os.listdir(dest)) if os.path.isdir(dest) else set()
    written, foreign = [], []
    for name, text in wanted.items():
        path = os.path.join(dest, name)
        if name in existing:
            with open(path, encoding="utf-8") as handle:
                same = handle.read() == text
            if name not in owned and not same:
                foreign.append(name)
                continue
            if same and os.stat(path).st_mode & 0o777 == modes[name]:
                continue
        written.append(name)
    removed = sorted(name for name in (owned & existing) - set(wanted))
    return written, removed, foreign


def write_objects(objects, dest, reveal, check):
    """Write ``objects`` to ``dest`` in apply order and remove the files an earlier render wrote that
    are no longer rendered (nothing in check mode). Returns ``(files, written, removed)``."""
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise RenderError("split_brain_render_dir: %s is a file, not a folder; give the folder to render into" % dest)
    wanted, modes = {}, {}
    for index, obj in enumerate(apply_order(objects)):
        name = file_name(index, obj)
        wanted[name] = to_yaml(redact(obj, reveal))
        modes[name] = file_mode(obj, reveal)
    owned = read_manifest(dest)
    written, removed, foreign = plan(dest, wanted, modes, owned)
    if foreign:
        raise RenderError(
            "split_brain_render_dir: %s holds %s, which this render did not write (not in %s) and would replace; move %s away"
            % (dest, ", ".join(foreign), MANIFEST, "it" if len(foreign) == 1 else "them"))
    manifest_text = MANIFEST_HEADER + "".join(name + "\n" for name in sorted(wanted))
    if not check:
        try:
            os.makedirs(dest, exist_ok=True)
        except OSError as exc:
            raise RenderError("split_brain_render_dir: cannot create %s: %s" % (dest, exc.strerror))
        for name in removed:
            os.remove(os.path.join(dest, name))
        for name in written:
            write_file(os.path.join(dest, name), wanted[name], modes[name])
        if written or removed or owned != set(wanted):
            write_file(os.path.join(dest, MANIFEST), manifest_text, 0o644)
    return sorted(wanted), written, removed
