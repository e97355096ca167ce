"""mpi4py.futures — run callables on other MPI processes: MPIPoolExecutor and
MPICommExecutor over concurrent.futures' Future.

Invariants:
  * Workers are MPI ranks, not spawned processes: `mpirun -np N gilpy -m mpi4py.futures
    script.py` runs the script on rank 0 and makes ranks 1..N-1 workers (the pool every
    MPIPoolExecutor in the script shares); MPICommExecutor(comm, root) makes the ranks of
    `comm` other than root the workers for the length of a with-block. Dynamic process
    spawning (mpi4py's default when not launched this way) is not supported: the
    executor says how to launch instead.
  * The pool talks over its own communicator (a Dup), so user messages never mix with
    its tasks. One manager thread on the root receives every result (ANY_SOURCE) and
    hands the worker its next queued task; submit() sends directly to an idle worker.
    Pool state (idle workers, queue, in-flight futures) changes only under the pool lock.
  * A worker runs one task at a time and always answers: (True, result) or (False,
    exception); an exception or result that cannot be pickled comes back as a
    RuntimeError naming it, so a future never waits forever for a failed task.
"""
import sys
import threading
import collections

from concurrent.futures import (Future, Executor, CancelledError, TimeoutError, wait,
                                as_completed, FIRST_COMPLETED, FIRST_EXCEPTION,
                                ALL_COMPLETED, BrokenExecutor)

__all__ = ["MPIPoolExecutor", "MPICommExecutor", "Future", "wait", "as_completed",
           "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "CancelledError",
           "TimeoutError", "get_comm_workers"]

_TASK = 17
_RESULT = 18


def _apply_chunk(fn, chunk):
    return [fn(*args) for args in chunk]


def _serve(comm, root):
    """A worker's loop: run tasks from root until it sends None."""
    while True:
        task = comm.recv(source=root, tag=_TASK)
        if task is None:
            break
        fn, args, kwargs = task
        try:
            reply = (True, fn(*args, **kwargs))
        except BaseException as exc:
            reply = (False, exc)
        try:
            comm.send(reply, dest=root, tag=_RESULT)
        except BaseException as exc:  # the result or the exception did not pickle
            comm.send((False, RuntimeError("mpi4py.futures: cannot send the %s back: %s: %s"
                                           % ("result" if reply[0] else "exception",
                                              type(exc).__name__, exc))),
                      dest=root, tag=_RESULT)


class _Pool:
    def __init__(self, comm, workers):
        self.comm = comm
        self.workers = list(workers)
        self.lock = threading.Lock()
        self.idle = collections.deque(self.workers)
        self.queue = collections.deque()
        self.inflight = {}
        self.stopped = False
        self.thread = threading.Thread(target=self._loop, name="mpi4py.futures-manager",
                                       daemon=True)
        self.thread.start()

    def _dispatch(self, worker):
        # under self.lock: give `worker` the next live queued task, else mark it idle
        while self.queue:
            future, task = self.queue.popleft()
            if future.set_running_or_notify_cancel():
                self.inflight[worker] = future
                self.comm.send(task, dest=worker, tag=_TASK)
                return
        self.idle.append(worker)

    def submit(self, future, task):
        with self.lock:
            if self.stopped:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self.queue.append((future, task))
            if self.idle:
                self._dispatch(self.idle.popleft())

    def _loop(self):
        from mpi4py import MPI
        me = self.comm.Get_rank()
        while True:
            status = MPI.Status()
            msg = self.comm.recv(source=MPI.ANY_SOURCE, tag=_RESULT, status=status)
            src = status.Get_source()
            if src == me:
                return
            with self.lock:
                future = self.inflight.pop(src, None)
                self._dispatch(src)
            if future is None:
                continue
            ok, value = msg
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def stop(self):
        """Wait for queued and running tasks, release the workers, end the manager."""
        while True:
            with self.lock:
                pending = [f for f, _ in self.queue] + list(self.inflight.values())
                if not pending:
                    self.stopped = True
                    break
            wait(pending)
        for w in self.workers:
            self.comm.send(None, dest=w, tag=_TASK)
        req = self.comm.isend(None, dest=self.comm.Get_rank(), tag=_RESULT)
        self.thread.join()
        req.wait()


