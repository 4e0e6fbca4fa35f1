# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Secret values out of a message: a failure's message is shown even when the task is no_log, and
may quote what the API server or the client saw."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json


def scrub(text, objects, values=()):
    """``text`` with every value of the Secrets among ``objects`` and every string of ``values``
    (as given, base64-encoded as the API server stores it, and JSON-escaped) replaced by
    ``********``: a failure's message is shown even when the task is no_log, and may quote what
    the API server or the client saw."""
    values = set(v for v in values if isinstance(v, str) and v)
    values.update(base64.b64encode(v.encode("utf-8")).decode("ascii") for v in list(values))
    for obj in objects or []:
        if isinstance(obj, dict) and obj.get("kind") == "Secret":
            for field in ("stringData", "data"):
                for value in ((obj.get(field) or {}) if isinstance(obj.get(field), dict) else {}).values():
                    if isinstance(value, str) and value:
                        values.add(value)
                        values.add(base64.b64encode(value.encode("utf-8")).decode("ascii"))
                        if field == "data":
                            try:
                                values.add(base64.b64decode(value).decode("utf-8"))
                            except ValueError:  # not base64 of text: the value itself is masked
                                pass
    values.update([json.dumps(value)[1:-1] for value in values])
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "********")
    return text
