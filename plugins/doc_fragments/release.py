# -*- coding: utf-8 -*-
# Copyright: split-brain deploy team
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Options that name a release of split_brain.deploy: its namespace and instance label."""

    DOCUMENTATION = r"""
options:
  namespace:
    description: Namespace of the release.
    type: str
    required: true
  instance:
    description: Value of the C(app.kubernetes.io/instance) label of the release.
    type: str
    required: true
"""
