#!/usr/bin/env bash
# Installs what Kith needs on a Debian or Ubuntu machine with Swift 6,
# builds Kith, and builds the sample site into public/.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pkg-config --exists libcmark 2>/dev/null; then
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y libcmark-dev pkg-config
fi
swift build -c release --product kith
.build/release/kith build --root .
echo "Open public/index.html in a browser, or serve public/ with any static web server."
