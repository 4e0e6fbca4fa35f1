#!/usr/bin/env bash
# Prints the path of a CPython the collection supports: the newest of 3.13, 3.12 and 3.11 found,
# or the one version given (`scripts/python.sh 3.11`). Looks on PATH (python3.X, then python3),
# then in pyenv's versions folder. Exits 1 with a message when none is found.
set -euo pipefail
versions=("$@")
[[ $# -gt 0 ]] || versions=(3.13 3.12 3.11)
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}

works() { # $1: candidate, $2: wanted X.Y
  [[ -n "$1" ]] && [[ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" == "$2" ]]
}

for version in "${versions[@]}"; do
  candidates=("$(command -v "python$version" || true)" "$(command -v python3 || true)")
  for dir in "$pyenv_root"/versions/"$version".*/bin; do candidates+=("$dir/python"); done
  for candidate in "${candidates[@]}"; do
    if works "$candidate" "$version"; then
      echo "$candidate"
      exit 0
    fi
  done
done
echo "scripts/python.sh: no CPython ${versions[*]} found (on PATH or in $pyenv_root/versions)" >&2
exit 1
