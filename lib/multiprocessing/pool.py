"""multiprocessing.pool — a pool of worker processes, after CPython's
Lib/multiprocessing/pool.py (fork start method).

Invariants:
  * Each worker has its own pair of pipes, tasks in and results out (as
    concurrent.futures.process does): no lock and no pipe is shared across processes,
    so a worker that dies, even halfway through reading a task or writing a result,
    leaves nothing held and can corrupt only its own pipes, which the parent reads up
    to the last complete message and then closes. A task is (job, index, func, args,
    kwds), or None (leave); a result is (job, index, (success, value)); each is framed
    as multiprocessing.connection frames a message.
  * Workers are forked before the pool's two threads start (replacements later, from
    the result handler); a new worker first closes the parent's ends of its
    siblings' pipes and the pool's wake-up pipe.
  * The result-handler thread owns the workers. It hands tasks out itself: apply/map
    queue their tasks on a deque (_ready) that it pickles as it hands them out (a
    pickling error fails that task), and the task-handler thread iterates imap's
    generators, pickles their tasks and appends them there (waiting while the deque
    is full). A worker gets a task when it holds none; one whose last task took under
    _quick seconds may hold up to _prefetch more, so short tasks need not wait a round
    trip through the parent each. It writes tasks and reads results without blocking
    and waits on result pipes, the task pipes it still has to write to, worker
    sentinels and a wake-up pipe with one select(). A worker runs its tasks in order,
    so the parent always knows which tasks each worker holds, and which one it runs:
    the oldest. Each result goes to its job's ApplyResult/MapResult/IMapIterator in
    _cache (callbacks run in this thread).
  * An exception in a worker travels back pickled and is raised again by get() (or
    passed to error_callback) with a RemoteTraceback as its __cause__ whose str is the
    worker's formatted traceback, as CPython does; an unpicklable result becomes
    MaybeEncodingError (and a result the parent cannot unpickle fails its task).
  * Dead workers (our choice, better than CPython's, where the task is lost and
    map() hangs): when a worker's sentinel fires, the result handler first reads every
    complete result left in its pipe, then fails the task the worker was running with
    WorkerLostError ("Worker exited prematurely: signal 9 (SIGKILL) Job: N.",
    billiard's wording), so get()/map()/imap's next() raise it at once (get(timeout)
    never waits longer than its timeout either); the tasks it held behind that one
    never started and go back to the head of _ready. The worker is replaced while the
    pool runs (also when maxtasksperchild made it leave), or while it is closing with
    tasks not yet handed out, as CPython's worker handler does.
  * Workers also leave when their parent is gone (end of file on the task pipe, or
    getppid() checked each second while idle).
  * close(): no more tasks; once every task is handed out, each worker that holds
    none is sent None; join() waits for both threads (the result handler stops when
    no worker is left) and reaps the workers. terminate() (also __exit__, the
    KeyboardInterrupt path, and interpreter exit): stops both threads (the result
    handler is woken through the wake-up pipe, the task handler through its queue
    and condition), sends the workers SIGTERM and reaps them. After join() or
    terminate() no descriptor the pool opened stays open and every worker is reaped.
  * terminate() never hangs on the pool's threads: it waits _terminate_wait (1 s) for
    each, then goes on. A thread still busy then is stuck in a callback or on a
    result's lock that the caller left held (a KeyboardInterrupt on entry to
    Condition.__exit__ of a `with cond:` does that, in CPython too); the result handler
    then closes the pipes itself when it ends (_release_pending), since only it uses
    the workers' pipes. Workers are reaped and replacements forked only under _lock,
    so none is forked after terminate() has begun.
"""
import os
import sys
import time
import queue
import pickle
import select
import signal
import struct
import itertools
import threading
import collections

from . import process, util

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


# ---- framing (multiprocessing.connection's: a 4-byte big-endian signed length, or -1
# then an 8-byte length, then the payload) ------------------------------------------------

_CHUNK = 1 << 16


def _header(n):
    if n > 0x7fffffff:
        return struct.pack("!iQ", -1, n)
    return struct.pack("!i", n)


