#!/usr/bin/env bash
# Builds the release binary and the artifacts anyone can install without Swift:
#
#   scripts/release.sh [OUTDIR]        (default: dist/)
#
#   OUTDIR/osm-<version>-linux-<arch>.tar.gz   linux-<arch>/{osm,README.md,LICENSE,completions/,man/,licenses/}
#                                              (upstream's layout: osm-v0.8.4-linux-amd64.tar.gz)
#   OUTDIR/osm_<debversion>_<debarch>.deb      /usr/bin/osm, man pages, bash/zsh/fish completions,
#                                              /usr/share/doc/osm/{copyright,licenses/}
#   OUTDIR/SHA256SUMS                          sha256sum of both (check with: sha256sum -c SHA256SUMS)
#
# The artifact paths are printed on stdout, progress on stderr.
#
# <version> is the stamp the built binary reports (`osm version -o json`), as is, e.g.
# v0.8.4, v0.8.4+<build id>, v0.0.0-dev+<commit>. The .deb's version is that stamp mapped to
# Debian policy (see debian_version below):
#   leading "v" dropped                      v0.8.4             -> 0.8.4
#   "+build" metadata kept ("+" is valid)    v0.8.4+20261130.1  -> 0.8.4+20261130.1
#   the semver pre-release "-" becomes "~",  v0.9.0-rc.1        -> 0.9.0~rc.1
#     so it sorts before the release, as    v0.0.0-dev+5033314  -> 0.0.0~dev+5033314
#     in semver (a "-" is only allowed in a Debian version before a Debian revision)
#   other "-" become ".", any other character outside [A-Za-z0-9.+~] becomes ".", and a
#   version not starting with a digit gets "0~" in front. No Debian revision is added.
#
# Depends: what dpkg-shlibdeps finds for the libraries the binary links (libc6, libstdc++6,
# libgcc-s1, libyaml-0-2), plus libcurl4 (>= 7.77.0): libcurl is dlopen'ed at run time by
# Sources/CurlLoader, so no tool sees it; 7.77.0 is the first libcurl with CURLOPT_CAINFO_BLOB,
# the newest option the transport (Sources/KubeClient/Transport) sets; the others are older
# (SSLCERT_BLOB/SSLKEY_BLOB 7.71.0, curl_multi_wakeup 7.68.0, curl_multi_poll 7.66.0,
# MAXAGE_CONN 7.65.0). Maintainer: $DEBFULLNAME <$DEBEMAIL> when set, else git's user.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$root"
out=${1:-dist}
case $out in -h|--help) sed -n '2,30p' "$0"; exit 0 ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd -P)

CURL_MIN=7.77.0

say() { echo "release.sh: $*" >&2; }
die() { echo "Error: $*" >&2; exit 1; }

# dpkg-dev: dpkg-shlibdeps (and binutils' strip/readelf).
scripts/ensure-deps.sh dpkg-dev

say "building osm (release, static Swift stdlib)"
swift build -c release --static-swift-stdlib --product osm >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/osm
[ -x "$bin" ] || die "no osm binary at $bin after the build"

json=$("$bin" version -o json)
# The value of a top-level string field of osm's pretty-printed JSON.
field() { printf '%s\n' "$json" | sed -n "s/^ *\"$1\": *\"\\(.*\\)\",\\{0,1\\}\$/\\1/p"; }
# The build version (v0.8.4+<build>), not the upstream release the text line prints.
version=$(field build_version)
platform=$(field platform)
build_date=$(field build_date)
[ -n "$version" ] || die "osm version -o json printed no build_version: $json"
[ "$(field build_configuration)" = release ] || die "$bin is not a release build"
os=${platform%%/*}
arch=${platform#*/}
[ "$os" = linux ] && [ -n "$arch" ] || die "unexpected platform '$platform' from osm version"
debarch=$(dpkg --print-architecture)

debian_version() {
    local v=${1#[vV]} main build=
    case $v in *+*) main=${v%%+*}; build=${v#*+} ;; *) main=$v ;; esac
    case $main in *-*) main="${main%%-*}~${main#*-}" ;; esac
    main=${main//-/.}
    v=$main${build:++${build//-/.}}
    v=$(printf '%s' "$v" | tr -c 'A-Za-z0-9.+~' '.')
    case $v in [0-9]*) ;; *) v="0~$v" ;; esac
    printf '%s\n' "$v"
}
debversion=$(debian_version "$version")
dpkg --validate-version "$debversion" || die "cannot map osm version '$version' to a Debian version (got '$debversion')"
# The stamp as a file-name component: anything but [A-Za-z0-9._+~-] becomes "_".
fileversion=$(printf '%s' "$version" | tr -c 'A-Za-z0-9._+~-' '_')

# Every file gets the build's own date, so the same commit gives the same archives.
# build_date is upstream's %Y-%m-%d-%H:%M.
SOURCE_DATE_EPOCH=$(date -u -d "$(printf '%s' "$build_date" | sed 's/^\([0-9-]\{10\}\)-/\1 /')" +%s 2>/dev/null || git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

work=$(mktemp -d "${TMPDIR:-/tmp}/osm-release.XXXXXX")
trap 'rm -rf "$work"' EXIT

osm=$work/osm
cp "$bin" "$osm"
strip "$osm"
"$osm" version >/dev/null || die "the stripped binary does not run"

# --- tarball -------------------------------------------------------------------------------
tarname=osm-$fileversion-linux-$arch.tar.gz
top=$work/tar/linux-$arch
mkdir -p "$top/completions" "$top/man" "$top/licenses"
install -m 0755 "$osm" "$top/osm"
install -m 0644 README.md LICENSE "$top/"
install -m 0644 completions/osm.bash completions/_osm completions/osm.fish "$top/completions/"
install -m 0644 man/*.1 "$top/man/"
install -m 0644 licenses/* "$top/licenses/"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$work/tar" -cf - "linux-$arch" | gzip -9n > "$out/$tarname"

# --- .deb ----------------------------------------------------------------------------------
debname=osm_${debversion}_$debarch.deb
pkg=$work/deb
doc=$pkg/usr/share/doc/osm
install -d -m 0755 "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/man/man1" \
    "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" \
    "$pkg/usr/share/fish/vendor_completions.d" "$doc/licenses"
install -m 0755 "$osm" "$pkg/usr/bin/osm"
for page in man/*.1; do
    gzip -9n < "$page" > "$pkg/usr/share/man/man1/$(basename "$page").gz"
done
install -m 0644 completions/osm.bash "$pkg/usr/share/bash-completion/completions/osm"
install -m 0644 completions/_osm "$pkg/usr/share/zsh/vendor-completions/_osm"
install -m 0644 completions/osm.fish "$pkg/usr/share/fish/vendor_completions.d/osm.fish"
install -m 0644 licenses/* "$doc/licenses/"
cat > "$doc/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: osm
Comment: A Swift drop-in for the Open Service Mesh (openservicemesh/osm) v0.8 command-line tool.
 The binary embeds swift-argument-parser and the Swift runtime (standard library,
 FoundationEssentials, libdispatch), all Apache-2.0 with the Runtime Library Exception, and
 loads the system's libcurl (libcurl4) and LibYAML (libyaml-0-2) at run time. The list and the
 full texts are in /usr/share/doc/osm/licenses/.

Files: *
Copyright: The osm authors
License: Apache-2.0

Files: usr/bin/osm
Copyright: The osm authors
 Apple Inc. and the Swift project authors (swift-argument-parser, Swift runtime)
License: Apache-2.0 with Runtime Library Exception
 Apache-2.0, plus: "As an exception, if you use this Software to compile your
 source code and portions of this Software are embedded into the binary product
 as a result, you may redistribute such product without providing attribution as
 would otherwise be required by Sections 4(a), 4(b) and 4(d) of the License."
 See /usr/share/doc/osm/licenses/swift-runtime.txt.

License: Apache-2.0
 Licensed under the Apache License, Version 2.0 (the "License"); you may not use
 this file except in compliance with the License. You may obtain a copy of the
 License at http://www.apache.org/licenses/LICENSE-2.0
 .
 Unless required by applicable law or agreed to in writing, software distributed
 under the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR
 CONDITIONS OF ANY KIND, either express or implied. See the License for the
 specific language governing permissions and limitations under the License.
 .
 On Debian systems, the full text of the Apache License, Version 2.0 can be
 found in /usr/share/common-licenses/Apache-2.0.
EOF
chmod 0644 "$doc/copyright"

# Depends: dpkg-shlibdeps reads the binary's NEEDED entries and the libraries' symbols files
# (it wants a debian/control to exist, so it runs in a scratch source tree).
shlibs=
mkdir -p "$work/src/debian"
printf 'Source: osm\n\nPackage: osm\nArchitecture: any\n' > "$work/src/debian/control"
if shlibs=$(cd "$work/src" && dpkg-shlibdeps -O "$pkg/usr/bin/osm" 2>"$work/shlibdeps.err"); then
    shlibs=${shlibs#shlibs:Depends=}
else
    # By hand: the package of each NEEDED library, libc6 at the newest GLIBC_ symbol version used.
    say "dpkg-shlibdeps failed ($(head -1 "$work/shlibdeps.err")); deriving Depends from readelf"
    glibc=$(readelf -W --dyn-syms "$pkg/usr/bin/osm" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
    deps=()
    for soname in $(readelf -d "$pkg/usr/bin/osm" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        path=$(ldconfig -p | awk -v s="$soname" '$1 == s { print $NF; exit }')
        [ -n "$path" ] || continue
        p=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) || true
        [ -n "$p" ] || continue
        [ "$p" = libc6 ] && p="libc6 (>= $glibc)"
        deps+=("$p")
    done
    shlibs=$(printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g')
fi
case ", $shlibs," in *", libyaml-0-2"[,\ ]*) ;; *) shlibs="$shlibs, libyaml-0-2" ;; esac
depends="$shlibs, libcurl4 (>= $CURL_MIN)"
depends=${depends#, }

maintainer="${DEBFULLNAME:-$(git config user.name 2>/dev/null || echo 'osm maintainers')} <${DEBEMAIL:-$(git config user.email 2>/dev/null || echo 'root@localhost')}>"
installed_size=$(du -s -k --apparent-size --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<EOF
Package: osm
Version: $debversion
Architecture: $debarch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Section: admin
Priority: optional
Description: Open Service Mesh v0.8 command-line tool (native drop-in)
 osm installs and manages an Open Service Mesh v0.8 control plane on a
 Kubernetes cluster and switches the mesh's egress on and off. It is a drop-in
 for the upstream Go osm CLI v0.8.4 (same commands, flags and messages), a
 single native binary that talks to the API server directly over libcurl.
EOF
(cd "$pkg" && find usr -type f | LC_ALL=C sort | xargs md5sum) > "$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out/$debname" >&2

(cd "$out" && sha256sum "$tarname" "$debname" > SHA256SUMS)

say "osm $version ($platform), Debian version $debversion ($debarch)"
say "Depends: $depends"
printf '%s\n' "$out/$tarname" "$out/$debname" "$out/SHA256SUMS"
