# shellcheck shell=bash
# Sourceable settings for the local test cluster (scripts/cluster/*.sh).
# Exports the pinned versions, the cache paths, PATH (cache bin first) and
# KUBECONFIG. Override with SPLIT_BRAIN_CACHE / SPLIT_BRAIN_KUBECONFIG.

SPLIT_BRAIN_CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SPLIT_BRAIN_REPO_ROOT="$(git -C "$SPLIT_BRAIN_CLUSTER_DIR" rev-parse --show-toplevel 2>/dev/null ||
  { cd "$SPLIT_BRAIN_CLUSTER_DIR/../.." && pwd; })"
export SPLIT_BRAIN_CLUSTER_DIR SPLIT_BRAIN_REPO_ROOT

export K8S_VERSION=v1.34.4
export ETCD_VERSION=v3.6.4 # the etcd server that k8s.io/kubernetes v1.34.4 requires
export KWOK_VERSION=v0.8.0
export HELM_VERSION=v3.22.0 # the benchmark's peer (scripts/helm/build.sh; its go.mod pins the same)
# A second cluster beside the first (e.g. a second work tree): SPLIT_BRAIN_CLUSTER_NAME=other.
export SPLIT_BRAIN_CLUSTER_NAME="${SPLIT_BRAIN_CLUSTER_NAME:-split-brain}"

SPLIT_BRAIN_CACHE_DIR="${SPLIT_BRAIN_CACHE:-$HOME/.cache/split-brain-deploy}/k8s-$K8S_VERSION-kwok-$KWOK_VERSION"
export SPLIT_BRAIN_CACHE_DIR
export SPLIT_BRAIN_BIN="$SPLIT_BRAIN_CACHE_DIR/bin"
export SPLIT_BRAIN_HELM_BIN="${SPLIT_BRAIN_CACHE:-$HOME/.cache/split-brain-deploy}/helm-$HELM_VERSION/bin"
export KUBECONFIG="${SPLIT_BRAIN_KUBECONFIG:-$SPLIT_BRAIN_REPO_ROOT/.cluster/kubeconfig}"
# kwokctl keeps its clusters (pki, logs, pid files, etcd data) under KWOK_WORKDIR.
export KWOK_WORKDIR="${KWOK_WORKDIR:-$SPLIT_BRAIN_CACHE_DIR/kwok}"

case ":$PATH:" in
*":$SPLIT_BRAIN_BIN:"*) ;;
*) export PATH="$SPLIT_BRAIN_BIN:$PATH" ;;
esac
