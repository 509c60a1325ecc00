#!/usr/bin/env bash
# Emulator throughput against the generated C on the same quantized network
# and input (default: the Fashion-MNIST MLP on testA, Loihi-class), in
# synaptic events per second of wall time. The event count is the
# emulator's (the network's non-zero inputs times their fan-out); the C does
# the same work. Best of three each.
#
#   bench/emulator-throughput.sh [MODEL.nir] [INPUT.npy] [PRESET] [TARGET]
#
# With --cuba: bench/cuba's network of N neurons (default 4000) mapped on
# TARGET (default Loihi-class), STEPS steps (default 20000) of Poisson input
# at 10 Hz, drawn the same way by the emulator's step loop
# (snn-bench-emulator --poisson) and by the generated C's (bench/cuba_main.c,
# cc -O3 -march=native): CPU time per step of each (the least of three
# runs, the two engines' runs in turn), their ratio, and their spike counts
# (equal: same input, same network, same arithmetic).
#
#   bench/emulator-throughput.sh --cuba [N] [STEPS] [TARGET]
source "$(dirname "$0")/common.sh"
if [ "${1:-}" = "--cuba" ]; then
  n="${2:-4000}"
  steps="${3:-20000}"
  target="${4:-$root/targets/loihi-class.json}"
  p=0.001 # 10 Hz at dt = 0.1 ms
  cd "$work"
  "$root/bench/cuba" --ir-only "$n" -o cuba.mlir
  "$bin/snn-opt" cuba.mlir --snn-map=target="$target" -o chip.mlir 2>/dev/null
  "$bin/snn-translate" --emit-image chip.mlir -o net.img
  "$bin/snn-translate" --emit-c cuba.mlir -o net.c
  cc -std=c99 -O3 -march=native -I"$runtime" net.c "$root/bench/cuba_main.c" \
    -lm -o cuba
  # Each engine's least CPU time of three runs (the machine's other load
  # only ever adds time), the two engines' runs taken in turn so that both
  # see the same load. cpu_of: the seconds a run's first line reports.
  cpu_of() {
    local s
    s=$(echo "$1" | sed -n '1s/.* in \([0-9.]*\) s CPU.*/\1/p')
    [ -n "$s" ] && echo "$s" || echo "$1" | cut -d' ' -f1
  }
  pure="" c_run=""
  for _ in 1 2 3; do
    out=$("$bin/snn-bench-emulator" net.img --poisson "$p,$steps" --no-output)
    if [ -z "$pure" ] || [ "$(echo "$(cpu_of "$out") < $(cpu_of "$pure")" | bc -l)" = 1 ]; then
      pure=$out
    fi
    out=$(./cuba "$n" "$steps" "$p")
    if [ -z "$c_run" ] || [ "$(echo "$(cpu_of "$out") < $(cpu_of "$c_run")" | bc -l)" = 1 ]; then
      c_run=$out
    fi
  done
  read_=$("$bin/snn-bench-emulator" net.img --poisson "$p,$steps")
  echo "$pure"
  echo "$read_"
  read -r c_s c_spikes _ _ <<<"$c_run"
  emu_s=$(cpu_of "$pure")
  emu_spikes=$(echo "$pure" | sed -n 's/.* per step, \([0-9]*\) spikes.*/\1/p')
  printf "generated C: %d steps in %.4f s CPU: %.2f us per step, %d spikes\n" \
    "$steps" "$c_s" "$(echo "1000000 * $c_s / $steps" | bc -l)" "$c_spikes"
  printf "emulator / generated C speed: %.2f (spikes %s)\n" \
    "$(echo "$c_s / $emu_s" | bc -l)" \
    "$([ "$c_spikes" = "$emu_spikes" ] && echo equal || echo DIFFER)"
  exit 0
fi
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
