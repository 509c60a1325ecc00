#!/usr/bin/env bash
# same-on-ranks.sh SNN_RUN MPIRUN DIR "K..." -- ARGS...
#
# Runs `snn-run ARGS` on one rank (no mpirun), then under `MPIRUN -np K` for
# each K, each in DIR/<K> (@OUT@ in ARGS stands for that folder), and checks
# that every file written, stdout and stderr are byte-identical to the
# one-rank run's. Only the wall-clock time differs between any two runs: the
# summary JSON's "seconds" line and the "in 0.012 s" of the table are left
# out of the comparison. Prints one line per rank count; exit 1 at the
# first difference.
set -u
snn_run=$1 mpirun=$2 dir=$3 counts=$4
shift 4
[ "${1:-}" = -- ] && shift

run() {
  local k=$1 out=$dir/$1
  shift
  rm -rf "$out" && mkdir -p "$out"
  local args=("${@//@OUT@/$out}")
  if [ "$k" = 1 ]; then
    "$snn_run" "${args[@]}" >"$out/stdout.txt" 2>"$out/stderr.txt"
  else
    $mpirun -np "$k" "$snn_run" "${args[@]}" >"$out/stdout.txt" 2>"$out/stderr.txt"
  fi || { echo "snn-run failed on $k ranks:"; cat "$out/stderr.txt"; exit 1; }
}

# The file without its wall-clock figures.
timeless() {
  case "$1" in
  */stdout.txt) sed -E 's/ in [0-9.]+ s/ in - s/' "$1" ;;
  *.json) grep -v '"seconds":' "$1" ;;
  *) cat "$1" ;;
  esac
}

run 1 "$@"
files=$(cd "$dir/1" && find . -type f | sort)
for k in $counts; do
  run "$k" "$@"
  other=$(cd "$dir/$k" && find . -type f | sort)
  if [ "$files" != "$other" ]; then
    echo "$k ranks wrote other files:"; diff <(echo "$files") <(echo "$other")
    exit 1
  fi
  n=0
  for f in $files; do
    if ! cmp -s <(timeless "$dir/1/$f") <(timeless "$dir/$k/$f"); then
      echo "$f differs between 1 and $k ranks:"
      diff <(timeless "$dir/1/$f") <(timeless "$dir/$k/$f") | head -20
      exit 1
    fi
    n=$((n + 1))
  done
  echo "identical on $k ranks: $n files"
done
