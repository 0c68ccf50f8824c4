#!/usr/bin/env bash
# Fetches Helm v3.8.1 and kubectl v1.20.0 (linux/amd64), the clients the tests use as judges of
# osm's Helm release records and of kube-sim, when they are not cached yet, and prints the
# directory that holds them (`helm`, `kubectl`). Both come from PyPI's aws-cdk-asset-kubectl-v20
# 2.1.4: its wheel holds a jsii tarball whose lib/layer.zip has helm/helm and kubectl/kubectl.
# Nothing is written into the repository. Safe to run again: a complete cache is reused as is.
#   OSM_TEST_TOOLS_DIR   where to cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/osm-test-tools)
set -euo pipefail
package="aws-cdk-asset-kubectl-v20"
version="2.1.4"
dir="${OSM_TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/osm-test-tools}/$package-$version"

if [ -x "$dir/helm" ] && [ -x "$dir/kubectl" ]; then
  echo "$dir"
  exit 0
fi

python="$(command -v python3 || true)"
[ -n "$python" ] || { echo "fetch-helm.sh: python3 (with pip) is needed to fetch $package" >&2; exit 1; }
mkdir -p "$dir"
work="$(mktemp -d "$dir/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fetch-helm.sh: downloading $package==$version from PyPI" >&2
"$python" -m pip download --quiet --no-deps "$package==$version" -d "$work" >&2

# The wheel is a zip; the jsii tarball inside it is a gzip'd tar; layer.zip inside that is a zip.
"$python" - "$work" <<'PY'
import glob, io, os, sys, tarfile, zipfile
work = sys.argv[1]
wheels = glob.glob(os.path.join(work, "*.whl"))
if len(wheels) != 1:
    sys.exit("fetch-helm.sh: expected one wheel in %s, found %d" % (work, len(wheels)))
with zipfile.ZipFile(wheels[0]) as wheel:
    tgz = [n for n in wheel.namelist() if n.endswith(".jsii.tgz")]
    if len(tgz) != 1:
        sys.exit("fetch-helm.sh: no jsii tarball in %s" % wheels[0])
    tar_bytes = wheel.read(tgz[0])
with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:gz") as tar:
    layer = next((m for m in tar.getmembers() if m.name.endswith("lib/layer.zip")), None)
    if layer is None:
        sys.exit("fetch-helm.sh: no lib/layer.zip in %s" % tgz[0])
    layer_bytes = tar.extractfile(layer).read()
with zipfile.ZipFile(io.BytesIO(layer_bytes)) as layer_zip:
    for member, name in (("helm/helm", "helm"), ("kubectl/kubectl", "kubectl")):
        with open(os.path.join(work, name), "wb") as out:
            out.write(layer_zip.read(member))
PY

chmod +x "$work/helm" "$work/kubectl"
"$work/helm" version --short >/dev/null
# Moved in last: a run stopped half way leaves no binary that looks complete.
mv -f "$work/kubectl" "$dir/kubectl"
mv -f "$work/helm" "$dir/helm"
echo "$dir"
