#!/usr/bin/env bash
# Multi-core measurements for a lent many-core machine, in one short run.
#   tools/scaling_device.sh GILPY OUTDIR
# GILPY is a statically linked gilpy (the device machine has none of our libraries).
# Prints markdown tables: the machine's parallel capacity (independent processes), the
# lock policies on Beazley's CPU-thread experiment for 1..N threads, and the latency
# benchmarks under each policy next to the machine's python3 (if any).
set -u
G=$(readlink -f "$1"); OUT=${2:-/tmp/out}; mkdir -p "$OUT"
B=$(dirname "$(readlink -f "$0")")/../bench
SB=${SHARED_BENCH:-$(dirname "$(readlink -f "$0")")/../shared_bench}
NCPU=$(nproc)
echo "machine: $NCPU cores; python3: $(python3 --version 2>&1 || echo none)"
spin='n = 30_000_000
while n > 0:
    n -= 1'
cap() {  # wall time for k concurrent processes each doing the same work
  local k=$1 t0 t1
  t0=$(date +%s.%N)
  for i in $(seq "$k"); do "$G" -c "$spin" & done
  wait
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{print $2-$1}'
}
echo
echo "## Capacity: k processes of the same CPU-bound loop (throughput relative to 1)"
echo "| processes | wall s | throughput vs 1 |"
echo "|---|---|---|"
t1=$(cap 1)
for k in 1 2 4 8 16; do
  [ "$k" -gt "$NCPU" ] && break
  tk=$(cap "$k")
  echo "| $k | $tk | $(echo "$k $t1 $tk" | awk '{printf "%.2f", $1*$2/$3}') |"
done
echo
echo "## cpu_threads.py: N threads each counting 10M (threaded / sequential; speedup = sequential / threaded)"
echo "| policy | threads | sequential s | threaded s | threaded/sequential | speedup |"
echo "|---|---|---|---|---|---|"
for pol in ticks switch fair none; do
  for n in 1 2 4 8 16; do
    [ "$n" -gt "$NCPU" ] && break
    r=$(timeout 120 "$G" --gil=$pol "$SB/threads/cpu_threads.py" "$n" 2>&1)
    s=$(echo "$r" | awk '/sequential_s/{print $3}'); t=$(echo "$r" | awk '/threaded_s/{print $3}')
    echo "| $pol | $n | $s | $t | $(echo "$r" | awk '/threaded_over/{print $3}') | $(echo "$s $t" | awk '{if ($2>0) printf "%.2f", $1/$2}') |"
  done
done
if [ -f "$B/threads_alloc.py" ]; then
  echo
  echo "## threads_alloc.py (allocation- and dict-heavy work per thread)"
  for pol in fair none; do
    for n in 1 2 4 8 16; do
      [ "$n" -gt "$NCPU" ] && break
      echo "policy $pol threads $n: $(timeout 120 "$G" --gil=$pol "$B/threads_alloc.py" "$n" 2>&1 | tr '\n' ' ')"
    done
  done
fi
if command -v python3 >/dev/null; then
  echo
  echo "## CPython on this machine: cpu_threads.py"
  for n in 2 4 16; do echo "threads $n: $(timeout 120 python3 "$SB/threads/cpu_threads.py" "$n" 2>&1 | tr '\n' ' ')"; done
fi
echo
echo "## Latency benchmarks (gilpy per policy; CPython last)"
for prog in wakeup pingpong convoy; do
  for pol in ticks switch fair; do
    echo "$prog [$pol]: $(timeout 120 "$G" --gil=$pol "$SB/threads/$prog.py" 2>&1 | tr '\n' ' ')"
  done
  command -v python3 >/dev/null && echo "$prog [CPython]: $(timeout 120 python3 "$SB/threads/$prog.py" 2>&1 | tr '\n' ' ')"
done
