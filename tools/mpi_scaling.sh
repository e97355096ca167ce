#!/usr/bin/env bash
# mpi_scaling.sh — gilpy over MPI (issue 9, docs/distributed.md): scaling tables for
#   * count: cpu_threads' count() from 10M on every rank at once (weak scaling);
#     throughput speedup = N * T(1 rank) / T(N ranks),
#   * pi: Monte-Carlo pi, SAMPLES points split over the ranks (strong scaling);
#     speedup = T(1) / T(N),
# each against the machine's capacity measured in the same run: k independent gilpy
# processes running the same count loop at once (no MPI), throughput k*T(1)/T(k);
# and the latency of an 8-byte allreduce (µs per call, 1000 calls): gilpy's lowercase
# (pickled) and uppercase (buffer) forms against C (tests/mpi/allreduce_lat.c, built
# here with mpicc). Also CPython + mpi4py on the same programs when
# /usr/bin/python3 has it (Debian: apt-get install python3-mpi4py).
# Medians of REPS runs (a shared machine drifts).
#
# Needs Open MPI (apt-get install openmpi-bin libopenmpi-dev) and a gilpy built with it.
# The device machines may not have Open MPI installed: then this script says so and
# exits 0 without measuring (it cannot fabricate numbers).
#   usage: tools/mpi_scaling.sh [GILPY] [RANK_COUNTS]   e.g. tools/mpi_scaling.sh build/gilpy "1 2 4 8 16"
#   env:   REPS (default 3), SAMPLES (pi, default 2000000), N (count, default 10000000),
#          CPYTHON (default /usr/bin/python3; "" to skip), MPIRUN_ARGS (extra mpirun flags)
set -uo pipefail
cd "$(dirname "$0")/.."
GILPY=${1:-build/gilpy}
COUNTS=${2:-"1 2 4"}
REPS=${REPS:-3}
SAMPLES=${SAMPLES:-2000000}
N=${N:-10000000}
CPYTHON=${CPYTHON-/usr/bin/python3}

if ! command -v mpirun >/dev/null 2>&1; then
  echo "mpi_scaling: mpirun not found: Open MPI is not installed here (apt-get install openmpi-bin libopenmpi-dev); nothing measured"
  exit 0
fi
if [ ! -x "$GILPY" ]; then
  echo "mpi_scaling: $GILPY not found or not executable; build gilpy first"
  exit 1
fi
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1}
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
export OMPI_MCA_rmaps_base_oversubscribe=${OMPI_MCA_rmaps_base_oversubscribe:-1}
export OMPI_MCA_btl_vader_single_copy_mechanism=${OMPI_MCA_btl_vader_single_copy_mechanism:-none}
if ! timeout 60 mpirun -np 1 "$GILPY" -c "from mpi4py import MPI" >/dev/null 2>/tmp/mpi_scaling.$$.err; then
  echo "mpi_scaling: '$GILPY' cannot import mpi4py.MPI under mpirun:"; cat /tmp/mpi_scaling.$$.err
  rm -f /tmp/mpi_scaling.$$.err
  exit 1
fi
rm -f /tmp/mpi_scaling.$$.err
CBIN=$(mktemp /tmp/allreduce_lat.XXXXXX)
if ! mpicc -O2 -o "$CBIN" tests/mpi/allreduce_lat.c; then
  echo "mpi_scaling: mpicc failed (libopenmpi-dev missing?); the C latency column is skipped"
  CBIN=""
fi
HAVE_CPY=0
if [ -n "$CPYTHON" ] && "$CPYTHON" -c "import mpi4py" >/dev/null 2>&1; then HAVE_CPY=1; fi

python3 - "$GILPY" "$REPS" "$SAMPLES" "$N" "$CBIN" "$HAVE_CPY" "$CPYTHON" "${MPIRUN_ARGS:-}" $COUNTS <<'PY'
import os, shlex, statistics, subprocess, sys, time
gilpy, reps, samples, n, cbin, have_cpy, cpython, extra = sys.argv[1:9]
reps, samples, n = int(reps), int(samples), int(n)
counts = [int(c) for c in sys.argv[9:]]
extra = shlex.split(extra)

