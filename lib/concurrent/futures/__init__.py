"""concurrent.futures — Future, Executor, wait, as_completed, ThreadPoolExecutor and
ProcessPoolExecutor, split as CPython's Lib/concurrent/futures is: _base.py (futures,
waiting, exceptions), thread.py, process.py.

Invariants: this module only re-exports; every name it had when it held the whole
implementation (mpi4py.futures imports from it) is still here, private helpers
included. ProcessPoolExecutor and process.BrokenProcessPool are imported on first use
(module __getattr__), so `import concurrent.futures` does not load multiprocessing or
pickle.
"""
from ._base import (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, PENDING, RUNNING,
                    CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED, Error, CancelledError,
                    TimeoutError, InvalidStateError, BrokenExecutor, Future, Executor,
                    wait, as_completed, DoneAndNotDoneFutures, _Waiter, _done_now,
                    _result_iterator)
from .thread import ThreadPoolExecutor, _WorkItem

__all__ = ("FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "CancelledError",
           "TimeoutError", "InvalidStateError", "BrokenExecutor", "Future", "Executor",
           "wait", "as_completed", "ProcessPoolExecutor", "ThreadPoolExecutor")


def __dir__():
    return __all__ + ("__author__", "__doc__")


def __getattr__(name):
    global ProcessPoolExecutor
    if name == "ProcessPoolExecutor":
        from .process import ProcessPoolExecutor as pe
        ProcessPoolExecutor = pe
        return pe
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
