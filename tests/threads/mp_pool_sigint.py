# (It once hung under --gil=none in CI. A cause found since: the KeyboardInterrupt can
# land on entry to Condition.__exit__ of a `with cond:` in get()/next() and leave that
# lock held -- CPython 3.11 does the same -- and the pool's result handler then blocked
# on it for ever while terminate() waited for it. terminate() now waits at most a
# second for each pool thread, so it runs under every policy again.)
# Ctrl-C during Pool.map: SIGINT sent to the parent from a timer thread raises
# KeyboardInterrupt in the main thread blocked in map(); terminate() then stops the
# workers and the pool's threads; no child is left unreaped. Also the
# with-block form (its __exit__ terminates) and imap, under every lock policy.
# (Descriptors are counted in mp_pool_errors: CPython frees these pools only at exit.)
import gc, multiprocessing as mp, os, signal, threading, time


def slow(x):
    time.sleep(0.05)
    return x


def ctrl_c_after(delay):
    t = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    t.start()
    return t


def no_children():
    try:
        os.waitpid(-1, os.WNOHANG)
        return False
    except ChildProcessError:
        return True


def explicit_terminate():
    p = mp.Pool(2)
    t = ctrl_c_after(0.3)
    t0 = time.monotonic()
    try:
        p.map(slow, range(400))
        print("map finished without interruption")
    except KeyboardInterrupt:
        print("map interrupted:", time.monotonic() - t0 < 5)
    t.join()
    p.terminate()
    p.join()
    print("workers stopped:", [w.exitcode for w in p._pool] == [-signal.SIGTERM] * 2)


def with_block():
    t = ctrl_c_after(0.3)
    try:
        with mp.Pool(2) as p:
            for x in p.imap(slow, range(400)):
                pass
        print("imap finished without interruption")
    except KeyboardInterrupt:
        print("imap interrupted; with-block terminated the pool:",
              all(w.exitcode is not None for w in p._pool))
    t.join()


explicit_terminate()
with_block()
with mp.Pool(2) as p:
    print("a new pool works:", p.map(abs, [-1, -2, -3]))
gc.collect()
print("no child left:", no_children())
