#!/usr/bin/env python3
"""Run gilpy's Python test scripts and compare them with CPython 3.11's recorded behaviour.

Each tests/py/NAME.py (and tests/threads/NAME.py, once per lock policy) has, in
tests/expected/, the stdout CPython printed (NAME.stdout), its exit status
(NAME.status) and, when it exited non-zero, the last line of its stderr
(NAME.stderr) — for an uncaught exception that is the "Type: message" line.
tools/regen_expected.py rewrites them from python3.

    run_tests.py --interp build/gilpy [-k substring] [-j 2] [--policies a,b] [--suites py,threads]
Prints one line per failure and closes with "N passed, N failed".
"""
import argparse, concurrent.futures as cf, difflib, os, signal, subprocess, sys

# A test sees the SIGINT disposition it would see from a terminal: a runner started in the
# background (`cmd &` in a script, nohup) inherits SIGINT ignored, and an ignored signal
# stays ignored across exec, so Python would not install default_int_handler and the
# Ctrl-C tests would fail for the launcher's reasons. A handler is reset to the default
# in the child by exec.
signal.signal(signal.SIGINT, signal.default_int_handler)

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "expected")


def cases(filter_, suites=("py", "threads")):
    out = []
    for sub in suites:
        d = os.path.join(HERE, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith(".py") and not name.startswith("_") and (not filter_ or filter_ in name):
                out.append((sub, name[:-3]))
    return out


def excluded_policies(script):
    """Policies a thread test opts out of, from a line `# not-under-policies: a,b` near its top
    (each use says why in the test; the known issue is tracked in the issue's note)."""
    try:
        with open(script, encoding="utf-8") as f:
            head = [next(f, "") for _ in range(10)]
    except OSError:
        return set()
    for line in head:
        if line.startswith("# not-under-policies:"):
            return {p.strip() for p in line.split(":", 1)[1].split(",") if p.strip()}
    return set()


def read(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return default


def run_one(interp, sub, name, policy, timeout):
    script = os.path.join(HERE, sub, name + ".py")
    cmd = [interp] + (["--gil=" + policy] if policy else []) + [script]
    stdin = read(os.path.join(HERE, sub, name + ".stdin"))
    try:
        p = subprocess.run(cmd, input=stdin if stdin is not None else "", capture_output=True,
                           text=True, timeout=timeout, cwd=os.path.join(HERE, sub),
                           errors="replace")
    except subprocess.TimeoutExpired:
        return "timeout after %ds" % timeout
    want_out = read(os.path.join(EXPECTED, name + ".stdout"))
    if want_out is None:
        return "no expectation (run tools/regen_expected.py)"
    want_status = int(read(os.path.join(EXPECTED, name + ".status"), "0").strip() or 0)
    problems = []
    if p.returncode < 0:
        problems.append("killed by signal %d" % -p.returncode)
    elif p.returncode != want_status:
        problems.append("exit status %d, expected %d" % (p.returncode, want_status))
    if p.stdout != want_out:
        diff = list(difflib.unified_diff(want_out.splitlines(), p.stdout.splitlines(),
                                         "cpython", "gilpy", lineterm="", n=1))
        problems.append("stdout differs:\n    " + "\n    ".join(diff[:30]))
    want_err = read(os.path.join(EXPECTED, name + ".stderr"))
    if want_err is not None and want_err.strip():
        got_lines = p.stderr.strip().splitlines()
        got_last = got_lines[-1] if got_lines else ""
        if got_last.strip() != want_err.strip():
            problems.append("last stderr line %r, expected %r" % (got_last, want_err.strip()))
    if problems and p.stderr and "stdout differs" in problems[-1]:
        problems.append("stderr tail: " + " | ".join(p.stderr.strip().splitlines()[-3:]))
    return "; ".join(problems) if problems else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interp", required=True)
    ap.add_argument("-k", default=None, help="only tests whose name contains this")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--policies", default=os.environ.get("GILPY_TEST_POLICIES", ""),
                    help="comma-separated lock policies for tests/threads (default: interpreter default)")
    ap.add_argument("--skip", default="",
                    help="comma-separated substrings: tests whose name contains one are not run")
    ap.add_argument("--suites", default="py,threads",
                    help="comma-separated folders of tests/ to run (the TSan build runs threads only)")
    args = ap.parse_args()
    interp = os.path.abspath(args.interp)
    policies = [p for p in args.policies.split(",") if p] or [None]
    jobs = []
    skips = [x for x in args.skip.split(",") if x]
    for sub, name in cases(args.k, [s for s in args.suites.split(",") if s]):
        if any(x in name for x in skips):
            continue
        for pol in (policies if sub == "threads" else [None]):
            if pol and pol in excluded_policies(os.path.join(HERE, sub, name + ".py")):
                continue
            jobs.append((sub, name, pol))
    passed = failed = 0
    with cf.ThreadPoolExecutor(max_workers=args.j) as ex:
        futs = {ex.submit(run_one, interp, s, n, p, args.timeout): (s, n, p) for s, n, p in jobs}
        for fut in cf.as_completed(futs):
            s, n, p = futs[fut]
            err = fut.result()
            label = "%s/%s%s" % (s, n, " [gil=%s]" % p if p else "")
            if err:
                failed += 1
                print("FAIL %s: %s" % (label, err), flush=True)
            else:
                passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
