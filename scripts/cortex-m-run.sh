#!/usr/bin/env bash
# Runs a quantized network on a Cortex-M4 (Arm MPS2+ AN386 under
# qemu-system-arm, semihosting for file I/O) over an input .npy and compares
# its output with an expected .npy byte for byte. Prints the footprint
# (arm-none-eabi-size) and the weight bytes per synapse.
#
#   cortex-m-run.sh NETWORK.q.mlir INPUT.npy EXPECTED.npy [WORKDIR]
#
# Needs gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm
# (scripts/install-deps.sh installs them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SNNC_BUILD_DIR:-$root/build}/bin"
runtime="$root/runtime/embedded"
[ $# -ge 3 ] || { echo "usage: $0 NETWORK.q.mlir INPUT.npy EXPECTED.npy [WORKDIR]" >&2; exit 2; }
network="$(realpath "$1")"; input="$(realpath "$2")"; expected="$(realpath "$3")"
work="${4:-$(mktemp -d)}"
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
if cmp -s output.npy "$expected"; then
  echo "cortex-m4: output equals $(basename "$expected")"
else
  echo "cortex-m4: output differs from $(basename "$expected")" >&2
  exit 1
fi
