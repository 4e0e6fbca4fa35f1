#!/usr/bin/env bash
# Builds the cluster binaries from upstream Go sources into the cache:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (k8s),
# etcd, kwok and kwokctl. Binaries that already exist are kept.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

export GOFLAGS="${GOFLAGS:--buildvcs=false}" CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$SPLIT_BRAIN_BIN"
tmp="$(mktemp -d "$SPLIT_BRAIN_CACHE_DIR/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

missing() { local b; for b; do [[ -x "$SPLIT_BRAIN_BIN/$b" ]] || echo "$b"; done; }

step() { # step NAME... -- COMMAND...: run COMMAND, then move NAMEs from $tmp into bin
  local names=() start=$SECONDS
  while [[ $1 != -- ]]; do names+=("$1"); shift; done
  shift
  echo "==> building ${names[*]} ... (first build takes minutes)"
  "$@"
  for b in "${names[@]}"; do mv -f "$tmp/$b" "$SPLIT_BRAIN_BIN/$b"; done
  echo "==> built ${names[*]} in $((SECONDS - start))s"
}

cd "$SPLIT_BRAIN_CLUSTER_DIR/build"
mapfile -t kube < <(missing kube-apiserver kube-controller-manager kube-scheduler kubectl)
if ((${#kube[@]})); then
  ldflags="-s -w"
  minor="${K8S_VERSION#v1.}" && minor="${minor%%.*}"
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    for kv in gitVersion="$K8S_VERSION" gitMajor=1 gitMinor="$minor" gitTreeState=clean; do
      ldflags+=" -X $pkg.$kv"
    done
  done
  step "${kube[@]}" -- go build -trimpath -ldflags="$ldflags" -o "$tmp/" "${kube[@]/#/k8s.io/kubernetes/cmd/}"
fi
if [[ -n "$(missing etcd)" ]]; then
  step etcd -- go build -trimpath -ldflags='-s -w' -o "$tmp/etcd" go.etcd.io/etcd/server/v3
fi
mapfile -t kw < <(missing kwok kwokctl)
if ((${#kw[@]})); then
  pkgs=("${kw[@]/#/sigs.k8s.io/kwok/cmd/}")
  step "${kw[@]}" -- env GOBIN="$tmp" go install -trimpath -ldflags='-s -w' "${pkgs[@]/%/@$KWOK_VERSION}"
fi
echo "==> binaries in $SPLIT_BRAIN_BIN"
