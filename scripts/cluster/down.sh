#!/usr/bin/env bash
# Deletes the local test cluster and its kubeconfig. Idempotent.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if command -v kwokctl >/dev/null && kwokctl get clusters 2>/dev/null | grep -x "$SPLIT_BRAIN_CLUSTER_NAME" >/dev/null; then
  kwokctl delete cluster --name "$SPLIT_BRAIN_CLUSTER_NAME" --kubeconfig "$KUBECONFIG"
else
  echo "==> cluster $SPLIT_BRAIN_CLUSTER_NAME does not exist"
fi
rm -f "$KUBECONFIG"
