#!/usr/bin/env bash
# Makes Released PersistentVolumes of the split-brain-test StorageClass
# Available again by clearing their claimRef (their reclaimPolicy is Retain).
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

released="$(kubectl get pv -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.spec.storageClassName}{" "}{.metadata.name}{"\n"}{end}')"
while read -r class pv; do
  [[ "$class" == split-brain-test ]] || continue
  kubectl patch pv "$pv" --type json -p '[{"op":"remove","path":"/spec/claimRef"}]'
done <<<"$released"
