# concurrent.futures with ThreadPoolExecutor: Future states and callbacks, submit/map
# (with a timeout), wait() under each return_when, as_completed (with a timeout),
# shutdown(wait, cancel_futures), thread names, the default max_workers, exceptions
# from workers and from callbacks. Only orderings forced by events are printed.
import concurrent.futures as cf, os, threading, time

print(cf.ThreadPoolExecutor()._max_workers == min(32, (os.cpu_count() or 1) + 4))
for bad in (0, -1):
    try:
        cf.ThreadPoolExecutor(bad)
    except ValueError as e:
        print("max_workers", bad, "->", e)

# --- a Future by hand --------------------------------------------------------------------
f = cf.Future()
print(f.done(), f.running(), f.cancelled(), repr(f).split(" state=")[1])
seen = []
f.add_done_callback(lambda fut: seen.append(("cb", fut.result())))
try:
    f.result(timeout=0.05)
except cf.TimeoutError as e:
    print("result timeout:", type(e).__name__, cf.TimeoutError is TimeoutError)
print(f.set_running_or_notify_cancel(), f.running(), f.cancel())
f.set_result(42)
print(f.done(), f.result(), f.exception(), seen, repr(f).split(" state=")[1])
f.add_done_callback(lambda fut: seen.append("late"))
print(seen)
try:
    f.set_result(1)
except cf.InvalidStateError as e:
    print("InvalidStateError:", str(e).split(":")[0])
g = cf.Future()
print(g.cancel(), g.cancelled(), g.done())
for fn in (g.result, g.exception):
    try:
        fn()
    except cf.CancelledError as e:
        print(fn.__name__, "->", type(e).__name__)

# --- submit, map, exceptions -------------------------------------------------------------
def sq(x):
    return x * x


def fail(x):
    raise KeyError(x)


with cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="io") as ex:
    print(list(ex.map(sq, range(10))))
    print(list(ex.map(pow, [2, 3, 4], [5, 6, 7])))
    print(ex.submit(lambda: threading.current_thread().name).result().startswith("io_"))
    e = ex.submit(fail, "k")
    print(type(e.exception()).__name__, e.exception())
    try:
        e.result()
    except KeyError as err:
        print("result() raised KeyError", err)
    gate = threading.Event()
    slow = ex.submit(gate.wait)
    t0 = time.monotonic()
    try:
        list(ex.map(lambda x: gate.wait(5), [1, 2], timeout=0.1))
    except cf.TimeoutError:
        print("map timeout after", "<1s" if time.monotonic() - t0 < 1 else ">1s")
    gate.set()
    print("slow:", slow.result(timeout=5))

# --- wait and as_completed ---------------------------------------------------------------
with cf.ThreadPoolExecutor(max_workers=4) as ex:
    go = threading.Event()
    quick = ex.submit(sq, 3)
    blocked = ex.submit(go.wait, 5)
    done, not_done = cf.wait([quick, blocked], return_when=cf.FIRST_COMPLETED)
    print("FIRST_COMPLETED:", quick in done, blocked in not_done)
    bad = ex.submit(fail, 1)
    r = cf.wait([blocked, bad], return_when=cf.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION:", bad in r.done, blocked in r.not_done, type(r).__name__)
    r = cf.wait([blocked], timeout=0.05)
    print("timeout:", len(r.done), len(r.not_done))
    try:
        for f in cf.as_completed([quick, blocked], timeout=0.1):
            print("as_completed yielded", f is quick)
    except cf.TimeoutError as e:
        print("as_completed:", type(e).__name__, e)
    go.set()
    done, not_done = cf.wait([quick, blocked, bad])
    print("ALL_COMPLETED:", len(done), len(not_done))
    fs = [ex.submit(sq, i) for i in range(8)]
    print(sorted(f.result() for f in cf.as_completed(fs)))

# --- shutdown -----------------------------------------------------------------------------
ex = cf.ThreadPoolExecutor(max_workers=1)
gate = threading.Event()
first = ex.submit(gate.wait, 5)
while not first.running():   # the worker must hold `first` before the rest is cancelled
    time.sleep(0.001)
queued = [ex.submit(sq, i) for i in range(3)]
ex.shutdown(wait=False, cancel_futures=True)
print("cancelled:", [f.cancelled() for f in queued])
gate.set()
print("first:", first.result(timeout=5))
try:
    ex.submit(sq, 1)
except RuntimeError as e:
    print("after shutdown:", e)
ex.shutdown(wait=True)
print("threads alive:", [t.is_alive() for t in ex._threads])

results = []
ex = cf.ThreadPoolExecutor(max_workers=2)
for i in range(6):
    ex.submit(lambda i=i: (time.sleep(0.01), results.append(i)))
ex.shutdown(wait=True)
print("all queued work ran:", sorted(results))


def init_fails():
    raise ValueError("no")


ex = cf.ThreadPoolExecutor(max_workers=1, initializer=init_fails)
import sys, io
old, sys.stderr = sys.stderr, io.StringIO()
try:
    f = ex.submit(sq, 2)
    try:
        f.result(timeout=5)
    except cf.BrokenExecutor as e:
        print("initializer failed:", type(e).__name__, e)
finally:
    sys.stderr = old
ex.shutdown()
