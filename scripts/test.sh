#!/usr/bin/env bash
# Runs every test: the Swift test suites, then a build of the sample site
# checked twice for byte-identical output.
set -euo pipefail
cd "$(dirname "$0")/.."

swift test

echo "== sample site"
swift build -c release --product kith
out1=$(mktemp -d) out2=$(mktemp -d)
trap 'rm -rf "$out1" "$out2"' EXIT
.build/release/kith build --root . --out "$out1/public"
.build/release/kith build --root . --out "$out2/public"
diff -r "$out1/public" "$out2/public"
echo "sample site: two builds are byte-identical"
