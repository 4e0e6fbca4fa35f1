#!/usr/bin/env bash
# Builds Helm (the benchmark's peer, benchmarks/converge.py) from its upstream Go
# module into the cache, as scripts/cluster/build.sh does for the cluster binaries.
# The version is pinned twice, checked equal: HELM_VERSION in scripts/cluster/env.sh
# (beside the cluster's versions) and the require of helm.sh/helm/v3 in go.mod here.
# Prints the path of the binary on its last line; an existing binary is kept.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../cluster/env.sh
source "$here/../cluster/env.sh"

export GOFLAGS="${GOFLAGS:--buildvcs=false}" CGO_ENABLED=0 GOTOOLCHAIN=local
cd "$here"
pinned="$(go list -m -f '{{.Version}}' helm.sh/helm/v3)"
if [[ "$pinned" != "$HELM_VERSION" ]]; then
  echo "scripts/helm/go.mod requires helm.sh/helm/v3 $pinned but HELM_VERSION is $HELM_VERSION" >&2
  exit 1
fi
helm="$SPLIT_BRAIN_HELM_BIN/helm"
if [[ ! -x "$helm" ]]; then
  mkdir -p "$SPLIT_BRAIN_HELM_BIN"
  # Helm's Makefile stamps its version and the Kubernetes version of its client-go.
  kube="$(go list -m -f '{{.Version}}' k8s.io/client-go)" && kube="${kube#v0.}"
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=${kube%%.*}"
  done
  start=$SECONDS
  echo "==> building helm $HELM_VERSION ... (first build takes minutes)" >&2
  go build -trimpath -ldflags="$ldflags" -o "$helm.tmp" helm.sh/helm/v3/cmd/helm
  mv -f "$helm.tmp" "$helm"
  echo "==> built helm in $((SECONDS - start))s" >&2
fi
echo "==> $("$helm" version --short) in $SPLIT_BRAIN_HELM_BIN" >&2
echo "$helm"
