# os.fork() while other threads keep mutating lists and dicts: the child, which has only
# the forking thread, must be able to use those objects (under --gil=none a per-object
# lock held by another thread at the moment of fork() used to stay locked in the child
# for ever: about 4 children in 10 hung). Each child touches every object and exits; a
# child still running after 10 s counts as hung, is killed, and ends the test.
import os, signal, threading, time

N_FORKS = 60
lists = [[list(range(8)) for _ in range(200)] for _ in range(2)]
dicts = [[{"a": 1} for _ in range(200)] for _ in range(2)]
stop = threading.Event()


def churn(k):
    while not stop.is_set():
        for l in lists[k]:
            l.append(1)
            l.pop()
        for d in dicts[k]:
            d["b"] = 2
            del d["b"]


threads = [threading.Thread(target=churn, args=(k,)) for k in range(2)]
for t in threads:
    t.start()
hung = failed = 0
for i in range(N_FORKS):
    pid = os.fork()
    if pid == 0:
        try:
            for k in range(2):
                for l in lists[k]:
                    l.append(1)
                for d in dicts[k]:
                    d["c"] = 3
        finally:
            os._exit(0)
    t0 = time.monotonic()
    while True:
        p, status = os.waitpid(pid, os.WNOHANG)
        if p:
            failed += status != 0
            break
        if time.monotonic() - t0 > 10:
            hung += 1
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.002)
    if hung:
        break
stop.set()
for t in threads:
    t.join()
print("forks:", i + 1, "hung children:", hung, "failed children:", failed)
