# stress: 1,000 threads started and joined in waves of 50; each does a little work under
# a shared lock. Checks every thread ran exactly once and none is left alive.
import threading

WAVES, PER_WAVE = 20, 50
lock = threading.Lock()
counter = 0
seen = set()

def work(i):
    global counter
    s = 0
    for k in range(200):
        s += k * i
    with lock:
        counter += 1
        seen.add(i)

for w in range(WAVES):
    ts = [threading.Thread(target=work, args=(w * PER_WAVE + j,)) for j in range(PER_WAVE)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not any(t.is_alive() for t in ts)

print("threads run:", counter, "distinct:", len(seen))
print("alive after join:", threading.active_count())
