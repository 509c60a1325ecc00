#!/usr/bin/env bash
# Runs a quantized network on a Cortex-M4 (Arm MPS2+ AN386 under
# qemu-system-arm, semihosting for file I/O) over an input .npy. With an
# expected .npy it compares the output with it byte for byte; without one it
# writes the output to NETWORK.cortex-m.npy in the current folder (name it
# with SNNC_CORTEX_M_OUTPUT). Prints the footprint (arm-none-eabi-size) and
# the weight bytes per synapse.
#
#   cortex-m-run.sh NETWORK.q.mlir INPUT.npy [EXPECTED.npy] [WORKDIR]
#
# The tools come from SNNC_BUILD_DIR when set, else from build/ (or the most
# recent build*/ folder) of this checkout, else from PATH. Needs
# gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm
# (scripts/install-deps.sh installs them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
usage="usage: $0 NETWORK.q.mlir INPUT.npy [EXPECTED.npy] [WORKDIR]"
[ $# -ge 2 ] && [ $# -le 4 ] || { echo "$usage" >&2; exit 2; }

# find_bin: the folder holding snn-translate.
find_bin() {
  if [ -n "${SNNC_BUILD_DIR:-}" ]; then
    echo "$SNNC_BUILD_DIR/bin"
    return
  fi
  if [ -x "$root/build/bin/snn-translate" ]; then
    echo "$root/build/bin"
    return
  fi
  local newest
  newest="$(ls -td "$root"/build*/bin/snn-translate 2>/dev/null | head -1 || true)"
  if [ -n "$newest" ]; then
    dirname "$newest"
    return
  fi
  if command -v snn-translate >/dev/null; then
    dirname "$(command -v snn-translate)"
    return
  fi
  echo "cortex-m-run: no snn-translate in $root/build*/bin or on PATH; build SNNC" \
       "(scripts/build.sh) or set SNNC_BUILD_DIR" >&2
  exit 1
}
bin="$(find_bin)"
runtime="$root/runtime/embedded"
network="$(realpath "$1")"; input="$(realpath "$2")"
shift 2
expected=""
if [ $# -ge 1 ] && [[ "$1" == *.npy ]]; then
  expected="$(realpath "$1")"
  shift
fi
[ $# -le 1 ] || { echo "$usage" >&2; exit 2; }
output="${SNNC_CORTEX_M_OUTPUT:-$PWD/$(basename "$network" .mlir).cortex-m.npy}"
case "$output" in /*) ;; *) output="$PWD/$output" ;; esac
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cd "$work"
"$bin/snn-translate" --emit-c "$network" -o network.c
"$bin/snn-translate" --emit-c-header "$network" -o network.h
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -std=c99 -Wall -Wextra -Werror \
  --specs=rdimon.specs -nostartfiles -T "$runtime/cortex-m/mps2-an386.ld" \
  -DSNN_HARNESS -DSNN_HARNESS_SEMIHOSTING -DSNN_HARNESS_HEADER='"network.h"' \
  -I. -I"$runtime" network.c "$runtime/snn_harness.c" "$runtime/cortex-m/startup.c" \
  -o network.elf
arm-none-eabi-size network.elf
# Footprint of the network alone (weights in flash, state in RAM).
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -std=c99 -I"$runtime" -c network.c -o network.o
arm-none-eabi-size network.o
cp "$input" input.npy
rm -f output.npy
timeout "${SNNC_QEMU_TIMEOUT:-600}" qemu-system-arm -M mps2-an386 -nographic \
  -semihosting-config enable=on,target=native -kernel network.elf
if [ -z "$expected" ]; then
  cp output.npy "$output"
  echo "cortex-m4: output written to $output"
elif cmp -s output.npy "$expected"; then
  echo "cortex-m4: output equals $(basename "$expected")"
else
  echo "cortex-m4: output differs from $(basename "$expected")" >&2
  exit 1
fi
