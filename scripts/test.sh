#!/usr/bin/env bash
# Installs, builds the runtime alone (-DSNNC_BUILD_COMPILER=OFF, no MLIR) in
# build-runtime/ and runs its tests there, then builds everything and runs
# every test (lit and GoogleTest) through ctest, whose summary closes the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
start=$(date +%s)
"$root/scripts/install-deps.sh"
"$root/scripts/test-runtime-alone.sh"
"$root/scripts/build.sh"
build="${SNNC_BUILD_DIR:-$root/build}"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
echo "build and tests took $(( $(date +%s) - start )) s"
