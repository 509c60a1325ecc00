#!/usr/bin/env bash
# Installs, builds and runs every test (lit and GoogleTest) through ctest;
# then builds the runtime alone (-DSNNC_BUILD_COMPILER=OFF, no MLIR) in
# build-runtime/ and runs its tests there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
start=$(date +%s)
"$root/scripts/build.sh"
build="${SNNC_BUILD_DIR:-$root/build}"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
"$root/scripts/test-runtime-alone.sh"
echo "build and tests took $(( $(date +%s) - start )) s"