_pool = None          # the shared pool of `-m mpi4py.futures` (rank 0 only)


def _launch_pool(comm, workers):
    global _pool
    _pool = _Pool(comm, workers)


def _stop_pool():
    global _pool
    if _pool is not None:
        p, _pool = _pool, None
        p.stop()


def get_comm_workers():
    """The communicator the workers serve on (the pool's), as mpi4py's."""
    if _pool is None:
        from mpi4py import MPI
        return MPI.COMM_WORLD
    return _pool.comm


class _Frontend(Executor):
    """What MPIPoolExecutor and MPICommExecutor return: submit/map over a _Pool."""

    def __init__(self, pool):
        self._pool_ref = pool
        self._futures = set()
        self._lock = threading.Lock()
        self._shutdown = False

    @property
    def num_workers(self):
        return len(self._pool_ref.workers)

    def bootup(self, wait=True):
        return self

    def submit(self, fn, /, *args, **kwargs):
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
        future = Future()
        self._pool_ref.submit(future, (fn, args, kwargs))
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future):
        with self._lock:
            self._futures.discard(future)

    def map(self, fn, *iterables, timeout=None, chunksize=1, unordered=False):
        return self.starmap(fn, zip(*iterables), timeout, chunksize, unordered)

    def starmap(self, fn, iterable, timeout=None, chunksize=1, unordered=False):
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        items = list(iterable)
        if chunksize == 1:
            futures = [self.submit(fn, *args) for args in items]
            return _results(futures, timeout, unordered, False)
        chunks = [items[i:i + chunksize] for i in range(0, len(items), chunksize)]
        futures = [self.submit(_apply_chunk, fn, chunk) for chunk in chunks]
        return _results(futures, timeout, unordered, True)

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._lock:
            self._shutdown = True
            futures = list(self._futures)
        if cancel_futures:
            for f in futures:
                f.cancel()
        if wait and futures:
            globals()["wait"](futures)


def _results(futures, timeout, unordered, chunked):
    import time
    end = None if timeout is None else time.monotonic() + timeout
    order = as_completed(futures, timeout) if unordered else futures
    try:
        for f in order:
            value = f.result(None if end is None else end - time.monotonic())
            if chunked:
                for v in value:
                    yield v
            else:
                yield value
    finally:
        for f in futures:
            f.cancel()


class MPIPoolExecutor(_Frontend):
    """An executor whose workers are the other ranks of `mpirun -np N gilpy -m
    mpi4py.futures script.py`. max_workers and the spawn options are accepted and
    ignored: the pool is the ranks mpirun started."""

    def __init__(self, max_workers=None, initializer=None, initargs=(), **kwargs):
        if _pool is None:
            raise RuntimeError(
                "MPIPoolExecutor: no worker processes. Run the program as "
                "`mpirun -np N gilpy -m mpi4py.futures script.py` (N >= 2), or use "
                "MPICommExecutor; dynamic process spawning is not supported")
        _Frontend.__init__(self, _pool)
        if initializer is not None:
            raise NotImplementedError("MPIPoolExecutor(initializer=...) is not supported")


class MPICommExecutor:
    """with MPICommExecutor(comm, root) as executor: the root gets an executor whose
    workers are the other ranks of comm; every other rank serves tasks inside the with
    statement and gets None."""

    def __init__(self, comm=None, root=0, **kwargs):
        from mpi4py import MPI
        self._comm = MPI.COMM_WORLD if comm is None else comm
        self._root = root
        self._executor = None
        self._pool = None
        self._local = None

    def __enter__(self):
        comm = self._comm.Dup()
        self._dup = comm
        if comm.Get_size() == 1:
            from concurrent.futures import ThreadPoolExecutor
            self._local = ThreadPoolExecutor(1)
            return self._local
        if comm.Get_rank() == self._root:
            workers = [r for r in range(comm.Get_size()) if r != self._root]
            self._pool = _Pool(comm, workers)
            self._executor = _Frontend(self._pool)
            return self._executor
        _serve(comm, self._root)
        return None

    def __exit__(self, exc_type, exc, tb):
        if self._local is not None:
            self._local.shutdown()
        elif self._pool is not None:
            self._executor.shutdown(wait=True)
            self._pool.stop()
        self._dup.Free()
        return False
