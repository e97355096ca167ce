"""multiprocessing.util — exit handling shared by the package.

Invariants: _exit_function runs once per process at exit (atexit in the parent,
registered at the first start(), as CPython's import order has it; the
end of Process._bootstrap in a child): it runs the registered finalizers (queue
feeder threads flush their buffers into the pipes), terminates daemonic children, then
joins the non-daemonic ones, as CPython's does.
"""
import sys
import atexit

_finalizers = []      # [(priority, seq, callback)]
_seq = [0]
_exiting = False


def register_finalizer(callback, exitpriority=0):
    _seq[0] += 1
    _finalizers.append((exitpriority, _seq[0], callback))
    return _seq[0]


def unregister_finalizer(ident):
    _finalizers[:] = [f for f in _finalizers if f[1] != ident]


def _run_finalizers():
    items = sorted(_finalizers, key=lambda f: (f[0], f[1]), reverse=True)
    del _finalizers[:]
    for _, _, callback in items:
        try:
            callback()
        except Exception:
            pass


def _flush_std_streams():
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except (AttributeError, ValueError, OSError):
            pass


def _exit_function():
    global _exiting
    if _exiting:
        return
    _exiting = True
    from . import process
    _run_finalizers()
    for p in process.active_children():
        if p.daemon:
            p.terminate()
    for p in process.active_children():
        p.join()
    _flush_std_streams()


def _reset_after_fork():
    global _exiting
    _exiting = False
    del _finalizers[:]


_registered = []


def _register_exit_function():
    # CPython registers it when util is first imported, which happens at the first
    # Process.start(): atexit callbacks the program registered earlier run after it.
    if not _registered:
        _registered.append(True)
        atexit.register(_exit_function)


def get_logger():
    raise NotImplementedError("multiprocessing logging is not supported by gilpy")


def info(*args):
    pass


def debug(*args):
    pass
