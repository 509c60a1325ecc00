# Sourced by the bench scripts: where things are, a scratch folder, and the
# two steps they share.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${SNNC_BUILD_DIR:-$root/build}/bin"
runtime="$root/runtime/embedded"
shared="$root/../shared"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# harness NET.mlir C_FILE OUT: the generated C of a quantized network built
# into the .npy harness (net.h beside it).
harness() {
  "$bin/snn-translate" --emit-c-header "$1" -o net.h
  cc -std=c99 -O2 -DSNN_HARNESS -DSNN_HARNESS_HEADER='"net.h"' -I. -I"$runtime" \
    "$2" "$runtime/snn_harness.c" -o "$3"
}

# best_of_three CMD...: the shortest wall time of three runs, in seconds.
best_of_three() {
  local best="" start t
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$@"
    t=$(echo "$(date +%s.%N) - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
