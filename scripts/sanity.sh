#!/usr/bin/env bash
# ansible-test sanity on the whole collection, with the default test list (ignores with their
# reasons: tests/sanity/ignore-<ansible-core>.txt).
# ansible-test needs the collection under an ansible_collections/<namespace>/<name> path: copy
# the tracked (and untracked, not ignored) files there, put kubernetes.core next to it (the
# modules import it and use its doc fragment), and run it. Extra arguments go to ansible-test,
# e.g. `scripts/sanity.sh --test pep8`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
ansible_test=${ANSIBLE_TEST:-$root/.venv/bin/ansible-test}

# kubernetes.core as the venv's `ansible` package ships it.
k8s_core=$("$python" -c '
import importlib.util
spec = importlib.util.find_spec("ansible_collections.kubernetes.core")
print(list(spec.submodule_search_locations)[0] if spec else "")
')
if [[ -z "$k8s_core" || ! -f "$k8s_core/MANIFEST.json" ]]; then
  echo "sanity.sh: kubernetes.core not found for $python (run make setup)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/split_brain/deploy"
mkdir -p "$dest"
ln -s "$(dirname "$k8s_core")" "$work/ansible_collections/kubernetes"
(
  cd "$root"
  git ls-files -z --cached --others --exclude-standard | grep -zv '^collections/' |
    while IFS= read -r -d '' f; do if [[ -e "$f" || -L "$f" ]]; then printf '%s\0' "$f"; fi; done |
    xargs -0 cp -P --parents -t "$dest"
)
cd "$dest"
git init -q && git add -A >/dev/null
python_version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# ansible-test bootstraps pip into each sanity test's virtual environment with a get-pip script it
# downloads from ci-files.testing.ansible.com, which is not reachable everywhere. When the download
# fails it names the file it would use instead (ansible/ansible#77304): write a stand-in there that
# installs pip with ensurepip, then the requested packages from the index pip is configured to use,
# and run again.
sanity() { "$ansible_test" sanity --python "$python_version" --color no "$@"; }
log=$(mktemp)
if sanity "$@" 2>&1 | tee "$log"; then exit 0; fi
get_pip=$(sed -n 's/^The bootstrap script can be manually downloaded and saved to: //p' "$log" | head -1)
[[ -n "$get_pip" ]] || exit 1
mkdir -p "$(dirname "$get_pip")"
cat >"$get_pip" <<'EOF_STANDIN'
# Stand-in for ansible-test's get-pip bootstrap script, written by split_brain.deploy's
# scripts/sanity.sh: ensurepip, then pip installs the requested packages (pip==<version>).
import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
EOF_STANDIN
echo "sanity.sh: wrote a stand-in for ansible-test's pip bootstrap at $get_pip; running again"
sanity "$@"
