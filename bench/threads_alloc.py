# Allocation- and dict-heavy work per thread (the free-threading scaling benchmark's second
# half; cpu_threads.py in ../shared/bench/threads is the pure-arithmetic one). Each thread
# builds and probes its own dicts, lists, tuples, strings and floats, so the run measures
# the allocator (thread-local free lists), the per-object locks (uncontended) and the
# shared read paths (globals, builtins, type caches) — not contention on one object.
# The same total work runs sequentially, then split over threads threads.
import sys, threading, time

ROUNDS = 500  # rounds per work() call; the command line's second argument sets it

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

def work(seed, rounds=None):
    total = 0
    for r in range(ROUNDS if rounds is None else rounds):
        d = {}
        for i in range(400):
            d["k%d" % i] = (i, seed, float(i) * 0.5)
        s = set()
        pts = []
        for i in range(400):
            v = d["k%d" % ((i * 7) % 400)]
            s.add(v[0] % 97)
            pts.append(Point(v[2], i))
        total += len(d) + len(s) + int(sum(p.x for p in pts))
        d2 = {i: [i, i + 1] for i in range(200)}
        total += sum(len(x) for x in d2.values())
    return total

def main():
    global ROUNDS
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    if len(sys.argv) > 2:
        ROUNDS = int(sys.argv[2])
    # Warm up first: the first run would otherwise also pay for growing the heap from its
    # small initial size, which made the sequential baseline look slower than it is.
    work(0)
    t0 = time.perf_counter()
    expect = [work(s) for s in range(threads)]
    sequential = time.perf_counter() - t0

    results = [None] * threads
    def run(i):
        results[i] = work(i)

    t0 = time.perf_counter()
    ws = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    threaded = time.perf_counter() - t0

    print("metric correct %d" % (results == expect))
    print("metric sequential_s %.3f" % sequential)
    print("metric threaded_s %.3f" % threaded)
    print("metric speedup %.3f" % (sequential / threaded))

# tools/ft_scaling.py (bench/ft/ft_work.py) imports work() without running main().
if __name__ == "__main__":
    main()
