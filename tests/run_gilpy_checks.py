#!/usr/bin/env python3
"""gilpy-only checks: the lock's instruments (gil module, --gil-stats, --gil-trace,
--gil-timeline, --gil-timeline-from). CPython has nothing to compare these with, so they
are assertion-based instead of recorded-output tests.

    run_gilpy_checks.py --interp build/gilpy [--policies ticks,switch,fair,none] [-k NAME]

For each policy: runs every tests/gilpy/*.py (not starting with "_"; exit status 0 is a
pass), records tests/gilpy/_workload.py with --gil-stats --gil-trace --gil-timeline and
checks the results here (the trace parses, one thread_name per thread, each thread's
running + waiting + blocked spans tile its lifetime, at most one holder at a time under
an exclusive policy, the SVG parses). Then the command line's error cases and
--gil-timeline-from. Prints one line per failure and closes with "N passed, N failed";
exits non-zero if anything failed.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
GILPY_TESTS = os.path.join(HERE, "gilpy")
POLICIES = ["ticks", "switch", "fair", "none"]

passed, failed = 0, []


def record(name, problem):
    global passed
    if problem:
        failed.append((name, problem))
        print("FAIL %s: %s" % (name, problem), flush=True)
    else:
        passed += 1


def run(cmd, timeout=120, cwd=None):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                              errors="replace")
    except subprocess.TimeoutExpired:
        return None


def tail(text, n=3):
    return " | ".join(text.strip().splitlines()[-n:])


# ---- the trace ------------------------------------------------------------------------------

def check_trace(path, policy, want_names):
    """Returns a problem string, or None."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return "trace does not parse: %s" % e
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return "no traceEvents list"
    if doc.get("otherData", {}).get("policy") != policy:
        return "otherData.policy is %r" % doc.get("otherData", {}).get("policy")
    names, spans, starts, exits, marks = {}, {}, {}, {}, {}
    for ev in doc["traceEvents"]:
        for k in ("ph", "pid", "tid", "name"):
            if k not in ev:
                return "event without %r: %r" % (k, ev)
        tid, ph = ev["tid"], ev["ph"]
        if ph == "M" and ev["name"] == "thread_name":
            if tid in names:
                return "two thread_name events for tid %s" % tid
            names[tid] = ev["args"]["name"]
        elif ph == "X":
            if ev.get("cat") != "gil" or ev["name"] not in ("running", "waiting", "blocked"):
                return "unexpected span %r" % ev
            if not ev["dur"] >= 0:
                return "negative duration %r" % ev
            spans.setdefault(tid, []).append((ev["ts"], ev["dur"], ev["name"]))
        elif ph == "i":
            if ev.get("s") not in ("t", "p", "g"):
                return "instant event without a scope: %r" % ev
            if ev["name"] == "thread start":
                starts[tid] = ev["ts"]
            elif ev["name"] == "thread exit":
                exits[tid] = ev["ts"]
            elif ev["name"] in ("drop request", "hand-off"):
                if "from" not in ev.get("args", {}):
                    return "%s without args.from: %r" % (ev["name"], ev)
                marks.setdefault(ev["name"], 0)
                marks[ev["name"]] += 1
            else:
                return "unexpected instant %r" % ev
    if sorted(names.values()) != sorted(want_names):
        return "thread names %r, expected %r" % (sorted(names.values()), sorted(want_names))
    if set(spans) != set(names) or set(starts) != set(names):
        return "tracks with spans %r / starts %r / names %r differ" % (sorted(spans), sorted(starts), sorted(names))
    for tid, ss in spans.items():
        ss.sort()
        who = names[tid]
        start = starts[tid]
        end = exits.get(tid, ss[-1][0] + ss[-1][1])
        # (under --gil=none a joined thread may still be on its way out at exit)
        if who != "MainThread" and tid not in exits and policy != "none":
            return "%s has no thread exit event" % who
        if abs(ss[0][0] - start) > 0.01:
            return "%s: first span at %.3f, thread start at %.3f" % (who, ss[0][0], start)
        for (t0, d0, n0), (t1, d1, n1) in zip(ss, ss[1:]):
            if abs(t0 + d0 - t1) > 0.01:
                return "%s: %s span ends at %.3f but the next starts at %.3f" % (who, n0, t0 + d0, t1)
            if n0 == n1:
                return "%s: two %s spans in a row at %.3f" % (who, n0, t1)
        total = sum(d for _, d, _ in ss)
        life = end - start
        if abs(total - life) > 0.001 * life + 5:
            return "%s: spans add up to %.3f us, lifetime %.3f us" % (who, total, life)
        if policy == "none" and any(n == "waiting" for _, _, n in ss):
            return "%s: a waiting span under --gil=none" % who
    if policy != "none":
        run_spans = sorted((t, t + d, names[tid]) for tid, ss in spans.items()
                           for t, d, n in ss if n == "running")
        for (a0, a1, an), (b0, b1, bn) in zip(run_spans, run_spans[1:]):
            if b0 < a1 - 0.5:
                return "two holders at once: %s until %.3f, %s from %.3f" % (an, a1, bn, b0)
        if marks.get("hand-off", 0) < 2:
            return "fewer than 2 hand-offs: %r" % marks
        if policy in ("switch", "fair") and marks.get("drop request", 0) < 1:
            return "no drop request with two CPU-bound threads: %r" % marks
        cpu = [tid for tid, n in names.items() if n.startswith("cpu-")]
        if not any(n == "waiting" for tid in cpu for _, _, n in spans[tid]):
            return "CPU-bound threads never waited"
    sleeper = [tid for tid, n in names.items() if n == "sleeper"][0]
    blocked = sum(d for _, d, n in spans[sleeper] if n == "blocked")
    if blocked < 20000:
        return "the sleeper was blocked only %.0f us" % blocked
    return None


