# Which part of threads_alloc.py's work stops scaling under --gil=none? Each part runs
# R rounds in one thread, then in THREADS threads at once (each its own R rounds); prints
# the speedup (ideal: THREADS, capped by the machine's capacity).
#   gilpy --gil=none bench/ft/alloc_parts.py THREADS [ROUNDS]
import sys, threading, time
THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
R = int(sys.argv[2]) if len(sys.argv) > 2 else 3000

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

def tuples():
    for r in range(R):
        for i in range(400):
            t = (i, r, i)
def strfmt():
    for r in range(R):
        for i in range(400):
            s = "k%d" % i
def bigdict():
    for r in range(R):
        d = {}
        for i in range(400):
            d[i] = i
def smalldicts():
    for r in range(R):
        for i in range(100):
            d = {"a": i, "b": r}
def points():
    for r in range(R):
        for i in range(400):
            p = Point(i, r)
def lists():
    for r in range(R):
        l = []
        for i in range(400):
            l.append(i)
def smalllists():
    for r in range(R):
        for i in range(200):
            l = [i, i + 1]
def floats():
    for r in range(R):
        x = 0.0
        for i in range(400):
            x += float(i) * 0.5
def genexp():
    l = list(range(400))
    for r in range(R):
        sum(v for v in l)

for part in (tuples, strfmt, bigdict, smalldicts, points, lists, smalllists, floats, genexp):
    part()  # warm up
    t0 = time.perf_counter(); part(); one = time.perf_counter() - t0
    ws = [threading.Thread(target=part) for _ in range(THREADS)]
    t0 = time.perf_counter()
    for w in ws: w.start()
    for w in ws: w.join()
    many = time.perf_counter() - t0
    print("%-11s 1 thread %.3f s, %d threads %.3f s: speedup %.2f" % (part.__name__, one, THREADS, many, THREADS * one / many))
