#!/usr/bin/env bash
# Host throughput of the generated C for the Fashion-MNIST MLP over testA
# (snn_harness.c, .npy in and out, gcc -O2) against the fixed-point
# reference, best of three each; checks that the two outputs are equal.
#
#   bench/embedded-throughput.sh [MODEL.nir] [INPUT.npy] [PRESET]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SNNC_BUILD_DIR:-$root/build}/bin"
runtime="$root/runtime/embedded"
model="${1:-$root/../shared/models/fmnist_mlp.nir}"
input="${2:-$root/../shared/models/fmnist_mlp_testA_spikes.npy}"
preset="${3:-snntorch}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin/snn-translate" --import-nir "$model" --nir-preset="$preset" |
  "$bin/snn-opt" --snn-quantize -o net.mlir
"$bin/snn-translate" --emit-c net.mlir -o net.c
"$bin/snn-translate" --emit-c-header net.mlir -o net.h
cc -std=c99 -O2 -DSNN_HARNESS -DSNN_HARNESS_HEADER='"net.h"' -I. -I"$runtime" \
  net.c "$runtime/snn_harness.c" -o harness
best=""
for _ in 1 2 3; do
  start=$(date +%s.%N)
  ./harness "$input" c.npy
  t=$(echo "$(date +%s.%N) - $start" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
fixed=""
for _ in 1 2 3; do
  t=$("$bin/snn-run" net.mlir --engine fixed --input "$input" --output fixed.npy |
      sed -n 's/.* steps in \([0-9.]*\) s.*/\1/p')
  if [ -z "$fixed" ] || [ "$(echo "$t < $fixed" | bc -l)" = 1 ]; then fixed=$t; fi
done
cmp -s c.npy fixed.npy && same="equal" || same="DIFFERENT"
printf "generated C (harness, incl. file I/O): %.3f s\n" "$best"
printf "fixed-point reference:                 %.3f s\n" "$fixed"
echo "outputs: $same"
