#!/usr/bin/env bash
# Installs the system packages osm builds against (libcurl, libyaml and zlib headers), plus the
# tools its tests and benchmark drive, when they are missing. Safe to run again.
set -euo pipefail
need=()
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || need+=(libcurl4-openssl-dev)
dpkg -s libyaml-dev >/dev/null 2>&1 || need+=(libyaml-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The official Python client, for kube-sim's conformance tests (PythonClientConformanceTests).
dpkg -s python3-kubernetes >/dev/null 2>&1 || need+=(python3-kubernetes)
for extra in "$@"; do
  dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
