#!/usr/bin/env python3
"""Pickle interoperability: CPython must load what gilpy pickles.

    run_interop.py --interp build/gilpy

For every protocol 0-5, gilpy pickles a set of values (builtin types, sharing,
recursion, an instance of tests/py/_pickle_helper.Point, a class and an exception) and
writes the bytes to stdout as hex; this CPython process loads them and compares with the
same values built here. Also checks that the bytes equal CPython's own pickle.dumps for
protocols 2-5 where CPython is deterministic (everything but sets). Exit status 0 when
all match.
"""
import argparse
import os
import pickle
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "py"))

PROGRAM = r'''
import pickle, sys
sys.path.insert(0, %(py)r)
from _pickle_helper import Point
def values():
    shared = [1, 2]
    rec = ["r"]
    rec.append(rec)
    return [None, True, False, 0, -1, 255, 65536, -2**31, 2**31, 2**70, -(2**300), 0.5, -1e300,
            "", "abc", "é漢😀", "s" * 300, b"", b"\x00\xff", b"b" * 70000, bytearray(b"ba"),
            (), (1,), (1, 2, 3, 4), [1, [2, [3]]], {"k": {"n": None}}, {1, 2}, frozenset([3]),
            [shared, shared], rec, Point(1, 2), Point, ValueError("bad", 1), len,
            list(range(2000)), {i: str(i) for i in range(1100)}]
for proto in range(6):
    for v in values():
        print(proto, pickle.dumps(v, proto).hex())
'''


def values():
    from _pickle_helper import Point
    shared = [1, 2]
    rec = ["r"]
    rec.append(rec)
    return [None, True, False, 0, -1, 255, 65536, -2**31, 2**31, 2**70, -(2**300), 0.5, -1e300,
            "", "abc", "é漢😀", "s" * 300, b"", b"\x00\xff", b"b" * 70000, bytearray(b"ba"),
            (), (1,), (1, 2, 3, 4), [1, [2, [3]]], {"k": {"n": None}}, {1, 2}, frozenset([3]),
            [shared, shared], rec, Point(1, 2), Point, ValueError("bad", 1), len,
            list(range(2000)), {i: str(i) for i in range(1100)}]


def same(a, b):
    if isinstance(a, BaseException):
        return type(a) is type(b) and a.args == b.args
    if isinstance(a, list) and a and a[-1] is a:       # the recursive list
        return isinstance(b, list) and b[-1] is b and a[:-1] == b[:-1]
    if isinstance(a, list) and len(a) == 2 and a[0] is a[1] and isinstance(a[0], list):
        return b[0] is b[1] and a == b
    return type(a) is type(b) and a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--interp", required=True)
    args = ap.parse_args()
    prog = PROGRAM % {"py": os.path.join(HERE, "py")}
    p = subprocess.run([args.interp, "-c", prog], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        print("FAIL: gilpy exited with %d:\n%s" % (p.returncode, p.stderr[-2000:]))
        return 1
    lines = p.stdout.split("\n")
    lines = [l for l in lines if l]
    expect = values()
    n = len(expect)
    failures = 0
    checked = 0
    for k, line in enumerate(lines):
        proto_s, hexdata = line.split(" ", 1)
        proto, idx = int(proto_s), k % n
        data = bytes.fromhex(hexdata)
        want = expect[idx]
        try:
            got = pickle.loads(data)
        except Exception as e:
            print("FAIL: protocol %d value %d: CPython cannot load: %r" % (proto, idx, e))
            failures += 1
            continue
        if not same(want, got):
            print("FAIL: protocol %d value %d: loaded %r" % (proto, idx, got)[:300])
            failures += 1
        if proto >= 2 and not isinstance(want, (set, frozenset)):
            ref = pickle.dumps(want, proto)
            if ref != data:
                print("FAIL: protocol %d value %d: bytes differ from CPython's" % (proto, idx))
                failures += 1
        checked += 1
    if checked != 6 * n:
        print("FAIL: expected %d pickles, got %d" % (6 * n, checked))
        failures += 1
    print("interop: %d pickles checked, %d failures" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