def check_svg(path, want_names):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return "SVG does not parse: %s" % e
    if not root.tag.endswith("svg"):
        return "root element is %s" % root.tag
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    for n in want_names:
        if n not in texts:
            return "no lane labelled %r" % n
    rects = sum(1 for t in root.iter() if t.tag.endswith("rect"))
    if rects < 5:
        return "only %d rectangles" % rects
    return None


# ---- main -----------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interp", required=True)
    ap.add_argument("--policies", default=",".join(POLICIES))
    ap.add_argument("-k", default=None, help="only checks whose name contains this")
    args = ap.parse_args()
    interp = os.path.abspath(args.interp)
    tmp = tempfile.mkdtemp(prefix="gilpy-checks-")
    want = lambda name: not args.k or args.k in name
    workload_names = ["MainThread", "cpu-1", "cpu-2", "sleeper"]
    try:
        scripts = sorted(f for f in os.listdir(GILPY_TESTS) if f.endswith(".py") and not f.startswith("_"))
        for policy in args.policies.split(","):
            for script in scripts:
                name = "%s[%s]" % (script[:-3], policy)
                if not want(name):
                    continue
                p = run([interp, "--gil=" + policy, os.path.join(GILPY_TESTS, script), tmp], cwd=tmp)
                if p is None:
                    record(name, "timeout")
                elif p.returncode != 0 or p.stdout.strip() != "ok":
                    record(name, "exit %d, stdout %r, stderr: %s" % (p.returncode, p.stdout[-200:], tail(p.stderr, 6)))
                else:
                    record(name, None)
            name = "trace[%s]" % policy
            if want(name):
                trace = os.path.join(tmp, "trace-%s.json" % policy)
                svg = os.path.join(tmp, "timeline-%s.svg" % policy)
                p = run([interp, "--gil=" + policy, "--gil-stats", "--gil-trace=" + trace,
                         "--gil-timeline=" + svg, os.path.join(GILPY_TESTS, "_workload.py")], cwd=tmp)
                if p is None or p.returncode != 0 or p.stdout != "done\n":
                    record(name, "workload failed: %s" % ("timeout" if p is None else tail(p.stderr)))
                    continue
                record(name, check_trace(trace, policy, workload_names))
                record("timeline[%s]" % policy, check_svg(svg, workload_names))
                err = p.stderr
                problem = None
                if ("gil stats: policy %s," % policy) not in err:
                    problem = "no stats header in stderr: %s" % tail(err)
                else:
                    rows = [l.split()[0] for l in err.splitlines()[2:]]
                    if rows != workload_names + ["total"]:
                        problem = "stats rows %r" % rows
                record("gil-stats[%s]" % policy, problem)
                # the same picture, drawn from the trace file
                svg2 = os.path.join(tmp, "from-%s.svg" % policy)
                p = run([interp, "--gil-timeline-from=" + trace, "--gil-timeline=" + svg2])
                if p is None or p.returncode != 0:
                    record("timeline-from[%s]" % policy, "exit %s: %s" % (p and p.returncode, p and tail(p.stderr)))
                else:
                    record("timeline-from[%s]" % policy, check_svg(svg2, workload_names))
        # The collector's stop (docs/gc.md, "Stopping"): threads waiting for the lock, in
        # join or in sleep are in blocking regions and are never signalled; under an
        # exclusive policy nobody else runs, so no collection may signal anyone. Under
        # none the two workers are asked through the eval breaker; a worker descheduled
        # by a loaded machine for over 100 us gets the signal, so a few are allowed.
        gc_script = os.path.join(tmp, "gc_stop.py")
        with open(gc_script, "w") as f:
            f.write("import threading, time\n"
                    "def work():\n"
                    "    for r in range(150):\n"
                    "        d = {('k%d' % i): [i, float(i)] for i in range(2000)}\n"
                    "ts = [threading.Thread(target=work) for _ in range(2)]\n"
                    "ts.append(threading.Thread(target=time.sleep, args=(0.3,)))\n"
                    "for t in ts: t.start()\n"
                    "for t in ts: t.join()\n"
                    "print('done')\n")
        # The same for a thread in a long native loop (max() over a range: no bytecode for
        # 0.1 s or more): the loop's check points (runtime.h, NativeLoop) let it
        # park on request, so no collection needs the signal either (before them, every
        # collection under none signalled it).
        native_script = os.path.join(tmp, "gc_stop_native.py")
        with open(native_script, "w") as f:
            f.write("import gc, threading, time\n"
                    "out = []\n"
                    "t = threading.Thread(target=lambda: out.append(max(range(6 * 10**7))))\n"
                    "t.start()\n"
                    "time.sleep(0.01)\n"
                    "for _ in range(8):\n"
                    "    gc.collect()\n"
                    "    time.sleep(0.001)\n"
                    "t.join()\n"
                    "print('done' if out == [6 * 10**7 - 1] else out)\n")
        for policy, (label, script) in [(p_, s_) for p_ in args.policies.split(",")
                                        for s_ in (("gc-stop", gc_script),
                                                   ("gc-stop-native", native_script))]:
            name = "%s[%s]" % (label, policy)
            if not want(name):
                continue
            env = dict(os.environ, GILPY_GC_STATS="2")
            try:
                p = subprocess.run([interp, "--gil=" + policy, script], capture_output=True,
                                   text=True, timeout=120, env=env, errors="replace")
            except subprocess.TimeoutExpired:
                record(name, "timeout")
                continue
            lines = [l for l in p.stderr.splitlines() if l.startswith("gilpy gc ") and "by signal" in l]
            if p.returncode != 0 or p.stdout != "done\n":
                record(name, "exit %d: %s" % (p.returncode, tail(p.stderr)))
            elif not lines and "gilpy gc:" not in p.stderr:
                record(name, None)  # a build with libgc: no per-collection lines to check
            elif len(lines) < (5 if label == "gc-stop" else 8):
                record(name, "only %d collections" % len(lines))
            else:
                signalled = sum(int(l.split("(")[1].split()[0]) for l in lines)
                allowed = 0 if policy != "none" else len(lines) // 4
                record(name, None if signalled <= allowed else
                       "%d of %d collections' stops used signals (allowed %d)" % (signalled, len(lines), allowed))
        if want("ft-scaling"):
            # tools/ft_scaling.py, the free-threading table's driver (docs/free-threading.md),
            # on tiny work: it runs, every worker agrees, and it prints a row per count.
            tool = os.path.join(HERE, "..", "tools", "ft_scaling.py")
            p = run([sys.executable, tool, interp, "--counts", "1,2", "--reps", "1",
                     "--cpu", "2", "--alloc", "20"], timeout=300)
            rows = [l for l in (p.stdout if p else "").splitlines() if l.startswith("| 2 |")]
            if p is None:
                record("ft-scaling", "timeout")
            elif p.returncode != 0 or len(rows) != 1 or len(rows[0].split("|")) != 9:
                record("ft-scaling", "exit %d: %s" % (p.returncode, tail(p.stdout + p.stderr)))
            else:
                record("ft-scaling", None)
        if want("cli"):
            hello = os.path.join(tmp, "hello.py")
            with open(hello, "w") as f:
                f.write("print('hi')\n")
            cases = [
                (["--gil-trace", hello], 2, "needs a file"),
                (["--gil-timeline=", hello], 2, "needs a file"),
                (["--gil-timeline-from=" + os.path.join(tmp, "trace-x.json")], 2, "needs --gil-timeline"),
                (["--gil-timeline-from=" + os.path.join(tmp, "missing.json"),
                  "--gil-timeline=" + os.path.join(tmp, "x.svg")], 1, "No such file"),
                (["--gil-timeline-from=" + hello, "--gil-timeline=" + os.path.join(tmp, "x.svg")], 1,
                 "not a trace-event JSON file"),
                (["--gil-trace=" + os.path.join(tmp, "no-dir", "t.json"), hello], 0, "--gil-trace: cannot write"),
                (["--help"], 0, None),
            ]
            for i, (argv, status, needle) in enumerate(cases):
                p = run([interp] + argv)
                prob = None
                if p is None:
                    prob = "timeout"
                elif p.returncode != status:
                    prob = "exit %d, expected %d (%s)" % (p.returncode, status, tail(p.stderr))
                elif needle and needle not in p.stderr:
                    prob = "stderr lacks %r: %s" % (needle, tail(p.stderr))
                elif argv == ["--help"] and "--gil-timeline-from" not in p.stdout:
                    prob = "--help does not mention the lock's instruments"
                record("cli[%d %s]" % (i, " ".join(a.replace(tmp, "TMP") for a in argv)), prob)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
