#!/usr/bin/env bash
# The sanitizer lane of CI (tools/test.sh): builds the asan preset (Debug, address and
# undefined-behaviour sanitizers, no LibTorch: Debian's LibTorch is not built with them) in
# build/asan and runs the fast core, cli and ui suites under it (not the "timing" ones, whose
# point is a time limit that a 2-5x slower build cannot meet). Any sanitizer report fails
# the suite: undefined behaviour aborts (-fno-sanitize-recover), and so does a leak at exit
# outside the suppressions of tools/lsan.supp (leaks of system libraries, never our code).
# About 15-20 minutes on 2 cores from scratch.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools/build.sh asan
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tools/lsan.supp:print_suppressions=0"
ctest --test-dir build/asan --output-on-failure -j2 -L 'core|cli|ui' -LE 'slow|timing'
