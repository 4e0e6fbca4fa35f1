#!/usr/bin/env bash
# apiserver.sh stop|start: stops or starts only kube-apiserver of the running cluster, e.g. for a
# test that interrupts a run (component.sh does it for any component).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/component.sh" "${1:-}" kube-apiserver
