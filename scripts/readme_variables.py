#!/usr/bin/env python3
"""Writes the README's variable tables from the roles' meta/argument_specs.yml (and the ranges and
formats of their meta/constraints.yml).

    python scripts/readme_variables.py          # rewrite the README section
    python scripts/readme_variables.py --check  # exit 1 if the README is out of date (a test runs this)
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN, END = "<!-- BEGIN VARIABLES (scripts/readme_variables.py) -->", "<!-- END VARIABLES -->"
# (role, entry point, heading)
SECTIONS = (
    ("split_brain", "apply", "Shared settings (`roles/split_brain`)"),
    ("split_brain", "access", "The deploying identity (`roles/split_brain`, entry point `access`: `playbooks/access.yml`)"),
    ("namespace", "main", "namespace"),
    ("storage", "main", "storage"),
    ("router", "main", "router"),
    ("classifier", "main", "classifier"),
    ("ui", "main", "ui"),
    ("cloudflared", "main", "cloudflared"),
)
CONFIGMAPS = (("router", "router-config"), ("classifier", "classifier-config"), ("ui", "ui-config"))


def plain(text):
    """Ansible doc markup (C(x), I(x), V(x)...) to Markdown."""
    text = " ".join(text) if isinstance(text, list) else str(text or "")
    text = re.sub(r"\b[CIVOBR]\(([^)]*)\)", r"`\1`", text)
    return text.replace("|", "\\|").replace("\n", " ")


def default(option):
    if "default" not in option:
        return "*required*" if option.get("required") else ""
    value = option["default"]
    if option.get("no_log"):
        return "(vault)"
    text = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    text = text.removesuffix("...").strip()
    return "`%s`" % text.replace("|", "\\|") if text not in ("''", '""') else '`""`'


def constraint(entry):
    """A variable's range and format (its entry in meta/constraints.yml) in words."""
    words = []
    if entry.get("format"):
        words.append("format `%s`" % entry["format"])
    if "min" in entry and "max" in entry:
        words.append("%s to %s" % (entry["min"], entry["max"]))
    elif "min" in entry:
        words.append("at least %s" % entry["min"])
    elif "max" in entry:
        words.append("at most %s" % entry["max"])
    if "above" in entry:
        words.append("above %s" % entry["above"])
    return ", ".join(words)


def table(options, constraints):
    rows = ["| variable | type | default | description |", "| --- | --- | --- | --- |"]
    for name, option in options.items():
        kind = option.get("type", "str")
        if option.get("elements"):
            kind += " of " + option["elements"]
        if option.get("choices"):
            kind += " (" + ", ".join(str(c) for c in option["choices"]) + ")"
        if constraint(constraints.get(name) or {}):
            kind += "; " + constraint(constraints[name])
        rows.append("| `%s` | %s | %s | %s |" % (name, kind, default(option), plain(option.get("description"))))
    return rows


def configmap_keys(role):
    """The keys of the role's ConfigMap and the variable each comes from: the ``'KEY': variable``
    entries of the dict its template (roles/<role>/templates/configmap.yaml.j2) writes as ``data``."""
    text = (ROOT / "roles" / role / "templates" / "configmap.yaml.j2").read_text()
    return re.findall(r"'([A-Z][A-Z0-9_]*)':\s*([a-z][a-z0-9_]*)", text)


def section():
    lines = [BEGIN, ""]
    for role, entry, heading in SECTIONS:
        spec = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())
        constraints_file = ROOT / "roles" / role / "meta" / "constraints.yml"
        constraints = (yaml.safe_load(constraints_file.read_text()) or {}).get("constraints") or {} \
            if constraints_file.exists() else {}
        entry_point = spec["argument_specs"][entry]
        lines += ["### %s" % heading, "", plain(entry_point.get("description") or entry_point.get("short_description")), ""]
        if entry_point.get("options"):
            lines += table(entry_point["options"], constraints) + [""]
    lines += ["### ConfigMap keys", "",
              "Every pod of a component reads its ConfigMap as environment (`envFrom`). `<role>_config_extra`",
              "adds keys; it cannot override these (set the variable instead) nor a Secret's.", "",
              "| ConfigMap | key | from |", "| --- | --- | --- |"]
    for role, name in CONFIGMAPS:
        lines += ["| `%s` | `%s` | `%s` |" % (name, key, source) for key, source in configmap_keys(role)]
    lines += ["", END]
    return "\n".join(lines)


def main():
    text = README.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + section() + text[end:]
    if "--check" in sys.argv:
        if new != text:
            sys.exit("README.md variable tables are out of date: run python scripts/readme_variables.py")
        return
    README.write_text(new)


if __name__ == "__main__":
    main()
