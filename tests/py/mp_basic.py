# multiprocessing (fork): Process (exit codes, the "Process NAME:" traceback of a failed
# child, join timeout, terminate), Queue/JoinableQueue/SimpleQueue, Pipe, Value/Array in
# shared memory under a cross-process Lock, Event; output independent of scheduling.
import multiprocessing as mp
import os
import sys
import time


def square_into(q, n):
    q.put((n, n * n))


def fail():
    raise ValueError("child failed")


def exit_with(code):
    sys.exit(code)


def add_many(counter, arr, lock, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1
    with lock:
        for i in range(len(arr)):
            arr[i] = arr[i] + 1


def echo(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        conn.send(("echo", msg))
    conn.close()


def consume(jq, out):
    while True:
        item = jq.get()
        if item is None:
            jq.task_done()
            break
        out.put(item * 10)
        jq.task_done()


def set_event(e):
    time.sleep(0.05)
    e.set()


if __name__ == "__main__":
    q = mp.Queue()
    procs = [mp.Process(target=square_into, args=(q, i)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(sorted(q.get() for _ in range(4)), [p.exitcode for p in procs])
    print(procs[0].name.startswith("Process-"), mp.current_process().name,
          mp.active_children())

    p = mp.Process(target=exit_with, args=(3,))
    p.start()
    p.join()
    print("sys.exit(3):", p.exitcode, p.is_alive())

    p = mp.Process(target=time.sleep, args=(10,), daemon=True)
    p.start()
    p.join(0.1)
    print("alive after join(0.1):", p.is_alive(), p.exitcode)
    p.terminate()
    p.join()
    print("terminated:", p.exitcode)

    counter = mp.Value("i", 0)
    arr = mp.Array("d", [0.5, 1.5, 2.5])
    lock = mp.Lock()
    procs = [mp.Process(target=add_many, args=(counter, arr, lock, 300)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("Value:", counter.value, "Array:", arr[:], len(arr))
    cv = mp.Value("c", b"x")
    ca = mp.Array("c", b"hello")
    la = mp.Array("l", 3)
    la[1] = 2**40
    print(cv.value, ca.value, ca[1:3], list(la), mp.RawValue("d", 2.5).value)

    a, b = mp.Pipe()
    p = mp.Process(target=echo, args=(b,))
    p.start()
    for msg in [1, "two", [3, {"four": 4.0}], b"\x00" * 100000]:
        a.send(msg)
        kind, back = a.recv()
        print(kind, back if not isinstance(back, bytes) else len(back))
    a.send(None)
    p.join()
    print("echo exit", p.exitcode)
    r, w = mp.Pipe(duplex=False)
    print(r.poll())
    w.send_bytes(b"raw bytes")
    print(r.poll(1), r.recv_bytes(), r.poll(0.05))
    w.close()
    try:
        r.recv()
    except EOFError:
        print("EOFError")

    jq = mp.JoinableQueue()
    out = mp.Queue()
    c = mp.Process(target=consume, args=(jq, out))
    c.start()
    for i in range(5):
        jq.put(i)
    jq.put(None)
    jq.join()
    print("joined", sorted(out.get() for _ in range(5)))
    c.join()

    sq = mp.SimpleQueue()
    sq.put({"simple": True})
    print(sq.get(), sq.empty())

    e = mp.Event()
    p = mp.Process(target=set_event, args=(e,))
    p.start()
    print("event", e.wait(5), e.is_set())
    p.join()

    q2 = mp.Queue()
    try:
        q2.get(timeout=0.05)
    except Exception as ex:
        print(type(ex).__name__)
    q2.put(list(range(50000)))
    print(len(q2.get()))

    rl = mp.RLock()
    with rl:
        with rl:
            print("rlock nested ok")
    sem = mp.BoundedSemaphore(1)
    sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError as ex:
        print(ex)

    sys.stdout.flush()
    p = mp.Process(target=fail, name="Failing")
    p.start()
    p.join()
    print("failed child exit code", p.exitcode)
