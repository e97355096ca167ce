"""concurrent.futures._base — Future, Executor, wait, as_completed and the
exceptions, after CPython's Lib/concurrent/futures/_base.py (moved here from the
package's __init__, which re-exports everything under the same names).

Invariants:
  * A Future's state (PENDING -> RUNNING -> FINISHED, or PENDING -> CANCELLED ->
    CANCELLED_AND_NOTIFIED) changes only under its Condition; result()/exception() wait
    on it, so they are right with or without a GIL. Done callbacks run once, outside
    the condition, in the thread that completed the future (or at once in
    add_done_callback when it is already done); an exception in a callback is
    reported on stderr and does not stop the others.
  * Waiters (wait, as_completed) register a _Waiter on each future and are woken by
    every completion or cancellation: no polling. A cancelled future counts as done.
  * Executor.map submits every call at once and yields results in order; with a
    timeout the whole iteration shares one deadline; leaving the iterator early
    cancels the calls not yet started.
"""
import sys
import threading
import time
import collections

__all__ = ["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "CancelledError",
           "TimeoutError", "InvalidStateError", "BrokenExecutor", "Future", "Executor",
           "wait", "as_completed"]

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"

PENDING = "PENDING"
RUNNING = "RUNNING"
CANCELLED = "CANCELLED"
CANCELLED_AND_NOTIFIED = "CANCELLED_AND_NOTIFIED"
FINISHED = "FINISHED"


class Error(Exception):
    pass


class CancelledError(Error):
    pass


TimeoutError = TimeoutError


class InvalidStateError(Error):
    pass


class BrokenExecutor(RuntimeError):
    pass


def _report_callback_error(future):
    # CPython logs "exception calling callback for <Future ...>" and the traceback.
    import traceback
    sys.stderr.write("exception calling callback for %r\n" % (future,))
    traceback.print_exc()


class _Waiter:
    def __init__(self):
        self.event = threading.Event()
        self.lock = threading.Lock()
        self.finished = []

    def add(self, f):
        with self.lock:
            self.finished.append(f)
            self.event.set()


class Future:
    def __init__(self):
        self._condition = threading.Condition()
        self._state = PENDING
        self._result = None
        self._exception = None
        self._waiters = []
        self._done_callbacks = []

    def __repr__(self):
        with self._condition:
            if self._state == FINISHED:
                if self._exception is not None:
                    return "<%s at %#x state=finished raised %s>" % (
                        type(self).__name__, id(self), type(self._exception).__name__)
                return "<%s at %#x state=finished returned %s>" % (
                    type(self).__name__, id(self), type(self._result).__name__)
            return "<%s at %#x state=%s>" % (type(self).__name__, id(self), self._state.lower())

    def _invoke_callbacks(self):
        for cb in self._done_callbacks:
            try:
                cb(self)
            except Exception:
                _report_callback_error(self)

    def cancel(self):
        with self._condition:
            if self._state in (RUNNING, FINISHED):
                return False
            if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED):
                return True
            self._state = CANCELLED
            for w in self._waiters:
                w.add(self)
            self._condition.notify_all()
        self._invoke_callbacks()
        return True

    def cancelled(self):
        with self._condition:
            return self._state in (CANCELLED, CANCELLED_AND_NOTIFIED)

    def running(self):
        with self._condition:
            return self._state == RUNNING

    def done(self):
        with self._condition:
            return self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED)

    def add_done_callback(self, fn):
        with self._condition:
            if self._state not in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED):
                self._done_callbacks.append(fn)
                return
        try:
            fn(self)
        except Exception:
            _report_callback_error(self)

    def _get(self):
        if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED):
            raise CancelledError()
        if self._exception is not None:
            raise self._exception
        return self._result

    def result(self, timeout=None):
        with self._condition:
            if self._state == FINISHED or self._state in (CANCELLED, CANCELLED_AND_NOTIFIED):
                return self._get()
            self._condition.wait_for(lambda: self._state in (FINISHED, CANCELLED,
                                                              CANCELLED_AND_NOTIFIED), timeout)
            if self._state in (FINISHED, CANCELLED, CANCELLED_AND_NOTIFIED):
                return self._get()
            raise TimeoutError()

    def exception(self, timeout=None):
        with self._condition:
            self._condition.wait_for(lambda: self._state in (FINISHED, CANCELLED,
                                                              CANCELLED_AND_NOTIFIED), timeout)
            if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED):
                raise CancelledError()
            if self._state == FINISHED:
                return self._exception
            raise TimeoutError()

    # -- for executors
    def set_running_or_notify_cancel(self):
        with self._condition:
            if self._state == CANCELLED:
                self._state = CANCELLED_AND_NOTIFIED
                for w in self._waiters:
                    w.add(self)
                return False
            if self._state == PENDING:
                self._state = RUNNING
                return True
            raise RuntimeError("Future in unexpected state")

    def _finish(self):
        self._state = FINISHED
        for w in self._waiters:
            w.add(self)
        self._condition.notify_all()

    def set_result(self, result):
        with self._condition:
            if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED):
                raise InvalidStateError("%s: %r" % (self._state, self))
            self._result = result
            self._finish()
        self._invoke_callbacks()

    def set_exception(self, exception):
        with self._condition:
            if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED):
                raise InvalidStateError("%s: %r" % (self._state, self))
            self._exception = exception
            self._finish()
        self._invoke_callbacks()


