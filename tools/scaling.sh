#!/usr/bin/env bash
# Free-threading scaling table: speedup of N threads over one thread for
# ../shared/bench/threads/cpu_threads.py (pure arithmetic) and bench/threads_alloc.py
# (allocation- and dict-heavy), under --gil=none, against this machine's parallel
# capacity for N, measured in the same run: N processes of a counting loop run at once
# vs one alone (throughput ratio). Efficiency = speedup / capacity (target >= 0.85).
# Medians of REPS runs (a shared machine drifts).
#   usage: tools/scaling.sh [GILPY] [THREAD_COUNTS]    e.g. tools/scaling.sh build/gilpy "1 2 4 8 16"
#   env:   REPS (default 5), POLICY (default none), BENCH_DIR (../shared/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
GILPY=${1:-build/gilpy}
COUNTS=${2:-"1 2 4 8 16"}
REPS=${REPS:-5}
POLICY=${POLICY:-none}
BENCH_DIR=${BENCH_DIR:-../shared/bench}
[ -f "$BENCH_DIR/threads/cpu_threads.py" ] || BENCH_DIR=/work/shared/bench
python3 - "$GILPY" "$POLICY" "$REPS" "$BENCH_DIR" $COUNTS <<'PY'
import statistics, subprocess, sys, time
gilpy, policy, reps, bench = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
counts = [int(c) for c in sys.argv[5:]]
SPIN = "n = 20000000\nwhile n > 0:\n    n -= 1\n"

def procs(k):
    """Wall time of k spin processes started together."""
    t0 = time.perf_counter()
    ps = [subprocess.Popen([gilpy, "-c", SPIN]) for _ in range(k)]
    for p in ps:
        p.wait()
    return time.perf_counter() - t0

def metrics(args):
    out = subprocess.run([gilpy, "--gil=" + policy] + args, capture_output=True, text=True,
                         check=True).stdout
    return {l.split()[1]: float(l.split()[2]) for l in out.splitlines() if l.startswith("metric")}

rows = []
for n in counts:
    cap, cpu, alloc = [], [], []
    for _ in range(reps):
        t1 = procs(1)
        cap.append(n * t1 / procs(n))
        m = metrics([bench + "/threads/cpu_threads.py", str(n)])
        cpu.append(m["sequential_s"] / m["threaded_s"])
        m = metrics(["bench/threads_alloc.py", str(n)])
        assert m["correct"] == 1, "threads_alloc gave a wrong result"
        alloc.append(m["sequential_s"] / m["threaded_s"])
    c, s1, s2 = statistics.median(cap), statistics.median(cpu), statistics.median(alloc)
    ideal = min(float(n), c)
    rows.append((n, c, s1, s1 / ideal, s2, s2 / ideal))
    print("n=%d done" % n, file=sys.stderr)

print("| threads | process capacity | cpu_threads speedup | efficiency | threads_alloc speedup | efficiency |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| %d | %.2f | %.2f | %.2f | %.2f | %.2f |" % r)
print("(--gil=%s, %s, medians of %d runs; efficiency = speedup / min(threads, capacity))"
      % (policy, gilpy, reps))
PY
