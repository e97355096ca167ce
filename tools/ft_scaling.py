#!/usr/bin/env python3
"""Free-threading scaling against the machine's parallel capacity, measured side by side.

    python3 tools/ft_scaling.py GILPY [--counts 1,2,4,8,16] [--reps 5] [--cpu 40] [--alloc 2500]

For each N and each kind of work (cpu: cpu_threads.py's counting loop; alloc:
threads_alloc.py's dict- and allocation-heavy rounds), one repetition runs, back to back:
  * N gilpy processes at once, one worker thread each  -> their mean time P(N)
  * one gilpy process with N worker threads (--gil=none) -> its time T(N)
Every worker does the same work (bench/ft/ft_work.py: warm-up, barrier, timed part; the
processes share a start moment, so process start-up is not timed). With t1 = P(1):
  capacity(N)   = N * t1 / P(N)    what N independent copies get from this machine
  speedup(N)    = N * t1 / T(N)    what N threads in one interpreter get
  efficiency(N) = P(N) / T(N)      = speedup / capacity, the issue's "against the ideal"
Efficiency is a ratio of two runs taken seconds apart, so drift of a shared machine
(noisy neighbours, frequency changes) cancels far better than in a ratio of a
multi-second sequential phase to a later threaded one. Medians over the repetitions.
"""
import argparse, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "..", "bench", "ft", "ft_work.py")


def metrics(out):
    m = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[0] == "metric":
            m[p[1]] = float(p[2])
    return m


def run_procs(gilpy, policy, kind, units, k, extra_env):
    """k processes with one worker each, started together; their metric dicts."""
    start_at = time.time() + 0.4 + 0.04 * k
    cmd = [gilpy, "--gil=" + policy, WORK, kind, "1", str(units), "%.6f" % start_at]
    env = dict(os.environ, **extra_env)
    ps = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
          for _ in range(k)]
    outs = [p.communicate(timeout=600)[0] for p in ps]
    ms = [metrics(o) for o in outs]
    for o, m in zip(outs, ms):
        if "time_s" not in m or m.get("correct") != 1:
            sys.exit("ft_scaling: a worker process failed:\n" + o)
    return ms


def run_threads(gilpy, policy, kind, units, n, extra_env):
    cmd = [gilpy, "--gil=" + policy, WORK, kind, str(n), str(units)]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         env=dict(os.environ, **extra_env), timeout=600).stdout
    m = metrics(out)
    if "time_s" not in m or m.get("correct") != 1:
        sys.exit("ft_scaling: the threaded run failed:\n" + out)
    return m["time_s"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gilpy")
    ap.add_argument("--counts", default="1,2,4,8,16")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--cpu", type=int, default=40, help="million loop turns per worker")
    ap.add_argument("--alloc", type=int, default=2500, help="threads_alloc rounds per worker")
    ap.add_argument("--kinds", default="cpu,alloc")
    ap.add_argument("--policy", default="none")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for the gilpy runs")
    a = ap.parse_args()
    gilpy = os.path.abspath(a.gilpy)
    counts = [int(c) for c in a.counts.replace(" ", ",").split(",") if c]
    env = dict(e.split("=", 1) for e in a.env)
    kinds = [(k, {"cpu": a.cpu, "alloc": a.alloc}[k]) for k in a.kinds.split(",")]
    P = {(k, n): [] for k, _ in kinds for n in counts}
    T = {(k, n): [] for k, _ in kinds for n in counts}
    late = 0.0
    for _ in range(a.reps):
        for n in counts:
            for kind, units in kinds:
                ms = run_procs(gilpy, a.policy, kind, units, n, env)
                late = max(late, max(m["late_s"] for m in ms))
                P[kind, n].append(statistics.mean(m["time_s"] for m in ms))
                T[kind, n].append(run_threads(gilpy, a.policy, kind, units, n, env))
    print("machine: %d CPUs; %s; %d repetitions, medians; --gil=%s; work per worker: "
          "cpu %dM turns, alloc %d rounds%s" % (os.cpu_count(), os.uname().release, a.reps,
                                                 a.policy, a.cpu, a.alloc,
                                                 "; env " + " ".join(a.env) if a.env else ""))
    if late > 0.05:
        print("note: a process reached the common start %.3f s late (start-up slower than the "
              "driver's allowance): its overlap with the others was shorter" % late)
    print()
    print("| N | " + " | ".join("capacity (%s) | speedup (%s) | efficiency (%s)" % (k, k, k)
                               for k, _ in kinds) + " |")
    print("|---|" + "---|---|---|" * len(kinds))
    for n in counts:
        row = ["%d" % n]
        for kind, _ in kinds:
            t1 = statistics.median(P[kind, counts[0]]) * (1 if counts[0] == 1 else float("nan"))
            cap = statistics.median(n * t1 / p for p in P[kind, n])
            spd = statistics.median(n * t1 / t for t in T[kind, n])
            eff = statistics.median(p / t for p, t in zip(P[kind, n], T[kind, n]))
            row += ["%.2f" % cap, "%.2f" % spd, "**%.2f**" % eff]
        print("| " + " | ".join(row) + " |")
    print()
    print("efficiency per repetition (P/T), for the spread:")
    for kind, _ in kinds:
        for n in counts:
            print("  %-5s N=%-3d %s" % (kind, n, " ".join("%.2f" % (p / t) for p, t in
                                                       zip(P[kind, n], T[kind, n]))))


if __name__ == "__main__":
    main()
