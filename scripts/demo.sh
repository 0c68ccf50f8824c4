#!/usr/bin/env bash
# The main job, end to end, on a fresh machine: build osm and kube-sim, start kube-sim (a local
# Kubernetes API server over TLS), install a mesh with egress on, enrol namespace `curl`,
# switch egress off, and show the egress value in the osm-config ConfigMap.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
command -v kubectl >/dev/null 2>&1 || { echo "demo: kubectl is needed to create the namespace and show the ConfigMap (it is preinstalled on this kind of machine)" >&2; exit 1; }
swift build --product osm
swift build --product kube-sim
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
export KUBECONFIG=$work/kubeconfig
"$bin/kube-sim" --kubeconfig "$KUBECONFIG" >"$work/sim.out" 2>"$work/sim.err" &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q "ready at" "$work/sim.out" && break; sleep 0.1; done
cat "$work/sim.out"
osm=$bin/osm
set -x
"$osm" install --enable-egress
kubectl create namespace curl
"$osm" namespace add curl
"$osm" mesh upgrade --enable-egress=false
kubectl get configmap osm-config -n osm-system -o jsonpath='{.data.egress}{"\n"}'
