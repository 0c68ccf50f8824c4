#!/bin/sh
# Regenerates the shell completions (completions/) and man pages (man/) from osm's parser.
#
#   scripts/generate-docs.sh                    build osm, rewrite completions/ and man/
#   scripts/generate-docs.sh --binary PATH      use an already built osm
#   scripts/generate-docs.sh --output-dir DIR   write DIR/completions and DIR/man instead
#
# Completions come from `osm --generate-completion-script <shell>`; man pages from
# swift-argument-parser's generate-manual tool (built here from the package's own checkout of
# swift-argument-parser, in .build/docs-tools), one page per command, with a fixed date so the
# output only changes when the parser does. CLITests/DocsInSyncTests runs this script with
# --output-dir and fails when the committed files differ.
set -eu

MANUAL_DATE=2026-01-01

root=$(cd "$(dirname "$0")/.." && pwd -P)
binary=
out=$root
while [ $# -gt 0 ]; do
    case $1 in
        --binary) binary=$2; shift 2 ;;
        --output-dir) out=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "generate-docs.sh: unknown argument '$1'" >&2; exit 64 ;;
    esac
done

cd "$root"
if [ -z "$binary" ]; then
    swift build --product osm >&2
    binary=$(swift build --show-bin-path)/osm
fi
[ -x "$binary" ] || { echo "generate-docs.sh: no osm binary at $binary" >&2; exit 1; }

parser=$root/.build/checkouts/swift-argument-parser
if [ ! -f "$parser/Package.swift" ]; then
    swift package resolve >&2
fi
tools=$root/.build/docs-tools
generate_manual=$tools/debug/generate-manual
if [ ! -x "$generate_manual" ]; then
    swift build --package-path "$parser" --scratch-path "$tools" --product generate-manual >&2
fi

mkdir -p "$out/completions" "$out/man"
"$binary" --generate-completion-script bash > "$out/completions/osm.bash"
"$binary" --generate-completion-script zsh > "$out/completions/_osm"
"$binary" --generate-completion-script fish > "$out/completions/osm.fish"

rm -f "$out"/man/*.1
"$generate_manual" "$binary" --multi-page --date "$MANUAL_DATE" --section 1 --output-directory "$out/man"
