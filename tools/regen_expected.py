#!/usr/bin/env python3
"""Record CPython 3.11's behaviour for every test script as the expectation.

    python3 tools/regen_expected.py [-k substring]
Writes tests/expected/NAME.stdout, NAME.status and (for non-zero exits) NAME.stderr
(the last stderr line). Run it with the same python3 the project targets (3.11).
"""
import argparse, os, signal, subprocess, sys

# A test sees the SIGINT disposition it would see from a terminal: a runner started in the
# background (`cmd &` in a script, nohup) inherits SIGINT ignored, and an ignored signal
# stays ignored across exec, so Python would not install default_int_handler and the
# Ctrl-C tests would fail for the launcher's reasons. A handler is reset to the default
# in the child by exec.
signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
OUT = os.path.join(TESTS, "expected")

ap = argparse.ArgumentParser()
ap.add_argument("-k", default=None)
args = ap.parse_args()
if sys.version_info[:2] != (3, 11):
    sys.exit("expectations must come from CPython 3.11, this is %s" % sys.version.split()[0])
os.makedirs(OUT, exist_ok=True)
env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
n = 0
for sub in ("py", "threads"):
    d = os.path.join(TESTS, sub)
    if not os.path.isdir(d):
        continue
    for f in sorted(os.listdir(d)):
        if not f.endswith(".py") or f.startswith("_") or (args.k and args.k not in f):
            continue
        name = f[:-3]
        stdin_path = os.path.join(d, name + ".stdin")
        stdin = open(stdin_path).read() if os.path.exists(stdin_path) else ""
        p = subprocess.run([sys.executable, os.path.join(d, f)], input=stdin, capture_output=True,
                           text=True, cwd=d, env=env, timeout=300)
        with open(os.path.join(OUT, name + ".stdout"), "w") as fh:
            fh.write(p.stdout)
        with open(os.path.join(OUT, name + ".status"), "w") as fh:
            fh.write("%d\n" % p.returncode)
        err_path = os.path.join(OUT, name + ".stderr")
        if p.returncode != 0:
            lines = p.stderr.strip().splitlines()
            with open(err_path, "w") as fh:
                fh.write((lines[-1] if lines else "") + "\n")
        elif os.path.exists(err_path):
            os.remove(err_path)
        n += 1
print("regenerated %d expectations" % n)
