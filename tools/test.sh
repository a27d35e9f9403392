#!/usr/bin/env bash
# Installs what is missing, then runs every lane of continuous integration and exits non-zero
# on the first failure. The lanes, cheapest first:
#   layers   the core's layer order and the three worlds (tools/check-layers.py)
#   format   every C++ file against .clang-format (tools/check-style.sh format)
#   build    the dev preset (Release, GUI, LibTorch module, tests)
#   tidy     clang-tidy over the .cpp files changed since the parent commit (check-style.sh tidy)
#   tests    every suite, the slow ones included
#   de_DE    the fast suites again under a locale that writes a decimal comma
#   asan     the core, cli and ui suites under address and undefined-behaviour sanitizers
#            (tools/test-asan.sh; its own Debug build in build/asan)
#   fuzz     every libFuzzer target of tests/fuzz for a short time (tools/fuzz.sh; its own
#            clang build in build/fuzz); an input that crashes fails the lane
# Prints each lane's wall time at the end. About 70 minutes on 2 cores from scratch.
# RECO_LANES="layers format build tests" runs only the lanes named.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools/install-deps.sh

lanes=${RECO_LANES:-layers format build tidy tests de_DE asan fuzz}
timings=()
lane() {
  local name=$1
  shift
  [[ " $lanes " == *" $name "* ]] || return 0
  echo "test.sh: lane $name"
  local start=$SECONDS
  "$@"
  timings+=("$(printf '%-8s %5d s' "$name" $((SECONDS - start)))")
}

lane layers python3 tools/check-layers.py
lane format tools/check-style.sh format
lane build tools/build.sh dev
lane tidy tools/check-style.sh tidy
lane tests ctest --test-dir build/dev --output-on-failure -j2
# Qt puts the workbench in the user's locale; the core must read and write '.' all the same.
# The slow suites only repeat what the fast ones check here.
lane de_DE env LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 ctest --test-dir build/dev --output-on-failure -j2 -LE slow
lane asan tools/test-asan.sh
lane fuzz tools/fuzz.sh "${RECO_FUZZ_SECONDS:-20}"

echo "test.sh: every lane passed; wall time per lane:"
printf '  %s\n' "${timings[@]}"
