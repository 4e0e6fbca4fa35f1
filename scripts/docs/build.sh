#!/usr/bin/env bash
# Builds the HTML docs site into DEST/html (default build/docs): the plugin and role pages that
# antsibull-docs writes from the collection's documentation, and the repository's Markdown pages
# (README.md, docs/*.md, roles/*/README.md, CHANGELOG.md) through MyST. Runs offline. Needs
# antsibull-docs, sphinx, sphinx-ansible-theme and myst-parser (requirements-test.txt), and
# ansible-core with kubernetes.core (their doc fragments); make docs runs it in the project venv.
#   scripts/docs/build.sh [DEST]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$(mkdir -p "${1:-$root/build/docs}" && cd "${1:-$root/build/docs}" && pwd)"
src="$dest/src"
rm -rf "$src" "$dest/html"
mkdir -p "$src/docs" "$src/collections"
chmod og-w "$src/collections"  # antsibull-docs wants its output folder writable by itself only

# The collection as ansible-core finds it from the repository (ansible.cfg's collections_path),
# with kubernetes.core from the venv's ansible package or ~/.ansible/collections.
export ANSIBLE_CONFIG="$root/ansible.cfg"
cd "$root"
antsibull-docs --config-file scripts/docs/antsibull-docs.cfg collection --use-current --fail-on-error \
    --cleanup everything --dest-dir "$src" split_brain.deploy

cp scripts/docs/conf.py scripts/docs/index.rst README.md CHANGELOG.md LICENSE "$src/"
cp docs/*.md docs/*.svg "$src/docs/"
for readme in roles/*/README.md; do
    mkdir -p "$src/$(dirname "$readme")"
    cp "$readme" "$src/$readme"
done

# -W: a warning (a broken link or reference, a bad page) fails the build.
sphinx-build -q -W --keep-going -b html "$src" "$dest/html"
echo "$dest/html/index.html"
