"""atexit — functions to run when the interpreter exits, as CPython's atexit.

Invariants: callbacks run once, last registered first, after threading._shutdown()
has joined the non-daemon threads (main.cpp's finish() calls _run_exitfuncs when this
module was imported); an exception in one callback is reported on stderr, as CPython
words it, and the others still run. SystemExit in a callback is not reported.
"""
import sys

_exithandlers = []


def register(func, *args, **kwargs):
    _exithandlers.append((func, args, kwargs))
    return func


def unregister(func):
    _exithandlers[:] = [h for h in _exithandlers if h[0] != func]


def _clear():
    del _exithandlers[:]


def _ncallbacks():
    return len(_exithandlers)


def _run_exitfuncs():
    while _exithandlers:
        func, args, kwargs = _exithandlers.pop()
        try:
            func(*args, **kwargs)
        except SystemExit:
            pass
        except BaseException as e:
            try:
                sys.stderr.write("Exception ignored in atexit callback: %r\n" % (func,))
                sys.excepthook(type(e), e, e.__traceback__)
            except BaseException:
                pass
