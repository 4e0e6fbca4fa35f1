#!/usr/bin/env bash
# apiserver.sh stop|start: stops or starts only kube-apiserver of the running
# cluster, e.g. for a test that interrupts a run. kwokctl has no per-component
# command: stop kills the process from kwokctl's pid file; start lets
# `kwokctl start cluster` start the stopped components again with their args.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pids="$KWOK_WORKDIR/clusters/$SPLIT_BRAIN_CLUSTER_NAME/pids"

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

case "${1:-}" in
stop)
  running kube-apiserver || echo "==> kube-apiserver is not running"
  stop kube-apiserver
  ;;
start)
  if ! running kube-apiserver; then
    # The controllers' watches back off up to 30s while the apiserver is away;
    # fresh processes catch up at once.
    for c in kube-controller-manager kube-scheduler; do stop "$c"; done
    out="$(kwokctl start cluster --name "$SPLIT_BRAIN_CLUSTER_NAME" 2>&1)" || { echo "$out" >&2; exit 1; }
  fi
  for _ in $(seq 120); do
    if [[ "$(kubectl get --raw /readyz 2>/dev/null)" == ok ]]; then
      echo "==> kube-apiserver is ready"
      exit 0
    fi
    sleep 1
  done
  echo "kube-apiserver did not become ready" >&2
  exit 1
  ;;
*)
  echo "usage: $0 stop|start" >&2
  exit 2
  ;;
esac
