#!/usr/bin/env bash
# Installs the Debian 12 packages that Reco Workbench needs to build, run and test, and only
# those that are missing: a machine that has them all never touches apt (no sudo prompt).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libeigen3-dev libsqlite3-dev sqlite3
  # The BLAS behind LibTorch's (and numpy's) matrix products: without it Debian's
  # alternatives pick the reference BLAS, 4-8x slower for the deep models on the CPU. The
  # OpenMP build follows LibTorch's thread count (at::set_num_threads sets OpenMP's).
  libopenblas0-openmp
  xvfb xauth
  python3-numpy
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
