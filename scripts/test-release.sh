#!/usr/bin/env bash
# Tests the release artifacts end to end on this machine (root or sudo, Debian/Ubuntu):
# builds them with scripts/release.sh into a scratch folder, checks SHA256SUMS and the tarball's
# layout, installs the .deb with dpkg -i, runs osm version, man -w osm and bash completion of
# `osm mesh up<TAB>`, then removes and purges the package and checks nothing of it is left.
# The package is purged on failure too. It refuses to run (and changes nothing) when an osm not
# installed by this test is there: a package named osm, or any file the .deb would overwrite
# (e.g. a /usr/bin/osm installed by hand).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$root"

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Error: test-release.sh installs a package: run it as root or install sudo" >&2; exit 1; }
    sudo_cmd="sudo"
fi

# dpkg-dev: release.sh's dpkg-shlibdeps; man-db: man -w; bash-completion: the completion loader.
scripts/ensure-deps.sh dpkg-dev man-db bash-completion

passed=0
failed=0
check() {  # check NAME COMMAND...: runs COMMAND, counts and prints the outcome
    local name=$1; shift
    if "$@"; then
        passed=$((passed + 1)); echo "ok - $name"
    else
        failed=$((failed + 1)); echo "FAIL - $name"
    fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/osm-test-release.XXXXXX")
installed_by_us=0
cleanup() {
    local rc=$?
    if [ "$installed_by_us" = 1 ] && dpkg-query -W -f='${db:Status-Status}' osm 2>/dev/null | grep -qv '^not-installed$'; then
        echo "test-release.sh: purging the osm package this test installed" >&2
        $sudo_cmd dpkg --purge osm >/dev/null || true
    fi
    rm -rf "$work"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- refuse to clobber an osm that is already there -----------------------------------------
if dpkg-query -W -f='${db:Status-Status}' osm 2>/dev/null | grep -qv '^not-installed$'; then
    echo "Error: a package named osm is already installed ($(dpkg-query -W -f='${Version}' osm)); this test would replace and then remove it: remove it first (dpkg --purge osm)" >&2
    exit 1
fi

if [ -e /usr/bin/osm ]; then
    owner=$(dpkg -S /usr/bin/osm 2>/dev/null | cut -d: -f1) || true
    echo "Error: /usr/bin/osm exists (${owner:+package $owner}${owner:-installed by hand, no package owns it}); this test would overwrite and then delete it: move it away first" >&2
    exit 1
fi

# --- build -----------------------------------------------------------------------------------
out=$work/dist
scripts/release.sh "$out" > "$work/artifacts"
tarball=$(grep '\.tar\.gz$' "$work/artifacts")
deb=$(grep '\.deb$' "$work/artifacts")
[ -f "$tarball" ] && [ -f "$deb" ] && [ -f "$out/SHA256SUMS" ] || { echo "Error: release.sh did not produce a tarball, a .deb and SHA256SUMS:" >&2; cat "$work/artifacts" >&2; exit 1; }

# Every file the .deb would install must be absent or belong to no other package.
clobbered=()
while read -r path; do
    path=/${path#./}
    [ -e "$path" ] && [ ! -d "$path" ] && clobbered+=("$path")
done < <(dpkg-deb --fsys-tarfile "$deb" | tar -t)
if [ ${#clobbered[@]} -gt 0 ]; then
    echo "Error: these files exist and dpkg -i would overwrite them: ${clobbered[*]}; an osm installed by hand? Move them away first" >&2
    exit 1
fi

# --- artifacts -----------------------------------------------------------------------------
check "SHA256SUMS lists both artifacts and verifies" \
    bash -c 'cd "$1" && [ "$(wc -l < SHA256SUMS)" = 2 ] && sha256sum --quiet -c SHA256SUMS' _ "$out"

arch_dir=$(basename "$tarball" .tar.gz); arch_dir=${arch_dir##*-linux-}; arch_dir=linux-$arch_dir
tar -C "$work" -xzf "$tarball"
tar_layout() {
    local f
    for f in osm README.md LICENSE completions/osm.bash completions/_osm completions/osm.fish \
             licenses/README.md licenses/swift-argument-parser.txt licenses/swift-runtime.txt \
             licenses/curl.txt licenses/libyaml.txt; do
        [ -f "$work/$arch_dir/$f" ] || { echo "  tarball lacks $arch_dir/$f" >&2; return 1; }
    done
    for f in man/*.1; do
        cmp -s "$f" "$work/$arch_dir/$f" || { echo "  tarball's $arch_dir/$f differs from or lacks $f" >&2; return 1; }
    done
    [ -x "$work/$arch_dir/osm" ] || { echo "  $arch_dir/osm is not executable" >&2; return 1; }
    if tar -tzf "$tarball" | grep -v "^$arch_dir/"; then echo "  entries outside $arch_dir/" >&2; return 1; fi
}
check "tarball is laid out as upstream's ($arch_dir/osm, README.md, LICENSE, completions/, man/, licenses/)" tar_layout

build_version() { "$1" version -o json | sed -n 's/^ *"build_version": *"\([^"]*\)".*/\1/p'; }
version=$(build_version "$work/$arch_dir/osm")
check "tarball's osm runs and its version ($version) names the tarball" \
    test "$(basename "$tarball")" = "osm-$(printf '%s' "$version" | tr -c 'A-Za-z0-9._+~-' '_')-$arch_dir.tar.gz"
check "tarball's osm links no Swift library dynamically (static stdlib)" \
    bash -c '! ldd "$1" | grep -i swift' _ "$work/$arch_dir/osm"

depends=$(dpkg-deb -f "$deb" Depends)
echo "  Depends: $depends"
deb_fields() {
    [ "$(dpkg-deb -f "$deb" Package)" = osm ] &&
    [ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] &&
    dpkg --validate-version "$(dpkg-deb -f "$deb" Version)" &&
    [ "$(basename "$deb")" = "osm_$(dpkg-deb -f "$deb" Version)_$(dpkg --print-architecture).deb" ] &&
    [ -n "$(dpkg-deb -f "$deb" Maintainer)" ] && [ -n "$(dpkg-deb -f "$deb" Description)" ]
}
check ".deb control: Package, Version, Architecture, Maintainer, Description" deb_fields
check ".deb depends on libcurl4 (>= 7.77.0), libyaml-0-2 and libc6" \
    bash -c 'grep -q "libcurl4 (>= 7.77.0)" <<<"$1" && grep -q "libyaml-0-2" <<<"$1" && grep -q "libc6 (>= " <<<"$1"' _ "$depends"

# --- install -------------------------------------------------------------------------------
installed_by_us=1
check "dpkg -i installs the .deb" $sudo_cmd dpkg -i "$deb"
check "dpkg reports osm installed" bash -c '[ "$(dpkg-query -W -f="\${db:Status-Status}" osm)" = installed ]'
check "/usr/bin/osm version -o json gives the tarball's build version ($version)" \
    test "$(build_version /usr/bin/osm)" = "$version"
check "man -w osm finds /usr/share/man/man1/osm.1.gz" \
    bash -c '[ "$(man -w osm)" = /usr/share/man/man1/osm.1.gz ]'
check "man -w osm.mesh.upgrade finds its page" \
    bash -c '[ "$(man -w osm.mesh.upgrade)" = /usr/share/man/man1/osm.mesh.upgrade.1.gz ]'
check "man osm renders" bash -c 'MANPAGER=cat MANWIDTH=80 man osm 2>/dev/null | grep -q "osm"'
check "zsh and fish completions installed where they look" \
    test -f /usr/share/zsh/vendor-completions/_osm -a -f /usr/share/fish/vendor_completions.d/osm.fish
check "licences installed in /usr/share/doc/osm" \
    test -f /usr/share/doc/osm/copyright -a -f /usr/share/doc/osm/licenses/swift-runtime.txt

# bash-completion's on-demand loader finds the packaged completion (HOME and PATH isolated so
# that no user or /usr/local completion for osm is picked up instead).
completion_loads() {
    env -i HOME="$work" PATH=/usr/bin:/bin XDG_DATA_HOME="$work/xdg" bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        __load_completion osm || exit 1
        complete -p osm | grep -q -- "-F "'
}
check "bash-completion loads /usr/share/bash-completion/completions/osm on demand" completion_loads

completes_upgrade() {
    local reply
    reply=$(env -i HOME="$work" PATH=/usr/bin:/bin bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source /usr/share/bash-completion/completions/osm
        spec=$(complete -p osm) || exit 1
        fn=${spec#*-F }; fn=${fn%% *}
        COMP_LINE="osm mesh up"; COMP_POINT=${#COMP_LINE}
        COMP_WORDS=(osm mesh up); COMP_CWORD=2; COMPREPLY=()
        "$fn" osm up mesh
        printf "%s\n" "${COMPREPLY[@]}"')
    echo "  osm mesh up<TAB> -> $(printf '%s' "$reply" | tr '\n' ' ')"
    [ "$reply" = upgrade ]
}
check "bash completes 'osm mesh up<TAB>' to 'upgrade'" completes_upgrade

# --- remove --------------------------------------------------------------------------------
files=$(dpkg-query -L osm | while read -r p; do [ -d "$p" ] || echo "$p"; done)
check "dpkg -r osm removes the package" $sudo_cmd dpkg -r osm
# With no conffiles, dpkg -r already forgets the package; --purge then only says so.
check "dpkg --purge osm leaves no record of it" \
    bash -c '$1 dpkg --purge osm 2>/dev/null; ! dpkg-query -W osm >/dev/null 2>&1' _ "$sudo_cmd"
installed_by_us=0
check "dpkg -L osm no longer knows the package" bash -c '! dpkg-query -L osm >/dev/null 2>&1'
left_behind() {
    local p left=0
    for p in $files /usr/bin/osm /usr/share/man/man1/osm.1.gz /usr/share/bash-completion/completions/osm \
             /usr/share/zsh/vendor-completions/_osm /usr/share/fish/vendor_completions.d/osm.fish /usr/share/doc/osm; do
        if [ -e "$p" ]; then echo "  left behind: $p" >&2; left=1; fi
    done
    return $left
}
check "no file of the package is left ($(printf '%s\n' "$files" | wc -l) files, /usr/share/doc/osm)" left_behind

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
