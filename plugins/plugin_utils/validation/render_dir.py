# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The folder the objects are rendered into (``split_brain_render_dir``), checked before rendering.

- it is a folder, or can be made one: neither it nor a folder above it is a file (``/etc/hosts/out``
  would fail at the first write with ``[Errno 20] Not a directory``);
- no two hosts of the play render into the same folder: each writes one file per object, and
  prunes the files of objects it no longer has, so one would delete or overwrite the other's.
"""

from __future__ import annotations

import os

RENDER_DIR = "split_brain_render_dir"


def render_dir_problems(path):
    """Why ``path`` cannot be the render folder (a file, or under a file), or an empty list."""
    if not isinstance(path, str) or not path:
        return []
    full = os.path.abspath(os.path.expanduser(path))
    if os.path.exists(full) and not os.path.isdir(full):
        return ["%s: %s is a file, not a folder; give the folder to render into" % (RENDER_DIR, path)]
    parent = full
    while True:
        parent, _tail = os.path.split(parent)
        if os.path.isdir(parent) or not parent or parent == os.path.dirname(parent):
            break
        if os.path.exists(parent):
            return ["%s: %s is under %s, which is a file, not a folder; give a folder to render into that is not"
                    " under a file" % (RENDER_DIR, path, parent)]
    return []


def shared_render_dir_problems(host, path, others):
    """``others``: ``{host: render folder}`` of the play's other hosts. One line naming the hosts
    that share ``host``'s folder, or an empty list."""
    if not isinstance(path, str) or not path:
        return []
    full = os.path.realpath(os.path.expanduser(path))
    sharing = sorted(other for other, folder in others.items()
                     if other != host and isinstance(folder, str) and folder
                     and os.path.realpath(os.path.expanduser(folder)) == full)
    if not sharing:
        return []
    return ["%s: %s is also the render folder of %s in this play; each host of the play writes and prunes its own"
            " files, so give %s and %s different folders" % (
                RENDER_DIR, path, ", ".join(sharing), host, ", ".join(sharing))]
