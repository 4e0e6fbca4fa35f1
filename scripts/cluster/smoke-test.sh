#!/usr/bin/env bash
# Checks the running cluster does what the tests need: /readyz, Pod Security
# admission, scheduling on the kwok nodes, Deployment availability and rollout,
# required podAffinity, PVC binding + PV recycling, ServiceAccount tokens.
# Works only in its own namespaces smoke-psa, smoke and smoke-storage (deleted
# at start and end): safe to run beside a deployment in namespace split-brain.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
step() { echo "==> $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

step "readyz: $(kubectl get --raw /readyz)"
kubectl delete ns smoke-psa smoke smoke-storage --ignore-not-found --wait >/dev/null

step "Pod Security: privileged pod rejected, restricted pod admitted"
kubectl create ns smoke-psa
kubectl label ns smoke-psa pod-security.kubernetes.io/enforce=restricted
if err="$(kubectl -n smoke-psa run priv --image=busybox --privileged 2>&1)"; then
  fail "privileged pod admitted"
fi
echo "$err"
[[ "$err" == *'violates PodSecurity "restricted'* ]] || fail "not rejected by PodSecurity"
kubectl -n smoke-psa apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: ok}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: busybox
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
YAML
kubectl -n smoke-psa wait --for=condition=Ready pod/ok --timeout=60s

step "Deployment (3 replicas) becomes Available, a rollout completes"
kubectl create ns smoke
kubectl -n smoke create deployment web --image=nginx --replicas=3
kubectl -n smoke rollout status deployment/web --timeout=120s
kubectl -n smoke patch deployment web -p '{"spec":{"template":{"metadata":{"annotations":{"smoke/rev":"2"}}}}}'
kubectl -n smoke rollout status deployment/web --timeout=120s
kubectl -n smoke wait --for=condition=Available deployment/web --timeout=60s
kubectl -n smoke get pods -o wide

step "required podAffinity to another pod's hostname"
kubectl -n smoke run anchor --image=busybox --labels=role=anchor
kubectl -n smoke apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: buddy}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {role: anchor}}
        topologyKey: kubernetes.io/hostname
  containers: [{name: c, image: busybox}]
YAML
kubectl -n smoke wait --for=condition=Ready pod/anchor pod/buddy --timeout=60s
nodes="$(kubectl -n smoke get pod anchor buddy -o jsonpath='{.items[*].spec.nodeName}')"
echo "anchor and buddy on: $nodes"
[[ "${nodes% *}" == "${nodes#* }" ]] || fail "buddy not on the anchor's node"

step "ServiceAccount token"
kubectl -n smoke create serviceaccount robot
token="$(kubectl -n smoke create token robot --duration=10m)"
review="$(kubectl create --raw /apis/authentication.k8s.io/v1/tokenreviews -f - <<JSON
{"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "$token"}}
JSON
)"
[[ "$review" == *'"username":"system:serviceaccount:smoke:robot"'* ]] || fail "token not accepted: $review"
echo "token of system:serviceaccount:smoke:robot accepted"
kubectl -n smoke get pod buddy -o jsonpath='{.spec.serviceAccountName} {.spec.volumes[0].name}{"\n"}'

kubectl create ns smoke-storage
for mode in ReadWriteOnce ReadWriteMany; do
  step "PVC split-brain-data ($mode) binds, its PV is recycled after delete"
  kubectl -n smoke-storage apply -f - <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: split-brain-data}
spec:
  storageClassName: split-brain-test
  accessModes: [$mode]
  resources: {requests: {storage: 1Gi}}
YAML
  kubectl -n smoke-storage wait --for=jsonpath='{.status.phase}'=Bound pvc/split-brain-data --timeout=60s
  pv="$(kubectl -n smoke-storage get pvc split-brain-data -o jsonpath='{.spec.volumeName}')"
  kubectl -n smoke-storage delete pvc split-brain-data --wait
  kubectl wait --for=jsonpath='{.status.phase}'=Released "pv/$pv" --timeout=60s
  "$SPLIT_BRAIN_CLUSTER_DIR/recycle-pvs.sh"
  kubectl wait --for=jsonpath='{.status.phase}'=Available "pv/$pv" --timeout=60s
done

kubectl delete ns smoke-psa smoke smoke-storage --wait >/dev/null
step "smoke test passed"