def _done_now(f):
    return f._state in (CANCELLED_AND_NOTIFIED, FINISHED, CANCELLED)


def as_completed(fs, timeout=None):
    fs = list(dict.fromkeys(fs))
    end = None if timeout is None else time.monotonic() + timeout
    waiter = _Waiter()
    pending = set()
    finished = []
    for f in fs:
        with f._condition:
            if _done_now(f):
                finished.append(f)
            else:
                pending.add(f)
                f._waiters.append(waiter)
    try:
        for f in finished:
            yield f
        while pending:
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError("%d (of %d) futures unfinished" % (len(pending), len(fs)))
            waiter.event.wait(left)
            with waiter.lock:
                got = waiter.finished
                waiter.finished = []
                waiter.event.clear()
            for f in got:
                if f in pending:
                    pending.discard(f)
                    yield f
    finally:
        for f in fs:
            with f._condition:
                if waiter in f._waiters:
                    f._waiters.remove(waiter)


DoneAndNotDoneFutures = collections.namedtuple("DoneAndNotDoneFutures", "done not_done")


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    fs = set(fs)
    end = None if timeout is None else time.monotonic() + timeout
    waiter = _Waiter()
    for f in fs:
        with f._condition:
            f._waiters.append(waiter)
    try:
        while True:
            done = set(f for f in fs if _done_now(f))
            not_done = fs - done
            if not not_done:
                break
            if return_when == FIRST_COMPLETED and done:
                break
            if return_when == FIRST_EXCEPTION and any(
                    f._state == FINISHED and f._exception is not None for f in done):
                break
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                break
            waiter.event.wait(left)
            with waiter.lock:
                waiter.event.clear()
        return DoneAndNotDoneFutures(done, not_done)
    finally:
        for f in fs:
            with f._condition:
                if waiter in f._waiters:
                    f._waiters.remove(waiter)


def _result_iterator(fs, timeout):
    end = None if timeout is None else time.monotonic() + timeout
    fs = list(fs)
    fs.reverse()
    try:
        while fs:
            f = fs.pop()
            if end is None:
                yield f.result()
            else:
                yield f.result(end - time.monotonic())
    finally:
        for f in fs:
            f.cancel()


class Executor:
    def submit(self, fn, /, *args, **kwargs):
        raise NotImplementedError()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        fs = [self.submit(fn, *args) for args in zip(*iterables)]
        return _result_iterator(fs, timeout)

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown(wait=True)
        return False


