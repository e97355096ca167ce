#!/usr/bin/env bash
# Free-threading scaling on a lent many-core machine, in one short run (device minutes are
# scarce): tools/device_ft.sh GILPY SHARED_BENCH [COUNTS]
# GILPY must run there without our libraries (a static build: docs/free-threading.md).
# Prints markdown: the machine's parallel capacity for BOTH workloads (k independent
# processes of the same work at once, throughput vs one), then --gil=none speedups of
# cpu_threads.py and bench/threads_alloc.py for N threads with efficiency = speedup /
# capacity(N); then collector variants for the allocation-heavy one at the largest N.
set -u
G=$(readlink -f "$1"); SB=$(readlink -f "$2"); COUNTS=${3:-"1 2 4 8 16"}
HERE=$(dirname "$(readlink -f "$0")"); TA=$HERE/../bench/threads_alloc.py
# Rounds of threads_alloc's work per thread (its default, 500, gives a 16-thread run only
# ~0.1 s of threaded time on a fast core; heap growth and thread start then weigh too much).
R=${TA_ROUNDS:-500}
NCPU=$(nproc)
echo "machine: $NCPU CPUs; $(lscpu 2>/dev/null | grep -E '^(Thread|Core|Socket|Model name)' | tr -s ' ' | tr '\n' ';')"
SPIN='n = 20000000
while n > 0:
    n -= 1'
now() { date +%s.%N; }
# k processes of one workload at once; prints wall seconds
procs() {
  local k=$1; shift; local t0; t0=$(now)
  for _ in $(seq "$k"); do "$@" >/dev/null 2>&1 & done; wait
  echo "$t0 $(now)" | awk '{print $2-$1}'
}
metric() { awk -v k="$1" '$1=="metric" && $2==k {print $3}'; }
declare -A CAPS CAPA
mn() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }
s1=$(mn "$(procs 1 "$G" -c "$SPIN")" "$(procs 1 "$G" -c "$SPIN")")   # baseline: best of 2
a1=$(mn "$(procs 1 "$G" "$TA" 1 "$R")" "$(procs 1 "$G" "$TA" 1 "$R")")
echo; echo "## Capacity (k processes at once, throughput vs one)"
echo "| k | spin loop | threads_alloc work |"; echo "|---|---|---|"
for k in $COUNTS; do
  sk=$(procs "$k" "$G" -c "$SPIN"); ak=$(procs "$k" "$G" "$TA" 1 "$R")
  CAPS[$k]=$(echo "$k $s1 $sk" | awk '{printf "%.2f", $1*$2/$3}')
  CAPA[$k]=$(echo "$k $a1 $ak" | awk '{printf "%.2f", $1*$2/$3}')
  echo "| $k | ${CAPS[$k]} | ${CAPA[$k]} |"
done
echo; echo "## --gil=none: speedup of N threads over the same work run sequentially (best of 2)"
echo "| N | cpu_threads speedup | / capacity | threads_alloc speedup | / capacity |"; echo "|---|---|---|---|---|"
best() {  # best speedup of 2 runs: $@ = command
  local b=0 r s t
  for _ in 1 2; do
    r=$(timeout 120 "$@" 2>&1); s=$(echo "$r" | metric sequential_s); t=$(echo "$r" | metric threaded_s)
    b=$(echo "$b $s $t" | awk '{x = ($3 > 0) ? $2/$3 : 0; print (x > $1) ? x : $1}')
  done
  echo "$b"
}
for n in $COUNTS; do
  c=$(best "$G" --gil=none "$SB/threads/cpu_threads.py" "$n")
  a=$(best "$G" --gil=none "$TA" "$n" "$R")
  echo "| $n | $(printf %.2f "$c") | $(echo "$c ${CAPS[$n]}" | awk '{printf "%.2f", $1/$2}') | $(printf %.2f "$a") | $(echo "$a ${CAPA[$n]}" | awk '{printf "%.2f", $1/$2}') |"
done
N=$(echo "$COUNTS" | awk '{print $NF}')
echo; echo "## threads_alloc at N=$N under collector settings (speedup, best of 2)"
# Knobs of gilpy's own collector (docs/gc.md); GILPY_GC_STATS=1 adds its pause totals.
for v in "DEFAULT=1" "GILPY_GC_PARALLEL=0" "GILPY_HEAP_MB=64"; do
  echo "- $v: $(printf %.2f "$(best env $v "$G" --gil=none "$TA" "$N" "$R")")"
done
echo "- collector totals at N=$N: $(GILPY_GC_STATS=1 "$G" --gil=none "$TA" "$N" "$R" 2>&1 | grep '^gilpy gc')"
# Per-cycle detail (stop/mark/restart times, allocating threads) for a later look.
[ -n "${OUT:-}" ] && GILPY_GC_STATS=2 "$G" --gil=none "$TA" "$N" "$R" >"$OUT/gcstats_$N.txt" 2>&1
echo; echo "## --gil=fair at N=$N (one lock: about 1.0 expected)"
echo "- cpu_threads: $(printf %.2f "$(best "$G" --gil=fair "$SB/threads/cpu_threads.py" "$N")")"
