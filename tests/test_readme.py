"""The README and the documentation pages: short, their links resolve, their generated parts in sync.

- the README stays at most 300 lines, with the sections of kubernetes.core's layout;
- every relative link of the README, of docs/*.md and of the roles' READMEs points to a file of
  the repository, and its #anchor to a heading of that file (GitHub's anchors);
- the variable tables of docs/reference.md and of roles/<role>/README.md equal what
  scripts/readme_variables.py generates from the argument specs;
- the commands the README shows name playbooks, inventories and make targets that exist;
- nothing cites a file outside the repository.
"""

import re
import subprocess
import sys

import pytest

from helpers import ROOT

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md")), *sorted(ROOT.glob("roles/*/README.md"))]
ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").exists())
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def headings(path):
    """GitHub's anchors of a Markdown file's headings (outside code blocks)."""
    anchors, fence = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and re.match(r"^#{1,6} ", line):
            text = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
            anchor, n = slug, 1
            while anchor in anchors:
                anchor, n = "%s-%d" % (slug, n), n + 1
            anchors.add(anchor)
    return anchors


def links(path):
    """The relative links of a Markdown file (outside code blocks)."""
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def test_readme_is_short():
    lines = README.read_text().splitlines()
    assert len(lines) <= 300, "README.md has %d lines" % len(lines)


def test_readme_has_the_sections_of_a_collection_readme():
    sections = [line[3:] for line in README.read_text().splitlines() if line.startswith("## ")]
    for wanted in ("Included content", "Requirements", "Installation", "Using this collection", "Testing", "Contributing",
                   "Release notes", "License"):
        assert wanted in sections, wanted
    assert re.search(r"^### Compatibility$", README.read_text(), re.M)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    broken = []
    for target in links(page):
        file_part, _hash, anchor = target.partition("#")
        path = (page.parent / file_part).resolve() if file_part else page
        if not path.exists() or ROOT not in (path, *path.parents):
            broken.append("%s (no such file)" % target)
        elif anchor and path.suffix == ".md" and anchor not in headings(path):
            broken.append("%s (no heading #%s)" % (target, anchor))
    assert not broken, broken


def test_link_checker_sees_broken_links(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## A `b`: c\n[ok](#a-b-c) [bad](#nope) `[code](#x)` [web](https://x.org)\n")
    assert links(page) == ["#a-b-c", "#nope"]
    assert headings(page) == {"title", "a-b-c"}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_a_readme_with_its_variables_and_an_example(role):
    text = (ROOT / "roles" / role / "README.md").read_text()
    assert "<!-- BEGIN VARIABLES" in text and "<!-- END VARIABLES -->" in text
    assert re.search(r"```yaml\n- name: .*\n  hosts: split_brain\n", text), "an example play"
    assert "split_brain.deploy.%s" % role in text


def test_variable_tables_match_the_argument_specs():
    result = subprocess.run([sys.executable, "scripts/readme_variables.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_variable_tables_name_every_variable():
    """Control: the generated pages hold every option of every role's argument spec."""
    import yaml

    reference = (ROOT / "docs" / "reference.md").read_text()
    for role in ROLES:
        readme = (ROOT / "roles" / role / "README.md").read_text()
        specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
        for entry in specs.values():
            for name in entry.get("options") or {}:
                assert "| `%s` |" % name in readme, (role, name)
                assert "| `%s` |" % name in reference, (role, name)


def test_readme_commands_name_what_exists():
    text = README.read_text()
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S))
    assert blocks
    for playbook in re.findall(r"ansible-playbook (\S+\.yml)", blocks):
        assert (ROOT / playbook).is_file(), playbook
    for inventory in set(re.findall(r"-i (inventories/\w+)", blocks)) - {"inventories/mine"}:
        assert (ROOT / inventory).is_dir(), inventory
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M))
    for target in re.findall(r"^make ([a-z-]+)", blocks, re.M):
        assert target in targets, target
    for name in re.findall(r"split_brain\.deploy\.(\w+)", text):
        assert any((ROOT / p).exists() for p in ("roles/%s" % name, "playbooks/%s.yml" % name,
                                                 "plugins/modules/%s.py" % name, "plugins/vars/%s.py" % name,
                                                 "plugins/lookup/%s.py" % name, "plugins/filter/%s.yml" % name)), name


def test_nothing_cites_a_file_outside_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    # Spelled in parts so that this file does not cite them itself.
    outside = re.compile("shared" + "/spec/|/" + "work/")
    cited = []
    for name in files:
        path = ROOT / name
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        cited += ["%s: %s" % (name, m.group(0)) for m in outside.finditer(text)]
    assert not cited, cited


@pytest.mark.parametrize("role", [r for r in ROLES if r != "split_brain"])
def test_role_readme_lists_the_objects_the_role_renders(rendered, role):
    """The "What it deploys" table of a role's README against what the role renders for prod
    (every object on but the router's HPA, which the table says needs router_autoscaling_enabled)."""
    text = (ROOT / "roles" / role / "README.md").read_text()
    table = text.split("## What it deploys", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("object", "---"):
            rows.append((cells[0], re.findall(r"`([^`]+)`", cells[1])))
    objects = {(o["kind"], o["metadata"]["name"]) for o in rendered["prod"]
               if (o["metadata"].get("labels") or {}).get("app.kubernetes.io/name") == role}
    assert objects
    listed = {(kind, name) for kind, names in rows for name in names if (kind, name) in objects}
    assert listed == objects, "not in the README: %s" % sorted(objects - listed)
    extra = [(kind, names) for kind, names in rows if not any((kind, name) in objects for name in names)]
    assert extra == ([("HorizontalPodAutoscaler", ["router"])] if role == "router" else []), extra


def test_readme_lists_the_included_content():
    """Every role, module, filter, vars and lookup plugin and playbook of the collection is named in the
    README's "Included content" (playbooks/hosts.yml is the check every playbook imports)."""
    text = README.read_text().split("## Included content", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(?:split_brain\.deploy\.)?(\w+)`", text)) | set(re.findall(r"split_brain\.deploy\.(\w+)", text))
    content = {"role": ROLES,
               "module": [p.stem for p in (ROOT / "plugins" / "modules").glob("*.py")],
               "filter": [p.stem for p in (ROOT / "plugins" / "filter").glob("*.yml")],
               "vars": [p.stem for p in (ROOT / "plugins" / "vars").glob("*.py")],
               "lookup": [p.stem for p in (ROOT / "plugins" / "lookup").glob("*.py")],
               "playbook": [p.stem for p in (ROOT / "playbooks").glob("*.yml") if p.stem != "hosts"]}
    missing = ["%s %s" % (kind, name) for kind, names in content.items() for name in names if name not in named]
    assert not missing, missing
