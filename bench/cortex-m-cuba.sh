#!/usr/bin/env bash
# The CUBA network of bench/cuba on a Cortex-M4 (Arm MPS2+ AN386 under
# qemu-system-arm) against the host: footprint, weight bytes per synapse and
# instructions per simulated step of the generated C, in the steady state.
#
#   bench/cortex-m-cuba.sh [N ...]          # default: 1000 4000
#   SNNC_CUBA_WARMUP=2000 SNNC_CUBA_STEPS=1000 bench/cortex-m-cuba.sh 1000
#
# For each N: bench/cuba --ir-only writes the IR, snn-translate --emit-c the
# C, and bench/cortex-m-cuba_main.c drives it on Bernoulli input (10 Hz per
# input, as bench/cuba) for SNNC_CUBA_WARMUP steps (default 2000: the network
# starts silent) and then SNNC_CUBA_STEPS measured steps (default 1000),
# built for the board (arm-none-eabi-gcc -mcpu=cortex-m4 -O2, as
# scripts/cortex-m-run.sh) and for the host (cc -O2, and cc -O3 -march=native
# as bench/cuba). Both builds print their spike counts, which must agree.
#
# M4 instructions: QEMU 7.2 (Debian 12) has no TCG plugins and its MPS2
# model no DWT cycle counter, so the program reads SysTick around every
# <prefix>_step call while QEMU runs with -icount shift=0 (one instruction =
# one ns of virtual time; SysTick counts the 25 MHz processor clock, about 40
# instructions a tick). The ticks-to-instructions factor is calibrated on
# every run against an exact count: a short run (SNNC_CUBA_CALIBRATE steps,
# default 50) under -singlestep -d exec,nochain, whose log has one line per
# instruction executed; the lines from the entry of cuba_step to the return
# into main are counted. Host instructions: callgrind
# --toggle-collect=cuba_step (callees included), the warm-up alone
# subtracted from warm-up plus measured steps.
#
# Footprint: arm-none-eabi-size of the network's object alone (text = code
# and weight tables in flash, data + bss = state in RAM) and of the whole
# program; weight bytes per synapse = the read-only tables of net.o (weights,
# targets, row offsets, constants) over the synapse count (120 per neuron:
# 80 recurrent, 40 input). The board model has 4 MB of flash and 4 MB of RAM.
source "$(dirname "$0")/common.sh"
warmup="${SNNC_CUBA_WARMUP:-2000}"
steps="${SNNC_CUBA_STEPS:-1000}"
calibrate="${SNNC_CUBA_CALIBRATE:-50}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 4000)
for tool in arm-none-eabi-gcc arm-none-eabi-size arm-none-eabi-nm \
            qemu-system-arm valgrind; do
  command -v "$tool" >/dev/null ||
    { echo "cortex-m-cuba: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
[ -x "$bin/snn-translate" ] ||
  { echo "cortex-m-cuba: no $bin/snn-translate; build SNNC or set SNNC_BUILD_DIR" >&2; exit 1; }
main_c="$root/bench/cortex-m-cuba_main.c"
board_bytes=$((4 * 1024 * 1024))
qemu=(timeout "${SNNC_QEMU_TIMEOUT:-1800}" qemu-system-arm -M mps2-an386 -nographic
      -semihosting-config enable=on,target=native)

# m4_build OUT WARMUP STEPS: the board program.
m4_build() {
  arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -std=c99 --specs=rdimon.specs \
    -nostartfiles -T "$runtime/cortex-m/mps2-an386.ld" -I"$runtime" \
    -DNET_N="$n" -DNET_WARMUP="$2" -DNET_STEPS="$3" \
    net.c "$main_c" "$runtime/cortex-m/startup.c" -o "$1"
}

# m4_traced ELF: instructions executed inside cuba_step (callees included),
# counted exactly from QEMU's execution log; the program's output in OUT.
m4_traced() {
  local elf="$1" start main_lo main_size
  start=$(arm-none-eabi-nm "$elf" | awk '$3 == "cuba_step" {print $1}')
  read -r main_lo main_size < <(arm-none-eabi-nm -S "$elf" | awk '$4 == "main" {print $1, $2}')
  rm -f trace.fifo
  mkfifo trace.fifo
  # PCs as 8-digit hex strings: they compare as numbers (mawk has no strtonum).
  awk -v start="$(printf %08x $((0x$start & ~1)))" \
      -v lo="$(printf %08x $((0x$main_lo & ~1)))" \
      -v hi="$(printf %08x $(((0x$main_lo & ~1) + 0x$main_size)))" '
    BEGIN { start = start ""; lo = lo ""; hi = hi "" }
    /^Trace/ {
      pc = $4; sub(/^\[[0-9a-f]*\//, "", pc); sub(/\/.*/, "", pc)
      if (pc == start) on = 1
      else if (on && pc >= lo && pc < hi) on = 0
      if (on) inside++
    }
    END { print inside + 0 }' trace.fifo > trace.count &
  local counter=$!
  "${qemu[@]}" -singlestep -d exec,nochain -D trace.fifo -kernel "$elf" > trace.out
  wait "$counter"
  cat trace.count
}

# ticks_of FILE: the SysTick ticks a run printed.
ticks_of() { sed -n 's/^ticks \([0-9]*\)$/\1/p' "$1"; }

# host_instructions CFLAGS...: instructions in cuba_step over the measured
# steps (warm-up plus measured, minus warm-up alone); the output in host.out.
host_instructions() {
  local with without
  cc -std=c99 "$@" -I"$runtime" -DNET_N="$n" -DNET_WARMUP="$warmup" \
    -DNET_STEPS="$steps" net.c "$main_c" -o host-all
  cc -std=c99 "$@" -I"$runtime" -DNET_N="$n" -DNET_WARMUP="$warmup" \
    -DNET_STEPS=0 net.c "$main_c" -o host-warmup
  valgrind --tool=callgrind --toggle-collect=cuba_step --callgrind-out-file=cg.all \
    ./host-all > host.out 2> /dev/null
  valgrind --tool=callgrind --toggle-collect=cuba_step --callgrind-out-file=cg.warmup \
    ./host-warmup > /dev/null 2>&1
  with=$(awk '/^(summary|totals):/ {print $2; exit}' cg.all)
  without=$(awk '/^(summary|totals):/ {print $2; exit}' cg.warmup)
  echo $(((with - without) / steps))
}

rows=()
cd "$work"
for n in "${sizes[@]}"; do
  "$root/bench/cuba" --ir-only "$n" -o cuba.mlir > /dev/null
  "$bin/snn-translate" --emit-c cuba.mlir -o net.c
  grep -q '^void cuba_step(' net.c ||
    { echo "cortex-m-cuba: no cuba_step in the generated C" >&2; exit 1; }
  synapses=$((120 * n))
  arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -std=c99 -I"$runtime" -c net.c -o net.o
  read -r text data bss _ < <(arm-none-eabi-size net.o | tail -1)
  tables=$(arm-none-eabi-nm -S net.o | awk '$3 ~ /^[rR]$/ {print $2}' |
    while read -r h; do echo $((0x$h)); done | awk '{s += $1} END {print s + 0}')
  # Calibration: exact instructions against SysTick ticks on a short run.
  m4_build cal.elf 0 "$calibrate"
  exact=$(m4_traced cal.elf)
  "${qemu[@]}" -icount shift=0 -kernel cal.elf > cal.out
  cal_ticks=$(ticks_of cal.out)
  # The measured run.
  m4_build m4.elf "$warmup" "$steps"
  read -r etext edata ebss _ < <(arm-none-eabi-size m4.elf | tail -1)
  fits="yes"
  if [ $((etext + edata)) -gt $board_bytes ] || [ $((edata + ebss)) -gt $board_bytes ]; then
    fits="no"
  fi
  "${qemu[@]}" -icount shift=0 -kernel m4.elf > m4.out
  m4_step=$(echo "$(ticks_of m4.out) * $exact / $cal_ticks / $steps" | bc -l)
  host_o2=$(host_instructions -O2)
  grep '^spikes' host.out > host-O2.spikes
  host_o3=$(host_instructions -O3 -march=native)
  grep '^spikes' m4.out > m4.spikes
  if ! grep -q '^spikes' m4.spikes || ! cmp -s m4.spikes host-O2.spikes ||
     ! cmp -s m4.spikes <(grep '^spikes' host.out); then
    echo "cortex-m-cuba: N = $n: the M4 printed '$(cat m4.spikes)'," \
         "the host '$(cat host-O2.spikes)'" >&2
    exit 1
  fi
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %.2f | %s | %.0f | %s | %s | %.1f | %s |' \
    "$n" "$synapses" "$text" "$((data + bss))" "$((etext + edata))" "$((edata + ebss))" \
    "$(echo "$tables / $synapses" | bc -l)" "$fits" "$m4_step" "$host_o2" "$host_o3" \
    "$(echo "$exact / $cal_ticks" | bc -l)" "$(sed 's/spikes \([0-9]*\).*/\1/' m4.spikes)")")
done
echo "CUBA network, $warmup warm-up + $steps measured steps;" \
     "M4: arm-none-eabi-gcc -O2 -mcpu=cortex-m4, QEMU mps2-an386"
echo "| N | synapses | net.o flash B | net.o RAM B | program flash B | program RAM B | weight B/syn | fits 4 MB | M4 instr/step | host -O2 instr/step | host -O3 native instr/step | instr/tick | spikes (M4 = host) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
