#!/usr/bin/env bash
# Installs what is missing, builds the dev preset and runs every test (all labels, the slow
# ones included). Exits non-zero on any failure. About 15-25 minutes on 2 cores from scratch.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools/install-deps.sh
tools/build.sh dev
ctest --test-dir build/dev --output-on-failure -j2
