"""multiprocessing.pool — a pool of worker processes, after CPython's
Lib/multiprocessing/pool.py (fork start method).

Invariants:
  * Workers are forked before the pool's two threads start, so no child inherits a
    half-held lock of theirs. Tasks go parent -> workers through one SimpleQueue
    (workers take turns reading under its cross-process lock) and results come back
    through another; a task is (job, index, func, args, kwds), a result
    (job, index, (success, value)).
  * The task-handler thread moves tasks from an in-process queue to the pipe (it may
    block on a full pipe without blocking the caller); the result-handler thread
    routes results to the job's ApplyResult/MapResult/IMapIterator in _cache.
  * An exception in a worker travels back pickled and is raised again by get() (or
    passed to error_callback) with a RemoteTraceback as its __cause__ whose str is the
    worker's formatted traceback, as CPython does; an unpicklable result becomes
    MaybeEncodingError.
  * An idle worker waits in select() on the task pipe holding no lock; it takes the
    cross-process reader lock only to read a message already there, so a worker
    killed while idle leaves no lock held. Before running a task it tells the parent
    (None, pid, (job, index)): the result handler always knows what each worker runs.
  * Dead workers (our choice, better than CPython's, where the task is lost and
    map() hangs): the result handler also waits on a copy of every worker's sentinel.
    When one fires it first reads every result already in the pipe, then fails the
    task the worker had started with WorkerLostError ("Worker exited prematurely:
    signal 9 (SIGKILL) Job: N.", billiard's wording), so get()/map() raise it at once
    (get(timeout) can never wait longer than its timeout either), and replaces the
    worker while the pool runs (also when maxtasksperchild made it leave), or while
    it is closing with jobs outstanding (as CPython's worker handler does).
    Replacements made after close() leave once the tasks are gone (they check a shared
    "closing" semaphore each second), so join() never waits for a missing sentinel.
  * Workers also leave when their parent is gone (checked each second while idle).
  * close(): no more tasks; workers leave after the queued ones; join() then closes
    the queues. terminate() (also __exit__, and the KeyboardInterrupt path): workers
    get SIGTERM; the parent empties the task pipe until the task handler stops, so it
    can never stay blocked on a full pipe; the result handler is woken through a
    private pipe (never through the result queue, whose writer lock a killed worker
    may hold). After join() or terminate() no descriptor the pool opened stays open
    and every worker is reaped.
  * Known limit: a worker killed in the microseconds while it holds a queue lock
    (reading a task, writing a result) leaves that lock held; the pool then stalls
    (terminate() still works).
"""
import os
import sys
import time
import queue
import pickle
import select
import signal
import itertools
import threading

from . import process, util
from .queues import SimpleQueue
from . import synchronize

__all__ = ["Pool", "ThreadPool"]

INIT, RUN, CLOSE, TERMINATE = "INIT", "RUN", "CLOSE", "TERMINATE"

job_counter = itertools.count()


class TimeoutError(Exception):
    pass


class MaybeEncodingError(Exception):
    def __init__(self, exc, value):
        self.exc = repr(exc)
        self.value = repr(value)
        super().__init__(self.exc, self.value)

    def __str__(self):
        return "Error sending result: '%s'. Reason: '%s'" % (self.value, self.exc)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)


class WorkerLostError(Exception):
    """A pool worker died (a signal, os._exit) while it ran this task."""


class RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class ExceptionWithTraceback:
    def __init__(self, exc, tb):
        import traceback
        tb = "".join(traceback.format_exception(type(exc), exc, tb))
        self.exc = exc
        self.tb = '\n"""\n%s"""' % tb

    def __reduce__(self):
        return rebuild_exc, (self.exc, self.tb)


def rebuild_exc(exc, tb):
    exc.__cause__ = RemoteTraceback(tb)
    return exc


def _describe_exit(code):
    if code is None:
        return "Worker exited prematurely."
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except (ValueError, AttributeError):
            name = "signal %d" % -code
        return "Worker exited prematurely: signal %d (%s)" % (-code, name)
    return "Worker exited prematurely: exitcode %d" % code


def mapstar(args):
    return list(map(*args))


def starmapstar(args):
    return list(itertools.starmap(args[0], args[1]))


def _get_task(inqueue, ppid, closing):
    """The next task, or None when the pool is done with this worker."""
    reader = inqueue._reader
    fd = reader.fileno()
    while True:
        r, _, _ = select.select([fd], [], [], 1.0)
        if not r:
            if os.getppid() != ppid:
                return None             # the parent is gone
            if closing is None or closing.get_value() == 0:
                continue
        with inqueue._rlock:
            if reader.poll(0):
                return pickle.loads(reader.recv_bytes())
        if not r:
            return None                 # closing, and no task is left


