"""concurrent.futures.thread — ThreadPoolExecutor, after CPython's
Lib/concurrent/futures/thread.py.

Invariants:
  * At most max_workers threads (default min(32, cpu_count + 4)) are started lazily: a
    submit starts one only when no worker is idle (the idle semaphore counts the
    workers waiting on the queue). Threads are named "<prefix>_<n>".
  * The work queue holds _WorkItems and None; None means "leave if the executor is
    shutting down" and each leaving worker puts it back for the next one.
  * shutdown(wait=True) lets queued work finish and joins every worker;
    cancel_futures=True first cancels the queued (not yet running) items. submit after
    shutdown raises RuntimeError. At interpreter exit (threading._register_atexit) the
    workers of executors never shut down finish the queued work and are joined, as in
    CPython; a forked child never touches its parent's workers.
  * An initializer that raises breaks the pool: queued and later submissions fail
    with BrokenThreadPool.
"""
import os
import sys
import queue
import threading
import itertools

from . import _base

__all__ = ["ThreadPoolExecutor", "BrokenThreadPool"]

_threads_queues = {}          # live worker thread -> (its work queue, creator pid)
_shutdown = False
_global_shutdown_lock = threading.Lock()


def _python_exit():
    global _shutdown
    with _global_shutdown_lock:
        _shutdown = True
    pid = os.getpid()
    items = [(t, q) for t, (q, p) in list(_threads_queues.items()) if p == pid]
    for t, q in items:
        q.put(None)
    for t, q in items:
        t.join()


threading._register_atexit(_python_exit)


class _WorkItem:
    def __init__(self, future, fn, args, kwargs):
        self.future = future
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def run(self):
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            self.future.set_exception(exc)
            self = None
        else:
            self.future.set_result(result)


def _worker(executor, work_queue, initializer, initargs):
    try:
        if initializer is not None:
            try:
                initializer(*initargs)
            except BaseException:
                sys.stderr.write("Exception in initializer:\n")
                import traceback
                traceback.print_exc()
                executor._initializer_failed()
                return
        while True:
            work_item = work_queue.get(block=True)
            if work_item is not None:
                work_item.run()
                del work_item
                executor._idle_semaphore.release()
                continue
            if _shutdown or executor._shutdown:
                executor._shutdown = True
                work_queue.put(None)      # wake the next worker too
                return
    finally:
        _threads_queues.pop(threading.current_thread(), None)


class BrokenThreadPool(_base.BrokenExecutor):
    """Raised when a worker thread in a ThreadPoolExecutor failed initializing."""


class ThreadPoolExecutor(_base.Executor):
    _counter = itertools.count().__next__

    def __init__(self, max_workers=None, thread_name_prefix="", initializer=None,
                 initargs=()):
        if max_workers is None:
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        self._idle_semaphore = threading.Semaphore(0)
        self._threads = set()
        self._broken = False
        self._shutdown = False
        self._shutdown_lock = threading.Lock()
        self._thread_name_prefix = (thread_name_prefix or
                                    ("ThreadPoolExecutor-%d" % self._counter()))
        self._initializer = initializer
        self._initargs = initargs

    def submit(self, fn, /, *args, **kwargs):
        with self._shutdown_lock, _global_shutdown_lock:
            if self._broken:
                raise BrokenThreadPool(self._broken)
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if _shutdown:
                raise RuntimeError("cannot schedule new futures after "
                                   "interpreter shutdown")
            f = _base.Future()
            self._work_queue.put(_WorkItem(f, fn, args, kwargs))
            self._adjust_thread_count()
            return f


    def _adjust_thread_count(self):
        if self._idle_semaphore.acquire(timeout=0):
            return
        num_threads = len(self._threads)
        if num_threads < self._max_workers:
            t = threading.Thread(name="%s_%d" % (self._thread_name_prefix, num_threads),
                                 target=_worker,
                                 args=(self, self._work_queue, self._initializer,
                                       self._initargs))
            t.start()
            self._threads.add(t)
            _threads_queues[t] = (self._work_queue, os.getpid())

    def _initializer_failed(self):
        with self._shutdown_lock:
            self._broken = ("A thread initializer failed, the thread pool "
                            "is not usable anymore")
            while True:
                try:
                    work_item = self._work_queue.get_nowait()
                except queue.Empty:
                    break
                if work_item is not None:
                    work_item.future.set_exception(BrokenThreadPool(self._broken))

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._shutdown_lock:
            self._shutdown = True
            if cancel_futures:
                while True:
                    try:
                        work_item = self._work_queue.get_nowait()
                    except queue.Empty:
                        break
                    if work_item is not None:
                        work_item.future.cancel()
            self._work_queue.put(None)
        if wait:
            for t in list(self._threads):
                t.join()
