# multiprocessing.Pool under a storm of SIGKILLs (gilpy-only: CPython's Pool hangs when
# a worker dies, so there is no CPython output to record; run once per lock policy by
# tests/run_gilpy_checks.py, which times it out). A thread in the parent kills workers
# at random moments while map/map_async/imap/imap_unordered/apply_async calls are in
# flight, with results and arguments over 64 KiB (so a kill can land halfway through a
# worker's read of a task or write of a result). Every call must either give the right
# results or raise WorkerLostError (imap: each item either right or WorkerLostError,
# and never more lost items than kills), never hang (every wait has a deadline); after
# each storm a map with nobody killing must be exact (no lock left held, no stream
# corrupted: the shared-queue pool this replaced failed here with "map hung"); and
# after each pool is closed or terminated the parent's descriptors and children must be
# back to where they started. Prints "ok"; a failure exits non-zero with the reason.
import gc, os, random, signal, sys, threading, time
import multiprocessing as mp
from multiprocessing.pool import WorkerLostError

DEADLINE = 60           # seconds any one call may take before we call it a hang
BIG = 200_000           # bytes in a "large" result or argument (> the 64 KiB pipe)


def nfds():
    return len(os.listdir("/proc/self/fd"))


def children():
    """pids of unreaped children (zombies included), from /proc."""
    me = str(os.getpid())
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                out.append(int(pid))
    return out


def work(x):
    """x -> a value that depends on x; large for odd x. Spins a little first."""
    n = 2000 + (x * 7919) % 20000
    while n > 0:
        n -= 1
    if x % 2:
        return bytes([x % 251]) * BIG + x.to_bytes(4, "big")
    return x * x


def expect(x):
    if x % 2:
        return bytes([x % 251]) * BIG + x.to_bytes(4, "big")
    return x * x


def echo_len(blob):
    """A large argument (the task itself is over 64 KiB)."""
    return (len(blob), blob[:1], blob[-4:])


def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.stderr.flush()
    os._exit(1)


class Watchdog(threading.Thread):
    """Fails the test when one step (a call, close+join, terminate) outlasts DEADLINE:
    covers the waits that take no timeout (iterating a chunked imap, join())."""

    def __init__(self):
        super().__init__(daemon=True)
        self.step, self.since = None, 0.0

    def arm(self, step):
        self.step, self.since = step, time.monotonic()

    def run(self):
        while True:
            time.sleep(0.5)
            step = self.step
            if step is not None and time.monotonic() - self.since > DEADLINE:
                fail("%s hung (over %d s)" % (step, DEADLINE))


watchdog = Watchdog()


class Killer(threading.Thread):
    """Between calm() and storm(), kills a random live worker of `pool` every few
    milliseconds; stops for good once `stop` is set."""

    def __init__(self, pool, rng, max_gap):
        super().__init__(daemon=True)
        self.pool, self.rng, self.max_gap = pool, rng, max_gap
        self.stop = threading.Event()
        self.mutex = threading.Lock()       # held while a kill is decided and sent
        self.raging = False
        self.kills = 0
        self.victims = set()

    def storm(self):
        with self.mutex:
            self.raging = True

    def calm(self):
        """Once this returns no kill is under way, none will follow, and the pool has
        replaced every worker killed (a task given to one it has not yet seen die
        would be lost)."""
        with self.mutex:
            self.raging = False
        t0 = time.monotonic()
        while any(p in self.victims for p in list(self.pool._pool)):
            if time.monotonic() - t0 > DEADLINE:
                fail("the pool never replaced a killed worker")
            time.sleep(0.005)

    def run(self):
        while not self.stop.wait(self.rng.uniform(0.0, self.max_gap)):
            with self.mutex:
                if not self.raging:
                    continue
                live = [p for p in list(self.pool._pool) if p._returncode is None]
                if live:
                    victim = self.rng.choice(live)
                    try:
                        os.kill(victim.pid, signal.SIGKILL)
                        self.kills += 1
                        self.victims.add(victim)
                    except ProcessLookupError:
                        pass


stats = {"calls": 0, "lost": 0, "kills": 0, "exact": 0}


def check_map(pool, rng, killer):
    xs = list(range(rng.randint(10, 60)))
    chunksize = rng.choice([None, 1, 3])
    r = pool.map_async(work, xs, chunksize=chunksize)
    try:
        got = r.get(timeout=DEADLINE)
    except WorkerLostError as e:
        if "Worker exited prematurely: signal 9 (SIGKILL) Job: " not in str(e):
            fail("map: unexpected WorkerLostError text %r" % str(e))
        stats["lost"] += 1
        return
    except mp.TimeoutError:
        fail("map(chunksize=%r) hung" % chunksize)
    if got != [expect(x) for x in xs]:
        fail("map(chunksize=%r) returned wrong results" % chunksize)
    stats["exact"] += 1


