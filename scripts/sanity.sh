#!/usr/bin/env bash
# ansible-test sanity for the Python plugins. ansible-test needs the collection under an
# ansible_collections/<namespace>/<name> path: copy the tracked files there and run it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/split_brain/deploy"
mkdir -p "$dest"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | grep -zv '^collections/' | xargs -0 cp --parents -t "$dest")
cd "$dest"
git init -q && git add -A >/dev/null
python_version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"${ANSIBLE_TEST:-$root/.venv/bin/ansible-test}" sanity --python "$python_version" --color no \
  plugins/ "$@"
