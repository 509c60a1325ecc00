#!/usr/bin/env bash
# Fuzzes one of SNNC's readers with libFuzzer (clang-19, ASan+UBSan):
#
#   scripts/fuzz.sh TARGET [SECONDS]      (default 60 s; 0: until stopped)
#
# TARGET: nir-import, chip-image, npy, target, mlir, netx, xylo-spec
# (docs/robustness.md).
# The run starts from test/fuzz/corpus/TARGET/ (and, for nir-import, the real
# NIR files beside the checkout), keeps what it finds in
# build-fuzz/corpus/TARGET/ and writes crashing inputs to
# build-fuzz/findings/TARGET/. Extra arguments go to libFuzzer (e.g. -jobs=2).
# Exits non-zero when libFuzzer finds a crash, a leak, a timeout or an
# allocation beyond its limits.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
targets="nir-import chip-image npy target mlir netx xylo-spec"
target="${1:-}"
if [[ "$target" =~ ^[0-9]+$ ]]; then # the old form: fuzz.sh SECONDS
  set -- nir-import "$@"
  target=nir-import
fi
if [ -z "$target" ] || [[ " $targets " != *" $target "* ]]; then
  echo "usage: $0 TARGET [SECONDS] [libFuzzer options]; TARGET is one of: $targets" >&2
  exit 2
fi
seconds="${2:-60}"
shift $(( $# < 2 ? $# : 2 ))
build="${SNNC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
shared="${SNNC_SHARED_DIR:-$root/../shared}"
if ! command -v clang++-19 >/dev/null ||
   [ ! -d /usr/lib/llvm-19/lib/clang/19/lib/linux ] ||
   ! ls /usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  apt-get install -y -qq clang-19 libclang-rt-19-dev
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-19 CXX=clang++-19 cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSNNC_FUZZ=ON >/dev/null
fi
cmake --build "$build" --target "$target-fuzzer" -j "${SNNC_FUZZ_BUILD_JOBS:-2}"

corpus="$build/corpus/$target"
findings="$build/findings/$target"
mkdir -p "$corpus" "$findings"
seeds=("$root/test/fuzz/corpus/$target")
if [ "$target" = nir-import ] && [ -d "$shared" ]; then
  find "$shared" -name '*.nir' -size -2M -exec cp -n {} "$corpus/" \;
fi
# NIR files are larger (the real ones beside the checkout are the seeds).
# The netx seeds are those of test/fuzz/corpus/netx/ only: the real files
# beside the checkout, of 126 and 428 KB, slowed each execution tenfold.
# Both targets read in process, the code the tools run in their child.
limits=(-max_len=65536 -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20)
if [ "$target" = nir-import ]; then
  limits=(-max_len=1048576 -rss_limit_mb=4096 -timeout=60)
fi
dict=()
if [ -f "$root/test/fuzz/$target.dict" ]; then
  dict=("-dict=$root/test/fuzz/$target.dict")
fi
export LSAN_OPTIONS="suppressions=$root/test/fuzz/lsan.supp"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# HDF5 asks malloc for sizes a corrupt file claims (4 GiB for a local heap,
# 2^56 bytes in H5C_protect) and handles the null it gets, as in the tools,
# where such memory is never touched. ASan returns null above the malloc
# limit instead of aborting, before libFuzzer's malloc hook would call it an
# out-of-memory; SNNC's own code, which never asks that much, would throw
# std::bad_alloc and be reported as a crash.
if [ "$target" = nir-import ] || [ "$target" = netx ]; then
  malloc_mb=1024
  [ "$target" = nir-import ] && malloc_mb=4096
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=$malloc_mb"
fi
fuzz() {
  "$build/bin/$target-fuzzer" "$corpus" "${seeds[@]}" "${dict[@]}" \
    "${limits[@]}" -artifact_prefix="$findings/" -print_final_stats=1 "$@"
}
if [ "$target" != nir-import ] && [ "$target" != netx ]; then
  fuzz -max_total_time="$seconds" "$@"
  exit
fi

# HDF5 1.10 itself crashes on some corrupt files (it writes through the null
# malloc returned for a size the file claims, or reads past its own buffers,
# docs/robustness.md): the tools read in a child and report it; in process
# it ends the run. Such a report is set aside and the run goes on from the
# grown corpus, when it is HDF5's: ASan's first frame past libc and the
# sanitizers is in libhdf5, the memory (if the report names an allocation)
# is HDF5's own (for an out-of-memory: the largest live allocations are
# HDF5's), and the release tool (build/bin/snn-translate, which must be
# built) refuses the input with exit status 1. Anything else stops the run.
# -runs=N counts over the restarts.
runs=0
rest=()
for a in "$@"; do
  case "$a" in -runs=*) runs="${a#-runs=}" ;; *) rest+=("$a") ;; esac
