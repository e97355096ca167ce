"""multiprocessing.synchronize — Lock, RLock, Semaphore, BoundedSemaphore, Condition,
Event and Barrier across processes, over _multiprocessing.SemLock, after CPython's.

Invariants: every primitive is built from SemLocks made before fork (the semaphores
live in shared pages); waits block in C with the interpreter lock released. Condition
uses CPython's counting scheme (sleeping/woken/wait semaphores), so notify() works
between processes without a shared Python object.
"""
import sys
import threading
import _multiprocessing
from _multiprocessing import SemLock as _SemLockImpl

__all__ = ["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event"]

RECURSIVE_MUTEX, SEMAPHORE = 0, 1
SEM_VALUE_MAX = _multiprocessing.SEM_VALUE_MAX


class SemLock:
    def __init__(self, kind, value, maxvalue):
        self._semlock = _SemLockImpl(kind, value, maxvalue)
        self.acquire = self._semlock.acquire
        self.release = self._semlock.release

    def __enter__(self):
        return self._semlock.__enter__()

    def __exit__(self, *args):
        return self._semlock.__exit__(*args)


class Semaphore(SemLock):
    def __init__(self, value=1, *, ctx=None):
        SemLock.__init__(self, SEMAPHORE, value, SEM_VALUE_MAX)

    def get_value(self):
        return self._semlock._get_value()

    def __repr__(self):
        try:
            value = self._semlock._get_value()
        except Exception:
            value = "unknown"
        return "<%s(value=%s)>" % (self.__class__.__name__, value)


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1, *, ctx=None):
        SemLock.__init__(self, SEMAPHORE, value, value)

    def __repr__(self):
        try:
            value = self._semlock._get_value()
        except Exception:
            value = "unknown"
        return "<%s(value=%s, maxvalue=%s)>" % (self.__class__.__name__, value,
                                               self._semlock.maxvalue)


class Lock(SemLock):
    def __init__(self, *, ctx=None):
        SemLock.__init__(self, SEMAPHORE, 1, 1)

    def __repr__(self):
        try:
            if self._semlock._is_mine():
                name = "MainThread" if threading.current_thread() is \
                    threading.main_thread() else threading.current_thread().name
            elif self._semlock._get_value() == 1:
                name = "None"
            else:
                name = "SomeOtherThread"
        except Exception:
            name = "unknown"
        return "<%s(owner=%s)>" % (self.__class__.__name__, name)


class RLock(SemLock):
    def __init__(self, *, ctx=None):
        SemLock.__init__(self, RECURSIVE_MUTEX, 1, 1)

    def __repr__(self):
        try:
            if self._semlock._is_mine():
                name = threading.current_thread().name
                count = self._semlock._count()
            elif self._semlock._get_value() == 1:
                name, count = "None", 0
            else:
                name, count = "SomeOtherThread", "nonzero"
        except Exception:
            name, count = "unknown", "unknown"
        return "<%s(%s, %s)>" % (self.__class__.__name__, name, count)


class Condition:
    def __init__(self, lock=None, *, ctx=None):
        self._lock = lock or RLock()
        self._sleeping_count = Semaphore(0)
        self._woken_count = Semaphore(0)
        self._wait_semaphore = Semaphore(0)
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def wait(self, timeout=None):
        assert self._lock._semlock._is_mine(), \
            "must acquire() condition before using wait()"
        self._sleeping_count.release()
        count = self._lock._semlock._count()
        for i in range(count):
            self._lock.release()
        try:
            return self._wait_semaphore.acquire(True, timeout)
        finally:
            self._woken_count.release()
            for i in range(count):
                self._lock.acquire()

    def notify(self, n=1):
        assert self._lock._semlock._is_mine(), "lock is not owned"
        assert not self._wait_semaphore.acquire(False)
        while self._woken_count.acquire(False):
            res = self._sleeping_count.acquire(False)
            assert res, "notify: Bug in sleeping_count.acquire - res should not be False"
        sleepers = 0
        while sleepers < n and self._sleeping_count.acquire(False):
            self._wait_semaphore.release()
            sleepers += 1
        if sleepers:
            for i in range(sleepers):
                self._woken_count.acquire()
            while self._wait_semaphore.acquire(False):
                pass

    def notify_all(self):
        self.notify(n=sys.maxsize)

    def wait_for(self, predicate, timeout=None):
        import time
        result = predicate()
        if result:
            return result
        if timeout is not None:
            endtime = time.monotonic() + timeout
        else:
            endtime = None
            waittime = None
        while not result:
            if endtime is not None:
                waittime = endtime - time.monotonic()
                if waittime <= 0:
                    break
            self.wait(waittime)
            result = predicate()
        return result


class Event:
    def __init__(self, *, ctx=None):
        self._cond = Condition(Lock())
        self._flag = Semaphore(0)

    def is_set(self):
        with self._cond:
            if self._flag.acquire(False):
                self._flag.release()
                return True
            return False

    def set(self):
        with self._cond:
            self._flag.acquire(False)
            self._flag.release()
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag.acquire(False)

    def wait(self, timeout=None):
        with self._cond:
            if self._flag.acquire(False):
                self._flag.release()
            else:
                self._cond.wait(timeout)
            if self._flag.acquire(False):
                self._flag.release()
                return True
            return False