def worker(inqueue, outqueue, initializer=None, initargs=(), maxtasks=None,
           wrap_exception=True, closing=None):
    ppid = os.getppid()
    pid = os.getpid()
    if initializer is not None:
        initializer(*initargs)
    completed = 0
    while maxtasks is None or completed < maxtasks:
        try:
            task = _get_task(inqueue, ppid, closing)
        except (EOFError, OSError):
            break
        if task is None:
            break
        job, i, func, args, kwds = task
        try:
            outqueue.put((None, pid, (job, i)))
        except (EOFError, OSError):
            break
        try:
            result = (True, func(*args, **kwds))
        except Exception as e:
            if wrap_exception:
                e = ExceptionWithTraceback(e, e.__traceback__)
            result = (False, e)
        try:
            outqueue.put((job, i, result))
        except Exception as e:
            wrapped = MaybeEncodingError(e, result[1])
            outqueue.put((job, i, (False, wrapped)))
        task = job = result = func = args = kwds = None
        completed += 1


class Pool:
    def __init__(self, processes=None, initializer=None, initargs=(),
                 maxtasksperchild=None, context=None):
        self._state = INIT
        self._taskqueue = queue.SimpleQueue()
        self._cache = {}
        self._inqueue = SimpleQueue()
        self._outqueue = SimpleQueue()
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None:
            if not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0:
                raise ValueError("maxtasksperchild must be a positive int or None")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._processes = processes
        self._initializer = initializer
        self._initargs = initargs
        self._maxtasksperchild = maxtasksperchild
        self._closing = synchronize.Semaphore(0)    # released once all tasks are sent
        self._running = {}      # (job, index) -> pid of the worker running it
        self._watch = {}        # our dup of a worker's sentinel -> the worker
        self._wake_r, self._wake_w = os.pipe()
        self._pool = []
        for i in range(processes):
            self._spawn()
        self._task_handler = threading.Thread(target=self._handle_tasks, daemon=True)
        self._result_handler = threading.Thread(target=self._handle_results, daemon=True)
        self._task_handler.start()
        self._result_handler.start()
        self._state = RUN
        self._finalizer = util.register_finalizer(self._atexit_terminate, 15)

    def _spawn(self):
        w = process.Process(target=worker,
                            args=(self._inqueue, self._outqueue, self._initializer,
                                  self._initargs, self._maxtasksperchild, True,
                                  self._closing))
        w.name = w.name.replace("Process", "ForkPoolWorker")
        w.daemon = True
        w.start()
        self._pool.append(w)
        # Our own copy: Process closes its sentinel when anyone reaps it.
        self._watch[os.dup(w.sentinel)] = w
        return w

    def _wake(self):
        try:
            os.write(self._wake_w, b"\0")
        except (OSError, TypeError):
            pass

    def _atexit_terminate(self):
        if self._state != TERMINATE:
            self.terminate()

    def __repr__(self):
        return "<%s.%s state=%s pool_size=%d>" % (
            type(self).__module__, type(self).__qualname__, self._state, len(self._pool))

    def _check_running(self):
        if self._state != RUN:
            raise ValueError("Pool not running")

    # ---- the two threads ---------------------------------------------------------------

    def _handle_tasks(self):
        put = self._inqueue.put
        while True:
            item = self._taskqueue.get()
            if item is None:
                break
            tasks, set_length = item
            n = -1
            try:
                for n, task in enumerate(tasks):
                    if self._state == TERMINATE:
                        break
                    try:
                        put(task)
                    except Exception as e:
                        job, idx = task[:2]
                        r = self._cache.get(job)
                        if r is not None:
                            r._set(idx, (False, e))
                else:
                    if set_length:
                        set_length(n + 1)
                    continue
                break
            except Exception as e:
                # the task generator itself failed (imap over a bad iterable)
                if set_length:
                    set_length(n + 1)
                continue
        if self._state != TERMINATE:
            self._closing.release()
            for _ in range(len(self._pool)):
                try:
                    put(None)
                except OSError:
                    break

    def _handle_results(self):
        # The only reader of the result pipe in this process: no lock needed. A
        # result already in the pipe is always read before a death is handled.
        reader = self._outqueue._reader
        rfd = reader.fileno()
        while True:
            if self._state == CLOSE and not self._watch and not reader.poll(0):
                return                      # every worker reaped, every result read
            fds = [rfd, self._wake_r] + list(self._watch)
            r, _, _ = select.select(fds, [], [])
            if rfd in r and self._state != TERMINATE:
                try:
                    task = pickle.loads(reader.recv_bytes())
                except (OSError, EOFError):
                    return
                if task is None:
                    return
                job, i, obj = task
                if job is None:             # (None, pid, (job, i)): a task started
                    self._running[obj] = i
                    continue
                self._running.pop((job, i), None)
                r = self._cache.get(job)
                if r is not None:
                    r._set(i, obj)
                continue
            if self._wake_r in r and self._state != RUN:
                return
            for fd in r:
                w = self._watch.pop(fd, None)
                if w is not None:
                    os.close(fd)
                    self._worker_gone(w)

    def _worker_gone(self, w):
        # While the pool runs or closes, this thread is the only one that reaps.
        replace = self._state == RUN or (self._state == CLOSE and self._cache)
        code = None
        if self._state != TERMINATE:
            w.join()
            code = w.exitcode
        if replace:
            self._pool.remove(w)
        lost = [key for key, pid in self._running.items() if pid == w.pid]
        for job, i in lost:
            del self._running[(job, i)]
            r = self._cache.get(job)
            if r is not None:
                r._set(i, (False, WorkerLostError("%s Job: %d." % (_describe_exit(code),
                                                                   job))))
        if replace and self._state != TERMINATE:
            self._spawn()

    # ---- API -----------------------------------------------------------------------------

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        result = ApplyResult(self, callback, error_callback)
        self._taskqueue.put(([(result._job, 0, func, args, kwds)], None))
        return result

    def map(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, mapstar, chunksize).get()

    def starmap(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, starmapstar, chunksize).get()

    def map_async(self, func, iterable, chunksize=None, callback=None,
                  error_callback=None):
        return self._map_async(func, iterable, mapstar, chunksize, callback,
                               error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None,
                      error_callback=None):
        return self._map_async(func, iterable, starmapstar, chunksize, callback,
                               error_callback)

    def _map_async(self, func, iterable, mapper, chunksize=None, callback=None,
                   error_callback=None):
        self._check_running()
        if not hasattr(iterable, "__len__"):
            iterable = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(iterable), len(self._pool) * 4)
            if extra:
                chunksize += 1
        if len(iterable) == 0:
            chunksize = 0
        task_batches = Pool._get_tasks(func, iterable, chunksize)
        result = MapResult(self, chunksize, len(iterable), callback,
                           error_callback=error_callback)
        self._taskqueue.put(([(result._job, i, mapper, (x,), {})
                              for i, x in enumerate(task_batches)], None))
        return result

    @staticmethod
    def _get_tasks(func, it, size):
        it = iter(it)
        while True:
            x = tuple(itertools.islice(it, size))
            if not x:
                return
            yield (func, x)

    def imap(self, func, iterable, chunksize=1):
        self._check_running()
        if chunksize == 1:
            result = IMapIterator(self)
            self._taskqueue.put((((result._job, i, func, (x,), {})
                                  for i, x in enumerate(iterable)), result._set_length))
            return result
        if chunksize < 1:
            raise ValueError("Chunksize must be 1+, not {0:n}".format(chunksize))
        task_batches = Pool._get_tasks(func, iterable, chunksize)
        result = IMapIterator(self)
        self._taskqueue.put((((result._job, i, mapstar, (x,), {})
                              for i, x in enumerate(task_batches)), result._set_length))
        return (item for chunk in result for item in chunk)

    def imap_unordered(self, func, iterable, chunksize=1):
        self._check_running()
        if chunksize == 1:
            result = IMapUnorderedIterator(self)
            self._taskqueue.put((((result._job, i, func, (x,), {})
                                  for i, x in enumerate(iterable)), result._set_length))
            return result
        if chunksize < 1:
            raise ValueError("Chunksize must be 1+, not {0!r}".format(chunksize))
        task_batches = Pool._get_tasks(func, iterable, chunksize)
        result = IMapUnorderedIterator(self)
        self._taskqueue.put((((result._job, i, mapstar, (x,), {})
                              for i, x in enumerate(task_batches)), result._set_length))
        return (item for chunk in result for item in chunk)

    def close(self):
        if self._state == RUN:
            self._state = CLOSE
            self._taskqueue.put(None)

    def terminate(self):
        if self._state == TERMINATE:
            return
        if self._wake_r is None:        # already closed and joined
            self._state = TERMINATE
            return
        self._state = TERMINATE
        self._taskqueue.put(None)
        self._wake()
        if self._result_handler is not threading.current_thread():
            self._result_handler.join()
        for w in list(self._pool):
            if w._returncode is None:
                w.terminate()
        # The task handler may be blocked writing to a full task pipe that no worker
        # reads any more: empty it here until the handler sees TERMINATE and stops.
        rfd = self._inqueue._reader.fileno()
        while self._task_handler.is_alive():
            if select.select([rfd], [], [], 0.05)[0]:
                os.read(rfd, 65536)
        self._task_handler.join()
        for w in list(self._pool):
            w.join()
        self._release()

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        elif self._state not in (CLOSE, TERMINATE):
            raise ValueError("In unknown state")
        self._task_handler.join()
        # Under CLOSE the result handler reaps (and replaces) workers and stops once
        # none is left; under TERMINATE, terminate() has reaped them.
        self._result_handler.join()
        for w in list(self._pool):
            w.join()
        if self._state != TERMINATE:
            self._release()

    def _release(self):
        """Close every descriptor the pool opened (its threads have stopped)."""
        if self._wake_r is None:
            return
        util.unregister_finalizer(self._finalizer)
        for fd in list(self._watch) + [self._wake_r, self._wake_w]:
            try:
                os.close(fd)
            except OSError:
                pass
        self._watch.clear()
        self._wake_r = self._wake_w = None
        self._inqueue.close()
        self._outqueue.close()

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.terminate()


