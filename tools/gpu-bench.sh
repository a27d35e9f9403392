#!/usr/bin/env bash
# tools/gpu-bench.sh [OUTDIR]: the GPU figures of the deep models, on a machine with an
# NVIDIA GPU, a CUDA LibTorch (PyTorch's, found through python3) and no Qt. Builds the
# headless preset (reco and the reco_torch module) against that LibTorch, then runs
# `reco bench deep --device cuda` while nvidia-smi samples the GPU's memory every 100 ms,
# and prints the peak memory in use beside the bench's table. Then builds the core and torch
# test suites (GoogleTest, no Qt) and runs them with ctest, the CUDA cases included: on a
# machine with a GPU a CUDA case that skips is a failure. Logs go to OUTDIR (default
# build/gpu-bench): bench.txt, tests.txt, cuda-tests.txt.
#
# Environment:
#   RECO_MOVIELENS   the MovieLens-100K folder (default ../shared/datasets/movielens-100k)
#   RECO_DEBS        a folder of Debian packages to unpack when the machine lacks Eigen's,
#                    SQLite's or Boost's headers or OpenBLAS: `apt-get download libeigen3-dev
#                    libsqlite3-dev libsqlite3-0 libboost1.74-dev googletest
#                    libopenblas-openmp-dev libopenblas0-openmp libgfortran5` (Boost.Math is
#                    header-only, all in libboost1.74-dev; googletest is GoogleTest's sources,
#                    built here; OpenBLAS is EASE's LAPACK) on a Debian machine, into a folder
#                    that travels with the tree
#   RECO_TORCH_PREFIX  the LibTorch to build against (default: python3's torch.utils.cmake_prefix_path)
#   RECO_BENCH_ARGS  extra arguments for `reco bench deep` (e.g. "--epochs 5 --models neumf,sasrec")
#   RECO_GPU_TESTS   0 to skip the test suites (default 1)
# Exit status: the build's, else the bench's, else the tests'; 3 when no GPU or no CUDA
# LibTorch is found.
# On a lent machine that gets only the working tree, put what it lacks in an ignored folder
# (.device/ is ignored) and name it:
#   RECO_MOVIELENS=.device/movielens-100k RECO_DEBS=.device/debs tools/gpu-bench.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${1:-$root/build/gpu-bench}
mkdir -p "$out"
movielens=${RECO_MOVIELENS:-$root/../shared/datasets/movielens-100k}

command -v nvidia-smi >/dev/null || { echo "gpu-bench: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 3; }
if [[ -n "${RECO_TORCH_PREFIX:-}" ]]; then
  prefix=$RECO_TORCH_PREFIX
else
  prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null) ||
    { echo "gpu-bench: python3 cannot import torch: no CUDA LibTorch to build against" >&2; exit 3; }
  python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' ||
    { echo "gpu-bench: this torch sees no CUDA device" >&2; exit 3; }
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"

flags=()
if [[ -n "${RECO_DEBS:-}" ]]; then
  deps=$root/build/gpu-deps
  mkdir -p "$deps"
  for deb in "$RECO_DEBS"/*.deb; do dpkg-deb -x "$deb" "$deps"; done
  sqlite=$(find "$deps/usr/lib" -name 'libsqlite3.so*' | sort | head -1)
  export LD_LIBRARY_PATH="$(dirname "$sqlite")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  flags+=("-DEigen3_DIR=$deps/usr/share/eigen3/cmake" "-DSQLite3_INCLUDE_DIR=$deps/usr/include" "-DSQLite3_LIBRARY=$sqlite")
  flags+=("-DBoost_INCLUDE_DIR=$deps/usr/include")  # FindBoost's module mode: headers only
  # EASE's OpenBLAS (the OpenMP build) and the Fortran runtime it needs, where unpacked.
  openblas=$(find "$deps/usr/lib" -path '*openblas-openmp*' -name 'libopenblas.so*' | sort | head -1)
  if [[ -n "$openblas" ]]; then
    flags+=("-DRECO_OPENBLAS_LIBRARY=$openblas")
    gfortran=$(find "$deps/usr/lib" -name 'libgfortran.so*' | sort | head -1)
    export LD_LIBRARY_PATH="$(dirname "$openblas")${gfortran:+:$(dirname "$gfortran")}:$LD_LIBRARY_PATH"
  fi
  if [[ -f "$deps/usr/src/googletest/CMakeLists.txt" ]]; then
    flags+=("-DRECO_GTEST_SOURCE=$deps/usr/src/googletest")  # used when no GTest package is found
  fi
fi
# The presets use Ninja; without it, Makefiles do the same.
command -v ninja >/dev/null || flags+=(-G "Unix Makefiles")
start=$(date +%s)
cmake --preset headless -DCMAKE_PREFIX_PATH="$prefix" "${flags[@]}" >"$out/configure.log" 2>&1 ||
  { tail -30 "$out/configure.log"; exit 1; }
cmake --build --preset headless -j "$(nproc)" --target reco reco_torch >"$out/build.log" 2>&1 ||
  { tail -30 "$out/build.log"; exit 1; }
echo "gpu-bench: built in $(( $(date +%s) - start )) s against $prefix"

# Memory in use on the whole GPU (MiB), every 100 ms, while the bench runs.
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 >"$out/memory.csv" 2>/dev/null &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
idle=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1)
set +e
# shellcheck disable=SC2086
build/headless/bin/reco bench deep --device cuda --movielens "$movielens" ${RECO_BENCH_ARGS:-} 2>&1 | tee "$out/bench.txt"
status=${PIPESTATUS[0]}
set -e
kill $sampler 2>/dev/null || true
peak=$(sort -n "$out/memory.csv" | tail -1)
echo "gpu-bench: GPU memory in use: ${idle} MiB before the bench, peak ${peak:-?} MiB during it (nvidia-smi, every 100 ms)" |
  tee -a "$out/bench.txt"
[[ "${RECO_GPU_TESTS:-1}" == 0 ]] && exit "$status"

# The core and torch suites against the CUDA LibTorch (the torch suites pick CUDA where it is).
start=$(date +%s)
cmake --build --preset headless -j "$(nproc)" >"$out/build-tests.log" 2>&1 ||
  { tail -30 "$out/build-tests.log"; exit 1; }
echo "gpu-bench: test suites built in $(( $(date +%s) - start )) s"
set +e
ctest --test-dir build/headless --output-on-failure -j "$(nproc)" -L 'core|torch' -LE slow 2>&1 | tee "$out/tests.txt"
tests=${PIPESTATUS[0]}
# The CUDA cases by name, so the log shows each one ran (not skipped) on this GPU.
build/headless/tests/torch_test_deep_models --gtest_filter='*Cuda*:-*CudaRequestedWithoutCuda*' 2>&1 | tee "$out/cuda-tests.txt"
cuda=${PIPESTATUS[0]}
set -e
ran=$(grep -c '^\[       OK \]' "$out/cuda-tests.txt" || true)
if grep -q '^\[  SKIPPED \]' "$out/cuda-tests.txt" || [[ $ran -eq 0 ]]; then
  echo "gpu-bench: a CUDA case skipped (or none ran) on a machine with a GPU" >&2
  cuda=1
fi
echo "gpu-bench: test suites: ctest status $tests; CUDA cases: $ran passed, status $cuda" | tee -a "$out/tests.txt"
[[ $status -ne 0 ]] && exit "$status"
[[ $tests -ne 0 ]] && exit "$tests"
exit "$cuda"
