# The experiment from David Beazley's "Inside the Python GIL" (2009): count down from N
# twice, first one count after the other, then in two threads at once.
#
#     gilpy examples/gil_demo.py seq|threads [N]
#
# Prints one line: the mode, the seconds it took, and (under gilpy) what the lock saw.
# tools/gil_demo.sh runs it under every lock policy and draws the timelines.
import sys, threading, time

try:
    import gil          # gilpy's lock instruments; CPython has none
except ImportError:
    gil = None


def countdown(n):
    while n > 0:
        n -= 1


mode = sys.argv[1] if len(sys.argv) > 1 else "threads"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000_000

t0 = time.perf_counter()
if mode == "seq":
    countdown(N)
    countdown(N)
else:
    a = threading.Thread(target=countdown, args=(N,), name="countdown-1")
    b = threading.Thread(target=countdown, args=(N,), name="countdown-2")
    a.start()
    b.start()
    a.join()
    b.join()
elapsed = time.perf_counter() - t0

line = "%s %.3f" % (mode, elapsed)
if gil is not None:
    total = gil.stats()[-1]
    line += " contention %.3f switches %d drop_requests %d forced %d" % (
        total["contention"], total["switches_in"], total["drop_requests"], total["forced_drops"])
print(line)
