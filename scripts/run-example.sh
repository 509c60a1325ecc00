#!/usr/bin/env bash
# The main job on a bundled example: builds SNNC if needed, then verifies the
# recurrent example network and prints it (large weights elided).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_BUILD_DIR:-$root/build}"
[ -x "$build/bin/snn-opt" ] || "$root/scripts/build.sh" >&2
"$build/bin/snn-opt" --mlir-elide-elementsattrs-if-larger=16 \
  "$root/examples/braille_rnn.mlir"
echo "verified: examples/braille_rnn.mlir" >&2
