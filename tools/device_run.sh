#!/usr/bin/env bash
# Beazley's three experiments and the free-threading scaling, on a lent many-core machine,
# in one short run (the device budget is minutes):
#   tools/device_run.sh GILPY SHARED_BENCH OUTDIR
# GILPY must be statically linked (the device has none of our libraries). Writes markdown
# tables to stdout and timeline pictures to OUTDIR. taskset pins runs to 1 or 2 cores to
# reproduce the 2009/2010 machines.
set -u
G=$(readlink -f "$1"); SB=$(readlink -f "$2"); OUT=${3:-/tmp/out}; mkdir -p "$OUT"
HERE=$(dirname "$(readlink -f "$0")")
DEMO=$HERE/gil_demo.py
NCPU=$(nproc)
POLS="ticks switch fair none"
echo "machine: $NCPU cores, $(python3 --version 2>&1 || echo 'no python3')"
spin='n = 30_000_000
while n > 0:
    n -= 1'
cap() {
  local k=$1 t0 t1
  t0=$(date +%s.%N)
  for i in $(seq "$k"); do "$G" -c "$spin" & done
  wait
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{print $2-$1}'
}
echo; echo "## Capacity: k processes of one CPU-bound loop"
echo "| processes | wall s | throughput vs 1 |"; echo "|---|---|---|"
t1=$(cap 1)
for k in 1 2 4 8 16; do [ "$k" -gt "$NCPU" ] && break; tk=$(cap "$k"); echo "| $k | $tk | $(echo "$k $t1 $tk" | awk '{printf "%.2f", $1*$2/$3}') |"; done

N=20000000
echo; echo "## Experiment 1: countdown($N) twice, sequential vs two threads"
echo "| cores | policy | sequential s | two threads s | threads / sequential |"; echo "|---|---|---|---|---|"
for cores in 0 0,1 all; do
  for p in $POLS; do
    pin=(); [ "$cores" != all ] && pin=(taskset -c "$cores")
    s=$(timeout 120 "${pin[@]}" "$G" --gil=$p "$DEMO" seq $N | awk '{print $2}')
    tl=(); [ "$cores" = 0,1 ] && tl=(--gil-timeline="$OUT/exp1-2cores-$p.svg")
    t=$(timeout 120 "${pin[@]}" "$G" --gil=$p "${tl[@]}" "$DEMO" threads $N | awk '{print $2}')
    ncores=$([ "$cores" = all ] && echo $NCPU || echo "$cores" | awk -F, '{print NF}')
    echo "| $ncores | $p | $s | $t | $(echo "$s $t" | awk '{if ($1>0) printf "%.2f", $2/$1}') |"
  done
  if command -v python3 >/dev/null; then
    pin=(); [ "$cores" != all ] && pin=(taskset -c "$cores")
    s=$("${pin[@]}" python3 "$DEMO" seq $N | awk '{print $2}'); t=$("${pin[@]}" python3 "$DEMO" threads $N | awk '{print $2}')
    echo "| $ncores | CPython | $s | $t | $(echo "$s $t" | awk '{if ($1>0) printf "%.2f", $2/$1}') |"
  fi
done

echo; echo "## Experiment 2: an I/O thread next to a CPU-bound thread ($NCPU cores)"
for prog in wakeup convoy echo_server pingpong; do
  for p in ticks switch fair; do
    tl=(); [ "$prog" = wakeup ] && tl=(--gil-timeline="$OUT/exp2-wakeup-$p.svg")
    echo "$prog [$p]: $(timeout 120 "$G" --gil=$p "${tl[@]}" "$SB/threads/$prog.py" 2>&1 | tr '\n' ' ')"
  done
  command -v python3 >/dev/null && echo "$prog [CPython]: $(timeout 120 python3 "$SB/threads/$prog.py" 2>&1 | tr '\n' ' ')"
done

echo; echo "## Experiment 3: more threads than cores (cpu_threads.py)"
echo "| cores | threads | policy | sequential s | threaded s | threaded / sequential |"; echo "|---|---|---|---|---|---|"
for spec in "0,1 8" "all 32"; do
  set -- $spec; cores=$1; n=$2
  for p in $POLS; do
    pin=(); [ "$cores" != all ] && pin=(taskset -c "$cores")
    r=$(timeout 150 "${pin[@]}" "$G" --gil=$p "$SB/threads/cpu_threads.py" "$n" 2>&1)
    ncores=$([ "$cores" = all ] && echo $NCPU || echo 2)
    echo "| $ncores | $n | $p | $(echo "$r" | awk '/sequential_s/{print $3}') | $(echo "$r" | awk '/threaded_s/{print $3}') | $(echo "$r" | awk '/threaded_over/{print $3}') |"
  done
done

echo; echo "## Free threading: cpu_threads.py N (speedup = sequential / threaded; ideal N, capped by capacity)"
echo "| policy | threads | sequential s | threaded s | speedup |"; echo "|---|---|---|---|---|"
for p in fair none; do
  for n in 1 2 4 8 16; do
    r=$(timeout 120 "$G" --gil=$p "$SB/threads/cpu_threads.py" "$n" 2>&1)
    s=$(echo "$r" | awk '/sequential_s/{print $3}'); t=$(echo "$r" | awk '/threaded_s/{print $3}')
    echo "| $p | $n | $s | $t | $(echo "$s $t" | awk '{if ($2>0) printf "%.2f", $1/$2}') |"
  done
done
if [ -f "$HERE/threads_alloc.py" ]; then
  echo; echo "## Free threading: threads_alloc.py N (allocation- and dict-heavy)"
  for p in fair none; do for n in 1 2 4 8 16; do
    echo "$p $n: $(timeout 120 "$G" --gil=$p "$HERE/threads_alloc.py" "$n" 2>&1 | tr '\n' ' ')"
  done; done
fi
