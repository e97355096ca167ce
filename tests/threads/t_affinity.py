# Threads keep their creator's CPU affinity. gilpy starts a thread created through
# threading on its creator's CPU and restores the creator's mask as the thread begins
# (docs/free-threading.md): a thread must never stay pinned. Also os.sched_getaffinity /
# os.sched_setaffinity themselves, and _thread.start_new_thread (not pinned at all).
import _thread
import os
import threading

main = os.sched_getaffinity(0)
seen = []


def report():
    seen.append(os.sched_getaffinity(0) == main)


ts = [threading.Thread(target=report) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("threading:", seen)

# A narrower mask is what a new thread inherits.
if len(main) > 1:
    one = {min(main)}
    os.sched_setaffinity(0, one)
    got = []
    t = threading.Thread(target=lambda: got.append(os.sched_getaffinity(0) == one))
    t.start()
    t.join()
    os.sched_setaffinity(0, main)
    print("narrowed:", got)
else:
    print("narrowed:", [True])
print("restored:", os.sched_getaffinity(0) == main)

done = _thread.allocate_lock()
done.acquire()


def low_level():
    report()
    done.release()


_thread.start_new_thread(low_level, ())
done.acquire()
print("_thread:", seen[-1])

for bad in ([-1], ["a"]):
    try:
        os.sched_setaffinity(0, bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
