"""concurrent.futures.process — ProcessPoolExecutor over multiprocessing's fork
start method, after CPython's Lib/concurrent/futures/process.py.

Invariants:
  * Each worker is a multiprocessing.Process with its own pair of pipes (calls in,
    results out): the parent always knows which call each worker runs, and no lock is
    shared across processes, so a worker that dies cannot leave one held. Workers are
    forked at the first submit, before the manager thread starts; a worker closes the
    parent's ends of its siblings' pipes and the wake-up pipe it inherited.
  * One manager thread per executor owns the workers: it hands queued calls to idle
    workers (a call is pickled there; a pickling error fails that future), reads
    results, and waits on results, worker sentinels and a wake-up pipe with one
    select() that releases the interpreter lock. Submitters and shutdown() touch only
    the queue (under _shutdown_lock) and write a byte to the wake-up pipe.
  * A worker's exception comes back with its traceback text: the caller gets the
    original exception whose __cause__ is a _RemoteTraceback (str: the formatted
    remote traceback), as CPython does.
  * A worker that dies (a signal, os._exit, a failed initializer) breaks the pool, as in
    CPython: every pending and running future gets BrokenProcessPool, the other workers
    are terminated and reaped, and submit raises BrokenProcessPool. No caller waits
    forever on a dead worker.
  * max_tasks_per_child: a worker leaves after that many calls (its last result says
    so) and the manager forks a replacement. CPython then needs a spawn context (it
    refuses "fork" with ValueError, and so does gilpy when "fork" is named); gilpy has
    only fork, so mp_context=None forks the replacement from the manager thread (the
    runtime rebuilds its thread and lock state in the child, vm/fork.cpp).
  * shutdown(wait=True) runs the queued calls, sends every worker None, joins them and
    the manager, and closes every descriptor the executor opened; cancel_futures=True
    first cancels the calls no worker has started. At interpreter exit executors never
    shut down are shut down (threading._register_atexit) in the process that made them.
"""
import os
import sys
import select
import pickle
import itertools
import threading
import collections

from . import _base

__all__ = ["ProcessPoolExecutor", "BrokenProcessPool"]

_executors = []               # (executor, creator pid) not yet shut down
_global_shutdown = False
_global_lock = threading.Lock()


def _python_exit():
    global _global_shutdown
    with _global_lock:
        _global_shutdown = True
        mine = [e for e, pid in _executors if pid == os.getpid()]
    for e in mine:
        e.shutdown(wait=True)


threading._register_atexit(_python_exit)


class _RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class _ExceptionWithTraceback:
    def __init__(self, exc, tb):
        import traceback
        tb = "".join(traceback.format_exception(type(exc), exc, tb))
        self.exc = exc
        self.exc.__traceback__ = None
        self.tb = '\n"""\n%s"""' % tb

    def __reduce__(self):
        return _rebuild_exc, (self.exc, self.tb)


def _rebuild_exc(exc, tb):
    exc.__cause__ = _RemoteTraceback(tb)
    return exc


class BrokenProcessPool(_base.BrokenExecutor):
    """Raised when a process in a ProcessPoolExecutor terminated abruptly while a
    future was in the running state."""


def _get_chunks(*iterables, chunksize):
    it = zip(*iterables)
    while True:
        chunk = tuple(itertools.islice(it, chunksize))
        if not chunk:
            return
        yield chunk


def _process_chunk(fn, chunk):
    return [fn(*args) for args in chunk]


def _chain_from_iterable_of_lists(iterable):
    for element in iterable:
        element.reverse()
        while element:
            yield element.pop()


def _send(wfd, data):
    from multiprocessing.connection import Connection
    Connection(None, wfd, readable=False)._send_bytes(data)


def _reply(wfd, work_id, ok, value, exiting):
    try:
        data = pickle.dumps((work_id, ok, value, exiting))
    except BaseException as e:
        exc = _ExceptionWithTraceback(e, e.__traceback__)
        data = pickle.dumps((work_id, False, exc, exiting))
    _send(wfd, data)


def _process_worker(rfd, wfd, close_fds, initializer, initargs, max_tasks):
    from multiprocessing.connection import Connection
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException:
            sys.stderr.write("Exception in initializer:\n")
            import traceback
            traceback.print_exc()
            return        # the manager sees the sentinel: the pool is broken
    conn = Connection(rfd, None, writable=False)
    done = 0
    while True:
        try:
            call = pickle.loads(conn.recv_bytes())
        except EOFError:
            return
        if call is None:
            return
        work_id, fn, args, kwargs = call
        call = None
        done += 1
        exiting = max_tasks is not None and done >= max_tasks
        try:
            r = fn(*args, **kwargs)
        except BaseException as e:
            _reply(wfd, work_id, False, _ExceptionWithTraceback(e, e.__traceback__), exiting)
            e = None
        else:
            _reply(wfd, work_id, True, r, exiting)
        r = fn = args = kwargs = None
        if exiting:
            return


