#!/usr/bin/env bash
# Installs the Debian 12 packages SNNC builds and tests with, when missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache python3
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools
  libeigen3-dev libfmt-dev libgtest-dev libhdf5-dev
  libflatbuffers-dev flatbuffers-compiler
  zlib1g-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # Lava (../shared/oracles/lava) judges the Loihi 2 arithmetic; the Xylo
  # tests read numpy's own .npz files.
  python3-numpy python3-scipy python3-networkx python3-h5py python3-asteval
  # The snnc Python module and its tests (python/).
  python3-dev python3-pybind11 python3-pytest
  # Optional: snn-run data-parallel over MPI ranks (docs/scale-out.md).
  openmpi-bin libopenmpi-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}"
