#!/usr/bin/env bash
# Builds the runtime (images, the C API, the emulator, the embedded headers)
# and the emulator bench as a device host would: -DSNNC_BUILD_COMPILER=OFF,
# with a C++ compiler, FlatBuffers and (for the tests) GoogleTest only, in a
# build directory of its own (build-runtime/); checks that no LLVM or MLIR
# header is on any compile line, and runs the runtime's tests there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_RUNTIME_BUILD_DIR:-$root/build-runtime}"
if [ ! -f "$build/build.ninja" ]; then
  # CMAKE_PREFIX_PATH= and MLIR_DIR unset: nothing may find MLIR by accident.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSNNC_BUILD_COMPILER=OFF -DCMAKE_PREFIX_PATH= >/dev/null
fi
cmake --build "$build" -j "$(nproc)"
# The configuration never looked for LLVM or MLIR.
if grep -q "^\(LLVM\|MLIR\)_DIR:" "$build/CMakeCache.txt"; then
  grep "^\(LLVM\|MLIR\)_DIR:" "$build/CMakeCache.txt" >&2
  echo "runtime alone: the configuration looked for LLVM or MLIR" >&2
  exit 1
fi
if grep -q "llvm\|mlir" "$build/compile_commands.json"; then
  grep -o -- "-I[^ ]*\(llvm\|mlir\)[^ ]*\|-isystem [^ ]*\(llvm\|mlir\)[^ ]*" \
    "$build/compile_commands.json" | sort -u >&2
  echo "runtime alone: an LLVM or MLIR path is on a compile line" >&2
  exit 1
fi
for tool in snn-runtime-tests snn-bench-emulator; do
  [ -x "$build/bin/$tool" ] || { echo "runtime alone: $tool was not built" >&2; exit 1; }
done
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure
echo "runtime alone: built without MLIR in $build; its tests pass"
