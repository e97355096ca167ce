#!/usr/bin/env bash
# run_fuzz.sh BUILD_DIR SECONDS [WORK_DIR] — runs both libFuzzer harnesses (fuzz_compile,
# fuzz_run, built with -DGILPY_FUZZ=ON) side by side for SECONDS each, seeded from every
# Python file under tests/ and lib/. Exits non-zero if either found a crash, a sanitizer
# report, a timeout or an out-of-memory; the reproducer is WORK_DIR/<harness>/crash-* (or
# timeout-*/oom-*): replay it with `BUILD_DIR/<harness> FILE`, then make it a regression
# test (tests/badinput/cases for front-end inputs, tests/py for programs).
# Invariants: the seed corpus is rebuilt from the tree every run; new corpus entries go to
# WORK_DIR/<harness>/corpus, so repeated local runs keep what earlier runs learned.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
secs="$2"
work="${3:-$build/fuzz-work}"
mkdir -p "$work/seeds" "$work/seeds-run"
work="$(cd "$work" && pwd)"   # absolute: each harness runs from its own sandbox folder
find "$root/tests" "$root/lib" -name '*.py' -size -64k | while read -r f; do
  name=$(echo "${f#$root/}" | tr '/' '_')
  cp "$f" "$work/seeds/$name"
  # fuzz_run skips any input that says "import" (its sandbox): drop the import lines.
  grep -a -v -E '^[[:space:]]*(import|from)[[:space:]]' "$f" > "$work/seeds-run/$name" || true
done
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
pids=()
for h in fuzz_compile fuzz_run; do
  mkdir -p "$work/$h/corpus" "$work/$h/sandbox"
  maxlen=16384; seeds="$work/seeds"
  [ "$h" = fuzz_run ] && maxlen=4096 && seeds="$work/seeds-run"
  # The sandbox cwd keeps anything a program manages to write away from the tree.
  (cd "$work/$h/sandbox" && exec "$build/$h" -max_total_time="$secs" -timeout=30 \
      -rss_limit_mb=4096 -max_len=$maxlen -detect_leaks=0 -print_final_stats=1 \
      -timeout_exitcode="${FUZZ_TIMEOUT_EXITCODE:-70}" \
      -artifact_prefix="$work/$h/" "$work/$h/corpus" "$seeds") >"$work/$h.log" 2>&1 &
  pids+=($!)
done
status=0
for i in 0 1; do
  h=$([ $i = 0 ] && echo fuzz_compile || echo fuzz_run)
  if ! wait "${pids[$i]}"; then
    status=1
    echo "FUZZ $h found a problem (log $work/$h.log):"
    grep -E "ERROR|SUMMARY|Test unit written|deadly signal|runtime error" "$work/$h.log" | head -8
  fi
  echo "fuzz $h: $(grep -E '^stat::number_of_executed_units' "$work/$h.log" | awk '{print $2}') inputs in ${secs}s"
done
for t in "$work"/fuzz_*/timeout-*; do
  [ -e "$t" ] && echo "NOTE: a unit ran longer than 30 s (replay: $build/<harness> $t)"
done
exit $status
