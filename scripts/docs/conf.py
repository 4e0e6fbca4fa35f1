"""Sphinx configuration of the docs site that scripts/docs/build.sh assembles: the collection's
plugin and role pages (antsibull-docs) and the Markdown pages of the repository (MyST)."""

import re

project = "split_brain.deploy"
copyright = "split-brain deploy team"  # noqa: A001  (Sphinx's name)
title = "split_brain.deploy"
html_short_title = "split_brain.deploy"

extensions = ["myst_parser", "sphinx_antsibull_ext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
# GitHub's anchors for the Markdown pages' headings, so that links such as
# docs/operations.md#prune work on GitHub and in the site alike.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence"]

pygments_style = "ansible"
highlight_language = "YAML+Jinja"
html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
default_role = "any"
nitpicky = True

# No intersphinx (the build runs offline): a reference to Ansible's own documentation or to a
# plugin of another collection becomes a link to docs.ansible.com. A missing page of this
# collection is still an error.
ANSIBLE_DOCS = "https://docs.ansible.com/ansible/latest/"
ANSIBLE_LABELS = {
    "common_return_values": "reference_appendices/common_return_values.html",
    "action_plugins": "plugins/action.html",
    "ansible_configuration_settings": "reference_appendices/config.html",
}


def external(app, env, node, contnode):
    from docutils import nodes

    target = node.get("reftarget", "")
    url = None
    if node.get("reftype") == "ref":
        match = re.fullmatch(r"ansible_collections\.(\w+)\.(\w+)\.(\w+)_(\w+)", target)
        if match and match.group(1, 2) != ("split_brain", "deploy"):
            url = ANSIBLE_DOCS + "collections/%s/%s/%s_%s.html" % match.groups()
        elif target in ANSIBLE_LABELS:
            url = ANSIBLE_DOCS + ANSIBLE_LABELS[target]
    elif node.get("reftype") == "envvar" and target.startswith("ANSIBLE_"):
        url = ANSIBLE_DOCS + "reference_appendices/config.html#envvar-" + target.lower().replace("_", "-")
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect("missing-reference", external)
