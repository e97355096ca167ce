# stress: an exception storm across threads — every thread raises, chains, catches and
# re-raises many exceptions of several types at once, and some threads die of an
# uncaught one (reported through threading.excepthook). Checks the counts and that each
# exception kept its own context and traceback under contention.
import threading

N_THREADS, ROUNDS = 16, 400
lock = threading.Lock()
caught = {}
chains_ok = [0]
hooked = []
threading.excepthook = lambda a: hooked.append(a.exc_type.__name__)

class Storm(Exception):
    pass

def deep(n, kind):
    if n == 0:
        if kind == 0: raise ValueError(kind)
        if kind == 1: {}["missing"]
        if kind == 2: 1 / 0
        raise Storm(kind)
    return deep(n - 1, kind)

def worker(tid):
    local = {}
    ok = 0
    for r in range(ROUNDS):
        try:
            try:
                deep(r % 7, (tid + r) % 4)
            except (ValueError, KeyError) as e:
                raise RuntimeError("wrapped") from e
            except ZeroDivisionError:
                raise TypeError("during handling")
        except Exception as e:
            name = type(e).__name__
            local[name] = local.get(name, 0) + 1
            inner = e.__cause__ or e.__context__
            if inner is not None and e.__traceback__ is not None and inner.__traceback__ is not None:
                ok += 1
            elif type(e) is Storm:
                ok += 1
    with lock:
        for k, v in local.items():
            caught[k] = caught.get(k, 0) + v
        chains_ok[0] += ok
    if tid % 4 == 0:
        raise Storm("thread %d ends badly" % tid)

ts = [threading.Thread(target=worker, args=(i,)) for i in range(N_THREADS)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(caught.items()))
print("chains intact:", chains_ok[0] == N_THREADS * ROUNDS)
print("uncaught in threads:", sorted(hooked))
