#!/usr/bin/env bash
# Builds SNNC with AddressSanitizer and UndefinedBehaviorSanitizer, then runs
# the NIR unit tests (every malformed file they make), the integer-semantics,
# fixed-point, generated-C, chip-image and emulator unit tests, imports every
# real NIR file beside the checkout, and quantizes, generates C for, maps and
# writes and reads the chip image of every importable one.
# Fails on any sanitizer report; import errors on broken files are expected.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_ASAN_BUILD_DIR:-$root/build-asan}"
shared="${SNNC_SHARED_DIR:-$root/../shared}"

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSNNC_SANITIZE=ON >/dev/null
fi
cmake --build "$build" --target snnc-unit-tests snn-translate snn-opt

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
export LSAN_OPTIONS="suppressions=$root/test/fuzz/lsan.supp"
log="$build/sanitize.log"
: >"$log"

status=0
"$build/bin/snnc-unit-tests" \
  --gtest_filter='Nir*:ShapeInference*:IntegerArith*:Fixed*:CArith*:CEncode*:ChipImage*:Emulator*:RuntimeApi*:Validation.SingleLifQuantized*:Validation.Discretize*' \
  >>"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -40 "$log"
  echo "sanitized unit tests failed (exit $status)"
  exit 1
fi

# check EXIT_CODE WHAT: stops at the first sanitizer report.
check() {
  if [ "$1" -eq 86 ] || grep -q "Sanitizer\|runtime error" "$log"; then
    tail -40 "$log"
    echo "sanitizer report while $2"
    exit 1
  fi
}

files=0
if [ -d "$shared" ]; then
  while IFS= read -r file; do
    files=$((files + 1))
    code=0
    "$build/bin/snn-translate" --import-nir "$file" -o /dev/null >>"$log" 2>&1 || code=$?
    check "$code" "importing $file"
    # What imports also quantizes and becomes C (or says why not).
    if [ "$code" -eq 0 ]; then
      code=0
      { "$build/bin/snn-translate" --import-nir "$file" |
          "$build/bin/snn-opt" --snn-quantize |
          "$build/bin/snn-translate" --emit-c -o /dev/null; } >>"$log" 2>&1 || code=$?
      check "$code" "quantizing or generating C for $file"
      # Onto the many-core target, to an image and back (or why not).
      target="$root/targets/loihi-class.json"
      code=0
      { "$build/bin/snn-translate" --import-nir "$file" |
          "$build/bin/snn-opt" --snn-quantize=target="$target" |
          "$build/bin/snn-opt" --snn-map=target="$target" |
          "$build/bin/snn-translate" --emit-image |
          "$build/bin/snn-translate" --import-image -o /dev/null; } >>"$log" 2>&1 || code=$?
      check "$code" "mapping or imaging $file"
    fi
  done < <(find "$shared" -name '*.nir' | sort)
else
  echo "no shared/ folder at $shared: only the unit tests ran"
fi
check 0 "running the unit tests and tools"
echo "sanitize: unit tests and $files real NIR files (import, quantization, C, mapping, images) ran clean under ASan+UBSan"