done
tool="$root/build/bin/snn-translate"
import_flag=--import-nir
[ "$target" = netx ] && import_flag=--import-netx
mkdir -p "$findings/hdf5"
log="$build/fuzz-$target-$$.log" # one per run: runs may share a corpus
start=$SECONDS executed=0 hdf5_crashes=0
first_frame() { # the first frame of a stack past libc, ASan and libFuzzer
  grep -E '^ +#[0-9]+ ' |
    grep -vE 'libc\.so|/string/|sysdeps|sanitizer|asan|fuzzer::| in (memcpy|memmove|memset|strdup|strlen|malloc|calloc|realloc) ' |
    head -1
}
hdf5_crash() { # LOG ARTIFACT
  local report frame allocator
  report=$(sed -n '/ERROR: AddressSanitizer: /,/^SUMMARY/p' "$1")
  if [ -n "$report" ]; then
    frame=$(sed '/allocated by thread/,$d' <<<"$report" | first_frame)
    [[ "$frame" == *libhdf5* ]] || return 1
    if grep -q "allocated by thread" <<<"$report"; then
      allocator=$(sed -n '/allocated by thread/,$p' <<<"$report" | first_frame)
      [[ "$allocator" == *libhdf5* ]] || return 1
    fi
  else
    # Out of memory: the largest live allocations must be HDF5's.
    report=$(sed -n '/ERROR: libFuzzer: out-of-memory (used:/,/^SUMMARY/p' "$1")
    [ -n "$report" ] || return 1
    allocator=$(sed -n '/Live Heap Allocations/,$p' <<<"$report" |
      sed -n '/byte(s)/,/^$/p' | sed '/^$/,$d' | first_frame)
    [[ "$allocator" == *libhdf5* ]] || return 1
  fi
  if [ ! -x "$tool" ]; then
    echo "fuzz.sh: $tool is not built, so this HDF5 crash cannot be replayed through the release tool: it stops the run (build it to set such crashes aside)" >&2
    return 1
  fi
  local code=0
  timeout 120 "$tool" "$import_flag" "$2" -o /dev/null >/dev/null 2>&1 || code=$?
  [ "$code" -eq 1 ]
}
while :; do
  left=()
  if [ "$runs" -gt 0 ]; then
    [ "$executed" -ge "$runs" ] && break
    left=(-runs=$((runs - executed)))
  fi
  time_left=0
  if [ "$seconds" -gt 0 ]; then
    time_left=$((seconds - (SECONDS - start)))
    [ "$time_left" -le 0 ] && break
  fi
  code=0
  fuzz -max_total_time="$time_left" "${left[@]}" "${rest[@]}" >"$log" 2>&1 || code=$?
  cat "$log"
  done_now=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  executed=$((executed + ${done_now:-0}))
  [ "$code" -eq 0 ] && break
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  if [ -z "$artifact" ] || ! hdf5_crash "$log" "$artifact"; then
    echo "fuzz.sh: $target stopped on a finding after $executed executions"
    exit "$code"
  fi
  hdf5_crashes=$((hdf5_crashes + 1))
  mv "$artifact" "$findings/hdf5/"
  cp "$log" "$findings/hdf5/$(basename "$artifact").log"
done
echo "fuzz.sh: $target: $executed executions in $((SECONDS - start)) s;" \
  "$hdf5_crashes crashes inside HDF5 set aside ($findings/hdf5/), no other finding"
