#!/usr/bin/env bash
# mpi_device.sh — gilpy over MPI on a lent many-core machine that has no Open MPI, with the
# bundle from tools/make_mpi_bundle.sh (carried as devrun/mpi). The same workloads as
# tools/mpi_scaling.sh, so the numbers compare with docs/distributed.md:
#   * capacity: k independent gilpy processes of the same count loop (no MPI), k*T(1)/T(k);
#   * count: bench/mpi/count.py — cpu_threads' count() from N on every rank (weak scaling),
#     throughput speedup k*T(1)/T(k); next to it, when SHARED_BENCH has threads/cpu_threads.py,
#     the same k counts as k threads in one gilpy under --gil=none (its threaded_s);
#   * pi: bench/mpi/pi.py, SAMPLES Monte-Carlo points split over the ranks (strong scaling);
#   * allreduce of one 8-byte int, µs per call: gilpy's lowercase (object, same and new value)
#     and uppercase (buffer) forms, and C MPI_Allreduce (BUNDLE/bin/allreduce_lat_c).
# Markdown tables on stdout; medians of REPS runs. Every mpirun has a timeout (MPI_TIMEOUT s);
# one that times out skips every later run of as many ranks or more; the script stops
# measuring after BUDGET seconds or 3 failures in a row, and prints the first error lines of
# whatever failed (the preflight, 1 and 2 ranks, ends the script at once). About 1-2 minutes
# on 16 idle cores; at most about BUDGET + 2*MPI_TIMEOUT seconds.
#   usage: tools/mpi_device.sh BUNDLE SHARED_BENCH [RANK_COUNTS]
#          tools/mpi_device.sh devrun/mpi devrun/shared_bench "1 2 4 8 16"
#   env:   REPS (3), N (count, 10000000), SAMPLES (pi, 2000000), ITERS (allreduce, 1000),
#          MPI_TIMEOUT (30), BUDGET (180), MPIRUN_ARGS (extra mpirun options)
# Needs bash, coreutils and awk; nothing of Open MPI on the machine.
set -u
[ $# -ge 1 ] || { head -n 22 "$0" | tail -n +2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
B=$(cd "$1" && pwd) || exit 2
SB=${2:-}
[ -n "$SB" ] && [ -d "$SB" ] && SB=$(cd "$SB" && pwd) || SB=""
COUNTS=${3:-"1 2 4 8 16"}
REPS=${REPS:-3}
N=${N:-10000000}
SAMPLES=${SAMPLES:-2000000}
ITERS=${ITERS:-1000}
TO=${MPI_TIMEOUT:-30}
BUDGET=${BUDGET:-180}
RUN=(bash "$HERE/mpi_bundle_run.sh" "$B")
G=$B/bin/gilpy
export LD_LIBRARY_PATH=$B/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
ERR=$(mktemp /tmp/mpi_device.XXXXXX)
M=$(mktemp /tmp/mpi_device.XXXXXX)
trap 'rm -f "$ERR" "$M"' EXIT
fails=0

echo "machine: $(nproc) cores; $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"); kernel $(uname -r); $(getconf GNU_LIBC_VERSION 2>/dev/null || echo 'glibc ?'); /dev/shm $(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {printf "%.0f MiB free", $4 / 1024}')"
echo "bundle: $B ($(du -sh "$B" | cut -f1)); $(tr '\n' ';' <"$B/VERSION" 2>/dev/null)"

# ---- preflight: the loader, then MPI with 1 and 2 ranks; stop at the first failure ----
if ! "${RUN[@]}" --check; then exit 3; fi
if ! out=$(timeout -k 5 20 "$G" -c 'print("ok")' 2>&1) || [ "$out" != ok ]; then
  echo "FAIL: the bundled gilpy does not start on its own:"; echo "$out" | head -20; exit 1
fi
pre() {  # pre NP: import mpi4py and allreduce under mpirun
  timeout -k 5 "$TO" "${RUN[@]}" -np "$1" -- -c "
from mpi4py import MPI
c = MPI.COMM_WORLD
s = c.allreduce(c.rank + 1)
assert s == c.size * (c.size + 1) // 2, s
if c.rank == 0:
    print(MPI.Get_library_version().splitlines()[0].split(',')[0], '| thread level', MPI.Query_thread(), '| ranks', c.size, '| allreduce ok')
" 2>"$ERR"
}
for np in 1 2; do
  msg=$(pre $np); rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL: mpirun -np $np did not run (exit $rc$([ $rc = 124 ] && echo ": timed out after ${TO}s")); first lines of its output:"
    echo "$msg" | head -10; head -40 "$ERR"
    exit 1
  fi
done
echo "preflight: $msg"

# ---- helpers ----
median() { sort -g | awk 'NF {a[++n] = $1} END {if (n == 0) print "nan"; else if (n % 2) print a[(n + 1) / 2]; else print (a[n / 2] + a[n / 2 + 1]) / 2}'; }
budget_ok() { [ "$SECONDS" -lt "$BUDGET" ] && [ "$fails" -lt 3 ]; }
MAXNP=1000000   # lowered below the rank count of an mpirun that timed out: larger ones are skipped
mpi() {  # mpi NP [--exe PROG | --] ARGS...: one mpirun under a timeout; prints its "metric" lines
  local np=$1 out rc; shift
  if [ "$np" -gt "$MAXNP" ]; then return 1; fi
  out=$(timeout -k 5 "$TO" "${RUN[@]}" -np "$np" "$@" 2>"$ERR"); rc=$?
  if [ $rc -ne 0 ] || ! [[ $out == *metric* ]]; then
    fails=$((fails + 1))
    if [ $rc = 124 ] || [ $rc = 137 ]; then MAXNP=$((np - 1)); fi
    { echo "FAIL (exit $rc$([ $rc = 124 ] && echo ", timed out after ${TO}s: runs of $np ranks or more are skipped")): mpirun -np $np $*"
      echo "$out" | head -5; head -15 "$ERR"; } >&2
    return 1
  fi
  fails=0
  echo "$out" | awk '$1 == "metric"'
}
get() { awk -v k="$1" '$2 == k {print $3}'; }   # get KEY < metric lines
reps() {  # reps FILE NP ARGS...: REPS runs' metric lines, one run after another, into FILE
  local f=$1; shift; : >"$f"
  for _ in $(seq "$REPS"); do mpi "$@" >>"$f" || return 1; done
}
spin="n = $N
while n > 0:
    n -= 1"
procs() {  # wall seconds for k independent gilpy processes of the count loop
  local k=$1 t0 t1
  t0=$(date +%s.%N)
  for _ in $(seq "$k"); do timeout -k 5 "$TO" "$G" -c "$spin" & done
  wait
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{printf "%.4f\n", $2 - $1}'
}
ft() {  # ft K: cpu_threads.py K under --gil=none, threaded_s (K threads of count(10M))
  timeout -k 5 "$TO" "$G" --gil=none "$SB/threads/cpu_threads.py" "$1" 2>>"$ERR" | awk '$2 == "threaded_s" {print $3}'
}
FT=0
if [ -n "$SB" ] && [ -f "$SB/threads/cpu_threads.py" ]; then
  FT=1
  ftn=$(awk -F'= *' '/^N = /{gsub(/_/, "", $2); print $2; exit}' "$SB/threads/cpu_threads.py")
  [ "$ftn" = "$N" ] || echo "note: cpu_threads.py counts from $ftn, count.py here from $N"
fi

# ---- scaling ----
echo
echo "## gilpy over MPI: capacity, count (weak scaling), pi (strong scaling); medians of $REPS"
echo
echo "capacity: k independent gilpy processes counting down from $N; count: every rank counts"
echo "down from $N (cpu_threads' count()), speedup = k*T(1)/T(k); pi: $SAMPLES points split"
echo "over the ranks, speedup = T(1)/T(k)."
echo
hdr="| ranks | capacity (k procs) | count wall s | count speedup | pi wall s | pi speedup | pi |"
sep="|---|---|---|---|---|---|---|"
if [ $FT = 1 ]; then
  hdr="$hdr k threads --gil=none wall s | threads speedup |"; sep="$sep---|---|"
fi
echo "$hdr"; echo "$sep"
cap1=$(for _ in $(seq "$REPS"); do procs 1; done | median)
c1=""; p1=""; f1=""
for k in $COUNTS; do
  if ! budget_ok; then echo "| $k | (skipped: ${SECONDS}s used or repeated failures) |"; continue; fi
  capk=$(for _ in $(seq "$REPS"); do procs "$k"; done | median)
  cap=$(awk -v k="$k" -v a="$cap1" -v b="$capk" 'BEGIN {printf "%.2f", k * a / b}')
  ct=nan; pt=nan; pv=nan
  reps "$M" "$k" -- "$REPO/bench/mpi/count.py" "$N" && ct=$(get wall_s <"$M" | median)
  reps "$M" "$k" -- "$REPO/bench/mpi/pi.py" "$SAMPLES" && { pt=$(get wall_s <"$M" | median); pv=$(get pi <"$M" | head -1); }
  [ -z "$c1" ] && c1=$ct; [ -z "$p1" ] && p1=$pt
  row=$(awk -v k="$k" -v cap="$cap" -v ct="$ct" -v c1="$c1" -v pt="$pt" -v p1="$p1" -v pv="$pv" 'BEGIN {
    cs = (ct + 0 > 0 && c1 + 0 > 0) ? sprintf("%.2f", k * c1 / ct) : "nan";
    ps = (pt + 0 > 0 && p1 + 0 > 0) ? sprintf("%.2f", p1 / pt) : "nan";
    printf "| %d | %s | %s | %s | %s | %s | %s |", k, cap, ct, cs, pt, ps, pv }')
  if [ $FT = 1 ]; then
    fk=$(for _ in $(seq "$REPS"); do ft "$k"; done | median)
    [ -z "$f1" ] && f1=$fk
    row="$row $(awk -v k="$k" -v f="$fk" -v f1="$f1" 'BEGIN {printf "%s | %s |", f, (f + 0 > 0) ? sprintf("%.2f", k * f1 / f) : "nan"}')"
  fi
  echo "$row"
done

# ---- allreduce latency ----
echo
echo "## allreduce of one 8-byte int, µs per call ($ITERS calls after 100 warm-up), rank 0; medians of $REPS"
echo
HAVE_C=0; [ -x "$B/bin/allreduce_lat_c" ] && HAVE_C=1
if [ $HAVE_C = 1 ]; then
  echo "| ranks | C MPI_Allreduce | gilpy Allreduce (buffer) | gilpy allreduce (object, same value) | gilpy allreduce (object, new value) |"
  echo "|---|---|---|---|---|"
else
  echo "| ranks | gilpy Allreduce (buffer) | gilpy allreduce (object, same value) | gilpy allreduce (object, new value) |"
  echo "|---|---|---|---|"
fi
for k in $COUNTS; do
  [ "$k" -ge 2 ] || continue
  if ! budget_ok; then echo "| $k | (skipped: ${SECONDS}s used or repeated failures) |"; continue; fi
  mb=nan; mo=nan; mv=nan; cu=nan
  if reps "$M" "$k" -- "$REPO/bench/mpi/allreduce_lat.py" "$ITERS"; then
    mb=$(get Allreduce_buf_us <"$M" | median); mo=$(get allreduce_obj_us <"$M" | median)
    mv=$(get allreduce_obj_varying_us <"$M" | median)
  fi
  if [ $HAVE_C = 1 ]; then
    reps "$M" "$k" --exe "$B/bin/allreduce_lat_c" -- "$ITERS" && cu=$(get allreduce_c_us <"$M" | median)
    echo "| $k | $cu | $mb | $mo | $mv |"
  else
    echo "| $k | $mb | $mo | $mv |"
  fi
done
echo
echo "mpi_device: done in ${SECONDS}s"
