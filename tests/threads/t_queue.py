# queue: producer/consumer, task_done/join, Full/Empty, LIFO, priority, SimpleQueue
import threading, queue
q = queue.Queue()
results = []
def consumer():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        results.append(item * 2)
        q.task_done()
workers = [threading.Thread(target=consumer) for _ in range(3)]
for w in workers: w.start()
for i in range(100):
    q.put(i)
q.join()
for _ in workers: q.put(None)
for w in workers: w.join()
print(len(results), sum(results), sorted(results)[:5])
b = queue.Queue(maxsize=2)
b.put(1); b.put(2)
print(b.full(), b.qsize())
try:
    b.put(3, block=False)
except queue.Full:
    print("Full")
try:
    b.put(3, timeout=0.01)
except queue.Full:
    print("Full after timeout")
print(b.get(), b.get(), b.empty())
try:
    b.get_nowait()
except queue.Empty:
    print("Empty")
try:
    b.get(timeout=0.01)
except queue.Empty:
    print("Empty after timeout")
lq = queue.LifoQueue(); [lq.put(i) for i in range(3)]; print([lq.get() for _ in range(3)])
pq = queue.PriorityQueue(); [pq.put(x) for x in (5, 1, 4, 2)]; print([pq.get() for _ in range(4)])
sq = queue.SimpleQueue(); sq.put("a"); sq.put("b"); print(sq.get(), sq.get(), sq.empty())
def late_put():
    import time
    time.sleep(0.05)
    q.put("late")
threading.Thread(target=late_put).start()
print(q.get(timeout=5))