class _Frames:
    """Cuts a byte stream into messages; keeps an incomplete one for the next feed."""

    __slots__ = ("rest", "parts", "have", "need")

    def __init__(self):
        self.rest = b""         # the start of a header
        self.parts = []         # the start of a payload: chunks holding `have` bytes
        self.have = 0
        self.need = -1          # that payload's length; -1 while in a header

    def feed(self, data, out):
        if self.need >= 0:                  # in the middle of a payload
            self.parts.append(data)
            self.have += len(data)
            if self.have < self.need:
                return
            data = b"".join(self.parts)
            need = self.need
            self.parts = []
            self.have = 0
            self.need = -1
            if len(data) == need:
                out.append(data)
                return
            out.append(data[:need])
            data = data[need:]
        elif self.rest:
            data = self.rest + data
            self.rest = b""
        pos = 0
        end = len(data)
        while True:
            if end - pos < 4:
                break
            need = int.from_bytes(data[pos:pos + 4], "big", signed=True)
            start = pos + 4
            if need == -1:
                if end - pos < 12:
                    break
                need = int.from_bytes(data[pos + 4:pos + 12], "big")
                start = pos + 12
            if end - start < need:
                self.need = need
                self.parts = [data[start:]]
                self.have = end - start
                return
            out.append(data[start:start + need])
            pos = start + need
        if pos < end:
            self.rest = data[pos:]


# ---- the worker process ----------------------------------------------------------------

def _next_task(fd, frames, pending, ppid):
    """The next task message from the task pipe; EOFError at its end or once the
    parent is gone."""
    while not pending:
        if not select.select([fd], [], [], 1.0)[0]:
            if os.getppid() != ppid:
                raise EOFError
            continue
        data = os.read(fd, _CHUNK)
        if not data:
            raise EOFError
        frames.feed(data, pending)
    return pending.popleft()


def _send_result(fd, data):
    n = len(data)
    if n <= 16384:
        data = _header(n) + data
    else:
        os.write(fd, _header(n))
    while data:
        n = os.write(fd, data)      # a blocking pipe: all of it, unless interrupted
        data = data[n:]


def worker(task_fd, result_fd, close_fds=(), initializer=None, initargs=(),
           maxtasks=None, wrap_exception=True):
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    ppid = os.getppid()
    if initializer is not None:
        initializer(*initargs)
    frames = _Frames()
    pending = collections.deque()
    completed = 0
    while maxtasks is None or completed < maxtasks:
        try:
            data = _next_task(task_fd, frames, pending, ppid)
        except (EOFError, OSError):
            break
        job = i = None
        try:
            task = pickle.loads(data)
            if task is None:
                break
            job, i, func, args, kwds = task
            result = (True, func(*args, **kwds))
        except Exception as e:
            if wrap_exception:
                e = ExceptionWithTraceback(e, e.__traceback__)
            result = (False, e)
        try:
            data = pickle.dumps((job, i, result))
        except Exception as e:
            data = pickle.dumps((job, i, (False, MaybeEncodingError(e, result[1]))))
        try:
            _send_result(result_fd, data)
        except OSError:
            break
        task = func = args = kwds = result = data = None
        completed += 1


# ---- the pool --------------------------------------------------------------------------

class _Terminated(Exception):
    """Raised in the result handler when a callback it ran terminated the pool."""


class _Worker:
    """The parent's side of one worker: its Process, its pipe ends and what it holds."""

    __slots__ = ("proc", "task_fd", "result_fd", "sentinel", "held", "out", "out_pos",
                 "frames", "budget", "stopping", "eof", "since", "quick")

    def __init__(self, proc, task_fd, result_fd, budget):
        self.proc = proc
        self.task_fd = task_fd          # parent writes tasks (non-blocking)
        self.result_fd = result_fd      # parent reads results (non-blocking)
        # Our own copy of the death sentinel: Process closes its own when anyone reaps
        # the child (active_children(), the next Process.start()).
        self.sentinel = os.dup(proc.sentinel)
        self.held = collections.deque()     # (job, index, pickled task), oldest first
        self.out = collections.deque()      # bytes still to write to task_fd
        self.out_pos = 0                    # how much of out[0] is written
        self.frames = _Frames()
        self.budget = budget                # tasks it may still be given (maxtasks)
        self.stopping = False               # sent None, or its task pipe is broken
        self.eof = False                    # its result pipe is at end of file
        self.since = 0.0        # when its oldest held task started (roughly)
        self.quick = False      # its last task took under Pool._quick seconds

    def fds(self):
        return [fd for fd in (self.task_fd, self.result_fd, self.sentinel)
                if fd is not None]

    def close(self):
        for fd in self.fds():
            try:
                os.close(fd)
            except OSError:
                pass
        self.task_fd = self.result_fd = self.sentinel = None


