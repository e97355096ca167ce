# A program's handler for the collector's signal (SIGPWR: gilpy's collector sends it to
# a thread that does not stop on request, as libgc does) must not take it from the
# collector: collections go on stopping every thread (no hang), the handler sees only
# the signals the program itself or another process sends, and getsignal / SIG_IGN /
# SIG_DFL behave as for any other signal.
import gc, os, signal, subprocess, sys, threading, time

print("initial", signal.getsignal(signal.SIGPWR))
got = []
old = signal.signal(signal.SIGPWR, lambda s, f: got.append(s))
print("old", old, "now callable", callable(signal.getsignal(signal.SIGPWR)))

# Bounded work: under --gil=ticks a thread that runs long native calls back to back
# keeps the lock (CPython 2's "GIL battle", kept on purpose), so nothing waits on a flag.
def alloc():
    for _ in range(300):
        [str(i) for i in range(2000)]
def native():
    for _ in range(30):
        sorted(range(200000))  # one native call of about 1 ms with no check point in it
threads = [threading.Thread(target=alloc) for _ in range(2)] + [threading.Thread(target=native)]
for t in threads:
    t.start()
n = 0
while any(t.is_alive() for t in threads) and n < 40:
    gc.collect()
    n += 1
    time.sleep(0.002)
for t in threads:
    t.join()
print("collections done; handler calls so far", len(got))

os.kill(os.getpid(), signal.SIGPWR)
time.sleep(0.05)
signal.raise_signal(signal.SIGPWR)
print("handler ran for", got)

signal.signal(signal.SIGPWR, signal.SIG_IGN)
os.kill(os.getpid(), signal.SIGPWR)
time.sleep(0.05)
print("ignored", signal.getsignal(signal.SIGPWR), len(got))

# SIG_DFL again: the default action (terminate), seen from a parent
child = ("import os, signal, time\n"
         "signal.signal(signal.SIGPWR, lambda s, f: None)\n"
         "signal.signal(signal.SIGPWR, signal.SIG_DFL)\n"
         "os.kill(os.getpid(), signal.SIGPWR)\n"
         "time.sleep(2)\n"
         "print('not reached')\n")
r = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True)
print("child", r.returncode, repr(r.stdout))
