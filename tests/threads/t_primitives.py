# each threading primitive's semantics; output is deterministic (sorted where threads race)
import threading, time, _thread
lock = threading.Lock()
print(lock.acquire(), lock.locked(), lock.acquire(False), lock.acquire(timeout=0.05))
lock.release(); print(lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with lock:
    print("in with", lock.locked())
print("after with", lock.locked())
r = threading.RLock()
print(r.acquire(), r.acquire(), r._is_owned())
r.release(); r.release()
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)
def other_release():
    try:
        r.release()
    except RuntimeError as e:
        results.append("other thread: " + str(e))
results = []
r.acquire()
t = threading.Thread(target=other_release); t.start(); t.join()
r.release()
print(results)
ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
def setter():
    time.sleep(0.05)
    ev.set()
threading.Thread(target=setter).start()
print("event waited:", ev.wait(5), ev.is_set())
ev.clear(); print(ev.is_set())
cond = threading.Condition()
items = []
def consumer(n):
    with cond:
        cond.wait_for(lambda: len(items) >= n)
        results.append(("consumer", n, len(items) >= n))
results = []
cs = [threading.Thread(target=consumer, args=(i,)) for i in (1, 2, 3)]
for c in cs: c.start()
for i in range(3):
    time.sleep(0.01)
    with cond:
        items.append(i)
        cond.notify_all()
for c in cs: c.join()
print(sorted(results))
with cond:
    print("wait timeout returns", cond.wait(0.01))
sem = threading.Semaphore(2)
print(sem.acquire(), sem.acquire(), sem.acquire(False), sem.acquire(timeout=0.01))
sem.release(2)
bs = threading.BoundedSemaphore(1)
bs.acquire(); bs.release()
try:
    bs.release()
except ValueError as e:
    print("ValueError:", e)
order = []
barrier = threading.Barrier(3, action=lambda: order.append("action"))
def party(i):
    idx = barrier.wait()
    order.append(("passed", idx >= 0))
ps = [threading.Thread(target=party, args=(i,)) for i in range(3)]
for p in ps: p.start()
for p in ps: p.join()
print(order[0], sorted(order[1:]), barrier.broken, barrier.n_waiting)
b2 = threading.Barrier(2, timeout=0.05)
try:
    b2.wait()
except threading.BrokenBarrierError:
    print("BrokenBarrierError", b2.broken)
fired = []
tm = threading.Timer(0.02, lambda: fired.append("fired")); tm.start(); tm.join()
tc = threading.Timer(10, lambda: fired.append("never")); tc.start(); tc.cancel(); tc.join()
print(fired)
data = threading.local()
data.x = "main"
def loc(v):
    data.x = v
    time.sleep(0.01)
    results.append(data.x)
results = []
ls = [threading.Thread(target=loc, args=("t%d" % i,)) for i in range(3)]
for l in ls: l.start()
for l in ls: l.join()
print(sorted(results), data.x)
print(threading.current_thread().name, threading.main_thread() is threading.current_thread(),
      threading.active_count(), isinstance(threading.get_ident(), int), _thread.TIMEOUT_MAX > 0)
