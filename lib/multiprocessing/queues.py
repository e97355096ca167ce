"""multiprocessing.queues — Queue, JoinableQueue and SimpleQueue across processes,
after CPython's Lib/multiprocessing/queues.py.

Invariants:
  * Queue: a one-way Pipe; put() appends to a local buffer that a daemon feeder thread
    pickles and writes (so put never blocks on a full pipe); get() reads one message
    under a cross-process reader lock. A bounded semaphore of maxsize counts the items
    in flight (put acquires, get releases).
  * At process exit the feeder is told to stop and is joined (util finalizer), so
    everything put before exit reaches the pipe.
  * SimpleQueue: no feeder; put writes under a writer lock, get reads under a reader lock.
"""
import os
import sys
import time
import threading
import collections
import pickle

from queue import Empty, Full

from . import connection, util
from . import synchronize

__all__ = ["Queue", "SimpleQueue", "JoinableQueue"]

_sentinel = object()


class Queue:
    def __init__(self, maxsize=0, *, ctx=None):
        if maxsize <= 0:
            maxsize = synchronize.SEM_VALUE_MAX
        self._maxsize = maxsize
        self._reader, self._writer = connection.Pipe(duplex=False)
        self._rlock = synchronize.Lock()
        self._opid = os.getpid()
        self._wlock = synchronize.Lock()
        self._sem = synchronize.BoundedSemaphore(maxsize)
        self._ignore_epipe = False
        self._reset()

    def _reset(self):
        self._notempty = threading.Condition(threading.Lock())
        self._buffer = collections.deque()
        self._thread = None
        self._jointhread = None
        self._joincancelled = False
        self._closed = False
        self._close = None
        self._send_bytes = self._writer.send_bytes
        self._recv_bytes = self._reader.recv_bytes
        self._poll = self._reader.poll

    def _after_fork(self):
        self._reset()

    def _check_fork(self):
        # A child inherits the object but not the feeder thread: start afresh.
        if self._opid != os.getpid() and getattr(self, "_forkpid", None) != os.getpid():
            self._forkpid = os.getpid()
            self._reset()

    def put(self, obj, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        self._check_fork()
        if not self._sem.acquire(block, timeout):
            raise Full
        with self._notempty:
            if self._thread is None:
                self._start_thread()
            self._buffer.append(obj)
            self._notempty.notify()

    def get(self, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        if block and timeout is None:
            with self._rlock:
                res = self._recv_bytes()
            self._sem.release()
        else:
            if block:
                deadline = time.monotonic() + timeout
            if not self._rlock.acquire(block, timeout):
                raise Empty
            try:
                if block:
                    timeout = deadline - time.monotonic()
                    if not self._poll(max(timeout, 0)):
                        raise Empty
                elif not self._poll():
                    raise Empty
                res = self._recv_bytes()
                self._sem.release()
            finally:
                self._rlock.release()
        return pickle.loads(res)

    def qsize(self):
        return self._maxsize - self._sem._semlock._get_value()

    def empty(self):
        return not self._poll()

    def full(self):
        return self._sem._semlock._is_zero()

    def get_nowait(self):
        return self.get(False)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def close(self):
        self._closed = True
        close = self._close
        if close:
            self._close = None
            close()

    def join_thread(self):
        assert self._closed, "Queue {0!r} not closed".format(self)
        if self._jointhread:
            self._jointhread()

    def cancel_join_thread(self):
        self._joincancelled = True
        self._jointhread = None

    def _start_thread(self):
        self._buffer.clear()
        self._thread = threading.Thread(
            target=Queue._feed,
            args=(self._buffer, self._notempty, self._send_bytes, self._wlock,
                  self._reader.close, self._writer.close, self._ignore_epipe,
                  self._sem),
            name="QueueFeederThread", daemon=True)
        self._thread.start()
        thread = self._thread
        buffer, notempty = self._buffer, self._notempty

        def finalize_close():
            with notempty:
                buffer.append(_sentinel)
                notempty.notify()

        def finalize_join():
            if not self._joincancelled:
                thread.join()
        self._close = finalize_close
        self._jointhread = finalize_join
        # At exit: close (priority 10) before joining the feeder (priority -5).
        util.register_finalizer(lambda: self._close and self.close(), 10)
        util.register_finalizer(lambda: self._jointhread and self._jointhread(), -5)

    @staticmethod
    def _feed(buffer, notempty, send_bytes, writelock, reader_close, writer_close,
              ignore_epipe, queue_sem):
        while True:
            with notempty:
                while not buffer:
                    notempty.wait()
                items = list(buffer)
                buffer.clear()
            for obj in items:
                if obj is _sentinel:
                    writer_close()
                    return
                try:
                    data = pickle.dumps(obj)
                    with writelock:
                        send_bytes(data)
                except Exception as e:
                    if ignore_epipe and getattr(e, "errno", 0) == 32:
                        return
                    queue_sem.release()
                    sys.stderr.write("Traceback (most recent call last):\n")
                    sys.excepthook(type(e), e, e.__traceback__)

    def __repr__(self):
        return "<%s object at %#x>" % (type(self).__qualname__, id(self))


class JoinableQueue(Queue):
    def __init__(self, maxsize=0, *, ctx=None):
        Queue.__init__(self, maxsize)
        self._unfinished_tasks = synchronize.Semaphore(0)
        self._cond = synchronize.Condition()

    def put(self, obj, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        self._check_fork()
        if not self._sem.acquire(block, timeout):
            raise Full
        with self._notempty, self._cond:
            if self._thread is None:
                self._start_thread()
            self._buffer.append(obj)
            self._unfinished_tasks.release()
            self._notempty.notify()

    def task_done(self):
        with self._cond:
            if not self._unfinished_tasks.acquire(False):
                raise ValueError("task_done() called too many times")
            if self._unfinished_tasks._semlock._is_zero():
                self._cond.notify_all()

    def join(self):
        with self._cond:
            if not self._unfinished_tasks._semlock._is_zero():
                self._cond.wait()


class SimpleQueue:
    def __init__(self, *, ctx=None):
        self._reader, self._writer = connection.Pipe(duplex=False)
        self._rlock = synchronize.Lock()
        self._wlock = synchronize.Lock()
        self._poll = self._reader.poll

    def close(self):
        self._reader.close()
        self._writer.close()

    def empty(self):
        return not self._poll()

    def get(self):
        with self._rlock:
            res = self._reader.recv_bytes()
        return pickle.loads(res)

    def put(self, obj):
        obj = pickle.dumps(obj)
        with self._wlock:
            self._writer.send_bytes(obj)