class _Worker:
    """The parent's handle on one worker: its Process and its two pipe ends."""

    def __init__(self, proc, call_w, result_r):
        self.proc = proc
        self.call_w = call_w        # parent writes calls
        self.result_r = result_r    # parent reads results
        # Our own copy of the death sentinel: Process reaps and closes its own when
        # anyone polls it (active_children(), the next Process.start()).
        self.sentinel = os.dup(proc.sentinel)
        self.work_id = None         # the call it runs, or None when idle
        self.exiting = False

    def close_fds(self):
        for name in ("call_w", "result_r", "sentinel"):
            fd = getattr(self, name)
            if fd is not None:
                setattr(self, name, None)
                try:
                    os.close(fd)
                except OSError:
                    pass


class ProcessPoolExecutor(_base.Executor):
    def __init__(self, max_workers=None, mp_context=None, initializer=None,
                 initargs=(), *, max_tasks_per_child=None):
        if max_workers is None:
            max_workers = os.cpu_count() or 1
        elif max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if mp_context is not None:
            method = getattr(mp_context, "get_start_method", lambda: "fork")()
            if method != "fork":
                raise ValueError("gilpy's ProcessPoolExecutor supports only the "
                                 "'fork' start method, not %r" % (method,))
            if max_tasks_per_child is not None:
                # CPython's rule: forking replacements from the manager thread.
                raise ValueError("max_tasks_per_child is incompatible with"
                                 " the 'fork' multiprocessing start method;"
                                 " supply a different mp_context.")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            elif max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
        self._max_workers = max_workers
        self._initializer = initializer
        self._initargs = initargs
        self._max_tasks_per_child = max_tasks_per_child
        self._shutdown_lock = threading.Lock()
        self._shutdown_thread = False
        self._broken = False
        self._queue_count = 0
        self._pending = collections.deque()     # work ids not yet given to a worker
        self._work = {}                         # work id -> _WorkItem (pending or running)
        self._workers = []                      # live _Workers (manager thread only)
        self._processes = {}                    # pid -> Process, as CPython names it
        self._manager = None
        self._wake_r = self._wake_w = None

    # ---- caller side ---------------------------------------------------------------

    def _wake(self):
        try:
            os.write(self._wake_w, b"\0")
        except (BlockingIOError, OSError, TypeError):
            pass          # already full (the manager will look), or closed

    def submit(self, fn, /, *args, **kwargs):
        from .thread import _WorkItem
        with self._shutdown_lock:
            if self._broken:
                raise BrokenProcessPool(self._broken)
            if self._shutdown_thread:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if _global_shutdown:
                raise RuntimeError("cannot schedule new futures after "
                                   "interpreter shutdown")
            f = _base.Future()
            work_id = self._queue_count
            self._queue_count += 1
            self._work[work_id] = _WorkItem(f, fn, args, kwargs)
            self._pending.append(work_id)
            if self._manager is None:
                self._start()
            self._wake()
            return f

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        fs = [self.submit(_process_chunk, fn, chunk)
              for chunk in _get_chunks(*iterables, chunksize=chunksize)]
        return _chain_from_iterable_of_lists(_base._result_iterator(fs, timeout))

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._shutdown_lock:
            self._shutdown_thread = True
            if cancel_futures:
                for work_id in self._pending:
                    item = self._work.get(work_id)
                    if item is not None:
                        item.future.cancel()
            manager = self._manager
            if manager is not None:
                self._wake()
        if manager is not None and wait and manager is not threading.current_thread():
            manager.join()
        with _global_lock:
            _executors[:] = [(e, p) for e, p in _executors if e is not self]

    # ---- workers -----------------------------------------------------------------------

    def _start(self):
        # Called under _shutdown_lock by the first submit.
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        for _ in range(self._max_workers):
            self._spawn()
        self._manager = threading.Thread(target=self._manage, daemon=True,
                                         name="ProcessPoolExecutor-manager")
        self._manager.start()
        with _global_lock:
            _executors.append((self, os.getpid()))

    def _spawn(self):
        import multiprocessing
        call_r, call_w = os.pipe()
        result_r, result_w = os.pipe()
        close = [call_w, result_r, self._wake_r, self._wake_w]
        for w in self._workers:
            close += [w.call_w, w.result_r, w.sentinel]
        close = [fd for fd in close if fd is not None]
        p = multiprocessing.Process(target=_process_worker,
                                    args=(call_r, result_w, close, self._initializer,
                                          self._initargs, self._max_tasks_per_child))
        try:
            p.start()
        finally:
            os.close(call_r)
            os.close(result_w)
        self._workers.append(_Worker(p, call_w, result_r))
        self._processes[p.pid] = p

    # ---- the manager thread --------------------------------------------------------

    def _manage(self):
        try:
            self._manage_loop()
        except BaseException as e:
            self._break("the process pool's manager thread failed: %r" % (e,))
            raise

    def _dispatch(self):
        idle = [w for w in self._workers if w.work_id is None and not w.exiting]
        while idle:
            with self._shutdown_lock:
                if not self._pending:
                    return
                work_id = self._pending.popleft()
                item = self._work[work_id]
            if not item.future.set_running_or_notify_cancel():
                with self._shutdown_lock:
                    self._work.pop(work_id, None)
                continue
            try:
                data = pickle.dumps((work_id, item.fn, item.args, item.kwargs))
            except BaseException as e:
                with self._shutdown_lock:
                    self._work.pop(work_id, None)
                item.future.set_exception(e)
                continue
            w = idle.pop()
            w.work_id = work_id
            try:
                _send(w.call_w, data)
            except OSError:
                pass        # the worker died; its sentinel says so next

    def _finish(self, w, msg):
        work_id, ok, value, exiting = msg
        w.work_id = None
        w.exiting = exiting
        with self._shutdown_lock:
            item = self._work.pop(work_id, None)
        if item is not None:
            if ok:
                item.future.set_result(value)
            else:
                item.future.set_exception(value)

    def _read_result(self, w):
        """Read one result from w; False when its pipe is at end of file."""
        from multiprocessing.connection import Connection
        try:
            data = Connection(w.result_r, None, writable=False)._recv_bytes()
        except (EOFError, OSError):
            return False
        try:
            msg = pickle.loads(data)
        except BaseException as e:
            # CPython breaks the pool when a result cannot be unpickled.
            import traceback
            self._break_cause = "".join(traceback.format_exception(type(e), e,
                                                                   e.__traceback__))
            return False
        self._finish(w, msg)
        return True

    def _manage_loop(self):
        while True:
            self._dispatch()
            with self._shutdown_lock:
                idle_all = all(w.work_id is None for w in self._workers)
                stop = self._shutdown_thread and not self._pending and idle_all
            if stop:
                self._stop_workers()
                return
            fds = [self._wake_r]
            for w in self._workers:
                fds.append(w.result_r)
                fds.append(w.sentinel)
            r, _, _ = select.select(fds, [], [])
            if self._wake_r in r:
                try:
                    os.read(self._wake_r, 4096)
                except BlockingIOError:
                    pass
            dead = []
            for w in list(self._workers):
                if w.result_r in r:
                    if not self._read_result(w):
                        dead.append(w)
                        continue
                if w.sentinel in r:
                    # results it wrote before dying are still in the pipe
                    while select.select([w.result_r], [], [], 0)[0]:
                        if not self._read_result(w):
                            break
                    dead.append(w)
            for w in dead:
                if w.exiting and w.work_id is None:
                    self._retire(w)             # max_tasks_per_child: replace it
                    if not self._shutdown_thread:
                        self._spawn()
                else:
                    self._break()
                    return

    def _retire(self, w):
        w.proc.join()
        self._workers.remove(w)
        self._processes.pop(w.proc.pid, None)
        w.close_fds()

    def _stop_workers(self):
        for w in self._workers:
            try:
                _send(w.call_w, pickle.dumps(None))
            except OSError:
                pass
        for w in list(self._workers):
            self._retire(w)
        self._close_wake()

    def _close_wake(self):
        with self._shutdown_lock:
            fds = (self._wake_r, self._wake_w)
            self._wake_r = self._wake_w = None
        for fd in fds:
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _break(self, why=None):
        cause = getattr(self, "_break_cause", None)
        with self._shutdown_lock:
            self._broken = why or ("A child process terminated abruptly, the process "
                                   "pool is not usable anymore")
            self._shutdown_thread = True
            items = list(self._work.values())
            self._work.clear()
            self._pending.clear()
        for item in items:
            bpe = BrokenProcessPool("A process in the process pool was terminated "
                                    "abruptly while the future was running or pending.")
            if cause is not None:
                bpe.__cause__ = _RemoteTraceback("\n'''\n%s'''" % cause)
            try:
                item.future.set_exception(bpe)
            except _base.InvalidStateError:
                pass        # cancelled meanwhile
        for w in self._workers:
            w.proc.terminate()
        for w in list(self._workers):
            self._retire(w)
        self._close_wake()
