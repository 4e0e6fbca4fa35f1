# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The collection's version, as galaxy.yml says (tests/unit/test_lock.py checks they agree)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

COLLECTION_VERSION = "4.0.0"
