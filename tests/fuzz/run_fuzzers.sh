#!/bin/sh
# Runs each libFuzzer target over a scratch copy of its kept corpus for a bounded time.
#
#   sh tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS      (make fuzz FUZZ_SECONDS=60)
#
# The kept corpus in tests/fuzz/corpus/<target>/ is copied to a temporary directory, so
# a CI run never modifies the repository; new inputs found during the run are dropped
# with it (copy them back by hand, after `-merge=1`, to grow the kept corpus). Crash,
# timeout and out-of-memory inputs are saved to BUILD_DIR/fuzz-artifacts/<target>/ and
# make the run fail. Prints one summary line per target and "N passed, M failed";
# exits 1 if any target failed.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
seconds=$2
case $seconds in
  '' | *[!0-9]*) echo "$0: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
dict=$here/dict/scenario.dict
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sagasim-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
summaries=

count_files() { find "$1" -type f | wc -l | tr -d ' '; }

for target in scenario_loader event_decoder; do
  binary=$build_dir/fuzz_$target
  kept=$here/corpus/$target
  artifacts=$build_dir/fuzz-artifacts/$target
  log=$scratch/$target.log
  corpus=$scratch/corpus-$target
  if [ ! -x "$binary" ]; then
    line="fuzz_$target: FAILED (no binary $binary; build it with -DSAGASIM_FUZZ=ON)"
    failed=$((failed + 1))
    summaries="$summaries$line
"
    echo "$line"
    continue
  fi
  mkdir -p "$corpus" "$artifacts"
  cp "$kept"/* "$corpus"/
  before=$(count_files "$corpus")

  echo "== fuzz_$target: ${seconds}s over $before kept inputs (log: $build_dir/fuzz-$target.log)"
  "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -dict="$dict" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  status=$?
  cp "$log" "$build_dir/fuzz-$target.log"

  # libFuzzer's own count at the end (a reduced input leaves its old file behind).
  after=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
  [ -n "$after" ] || after=$(count_files "$corpus")
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
  runs=$(echo "$done_line" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p')
  secs=$(echo "$done_line" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p')
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p')

  if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
    passed=$((passed + 1))
    line="fuzz_$target: ok, $runs executions in ${secs}s, corpus $before -> $after inputs${cov:+, $cov}"
  else
    failed=$((failed + 1))
    reason=$(grep -E 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer)|SUMMARY: |runtime error:' "$log" |
             head -n 1)
    artifact=$(grep -E 'Test unit written to' "$log" | tail -n 1 | sed 's/.*Test unit written to //')
    line="fuzz_$target: FAILED (exit $status)${reason:+: $reason}${artifact:+; input: $artifact}"
    echo "--- last lines of the log:"
    tail -n 40 "$log"
  fi
  summaries="$summaries$line
"
  echo "$line"
done

echo
printf '%s' "$summaries"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