class Pool:
    # A worker whose last task was quick may hold this many tasks beyond the one it
    # runs, so it need not wait a round trip through the parent for each. Measured
    # (imap of 3000 trivial tasks, 2 workers): no prefetch 0.44 s, 2: 0.30 s, 4: 0.27 s,
    # 8: 0.23 s, the shared-pipe design this replaced 0.29 s. Slower tasks get none: a
    # task queued behind a long one would wait while another worker idles (with quick
    # tasks that costs at most about _prefetch * _quick at the end of a job).
    _prefetch = 4
    _quick = 0.005

    def __init__(self, processes=None, initializer=None, initargs=(),
                 maxtasksperchild=None, context=None):
        self._state = INIT
        self._taskqueue = queue.SimpleQueue()
        self._cache = {}
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
        # Shared by the two threads (under _lock): tasks pickled and not yet handed
        # out, failures to report, and whether the task handler has stopped.
        self._lock = threading.Lock()
        self._space = threading.Condition(self._lock)
        # (job, index, func, args, kwds) from apply/map, pickled by the result handler,
        # or (job, index, pickled task) from the task handler (imap's generators)
        self._ready = collections.deque()
        self._ready_max = max(16, 4 * processes)    # the task handler waits above
        self._ready_low = self._ready_max // 2      # and is woken at or below
        self._feeder_waiting = False
        self._failed = []                       # (job, index, exception)
        self._feeder_done = False
        # terminate() waits this long for each thread; a thread still busy then (stuck
        # in a callback, or on a result's lock that a KeyboardInterrupt left held in the
        # caller) is left behind, and the result handler closes the pipes when it ends.
        self._terminate_wait = 1.0
        self._manager_done = False
        self._release_pending = False
        self._workers = []      # live _Workers (the result handler's, once it runs)
        self._pool = []         # their Process objects (and dead ones not replaced)
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        try:
            for i in range(processes):
                self._spawn()
        except BaseException:
            for w in self._workers:
                w.proc.kill()
                w.proc.join()
            self._state = TERMINATE
            self._release()
            raise
        self._task_handler = threading.Thread(target=self._handle_tasks, daemon=True)
        self._result_handler = threading.Thread(target=self._handle_results, daemon=True)
        self._task_handler.start()
        self._result_handler.start()
        self._state = RUN
        self._finalizer = util.register_finalizer(self._atexit_terminate, 15)

    def _spawn(self):
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        close = [task_w, result_r, self._wake_r, self._wake_w]
        for w in self._workers:
            close += w.fds()
        p = process.Process(target=worker,
                            args=(task_r, result_w, close, self._initializer,
                                  self._initargs, self._maxtasksperchild, True))
        p.name = p.name.replace("Process", "ForkPoolWorker")
        p.daemon = True
        try:
            p.start()
        except BaseException:
            for fd in (task_w, result_r):
                os.close(fd)
            raise
        finally:
            os.close(task_r)
            os.close(result_w)
        os.set_blocking(task_w, False)
        os.set_blocking(result_r, False)
        self._workers.append(_Worker(p, task_w, result_r, self._maxtasksperchild))
        self._pool.append(p)
        return p

    def _wake(self):
        with self._lock:        # _release closes it under the lock: never a stale fd
            if self._wake_w is not None:
                try:
                    os.write(self._wake_w, b"\0")
                except OSError:
                    pass        # full: the result handler will look anyway

    def _atexit_terminate(self):
        if self._state != TERMINATE:
            self.terminate()

    def __repr__(self):
        return "<%s.%s state=%s pool_size=%d>" % (
            type(self).__module__, type(self).__qualname__, self._state, len(self._pool))

    def _check_running(self):
        if self._state != RUN:
            raise ValueError("Pool not running")

    # ---- the task handler --------------------------------------------------------------

    def _put_ready(self, item):
        """Queue a pickled task for the result handler; False once terminated."""
        with self._space:
            while len(self._ready) >= self._ready_max and self._state != TERMINATE:
                self._feeder_waiting = True
                self._space.wait()
            if self._state == TERMINATE:
                return False
            wake = not self._ready
            self._ready.append(item)
        if wake:
            self._wake()
        return True

    def _handle_tasks(self):
        dumps = pickle.dumps
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
                        data = dumps(task)
                    except Exception as e:
                        with self._lock:
                            self._failed.append((task[0], task[1], e))
                        self._wake()
                        continue
                    if not self._put_ready((task[0], task[1], data)):
                        break
                else:
                    if set_length:
                        set_length(n + 1)
                    continue
                break
            except Exception:
                # the task generator itself failed (imap over a bad iterable)
                if set_length:
                    set_length(n + 1)
                continue
        with self._lock:
            self._feeder_done = True
        self._wake()

    # ---- the result handler: it owns the workers ---------------------------------------

    def _handle_results(self):
        try:
            self._manage()
        except _Terminated:
            pass
        finally:
            with self._lock:
                self._manager_done = True
                release = self._release_pending
            if release:
                self._release()

    def _manage(self):
        workers = self._workers
        wake_r = self._wake_r
        while True:
            if self._state == TERMINATE:
                return
            if self._failed:
                with self._lock:
                    failed, self._failed = self._failed, []
                for job, i, e in failed:
                    self._set(job, i, (False, e))
            if self._ready:
                self._dispatch()
            if (self._state == CLOSE and self._feeder_done and not self._ready
                    and not self._failed):
                for w in workers:
                    if not w.held and not w.stopping:
                        self._stop(w)
                if not workers:
                    return
            rfds = [wake_r]
            wfds = []
            for w in workers:
                if not w.eof:
                    rfds.append(w.result_fd)
                rfds.append(w.sentinel)
                if w.out:
                    wfds.append(w.task_fd)
            r, wr, _ = select.select(rfds, wfds, [])
            if self._state == TERMINATE:
                return
            if wr:
                for w in workers:
                    if w.task_fd in wr:
                        self._flush(w)
            r = set(r)
            if wake_r in r:
                try:
                    os.read(wake_r, 4096)
                except BlockingIOError:
                    pass
            for w in list(workers):
                if w.result_fd in r:
                    self._read(w)
                if w.sentinel in r:
                    self._read(w, True)     # a dead worker's results are all there now
                    self._worker_gone(w)

    def _set(self, job, i, obj):
        r = self._cache.get(job)
        if r is not None:
            try:
                r._set(i, obj)
            except Exception:
                # a callback raised: report it and go on (the pool must keep working)
                import traceback
                sys.stderr.write("Exception in a multiprocessing.Pool callback:\n")
                traceback.print_exc()
        if self._state == TERMINATE:
            raise _Terminated           # the callback terminated the pool

    def _dispatch(self):
        """Give ready tasks to the workers that can take them, idle workers first."""
        lock = self._lock
        ready = self._ready
        sent = []
        failures = []
        for depth in range(1 + self._prefetch):
            for w in self._workers:
                if (len(w.held) > depth or w.stopping or w.budget == 0
                        or (depth and not w.quick)):
                    continue
                item = None
                while item is None:
                    with lock:
                        if not ready:
                            break
                        item = ready.popleft()
                        if self._feeder_waiting and len(ready) <= self._ready_low:
                            self._feeder_waiting = False
                            self._space.notify()
                    if len(item) == 5:
                        try:
                            item = (item[0], item[1], pickle.dumps(item))
                        except Exception as e:
                            failures.append((item[0], item[1], e))
                            item = None
                if item is None:
                    break
                if not w.held:
                    w.since = time.monotonic()
                w.held.append(item)
                if w.budget is not None:
                    w.budget -= 1
                data = item[2]
                n = len(data)
                if n <= 16384:
                    w.out.append(_header(n) + data)
                else:
                    w.out.append(_header(n))
                    w.out.append(data)
                sent.append(w)
            else:
                continue
            break
        for w in sent:
            if w.out:
                self._flush(w)
        for job, i, e in failures:
            self._set(job, i, (False, e))

    def _stop(self, w):
        w.stopping = True
        data = pickle.dumps(None)
        w.out.append(_header(len(data)) + data)
        self._flush(w)

    def _flush(self, w):
        out = w.out
        fd = w.task_fd
        try:
            while out:
                buf = out[0]
                pos = w.out_pos
                if pos == 0 and len(buf) <= _CHUNK:
                    n = os.write(fd, buf)
                else:
                    n = os.write(fd, buf[pos:pos + _CHUNK])
                pos += n
                if pos >= len(buf):
                    out.popleft()
                    w.out_pos = 0
                else:
                    w.out_pos = pos
        except BlockingIOError:
            pass
        except OSError:
            # the worker is gone (EPIPE): its sentinel says so next
            out.clear()
            w.out_pos = 0
            w.stopping = True

    def _read(self, w, drain=False):
        """Read what w's result pipe holds (all of it if drain: w is dead) and route
        every complete result."""
        if w.eof:
            return
        fd = w.result_fd
        msgs = collections.deque()
        while True:
            try:
                data = os.read(fd, _CHUNK)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                w.eof = True
                break
            w.frames.feed(data, msgs)
            if len(data) < _CHUNK and not drain:
                break           # the pipe is empty (or being refilled: select says)
        loads = pickle.loads
        if msgs:
            now = time.monotonic()
            w.quick = (now - w.since) / len(msgs) < self._quick
            w.since = now
        while msgs:
            data = msgs.popleft()
            if not w.held:
                continue                # nothing was asked of it: ignore
            job, i, _ = w.held.popleft()
            try:
                obj = loads(data)[2]
            except Exception as e:
                obj = (False, e)        # e.g. a class the parent cannot import
            self._set(job, i, obj)

    def _worker_gone(self, w):
        """w's sentinel fired and its complete results are read: reap it, fail the task
        it held (later ones never started: they run again elsewhere), replace it.
        Under _lock, so that terminate() (which reaps under it) and this never both
        reap a worker, and no replacement is forked once terminate() has begun."""
        self._workers.remove(w)
        w.close()
        held = list(w.held)
        w.held.clear()
        with self._lock:
            if self._state == TERMINATE:
                return
            w.proc.join()
            code = w.proc.exitcode
            if len(held) > 1:
                self._ready.extendleft(reversed(held[1:]))
            if self._state == RUN or (self._state == CLOSE and
                                      (self._ready or not self._feeder_done)):
                self._pool.remove(w.proc)
                self._spawn()
        if held:
            job = held[0][0]
            self._set(job, held[0][1],
                      (False, WorkerLostError("%s Job: %d." % (_describe_exit(code), job))))

    # ---- API -----------------------------------------------------------------------------

    def _submit(self, tasks):
        """Queue a list of tasks; the result handler pickles each as it hands it out."""
        with self._lock:
            wake = not self._ready
            self._ready.extend(tasks)
        if wake:
            self._wake()

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        result = ApplyResult(self, callback, error_callback)
        self._submit([(result._job, 0, func, args, kwds)])
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
            # CPython: len(self._pool) * 4; the pool size, even while a worker is
            # being replaced.
            chunksize, extra = divmod(len(iterable), self._processes * 4)
            if extra:
                chunksize += 1
        if len(iterable) == 0:
            chunksize = 0
        task_batches = Pool._get_tasks(func, iterable, chunksize)
        result = MapResult(self, chunksize, len(iterable), callback,
                           error_callback=error_callback)
        self._submit([(result._job, i, mapper, (x,), {})
                      for i, x in enumerate(task_batches)])
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
        with self._lock:
            if self._state == TERMINATE:
                return
            self._state = TERMINATE
            self._feeder_waiting = False
            self._space.notify_all()
            if self._wake_r is None:        # already closed and joined
                return
        self._taskqueue.put(None)
        self._wake()
        me = threading.current_thread()
        deadline = time.monotonic() + self._terminate_wait
        if self._result_handler is not me:
            self._result_handler.join(self._terminate_wait)
        with self._lock:                    # no replacement is forked after this
            procs = list(self._pool)
        for p in procs:
            if p._returncode is None:
                p.terminate()
        if self._task_handler is not me:
            self._task_handler.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            for p in procs:
                p.join()
            release = self._manager_done
            self._release_pending = not release
        if release:
            self._release()

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        elif self._state not in (CLOSE, TERMINATE):
            raise ValueError("In unknown state")
        if self._state == TERMINATE:
            return          # terminate() reaped every worker and waited for the threads
        self._task_handler.join()
        # Under CLOSE the result handler reaps (and replaces) workers and stops once
        # none is left.
        self._result_handler.join()
        for p in list(self._pool):
            p.join()
        if self._state != TERMINATE:     # else a terminate() meanwhile does it
            self._release()

    def _release(self):
        """Close every descriptor the pool opened (the result handler, which uses the
        workers' pipes, has stopped; the task handler touches only the wake-up pipe,
        under _lock)."""
        with self._lock:
            if self._wake_r is None:
                return
            wake = (self._wake_r, self._wake_w)
            self._wake_r = self._wake_w = None
            workers = list(self._workers)
        if hasattr(self, "_finalizer"):
            util.unregister_finalizer(self._finalizer)
        for w in workers:
            w.close()
        for fd in wake:
            try:
                os.close(fd)
            except OSError:
                pass

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
