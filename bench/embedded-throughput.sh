#!/usr/bin/env bash
# Host throughput of the generated C for the Fashion-MNIST MLP over testA
# (snn_harness.c, .npy in and out, gcc -O2) against the fixed-point
# reference, best of three each; checks that the two outputs are equal.
#
#   bench/embedded-throughput.sh [MODEL.nir] [INPUT.npy] [PRESET]
source "$(dirname "$0")/common.sh"
model="${1:-$shared/models/fmnist_mlp.nir}"
input="${2:-$shared/models/fmnist_mlp_testA_spikes.npy}"
preset="${3:-snntorch}"
cd "$work"
"$bin/snn-translate" --import-nir "$model" --nir-preset="$preset" |
  "$bin/snn-opt" --snn-quantize -o net.mlir
"$bin/snn-translate" --emit-c net.mlir -o net.c
harness net.mlir net.c harness
best=$(best_of_three ./harness "$input" c.npy)
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
