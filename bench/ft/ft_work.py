# One measurement for tools/ft_scaling.py: THREADS threads in this process, each doing the
# same work, timed from a common start to the last one's end.
#   gilpy --gil=none bench/ft/ft_work.py KIND THREADS UNITS [START_AT]
# KIND: cpu   (cpu_threads.py's counting loop, UNITS million iterations per thread)
#       alloc (threads_alloc.py's work(), UNITS rounds per thread)
# Each thread first warms up (a tenth of its work: the heap grows to its working size, the
# first cycle's page faults are paid), then all wait at a barrier; the clock starts when
# they pass it. With START_AT (a time.time() value) the barrier also waits for that moment,
# so that several processes started together by the driver time the same interval
# (process start-up, which is slow on some virtual machines, stays outside).
# Prints: metric time_s, metric late_s (how far past START_AT the clock started),
# metric correct (the threads' results agree with each other).
import os, sys, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import threads_alloc

KIND = sys.argv[1]
THREADS = int(sys.argv[2])
UNITS = int(sys.argv[3])
START_AT = float(sys.argv[4]) if len(sys.argv) > 4 else None

def count(n):
    while n > 0:
        n -= 1
    return n

def task(share):
    if KIND == "cpu":
        return count(int(UNITS * 1_000_000 * share))
    return threads_alloc.work(7, max(1, int(UNITS * share)))

barrier = threading.Barrier(THREADS + 1)
results = [None] * THREADS

def worker(i):
    task(0.1)
    barrier.wait()
    results[i] = task(1.0)

ws = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
for w in ws:
    w.start()
if START_AT is not None:
    time.sleep(max(0.0, START_AT - time.time()))
late = time.time() - START_AT if START_AT is not None else 0.0
barrier.wait()
t0 = time.perf_counter()
for w in ws:
    w.join()
elapsed = time.perf_counter() - t0
print("metric time_s %.4f" % elapsed)
print("metric late_s %.4f" % late)
print("metric correct %d" % (len(set(results)) == 1))
