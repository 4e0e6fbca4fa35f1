#!/usr/bin/env bash
# component.sh stop|start COMPONENT: stops or starts one control-plane component of the running
# cluster (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok-controller), e.g.
# for a test of what a run says when the controller manager is down. kwokctl has no per-component
# command: stop kills the process from kwokctl's pid file; start lets `kwokctl start cluster`
# start the stopped components again with their args.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pids="$KWOK_WORKDIR/clusters/$SPLIT_BRAIN_CLUSTER_NAME/pids"
usage() { echo "usage: $0 stop|start kube-apiserver|kube-controller-manager|kube-scheduler|etcd|kwok-controller" >&2; exit 2; }
component="${2:-}"
case "$component" in
kube-apiserver | kube-controller-manager | kube-scheduler | etcd | kwok-controller) ;;
*) usage ;;
esac

running() { [[ -f "$pids/$1.pid" ]] && kill -0 "$(cat "$pids/$1.pid")" 2>/dev/null; }
stop() { # TERM, and KILL after 5s: kube-apiserver otherwise drains for 60s
  local pid
  if running "$1"; then
    pid="$(cat "$pids/$1.pid")"
    kill "$pid"
    for _ in $(seq 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    echo "==> $1 (pid $pid) stopped"
  fi
  rm -f "$pids/$1.pid"
}
# kwokctl chose free ports when it created the cluster; while a component is stopped another
# cluster created meanwhile may take its port, and the restarted kube-apiserver would then talk
# to that cluster's etcd. Refuse to start unless every stopped component's port is free.
ports_free() {
  local c key port config="$KWOK_WORKDIR/clusters/$SPLIT_BRAIN_CLUSTER_NAME/kwok.yaml"
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok-controller; do
    running "$c" && continue
    case "$c" in
    etcd) key=etcdPort ;; kube-apiserver) key=kubeApiserverPort ;;
    kube-controller-manager) key=kubeControllerManagerPort ;; kube-scheduler) key=kubeSchedulerPort ;;
    kwok-controller) key=kwokControllerPort ;;
    esac
    port="$(sed -n "s/^ *$key: *\([0-9]*\)$/\1/p" "$config" | head -1)"
    if [[ -n "$port" ]] && ss -Hltn "sport = :$port" | grep -q .; then
      echo "port $port of $c is taken by another process (another cluster?); recreate this cluster" >&2
      return 1
    fi
  done
}
api_ready() { [[ "$(kubectl get --raw /readyz 2>/dev/null)" == ok ]]; }

case "${1:-}" in
stop)
  running "$component" || echo "==> $component is not running"
  stop "$component"
  ;;
start)
  if ! running "$component"; then
    if [[ "$component" == kube-apiserver || "$component" == etcd ]]; then
      # The controllers' watches back off up to 30s while the apiserver (or its storage) is
      # away; fresh processes catch up at once.
      for c in kube-controller-manager kube-scheduler; do stop "$c"; done
    fi
    ports_free
    out="$(kwokctl start cluster --name "$SPLIT_BRAIN_CLUSTER_NAME" 2>&1)" || { echo "$out" >&2; exit 1; }
  fi
  for _ in $(seq 120); do
    if running "$component" && api_ready; then
      echo "==> $component is running"
      exit 0
    fi
    sleep 1
  done
  echo "$component did not come back (or kube-apiserver is not ready)" >&2
  exit 1
  ;;
*) usage ;;
esac
