# concurrent.futures.ProcessPoolExecutor (fork): submit, map with chunksize and a
# timeout, a worker's exception with its traceback text in a _RemoteTraceback __cause__,
# an unpicklable call failing only its future, max_tasks_per_child, shutdown with
# cancel_futures, a worker killed by SIGKILL giving BrokenProcessPool (never a hang),
# and no descriptor or child left once every executor is shut down.
# (Under a main guard: CPython starts max_tasks_per_child workers with spawn.)
import concurrent.futures as cf, gc, multiprocessing, os, signal, time


def sq(x):
    return x * x


def fail(x):
    raise ValueError("worker failed on %r" % (x,))


def die(delay):
    time.sleep(delay)   # let the caller submit everything before the pool breaks
    os.kill(os.getpid(), signal.SIGKILL)


def pid_of(_):
    return os.getpid()


def nfds():
    return len(os.listdir("/proc/self/fd"))


def no_children():
    try:
        os.waitpid(-1, os.WNOHANG)
        return False
    except ChildProcessError:
        return True


if __name__ == "__main__":  # CPython spawns for max_tasks_per_child
    fd0 = nfds()
    with cf.ProcessPoolExecutor(max_workers=2) as ex:
        print(ex.submit(sq, 7).result(timeout=10))
        print(list(ex.map(sq, range(10))))
        print(list(ex.map(pow, range(10), [2] * 10, chunksize=3)))
        print(list(ex.map(sq, [], chunksize=4)))
        try:
            list(ex.map(time.sleep, [0.5], timeout=0.05))
        except cf.TimeoutError as e:
            print("map timeout:", type(e).__name__)
        try:
            ex.map(sq, [1], chunksize=0)
        except ValueError as e:
            print("chunksize 0:", e)
        f = ex.submit(fail, 5)
        err = f.exception(timeout=10)
        print(type(err).__name__, err)
        cause = err.__cause__
        print("cause:", type(cause).__name__, type(cause).__module__)
        text = str(cause)
        print("traceback text names fail():", "in fail" in text,
              'raise ValueError("worker failed on %r" % (x,))' in text)
        print("last lines:", text.splitlines()[-2:])
        try:
            f.result()
        except ValueError as e:
            print("result() raised", e)
        lam = ex.submit(lambda: 1)
        print("unpicklable call:", type(lam.exception(timeout=10)).__name__)
        print("still works:", ex.submit(sq, 3).result(timeout=10))
        fs = [ex.submit(sq, i) for i in range(6)]
        print(sorted(f.result() for f in cf.as_completed(fs, timeout=10)))
        d, nd = cf.wait(fs, timeout=10)
        print(len(d), len(nd))

    try:
        cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                               max_tasks_per_child=2)
    except ValueError as e:
        print("fork + max_tasks_per_child:", e)

    ex = cf.ProcessPoolExecutor(max_workers=1)
    first = ex.submit(time.sleep, 0.3)
    while not first.running():
        time.sleep(0.01)
    queued = [ex.submit(sq, i) for i in range(4)]
    ex.shutdown(wait=True, cancel_futures=True)
    # CPython may already have handed queued[0] to its call queue; the rest are cancelled.
    print("cancel_futures:", first.result(), queued[0].done(), [f.cancelled() for f in queued[1:]])
    try:
        ex.submit(sq, 1)
    except RuntimeError as e:
        print("after shutdown:", e)

    ex = cf.ProcessPoolExecutor(max_workers=2)
    print("before the kill:", ex.submit(sq, 4).result(timeout=10))
    futs = [ex.submit(die, 0.3)] + [ex.submit(time.sleep, 3) for _ in range(3)]
    for f in futs:
        try:
            f.result(timeout=10)
            print("finished")
        except cf.process.BrokenProcessPool as e:
            print(type(e).__name__, isinstance(e, cf.BrokenExecutor), e)
    try:
        ex.submit(sq, 1)
    except cf.process.BrokenProcessPool as e:
        print("submit:", type(e).__name__, e)
    ex.shutdown()

    gc.collect()
    print("descriptors left open:", nfds() - fd0)
    print("no child left:", no_children())

    # last: CPython runs this with spawn, whose resource tracker outlives the checks
    with cf.ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2) as ex:
        pids = [ex.submit(pid_of, i).result(timeout=10) for i in range(6)]
        print("max_tasks_per_child=2, distinct workers:", len(set(pids)))
