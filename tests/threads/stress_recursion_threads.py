# stress: unbounded recursion in every thread at once ends in RecursionError in each of
# them (never a C stack overflow), and each thread can recurse again afterwards.
import sys, threading

results = {}
lock = threading.Lock()

def down(n):
    return down(n + 1) + 1

class Deep:
    def __repr__(self):
        return repr(self)

def worker(i):
    got = []
    for attempt in range(3):
        try:
            down(0)
        except RecursionError as e:
            got.append(str(e).startswith("maximum recursion depth exceeded"))
    try:
        repr(Deep())
    except RecursionError:
        got.append(True)
    try:
        d = []
        for _ in range(100000):
            d = [d]
        str(d)
    except RecursionError:
        got.append(True)
    else:
        got.append("no error")
    with lock:
        results[i] = got

ts = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(results.items()))
print(sys.getrecursionlimit())
