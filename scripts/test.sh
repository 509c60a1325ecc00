#!/usr/bin/env bash
# Installs, builds and runs every test (lit and GoogleTest) through ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
start=$(date +%s)
"$root/scripts/build.sh"
build="${SNNC_BUILD_DIR:-$root/build}"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
echo "build and tests took $(( $(date +%s) - start )) s"
