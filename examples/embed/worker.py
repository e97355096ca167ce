# worker.py — the Python side of examples/embed/embed_example.cpp.
# Invariant: step() is called concurrently from four host threads; the shared `calls`
# dict is only touched under `lock`, so the counts are exact under every lock policy.
import threading

import host  # the native module the C++ program registers (lambdas)

calls = {}
lock = threading.Lock()


def step(i, tid):
    v = host.scale(i, 2.0)          # native: float arithmetic
    host.count()                    # native: a counter captured by reference
    with lock:
        calls[tid] = calls.get(tid, 0) + 1
    if i % 250 == 0:
        # native work that gives the lock up while it runs (gilpy::Release)
        assert host.checksum(1000) == sum(k * k for k in range(1000)) % 1000003
        try:
            host.fail("bad input %d" % i)
        except ValueError as e:     # gilpy::Raise("ValueError", ...) from C++
            assert str(e) == "bad input %d" % i
    return int(v) + tid
