#!/usr/bin/env bash
# Fuzzes the NIR importer with libFuzzer (clang-19, ASan+UBSan) for SECONDS
# (default 60), starting from the real NIR files beside the checkout.
# Findings are written to build-fuzz/findings/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
build="${SNNC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
shared="${SNNC_SHARED_DIR:-$root/../shared}"
command -v clang++-19 >/dev/null || apt-get install -y -qq clang-19 libclang-rt-19-dev
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-19 CXX=clang++-19 cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSNNC_FUZZ=ON >/dev/null
fi
cmake --build "$build" --target nir-import-fuzzer
corpus="$build/corpus"
mkdir -p "$corpus" "$build/findings"
if [ -d "$shared" ]; then
  find "$shared" -name '*.nir' -exec cp -n {} "$corpus/" \;
fi
export LSAN_OPTIONS="suppressions=$root/test/fuzz/lsan.supp"
"$build/bin/nir-import-fuzzer" "$corpus" -max_total_time="$seconds" \
  -max_len=1048576 -rss_limit_mb=4096 -timeout=60 \
  -artifact_prefix="$build/findings/" -print_final_stats=1
