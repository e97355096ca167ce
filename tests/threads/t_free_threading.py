# free threading invariants (run under every lock policy, written for --gil=none): no lost
# update from concurrent list.append/pop, dict and set updates, attribute writes on one
# shared instance, module globals; concurrent imports of a fresh module run its body
# once; a generator shared by threads raises ValueError rather than running twice.
# Only deterministic facts are printed (counts, sums, sets), never interleavings.
import sys, os, threading

N_THREADS, N = 4, 3000

def run(target, args_list):
    ts = [threading.Thread(target=target, args=a) for a in args_list]
    for t in ts: t.start()
    for t in ts: t.join()

# list.append from several threads: every item exactly once
shared = []
def appender(tid):
    for i in range(N):
        shared.append(tid * N + i)
run(appender, [(t,) for t in range(N_THREADS)])
print("append", len(shared), sorted(shared) == list(range(N_THREADS * N)))

# list.pop racing list.append: what was popped plus what is left is what was added
stack = list(range(N_THREADS * N))
popped = [[] for _ in range(N_THREADS)]
def popper(tid):
    out = popped[tid]
    for _ in range(N // 2):
        try:
            out.append(stack.pop())
        except IndexError:
            pass
        stack.append(-1)
        out.append(stack.pop(0))
run(popper, [(t,) for t in range(N_THREADS)])
allv = sorted(stack + [v for p in popped for v in p])
print("pop", len(allv), allv.count(-1) == N_THREADS * (N // 2),
      [v for v in allv if v != -1] == list(range(N_THREADS * N)))

# dict updates: disjoint keys all land; one shared key's setdefault is taken by one thread
d = {}
winners = []
def dict_writer(tid):
    for i in range(N):
        d[(tid, i)] = i
        if i % 100 == 0:
            del d[(tid, i)]
    if d.setdefault("owner", tid) == tid:
        winners.append(tid)
run(dict_writer, [(t,) for t in range(N_THREADS)])
print("dict", len(d), len(winners), d["owner"] == winners[0],
      all(d[(t, i)] == i for t in range(N_THREADS) for i in range(N) if i % 100))

# dict.pop of shared keys: each key is popped by exactly one thread
pool = {i: i for i in range(N)}
got = [0] * N_THREADS
def dict_popper(tid):
    for i in range(N):
        if pool.pop(i, None) is not None:
            got[tid] += 1
run(dict_popper, [(t,) for t in range(N_THREADS)])
print("dict.pop", sum(got), len(pool))

# set updates
s = set()
def set_adder(tid):
    for i in range(N):
        s.add(i % 1000 + tid * 1000)
        s.discard(-1)
run(set_adder, [(t,) for t in range(N_THREADS)])
print("set", len(s), min(s), max(s))

# attribute writes on one shared instance: each thread's own attributes survive
class Obj:
    pass
o = Obj()
def attr_writer(tid):
    for i in range(N):
        setattr(o, "a%d_%d" % (tid, i % 50), i)
        o.last = tid
run(attr_writer, [(t,) for t in range(N_THREADS)])
print("attrs", len(vars(o)), o.last in range(N_THREADS),
      all(getattr(o, "a%d_%d" % (t, k)) == N - 50 + k for t in range(N_THREADS) for k in range(50)))

# module globals: new names from every thread all land (x += 1 on one global may race,
# as in free-threaded CPython, so it is not checked)
def global_writer(tid):
    g = globals()
    for i in range(300):
        g["gv_%d_%d" % (tid, i)] = i
run(global_writer, [(t,) for t in range(N_THREADS)])
print("globals", sum(1 for k in globals() if k.startswith("gv_")))

# concurrent imports of a fresh module: its body runs once, every thread gets the module
tmp = "/tmp/gilpy_ft_%d" % os.getpid()
if not os.path.isdir(tmp):
    os.mkdir(tmp)
with open(os.path.join(tmp, "ft_fresh_mod.py"), "w") as f:
    f.write("import time\nRUNS = []\nRUNS.append(1)\ntime.sleep(0.05)\nVALUE = 42\n")
sys.path.insert(0, tmp)
mods = []
def importer():
    import ft_fresh_mod
    mods.append(ft_fresh_mod)
run(importer, [() for _ in range(N_THREADS)])
print("import", len(mods), all(m is mods[0] for m in mods), mods[0].VALUE, len(mods[0].RUNS))
sys.path.remove(tmp)
for root, dirs, files in os.walk(tmp, topdown=False):  # CPython leaves a __pycache__ too
    for name in files:
        os.remove(os.path.join(root, name))
    os.rmdir(root)

# a generator shared by threads: each value is produced once; a thread that finds it
# running gets ValueError "generator already executing"
def gen():
    for i in range(N):
        yield i
g = gen()
seen = [[] for _ in range(N_THREADS)]
errors = []
def consumer(tid):
    while True:
        try:
            v = next(g)
        except StopIteration:
            return
        except ValueError as e:
            errors.append(str(e))
            continue
        seen[tid].append(v)
run(consumer, [(t,) for t in range(N_THREADS)])
allseen = sorted(v for sl in seen for v in sl)
print("generator", allseen == list(range(N)),
      all(e == "generator already executing" for e in errors))
