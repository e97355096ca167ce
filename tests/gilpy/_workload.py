# The workload the trace checks record: two CPU-bound threads, one that sleeps, and the
# main thread joining them (tests/run_gilpy_checks.py reads the trace it leaves).
import threading, time


def countdown(n):
    while n > 0:
        n -= 1


def sleeper():
    for _ in range(5):
        time.sleep(0.005)


threads = [threading.Thread(target=countdown, args=(3_000_000,), name="cpu-1"),
           threading.Thread(target=countdown, args=(3_000_000,), name="cpu-2"),
           threading.Thread(target=sleeper, name="sleeper")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
