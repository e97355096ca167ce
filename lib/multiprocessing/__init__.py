"""multiprocessing — processes with a threading-like API, for gilpy (fork start
method), after CPython's Lib/multiprocessing.

Invariants: everything here is the "fork" context: children are os.fork()ed copies
that run the target and leave with os._exit; objects shared with children (locks,
queues, Value/Array) must be created before the child starts. Non-daemonic children
are joined at exit (util._exit_function, run by atexit).
"""
import os
import sys

from . import process, util
from .process import Process, current_process, active_children, parent_process
from .connection import Pipe, BufferTooShort
from .synchronize import Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event
from .queues import Queue, JoinableQueue, SimpleQueue
from .sharedctypes import Value, Array, RawValue, RawArray


class ProcessError(Exception):
    pass


class AuthenticationError(ProcessError):
    pass


from .pool import TimeoutError


def cpu_count():
    num = os.cpu_count()
    if num is None:
        raise NotImplementedError("cannot determine number of cpus")
    return num


def Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None):
    from .pool import Pool
    return Pool(processes, initializer, initargs, maxtasksperchild)


def freeze_support():
    pass


_start_method = [None]


def get_start_method(allow_none=False):
    if _start_method[0] is None and not allow_none:
        _start_method[0] = "fork"
    return _start_method[0]


def set_start_method(method, force=False):
    if _start_method[0] is not None and not force:
        raise RuntimeError("context has already been set")
    if method not in ("fork", None):
        raise ValueError("cannot find context for %r" % method)
    _start_method[0] = method


def get_all_start_methods():
    return ["fork"]


def get_context(method=None):
    if method not in (None, "fork"):
        raise ValueError("cannot find context for %r" % method)
    return sys.modules[__name__]


def Manager():
    raise NotImplementedError("multiprocessing.Manager is not supported by gilpy")
