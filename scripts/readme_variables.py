"""Writes the variable tables from the roles' meta/argument_specs.yml (and the ranges and formats of
their meta/constraints.yml): every role's in docs/reference.md, and each role's own in
roles/<role>/README.md, between the markers of each file.

    python scripts/readme_variables.py          # rewrite the generated sections
    python scripts/readme_variables.py --check  # exit 1 if one is out of date (a test runs this)
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
BEGIN, END = "<!-- BEGIN VARIABLES (scripts/readme_variables.py) -->", "<!-- END VARIABLES -->"
ROLES = ("namespace", "storage", "router", "classifier", "ui", "cloudflared", "split_brain")
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
    """The keys of the role's ConfigMap and the variable each comes from, as the role declares them
    (roles/<role>/meta/environment.yml; tests/test_environment.py holds the template to it)."""
    declared = yaml.safe_load((ROOT / "roles" / role / "meta" / "environment.yml").read_text())["environment"]
    return list((declared.get("config") or {}).items())


def load(role):
    spec = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())
    constraints_file = ROOT / "roles" / role / "meta" / "constraints.yml"
    constraints = (yaml.safe_load(constraints_file.read_text()) or {}).get("constraints") or {} \
        if constraints_file.exists() else {}
    return spec["argument_specs"], constraints


def entry_point_lines(entry_point, constraints, heading, level="###"):
    lines = ["%s %s" % (level, heading), ""]
    description = entry_point.get("description") or entry_point.get("short_description")
    for paragraph in description if isinstance(description, list) else [description]:
        lines += [plain(paragraph), ""]
    if entry_point.get("options"):
        lines += table(entry_point["options"], constraints) + [""]
    return lines


def configmap_lines():
    lines = ["## ConfigMap keys", "",
             "Every pod of a component reads its ConfigMap as environment (`envFrom`). `<role>_config_extra`",
             "adds keys; it cannot override these (set the variable instead) nor a Secret's.", "",
             "| ConfigMap | key | from |", "| --- | --- | --- |"]
    for role, name in CONFIGMAPS:
        lines += ["| `%s` | `%s` | `%s` |" % (name, key, source) for key, source in configmap_keys(role)]
    return lines + [""]


def reference_section():
    """docs/reference.md: every role's variables."""
    lines = [BEGIN, ""]
    for role, entry, heading in SECTIONS:
        entry_points, constraints = load(role)
        lines += entry_point_lines(entry_points[entry], constraints, heading, "##")
    lines += configmap_lines() + [END]
    return "\n".join(lines)


def role_section(role):
    """roles/<role>/README.md: the role's entry points and their variables."""
    entry_points, constraints = load(role)
    lines = [BEGIN, ""]
    for name, entry_point in entry_points.items():
        lines += entry_point_lines(entry_point, constraints, "`%s`: %s" % (name, plain(entry_point.get("short_description"))))
        if not entry_point.get("options"):
            lines += ["No variables of its own.", ""]
    if role in dict(CONFIGMAPS):
        lines += ["### ConfigMap keys", "", "| ConfigMap | key | from |", "| --- | --- | --- |"]
        lines += ["| `%s` | `%s` | `%s` |" % (dict(CONFIGMAPS)[role], key, source) for key, source in configmap_keys(role)]
        lines += [""]
    lines += [END]
    return "\n".join(lines)


def targets():
    """(file, generated section) of every file with a generated section."""
    yield REFERENCE, reference_section()
    for role in ROLES:
        yield ROOT / "roles" / role / "README.md", role_section(role)


def main():
    stale = []
    for path, section in targets():
        text = path.read_text()
        start, end = text.index(BEGIN), text.index(END) + len(END)
        new = text[:start] + section + text[end:]
        if new != text:
            stale.append(str(path.relative_to(ROOT)))
            if "--check" not in sys.argv:
                path.write_text(new)
    if stale and "--check" in sys.argv:
        sys.exit("out of date: %s: run python scripts/readme_variables.py" % ", ".join(stale))


if __name__ == "__main__":
    main()
