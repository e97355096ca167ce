#!/usr/bin/env python3
"""mem_startup.py — the memory and start-up half of the speed issue's table.

    python3 tools/mem_startup.py --interp build/gilpy [--args=--gil=none] [--reps 5]

Prints two markdown tables: peak RSS (max resident set size, from wait4's rusage) of
every single-thread benchmark program (../shared/bench/*.py and bench/single/*.py)
under the interpreter and under CPython (this python3), with the ratio; and the median
wall time of `-c pass` for both. compare.py gives the speed ratios; this gives the rest.
"""
import argparse, glob, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def peak_rss_kb(cmd):
    """Run cmd with output discarded; return (exit status, its peak RSS in KiB).
    GNU time measures it: a child forked from this Python process would report this
    process's RSS at fork time as its own peak when the program is smaller."""
    p = subprocess.run(["/usr/bin/time", "-f", "%x %M", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    rc, kb = p.stderr.strip().splitlines()[-1].split()
    return int(rc), int(kb)


def wall(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    ap.add_argument("--interp", required=True)
    ap.add_argument("--args", default="")
    ap.add_argument("--ref", default=sys.executable)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    extra = a.args.split()
    progs = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "bench", "*.py")))
    progs = [p for p in progs if os.path.basename(p) != "compare.py"]
    progs += sorted(glob.glob(os.path.join(ROOT, "bench", "single", "*.py")))
    print("| program | interpreter peak RSS MB | CPython peak RSS MB | ratio |")
    print("|---|---|---|---|")
    worst = 0.0
    for p in progs:
        rc1, m1 = peak_rss_kb([a.interp, *extra, p])
        rc2, m2 = peak_rss_kb([a.ref, p])
        r = m1 / m2
        worst = max(worst, r)
        flag = "" if rc1 == 0 and rc2 == 0 else " (exit %d/%d)" % (rc1, rc2)
        print("| %s | %.1f | %.1f | %.2f%s |" % (os.path.basename(p), m1 / 1024, m2 / 1024, r, flag))
    print("peak RSS: worst interpreter/CPython ratio %.2f" % worst)
    print()
    ti = [wall([a.interp, *extra, "-c", "pass"]) for _ in range(a.reps)]
    tr = [wall([a.ref, "-c", "pass"]) for _ in range(a.reps)]
    print("| start-up (`-c pass`) | interpreter ms | CPython ms |")
    print("|---|---|---|")
    print("| median of %d | %.1f | %.1f |" % (a.reps, statistics.median(ti) * 1e3, statistics.median(tr) * 1e3))


if __name__ == "__main__":
    main()
