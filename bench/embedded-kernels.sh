#!/usr/bin/env bash
# Instructions per step of the generated C for the MLP, with dense and with
# event-driven sums, across input firing rates (callgrind counts; stable on
# a noisy machine). A run of 2T steps minus a run of T steps cancels start-up
# and file I/O. Prints one row per rate and the cost model's choice.
#
#   bench/embedded-kernels.sh [MODEL.nir] [PRESET]
source "$(dirname "$0")/common.sh"
model="${1:-$shared/models/fmnist_mlp.nir}"
preset="${2:-snntorch}"
cd "$work"
"$bin/snn-translate" --import-nir "$model" --nir-preset="$preset" |
  "$bin/snn-opt" --snn-quantize -o net.mlir
for kernel in dense event; do
  activity=$([ "$kernel" = dense ] && echo 1 || echo 0)
  "$bin/snn-translate" --emit-c net.mlir --c-spike-activity="$activity" -o "$kernel.c"
  harness net.mlir "$kernel.c" "$kernel"
done
count() { # instructions of one harness run
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "./$1" "$2" out.npy 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
samples=4; short=10; long=20
printf "%8s %16s %16s %12s %s\n" rate "dense instr/step" "event instr/step" "event/dense" "cost model (--c-spike-activity)"
for rate in 0.01 0.02 0.05 0.1 0.2 0.3 0.5 0.7 0.9; do
  "$bin/snn-run" net.mlir --engine fixed --poisson "$rate,$short,$samples,3" --write-input short.npy > /dev/null
  "$bin/snn-run" net.mlir --engine fixed --poisson "$rate,$long,$samples,3" --write-input long.npy > /dev/null
  per_step() {
    echo $(( ($(count "$1" long.npy) - $(count "$1" short.npy)) / (samples * (long - short)) ))
  }
  d=$(per_step dense); e=$(per_step event)
  choice=$("$bin/snn-translate" --emit-c net.mlir --c-spike-activity="$rate" | sed -n 's/^ \*   \([a-z0-9_.]*\): \([a-z-]*\),.*/\1 \2/p' | tr '\n' ' ')
  printf "%8s %16d %16d %12.2f %s\n" "$rate" "$d" "$e" "$(echo "$e / $d" | bc -l)" "$choice"
done
