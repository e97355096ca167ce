# stress: the collector under heavy thread churn — short-lived threads build cyclic
# garbage and big temporary containers while others call gc.collect(); every result must
# stay intact (nothing freed while reachable) and every thread must finish.
import gc, threading, time

class Node:
    def __init__(self, v):
        self.v = v
        self.next = None
        self.peer = self

def churn(seed, out):
    total = 0
    for r in range(30):
        nodes = [Node(seed * 1000 + i) for i in range(100)]
        for a, b in zip(nodes, nodes[1:]):
            a.next = b
        nodes[-1].next = nodes[0]          # a cycle
        d = {i: [i] * 10 for i in range(200)}
        total += sum(n.v for n in nodes) + sum(len(v) for v in d.values())
        if r % 10 == 0:
            gc.collect()
    out.append(total)

def collector(stop):
    while not stop.is_set():
        gc.collect()
        time.sleep(0.002)

results = []
stop = threading.Event()
cs = [threading.Thread(target=collector, args=(stop,)) for _ in range(2)]
for c in cs: c.start()
for wave in range(6):
    ts = [threading.Thread(target=churn, args=(wave * 8 + i, results)) for i in range(8)]
    for t in ts: t.start()
    for t in ts: t.join()
stop.set()
for c in cs: c.join()
expect = sorted(30 * (sum(s * 1000 + i for i in range(100)) + 2000) for s in range(48))
print("threads finished:", len(results))
print("results intact:", sorted(results) == expect)
