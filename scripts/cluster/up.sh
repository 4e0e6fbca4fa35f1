#!/usr/bin/env bash
# Starts the local test cluster (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and the kwok controller as local processes, via kwokctl's
# binary runtime), two fake nodes and the test storage. Builds missing binaries
# first. Idempotent: a running cluster is left as it is.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
name="$SPLIT_BRAIN_CLUSTER_NAME"
start=$SECONDS

"$SPLIT_BRAIN_CLUSTER_DIR/build.sh"

write_kubeconfig() {
  mkdir -p "$(dirname "$KUBECONFIG")"
  kwokctl get kubeconfig --name "$name" >"$KUBECONFIG.tmp"
  mv -f "$KUBECONFIG.tmp" "$KUBECONFIG"
}
ready() { [[ -s "$KUBECONFIG" ]] && [[ "$(kubectl get --raw /readyz 2>/dev/null)" == ok ]]; }
all_running() { # every component's process (kwokctl's pid files) is alive
  local c pids="$KWOK_WORKDIR/clusters/$name/pids"
  for c in $(kwokctl get components --name "$name"); do
    kill -0 "$(cat "$pids/$c.pid" 2>/dev/null)" 2>/dev/null || return 1
  done
}

if kwokctl get clusters 2>/dev/null | grep -x "$name" >/dev/null; then
  [[ -s "$KUBECONFIG" ]] || write_kubeconfig
  if all_running && ready; then
    echo "==> cluster $name is already running"
    echo "export KUBECONFIG=$KUBECONFIG"
    exit 0
  fi
  echo "==> starting the stopped components of cluster $name"
  kwokctl start cluster --name "$name"
else
  echo "==> creating cluster $name (kwokctl --runtime binary, Kubernetes $K8S_VERSION)"
  # kwok's default stages (from its module, as kwokctl would use them) plus ours.
  stages="$SPLIT_BRAIN_CACHE_DIR/kwok-stages.yaml"
  kwok_src="$(cd "$SPLIT_BRAIN_CLUSTER_DIR/build" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  for f in "$kwok_src"/kustomize/stage/node/fast/node-initialize.yaml \
    "$kwok_src"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    "$kwok_src"/kustomize/stage/pod/fast/pod-{ready,complete,delete}.yaml \
    "$SPLIT_BRAIN_CLUSTER_DIR"/stages/*.yaml; do
    echo "---"
    cat "$f"
  done >"$stages"
  # Every binary is a local file (kwokctl links it into its work dir), so
  # nothing is downloaded. --kube-admission keeps the default admission plugins
  # (PodSecurity, ServiceAccount, ...); --kube-authorization turns on RBAC.
  # No leader election: one instance each, and a restarted one (apiserver.sh
  # start) takes over at once instead of waiting for its old lease to expire.
  KWOK_KUBE_VERSION="$K8S_VERSION" KWOK_KUBECTL_BINARY="$SPLIT_BRAIN_BIN/kubectl" \
    kwokctl create cluster --name "$name" --runtime binary \
    --kube-apiserver-binary "$SPLIT_BRAIN_BIN/kube-apiserver" \
    --kube-controller-manager-binary "$SPLIT_BRAIN_BIN/kube-controller-manager" \
    --kube-scheduler-binary "$SPLIT_BRAIN_BIN/kube-scheduler" \
    --etcd-binary "$SPLIT_BRAIN_BIN/etcd" \
    --kwok-controller-binary "$SPLIT_BRAIN_BIN/kwok" \
    --kube-admission --kube-authorization --config "$stages" \
    --extra-args kube-controller-manager=leader-elect=false \
    --extra-args kube-scheduler=leader-elect=false \
    --kubeconfig "" --wait 2m
fi
write_kubeconfig
until ready; do ((SECONDS - start < 300)) || { echo "kube-apiserver not ready" >&2; exit 1; }; sleep 1; done

echo "==> applying fake nodes and test storage"
mkdir -p /tmp/split-brain-cluster/pv-{1,2,3}
kubectl apply -f "$SPLIT_BRAIN_CLUSTER_DIR/manifests/"
"$SPLIT_BRAIN_CLUSTER_DIR/recycle-pvs.sh"
kubectl wait --for=condition=Ready node --all --timeout=120s
# The token controller publishes the default ServiceAccount shortly after start.
until kubectl get serviceaccount default -n default >/dev/null 2>&1; do sleep 1; done

echo "==> cluster $name is up in $((SECONDS - start))s"
echo "export KUBECONFIG=$KUBECONFIG"
