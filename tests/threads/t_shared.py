# many threads mutating shared lists, dicts and counters under locks; results checked
import threading
N_THREADS, N_OPS = 8, 2000
shared_list, shared_dict, counter = [], {}, [0]
lock = threading.Lock()
def worker(tid):
    for i in range(N_OPS):
        shared_list.append((tid, i))
        shared_dict[(tid, i)] = i
        with lock:
            counter[0] += 1
threads = [threading.Thread(target=worker, args=(t,)) for t in range(N_THREADS)]
for t in threads: t.start()
for t in threads: t.join()
print(len(shared_list), len(shared_dict), counter[0])
print(sorted(shared_list) == sorted((t, i) for t in range(N_THREADS) for i in range(N_OPS)))
per_thread = {}
for tid, i in shared_list:
    per_thread.setdefault(tid, []).append(i)
print(all(v == list(range(N_OPS)) for v in per_thread.values()), sorted(per_thread))
s = set()
def adder(base):
    for i in range(1000):
        s.add(base + i)
ts = [threading.Thread(target=adder, args=(k * 1000,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(len(s), min(s), max(s))
many = [threading.Thread(target=lambda: None) for _ in range(64)]
for t in many: t.start()
for t in many: t.join()
print("64 threads joined", all(not t.is_alive() for t in many))
