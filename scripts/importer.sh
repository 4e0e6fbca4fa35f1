#!/usr/bin/env bash
# Runs galaxy-importer, offline, on a built tarball of the collection (`make importer`), as Galaxy
# does on an upload: it loads every plugin's documentation with ansible-doc, every role's
# argument specs and README, and runs ansible-lint. Fails when the importer fails or when a
# plugin's documentation did not resolve. galaxy-importer pins its own ansible-core and
# ansible-lint, so it gets a venv of its own (.venv/importer).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
venv=${IMPORTER_VENV:-$root/.venv/importer}
requirements=$root/tests/requirements-importer.txt

if [[ ! -f "$venv/.installed" ]] || [[ "$requirements" -nt "$venv/.installed" ]]; then
  "${PYTHON:-$("$root/scripts/python.sh")}" -m venv "$venv"
  "$venv/bin/pip" install -q -r "$requirements"
  touch "$venv/.installed"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No ansible-test run (it needs containers), no required Galaxy tags, ansible-lint offline; the rest
# as Galaxy runs it: the collection alone, without its dependencies (hence the mocks in .ansible-lint).
cat >"$work/galaxy-importer.cfg" <<'CFG'
[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
CHECK_REQUIRED_TAGS = False
CFG
cd "$work"
GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" PATH="$venv/bin:$PATH" \
  "$venv/bin/python" -m galaxy_importer.main --print-result "$tarball" >"$work/result.log" 2>&1 || {
  cat "$work/result.log"
  echo "importer.sh: galaxy-importer refused $(basename "$tarball")" >&2
  exit 1
}
"$venv/bin/python" - "$work/result.log" "$root" <<'PY'
"""Fail on what the importer only logs: ansible-lint findings (WARNING/ERROR lines) and plugins
whose documentation did not resolve."""
import json
import os
import sys

text = open(sys.argv[1], encoding="utf-8").read()
root = sys.argv[2]
log, result = text[:text.index("\n{")], json.loads(text[text.index("\n{") + 1:text.rindex("}") + 1])
contents = result["docs_blob"]["contents"]


def documented(item):
    """Modules, vars and lookup plugins carry DOCUMENTATION; a filter, its plugins/filter/<name>.yml."""
    kind, name = item["content_type"], item["content_name"]
    return kind in ("module", "vars", "lookup") or (kind == "filter" and os.path.isfile(os.path.join(root, "plugins", "filter", name + ".yml")))


problems = ["%s %s: its documentation did not resolve" % (item["content_type"], item["content_name"])
            for item in contents if documented(item) and not item["doc_strings"]]
problems += [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
roles = [item for item in contents if item["content_type"] == "role"]
problems += ["role %s: no README" % item["content_name"] for item in roles if not item.get("readme_html")]
print("galaxy-importer: %s.%s %s imported; %d plugins with documentation, all resolved; %d roles with a README"
      % (result["metadata"]["namespace"], result["metadata"]["name"], result["metadata"]["version"],
         sum(documented(item) for item in contents), len(roles)) if not problems else "galaxy-importer: problems")
for line in problems:
    print("  " + line)
sys.exit(1 if problems else 0)
PY
