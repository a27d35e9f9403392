#!/usr/bin/env bash
# Installs what is missing, builds the dev preset and runs every test (all labels, the slow
# ones included). Exits non-zero on any failure. About 15-25 minutes on 2 cores from scratch.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools/install-deps.sh
# The core's layer order and the three worlds (.github/ARCHITECTURE.md): seconds, so first.
python3 tools/check-layers.py
tools/build.sh dev
ctest --test-dir build/dev --output-on-failure -j2
# Again in a locale that writes decimals with a comma (Qt puts the workbench in the user's
# locale; the core must read and write '.' all the same). The slow suites only repeat what
# the fast ones check here.
echo "test.sh: the fast suites again under LC_ALL=de_DE.UTF-8"
LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 ctest --test-dir build/dev --output-on-failure -j2 -LE slow