def check_imap(pool, rng, killer):
    xs = list(range(rng.randint(10, 60)))
    unordered = rng.random() < 0.5
    it = (pool.imap_unordered if unordered else pool.imap)(work, xs)
    seen, lost = [], 0
    t0 = time.monotonic()
    for k in range(len(xs)):
        try:
            v = it.next(timeout=DEADLINE)
        except WorkerLostError:
            lost += 1
            continue
        except mp.TimeoutError:
            fail("imap%s hung at item %d" % ("_unordered" if unordered else "", k))
        except StopIteration:
            fail("imap ended after %d of %d items" % (k, len(xs)))
        if not unordered and v != expect(xs[k]):
            fail("imap item %d is wrong" % k)
        seen.append(v)
    try:
        it.next(timeout=DEADLINE)
        fail("imap gave more items than it was asked for")
    except StopIteration:
        pass
    if unordered:
        want = [expect(x) for x in xs]
        for v in seen:
            if v not in want:
                fail("imap_unordered gave a value nobody asked for")
            want.remove(v)
    if lost > killer.kills:
        fail("imap lost %d items with only %d kills" % (lost, killer.kills))
    stats["lost"] += lost
    if not lost:
        stats["exact"] += 1


def check_chunked_imap(pool, rng, killer):
    xs = list(range(rng.randint(10, 40)))
    got = []
    try:
        for v in pool.imap(work, xs, chunksize=4):
            got.append(v)
    except WorkerLostError:
        stats["lost"] += 1
        if got != [expect(x) for x in xs[:len(got)]]:
            fail("chunked imap: wrong items before the lost chunk")
        return
    if got != [expect(x) for x in xs]:
        fail("chunked imap returned wrong results")
    stats["exact"] += 1


def check_apply(pool, rng, killer):
    blobs = [bytes([i]) * (BIG + i) for i in range(rng.randint(3, 8))]
    rs = [pool.apply_async(echo_len, (b,)) for b in blobs]
    for b, r in zip(blobs, rs):
        try:
            got = r.get(timeout=DEADLINE)
        except WorkerLostError:
            stats["lost"] += 1
            continue
        except mp.TimeoutError:
            fail("apply_async with a %d-byte argument hung" % len(b))
        if got != (len(b), b[:1], b[-4:]):
            fail("apply_async returned a wrong result")
        stats["exact"] += 1


def calm(pool):
    """With no kills, the pool must work exactly: no lock left held, no stream corrupt."""
    r = pool.map_async(work, range(24), chunksize=1)
    try:
        if r.get(timeout=DEADLINE) != [expect(x) for x in range(24)]:
            fail("after the storm, map returned wrong results")
    except mp.TimeoutError:
        fail("after the storm, the pool hung")
    except WorkerLostError as e:
        fail("after the storm, a worker was lost with nobody killing: %s" % e)


def one_pool(rng, fd0, kids0, n):
    pool = mp.Pool(rng.randint(1, 4), maxtasksperchild=rng.choice([None, None, 5]))
    killer = Killer(pool, rng, rng.choice([0.002, 0.01, 0.03]))
    killer.start()
    for _ in range(n):
        stats["calls"] += 1
        check = rng.choice([check_map, check_imap, check_chunked_imap, check_apply])
        watchdog.arm(check.__name__)
        killer.storm()
        check(pool, rng, killer)
        killer.calm()
        watchdog.arm("the calm map after " + check.__name__)
        calm(pool)
    killer.stop.set()
    killer.join()
    stats["kills"] += killer.kills
    if rng.random() < 0.5:
        watchdog.arm("close+join")
        pool.close()
        pool.join()
    else:
        watchdog.arm("terminate")
        pool.terminate()
    watchdog.arm(None)
    gc.collect()
    if nfds() != fd0:
        fail("%d descriptors left open after the pool closed" % (nfds() - fd0))
    left = children()
    if left != kids0:
        fail("children left after the pool closed: %r" % left)
    if mp.active_children():
        fail("active_children() not empty: %r" % mp.active_children())


def main():
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1234
    rng = random.Random(seed)
    gc.collect()
    fd0 = nfds()
    kids0 = children()
    t0 = time.monotonic()
    watchdog.start()
    rounds = 0
    while rounds < 12 or (time.monotonic() - t0 < 8 and rounds < 40):
        one_pool(rng, fd0, kids0, rng.randint(2, 5))
        rounds += 1
    # a kill while a pool is closing: close() with work outstanding, then the storm
    watchdog.arm("a storm while the pool closes")
    pool = mp.Pool(2)
    r = pool.map_async(work, range(40), chunksize=1)
    pool.close()
    killer = Killer(pool, rng, 0.005)
    killer.storm()
    killer.start()
    try:
        ok = r.get(timeout=DEADLINE) == [expect(x) for x in range(40)]
        if not ok:
            fail("map during close returned wrong results")
    except WorkerLostError:
        pass
    except mp.TimeoutError:
        fail("map during close hung")
    pool.join()
    killer.stop.set()
    killer.join()
    watchdog.arm(None)
    gc.collect()
    if nfds() != fd0 or children() != kids0:
        fail("descriptors or children left after the closing storm")
    if stats["kills"] == 0 or stats["lost"] == 0:
        fail("the storm never hit a busy worker: %r" % stats)
    if os.environ.get("KILLSTORM_VERBOSE"):
        sys.stderr.write("%d pools, %r, %.1fs\n" % (rounds + 1, stats, time.monotonic() - t0))
    print("ok")


if __name__ == "__main__":
    main()
