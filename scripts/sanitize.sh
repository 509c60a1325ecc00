#!/usr/bin/env bash
# Builds SNNC with AddressSanitizer and UndefinedBehaviorSanitizer, then runs
# the NIR unit tests (every malformed file they make), the integer-semantics,
# fixed-point, generated-C, chip-image and emulator unit tests, the runtime's
# own tests, replays the fuzz corpus (test/fuzz/corpus/: hostile images,
# .npy files, targets, IR) through each fuzz target, imports every real NIR
# file beside the checkout, and quantizes, generates C for, maps and writes
# and reads the chip image of every importable one. When clang-19 and
# libFuzzer are installed and scripts/fuzz.sh has made build-fuzz/, it ends
# with a short fuzz run of each target (SNNC_SHORT_FUZZ_SECONDS each, default
# 5; 0 skips them).
# Fails on any sanitizer report; import errors on broken files are expected.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SNNC_ASAN_BUILD_DIR:-$root/build-asan}"
shared="${SNNC_SHARED_DIR:-$root/../shared}"

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSNNC_SANITIZE=ON >/dev/null
fi
fuzz_targets="nir-import chip-image npy target mlir netx xylo-spec"
cmake --build "$build" --target snnc-unit-tests snn-runtime-tests snn-translate snn-opt \
  $(for t in $fuzz_targets; do echo "$t-replay"; done)

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86
export LSAN_OPTIONS="suppressions=$root/test/fuzz/lsan.supp"
log="$build/sanitize.log"
: >"$log"

status=0
"$build/bin/snnc-unit-tests" \
  --gtest_filter='Nir*:ShapeInference*:IntegerArith*:Fixed*:CArith*:CEncode*:ChipImage*:Emulator*:RuntimeApi*:Validation.SingleLifQuantized*:Validation.Discretize*' \
  >>"$log" 2>&1 || status=$?
"$build/bin/snn-runtime-tests" >>"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -40 "$log"
  echo "sanitized unit tests failed (exit $status)"
  exit 1
fi

# check EXIT_CODE WHAT: stops at the first sanitizer report. ASan's warning
# that it returned null for an impossible size (allowed for the HDF5 readers
# below, as the tools' malloc does) is not one.
check() {
  if [ "$1" -eq 86 ] ||
     grep -v "WARNING: AddressSanitizer failed to allocate" "$log" |
       grep -q "Sanitizer\|runtime error"; then
    tail -40 "$log"
    echo "sanitizer report while $2"
    exit 1
  fi
}

# The corpus: every input must end in a result or an error, never a report.
replayed=0
for t in $fuzz_targets; do
  code=0
  options="$ASAN_OPTIONS"
  # HDF5 asks malloc for sizes a corrupt file claims and handles the null
  # it gets in the tools (scripts/fuzz.sh).
  case "$t" in nir-import|netx) options="$options:allocator_may_return_null=1" ;; esac
  ASAN_OPTIONS="$options" "$build/bin/$t-replay" "$root/test/fuzz/corpus/$t" >>"$log" 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then
    tail -40 "$log"
    echo "replaying the $t corpus failed (exit $code)"
    exit 1
  fi
  check "$code" "replaying the $t corpus"
  replayed=$((replayed + $(find "$root/test/fuzz/corpus/$t" -type f | wc -l)))
done

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

# A short fuzz run per target, in the clang tree scripts/fuzz.sh keeps
# (build-fuzz/; nothing is installed here, and the tree is not made from
# scratch inside a test: run scripts/fuzz.sh once to have it).
fuzz_build="${SNNC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
fuzzed="no short fuzz run (no clang-19 with libFuzzer, or no $fuzz_build: run scripts/fuzz.sh once)"
seconds="${SNNC_SHORT_FUZZ_SECONDS:-5}"
if [ "$seconds" -gt 0 ] && [ -f "$fuzz_build/build.ninja" ] && command -v clang++-19 >/dev/null &&
   ls /usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  for t in $fuzz_targets; do
    code=0
    "$root/scripts/fuzz.sh" "$t" "$seconds" >>"$log" 2>&1 || code=$?
    if [ "$code" -ne 0 ]; then
      tail -40 "$log"
      echo "the short fuzz run of $t found a problem (exit $code); see build-fuzz/findings/$t/"
      exit 1
    fi
  done
  fuzzed="a ${seconds} s fuzz run of each of $fuzz_targets"
elif [ "$seconds" -eq 0 ]; then
  fuzzed="no short fuzz run (SNNC_SHORT_FUZZ_SECONDS=0)"
fi
echo "sanitize: unit tests, $replayed corpus inputs, $files real NIR files (import, quantization, C, mapping, images) and $fuzzed ran clean under ASan+UBSan"