class ApplyResult:
    def __init__(self, pool, callback, error_callback):
        self._pool = pool
        self._event = threading.Event()
        self._job = next(job_counter)
        self._cache = pool._cache
        self._callback = callback
        self._error_callback = error_callback
        self._cache[self._job] = self

    def ready(self):
        return self._event.is_set()

    def successful(self):
        if not self.ready():
            raise ValueError("{0!r} not ready".format(self))
        return self._success

    def wait(self, timeout=None):
        self._event.wait(timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self.ready():
            raise TimeoutError
        if self._success:
            return self._value
        raise self._value

    def _set(self, i, obj):
        self._success, self._value = obj
        if self._callback and self._success:
            self._callback(self._value)
        if self._error_callback and not self._success:
            self._error_callback(self._value)
        self._event.set()
        del self._cache[self._job]
        self._pool = None


AsyncResult = ApplyResult


class MapResult(ApplyResult):
    def __init__(self, pool, chunksize, length, callback, error_callback):
        ApplyResult.__init__(self, pool, callback, error_callback=error_callback)
        self._success = True
        self._value = [None] * length
        self._chunksize = chunksize
        if chunksize <= 0:
            self._number_left = 0
            self._event.set()
            del self._cache[self._job]
        else:
            self._number_left = length // chunksize + bool(length % chunksize)

    def _set(self, i, success_result):
        self._number_left -= 1
        success, result = success_result
        if success and self._success:
            self._value[i * self._chunksize:(i + 1) * self._chunksize] = result
            if self._number_left == 0:
                if self._callback:
                    self._callback(self._value)
                del self._cache[self._job]
                self._event.set()
                self._pool = None
        else:
            if not success and self._success:
                self._success = False
                self._value = result
            if self._number_left == 0:
                if self._error_callback:
                    self._error_callback(self._value)
                del self._cache[self._job]
                self._event.set()
                self._pool = None


class IMapIterator:
    def __init__(self, pool):
        self._pool = pool
        self._cond = threading.Condition(threading.Lock())
        self._job = next(job_counter)
        self._cache = pool._cache
        self._items = []
        self._index = 0
        self._length = None
        self._unsorted = {}
        self._cache[self._job] = self

    def __iter__(self):
        return self

    def next(self, timeout=None):
        with self._cond:
            try:
                item = self._items.pop(0)
            except IndexError:
                if self._index == self._length:
                    self._pool = None
                    raise StopIteration from None
                self._cond.wait(timeout)
                try:
                    item = self._items.pop(0)
                except IndexError:
                    if self._index == self._length:
                        self._pool = None
                        raise StopIteration from None
                    raise TimeoutError from None
        success, value = item
        if success:
            return value
        raise value

    __next__ = next

    def _set(self, i, obj):
        with self._cond:
            if self._index == i:
                self._items.append(obj)
                self._index += 1
                while self._index in self._unsorted:
                    obj = self._unsorted.pop(self._index)
                    self._items.append(obj)
                    self._index += 1
                self._cond.notify()
            else:
                self._unsorted[i] = obj
            if self._index == self._length:
                del self._cache[self._job]
                self._pool = None

    def _set_length(self, length):
        with self._cond:
            self._length = length
            if self._index == self._length:
                self._cond.notify()
                del self._cache[self._job]
                self._pool = None


class IMapUnorderedIterator(IMapIterator):
    def _set(self, i, obj):
        with self._cond:
            self._items.append(obj)
            self._index += 1
            self._cond.notify()
            if self._index == self._length:
                del self._cache[self._job]
                self._pool = None


class ThreadPool(Pool):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("multiprocessing.pool.ThreadPool is not supported by gilpy")
