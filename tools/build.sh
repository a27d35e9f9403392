#!/usr/bin/env bash
# Configures and builds one preset of CMakePresets.json (default: dev, a Release build with
# the GUI, the LibTorch module when LibTorch is found, and the tests) into build/<preset>.
# Usage: tools/build.sh [dev|headless|asan] [extra cmake --build arguments, e.g. --target reco]
set -euo pipefail

preset=${1:-dev}
shift || true
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$jobs" "$@"