def metrics(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise SystemExit("failed: %s\n%s" % (" ".join(cmd), out.stderr[-2000:]))
    m = {}
    for line in out.stdout.splitlines():
        if line.startswith("metric "):
            _, k, v = line.split()
            m[k] = float(v)
    return m

def mpirun(np, prog, *args):
    return ["mpirun", "--oversubscribe", "-np", str(np)] + extra + prog + list(args)

def med(np, prog, key, *args):
    return statistics.median(metrics(mpirun(np, prog, *args))[key] for _ in range(reps))

SPIN = "n = %d\nwhile n > 0:\n    n -= 1\n" % n
def procs(k):
    t0 = time.perf_counter()
    ps = [subprocess.Popen([gilpy, "-c", SPIN]) for _ in range(k)]
    for p in ps:
        p.wait()
    return time.perf_counter() - t0

G = [gilpy]
cap1 = statistics.median(procs(1) for _ in range(reps))
print("gilpy: %s; %d cores; medians of %d runs; Open MPI: %s" % (
    gilpy, os.cpu_count(), reps,
    subprocess.run(["mpirun", "--version"], capture_output=True, text=True).stdout.splitlines()[0]))
print()
print("| ranks | capacity (k procs) | count wall s | count speedup | pi wall s | pi speedup | pi |")
print("|---|---|---|---|---|---|---|")
c1 = p1 = None
for k in counts:
    capk = statistics.median(procs(k) for _ in range(reps))
    cap = k * cap1 / capk
    ct = med(k, G + ["bench/mpi/count.py"], "wall_s", str(n))
    pm = [metrics(mpirun(k, G + ["bench/mpi/pi.py"], str(samples))) for _ in range(reps)]
    pt = statistics.median(m["wall_s"] for m in pm)
    c1 = c1 or ct
    p1 = p1 or pt
    print("| %d | %.2f | %.3f | %.2f | %.3f | %.2f | %.5f |" % (
        k, cap, ct, k * c1 / ct, pt, p1 / pt, pm[0]["pi"]))
print()
print("allreduce of one 8-byte int, µs per call (1000 calls):")
print()
print("| ranks | C MPI_Allreduce | gilpy Allreduce (buffer) | gilpy allreduce (object, same value) | gilpy allreduce (object, new value) |" + (" CPython+mpi4py allreduce (object) | CPython+mpi4py Allreduce (buffer) |" if have_cpy == "1" else ""))
print("|---|---|---|---|---|" + ("---|---|" if have_cpy == "1" else ""))
for k in [c for c in counts if c >= 2][:3] or [2]:
    cus = med(k, [cbin], "allreduce_c_us") if cbin else float("nan")
    gm = [metrics(mpirun(k, G + ["bench/mpi/allreduce_lat.py"])) for _ in range(reps)]
    row = "| %d | %.2f | %.2f | %.2f | %.2f |" % (
        k, cus, statistics.median(m["Allreduce_buf_us"] for m in gm),
        statistics.median(m["allreduce_obj_us"] for m in gm),
        statistics.median(m["allreduce_obj_varying_us"] for m in gm))
    if have_cpy == "1":
        cm = [metrics(mpirun(k, [cpython, "bench/mpi/allreduce_lat.py"])) for _ in range(reps)]
        row += " %.2f | %.2f |" % (statistics.median(m["allreduce_obj_varying_us"] for m in cm),
                                  statistics.median(m["Allreduce_buf_us"] for m in cm))
    print(row)
if have_cpy == "1":
    print()
    print("CPython + mpi4py on the same programs (%s):" % cpython)
    print()
    print("| ranks | count wall s | count speedup | pi wall s | pi speedup |")
    print("|---|---|---|---|---|")
    c1 = p1 = None
    for k in counts:
        ct = med(k, [cpython, "bench/mpi/count.py"], "wall_s", str(n))
        pt = med(k, [cpython, "bench/mpi/pi.py"], "wall_s", str(samples))
        c1 = c1 or ct
        p1 = p1 or pt
        print("| %d | %.3f | %.2f | %.3f | %.2f |" % (k, ct, k * c1 / ct, pt, p1 / pt))
PY
rc=$?
[ -n "$CBIN" ] && rm -f "$CBIN"
exit $rc
