# multiprocessing.Pool when things go wrong: a worker's exception reaches the caller with
# a RemoteTraceback __cause__ holding the worker's traceback text; a worker killed by
# SIGKILL never hangs the caller (CPython: get(timeout) times out; gilpy: WorkerLostError
# at once) and the pool goes on with a replacement; maxtasksperchild with close()+join();
# after every pool is closed no descriptor is left open and no child is left unreaped.
import gc, multiprocessing as mp, os, signal


def sq(x):
    return x * x


def fail_on_three(x):
    if x == 3:
        raise ValueError("bad input %d" % x)
    return x


def die_on_two(x):
    if x == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def nfds():
    return len(os.listdir("/proc/self/fd"))


def no_children():
    try:
        return os.waitpid(-1, os.WNOHANG) == (0, 0) and False
    except ChildProcessError:
        return True


def remote_traceback():
    with mp.Pool(2) as p:
        try:
            p.map(fail_on_three, range(6))
        except ValueError as e:
            cause = e.__cause__
            print("map raised:", type(e).__name__, e)
            print("cause:", type(cause).__name__, type(cause).__module__)
            lines = str(cause).splitlines()
            print("text starts:", lines[:2])
            print("names the function:", any("in fail_on_three" in l for l in lines))
            print("shows the line:", 'raise ValueError("bad input %d" % x)' in str(cause))
            print("ends:", lines[-2:])
        r = p.apply_async(fail_on_three, (3,))
        try:
            r.get(timeout=10)
        except ValueError as e:
            print("apply_async:", e, "RemoteTraceback" in type(e.__cause__).__name__,
                  r.successful())
        errs = []
        r = p.map_async(fail_on_three, [1, 3], error_callback=errs.append)
        r.wait(10)
        print("error_callback got:", [type(x).__name__ for x in errs], r.ready())


def killed_worker():
    with mp.Pool(2) as p:
        r = p.apply_async(die_on_two, (2,))
        try:
            print("apply_async:", r.get(timeout=3))
        except Exception:
            print("apply_async: the task was lost, get() did not hang")
        try:
            print("map:", p.map_async(die_on_two, range(5)).get(timeout=3))
        except Exception:
            print("map: the task was lost, map did not hang")
        print("pool still works:", p.map(sq, range(6)))
        print("workers:", len(p._pool), all(w.is_alive() for w in p._pool))


def max_tasks():
    p = mp.Pool(2, maxtasksperchild=1)
    r = p.map_async(sq, range(7), chunksize=1)
    p.close()
    p.join()
    print("maxtasksperchild=1:", r.get(timeout=5))


fd0 = nfds()
remote_traceback()
killed_worker()
max_tasks()
gc.collect()
print("descriptors left open:", nfds() - fd0)
print("no child left:", no_children())
print("active children:", mp.active_children())
