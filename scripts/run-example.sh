#!/usr/bin/env bash
# The main job on a bundled example: builds SNNC if needed, verifies and
# prints the recurrent example network (large weights elided), runs it on
# Poisson input with the float reference and prints what each node did, then
# quantizes it (int8 weights, 16-bit state) and compares the fixed-point
# reference with the float model step by step, then maps it onto the
# Xylo-class target and runs its chip image on the emulator against the
# fixed-point reference.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_BUILD_DIR:-$root/build}"
[ -x "$build/bin/snn-run" ] || "$root/scripts/build.sh" >&2
example="$root/examples/braille_rnn.mlir"
"$build/bin/snn-opt" --mlir-elide-elementsattrs-if-larger=16 "$example"
echo "verified: examples/braille_rnn.mlir"
echo
echo "snn-run on 16 samples x 100 steps of Poisson input (rate 0.2):"
"$build/bin/snn-run" "$example" --poisson 0.2,100,16,1
echo
echo "quantized (8-bit weights, 16-bit state) vs float, same input:"
"$build/bin/snn-run" "$example" --poisson 0.2,100,16,1 --compare float,fixed \
  --weight-bits 8 --state-bits 16 |
  awk '/^quantized/ {q = 1} /^node +op/ {q = 0} /^compare/ {q = 1} q'

echo
echo "mapped onto xylo-class, the chip image on the emulator vs the fixed-point reference:"
"$build/bin/snn-run" "$example" --poisson 0.2,100,16,1 --compare fixed,emu \
  --target "$root/targets/xylo-class.json" |
  awk '/^compare/ {q = 1} q'
