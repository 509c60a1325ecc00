#!/usr/bin/env bash
# Emulator throughput against the generated C on the same quantized network
# and input (default: the Fashion-MNIST MLP on testA, Loihi-class), in
# synaptic events per second of wall time. The event count is the
# emulator's (the network's non-zero inputs times their fan-out); the C does
# the same work. Best of three each.
#
#   bench/emulator-throughput.sh [MODEL.nir] [INPUT.npy] [PRESET] [TARGET]
source "$(dirname "$0")/common.sh"
model="${1:-$shared/models/fmnist_mlp.nir}"
input="${2:-$shared/models/fmnist_mlp_testA_spikes.npy}"
preset="${3:-snntorch}"
target="${4:-$root/targets/loihi-class.json}"
cd "$work"
"$bin/snn-translate" --import-nir "$model" --nir-preset="$preset" |
  "$bin/snn-opt" --snn-quantize=target="$target" -o net.mlir
"$bin/snn-opt" net.mlir --snn-map=target="$target" -o chip.mlir 2>/dev/null
"$bin/snn-translate" --emit-image chip.mlir -o net.img
emu=$("$bin/snn-bench-emulator" net.img "$input" 3)
echo "$emu"
events=$(echo "$emu" | sed -n 's/.*(\([0-9]*\) events).*/\1/p')
emu_s=$(echo "$emu" | sed -n 's/.* in \([0-9.]*\) s:.*/\1/p')
"$bin/snn-translate" --emit-c net.mlir -o net.c
harness net.mlir net.c harness
best=$(best_of_three ./harness "$input" c.npy)
printf "generated C (harness, incl. file I/O): %.3f s: %.3g synaptic events/s\n" \
  "$best" "$(echo "$events / $best" | bc -l)"
printf "emulator / generated C throughput: %.2f\n" "$(echo "$best / $emu_s" | bc -l)"
