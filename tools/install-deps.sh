#!/usr/bin/env bash
# Installs the Debian 12 packages that Reco Workbench needs to build, run and test, and only
# those that are missing: a machine that has them all never touches apt (no sudo prompt).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libeigen3-dev libsqlite3-dev sqlite3
  # zlib: the readers see through gzip (.csv.gz), as shops and public datasets ship them.
  zlib1g-dev
  # Boost.Math (header-only): the t, normal and incomplete beta functions of the statistics.
  libboost-math-dev
  # The BLAS behind LibTorch's (and numpy's) matrix products: without it Debian's
  # alternatives pick the reference BLAS, 4-8x slower for the deep models on the CPU. The
  # OpenMP build follows LibTorch's thread count (at::set_num_threads sets OpenMP's).
  libopenblas0-openmp
  # EASE's inverse (spotrf/spotri, core/models/ease_model.cpp) links that same OpenMP build.
  # Its -dev package, not libopenblas-dev: that one pulls the pthread build, whose higher
  # priority would switch Debian's BLAS alternative (and LibTorch's threads) away from OpenMP.
  libopenblas-openmp-dev
  xvfb xauth
  # de_DE.UTF-8 (generated below): the suite runs again in a locale with a decimal comma.
  locales
  python3-numpy
  # GoogleTest for the core and torch suites (no Qt, so they also run on the GPU machine);
  # googletest is its sources, which tools/gpu-bench.sh builds where the -dev package is absent.
  libgtest-dev googletest
  # pdftotext and pdfinfo: the report tests read back the PDFs the workbench writes.
  poppler-utils
  # clang and its runtime with libFuzzer and the sanitizers: the fuzz targets of tests/fuzz
  # (tools/fuzz.sh, the fuzz lane of CI). libclang-rt-14-dev holds libclang_rt.fuzzer; the
  # separate libfuzzer-14-dev is only for linking libFuzzer by hand, which we don't.
  clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$package")
  fi
done

sudo=()
need_root() {
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; run as root: $*" >&2; exit 1; }
    sudo=(sudo)
  fi
}

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
else
  echo "install-deps: installing ${missing[*]}"
  need_root "apt-get install ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# A locale that writes decimals with a comma, for tools/test.sh's second pass and
# tests/core/test_number_text.cpp. localedef writes it without editing /etc/locale.gen.
if ! locale -a 2>/dev/null | grep -qix 'de_DE.utf8'; then
  echo "install-deps: generating the locale de_DE.UTF-8"
  need_root "localedef -i de_DE -f UTF-8 de_DE.UTF-8"
  "${sudo[@]}" localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi
