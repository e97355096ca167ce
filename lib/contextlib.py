# contextlib — utilities for with-statement context managers, in Python over the
# interpreter's own with/generator machinery (CPython's Lib/contextlib.py is the reference
# for behaviour; this is gilpy's own code).
#
# Invariants:
#  * A @contextmanager object drives its generator exactly once: __enter__ runs it to its
#    first yield, __exit__ either runs it to the end (no exception) or throws the
#    exception in at the yield; a generator that yields again is a RuntimeError, as in
#    CPython. __exit__ returns true only when the generator swallowed the exception.
#  * ExitStack runs its callbacks last-in first-out; an exception raised by one becomes
#    the exception the next ones see (with the previous one as its __context__), and the
#    stack reports whether the exception that reached it was suppressed in the end.
import sys
from functools import wraps

__all__ = ["AbstractContextManager", "ContextDecorator", "contextmanager", "closing",
           "nullcontext", "suppress", "redirect_stdout", "redirect_stderr", "ExitStack",
           "chdir"]


class AbstractContextManager:
    """A base whose __enter__ returns self; subclasses define __exit__."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None

    @classmethod
    def __subclasshook__(cls, C):
        if cls is AbstractContextManager:
            for name in ("__enter__", "__exit__"):
                if not any(name in B.__dict__ and B.__dict__[name] is not None
                           for B in C.__mro__):
                    return NotImplemented
            return True
        return NotImplemented


class ContextDecorator:
    """Lets a context manager be used as a function decorator too."""

    def _recreate_cm(self):
        return self

    def __call__(self, func):
        @wraps(func)
        def inner(*args, **kwds):
            with self._recreate_cm():
                return func(*args, **kwds)
        return inner


class _GeneratorContextManager(ContextDecorator, AbstractContextManager):
    def __init__(self, func, args, kwds):
        self.gen = func(*args, **kwds)
        self.func, self.args, self.kwds = func, args, kwds
        doc = getattr(func, "__doc__", None)
        if doc is None:
            doc = type(self).__doc__
        self.__doc__ = doc

    def _recreate_cm(self):
        # each decorated call needs a fresh generator
        return self.__class__(self.func, self.args, self.kwds)

    def __enter__(self):
        # the arguments are only needed to recreate the manager for a decorator
        del self.args, self.kwds, self.func
        try:
            return next(self.gen)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None

    def __exit__(self, typ, value, traceback):
        if typ is None:
            try:
                next(self.gen)
            except StopIteration:
                return False
            raise RuntimeError("generator didn't stop")
        if value is None:
            # a bare exception class was given (as by some callers of __exit__)
            value = typ()
        try:
            self.gen.throw(typ, value, traceback)
        except StopIteration as exc:
            # the generator returned after the throw: it suppressed the exception,
            # unless the StopIteration is the very exception that was thrown in
            return exc is not value
        except RuntimeError as exc:
            if exc is value:
                exc.__traceback__ = traceback
                return False
            # PEP 479: a StopIteration raised in the body comes back wrapped
            if isinstance(value, StopIteration) and exc.__cause__ is value:
                value.__traceback__ = traceback
                return False
            raise
        except BaseException as exc:
            if exc is not value:
                raise
            exc.__traceback__ = traceback
            return False
        raise RuntimeError("generator didn't stop after throw()")


def contextmanager(func):
    """@contextmanager: a generator function that yields once becomes a factory of
    context managers (the code before the yield is __enter__, the rest __exit__)."""
    @wraps(func)
    def helper(*args, **kwds):
        return _GeneratorContextManager(func, args, kwds)
    return helper


class closing(AbstractContextManager):
    """with closing(thing) as t: ... calls thing.close() on the way out."""

    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc_info):
        self.thing.close()


class nullcontext(AbstractContextManager):
    """A context manager that does nothing; __enter__ returns enter_result."""

    def __init__(self, enter_result=None):
        self.enter_result = enter_result

    def __enter__(self):
        return self.enter_result

    def __exit__(self, *excinfo):
        pass


class suppress(AbstractContextManager):
    """with suppress(E1, E2): ... swallows those exceptions (and their subclasses)."""

    def __init__(self, *exceptions):
        self._exceptions = exceptions

    def __enter__(self):
        pass

    def __exit__(self, exctype, excinst, exctb):
        return exctype is not None and issubclass(exctype, self._exceptions)


class _RedirectStream(AbstractContextManager):
    _stream = None

    def __init__(self, new_target):
        self._new_target = new_target
        self._old_targets = []  # a stack: the same object may be entered again

    def __enter__(self):
        self._old_targets.append(getattr(sys, self._stream))
        setattr(sys, self._stream, self._new_target)
        return self._new_target

    def __exit__(self, exctype, excinst, exctb):
        setattr(sys, self._stream, self._old_targets.pop())


class redirect_stdout(_RedirectStream):
    """Temporarily sends sys.stdout to another file-like object."""
    _stream = "stdout"


class redirect_stderr(_RedirectStream):
    """Temporarily sends sys.stderr to another file-like object."""
    _stream = "stderr"


class chdir(AbstractContextManager):
    """Changes the working directory for the with block (3.11)."""

    def __init__(self, path):
        self.path = path
        self._old_cwd = []

    def __enter__(self):
        import os
        self._old_cwd.append(os.getcwd())
        os.chdir(self.path)

    def __exit__(self, *excinfo):
        import os
        os.chdir(self._old_cwd.pop())


class ExitStack(AbstractContextManager):
    """A stack of exit callbacks, run last-in first-out when the with block ends."""

    def __init__(self):
        self._exit_callbacks = []

    def pop_all(self):
        """Moves every callback to a new stack (which the caller must close)."""
        new_stack = type(self)()
        new_stack._exit_callbacks = self._exit_callbacks
        self._exit_callbacks = []
        return new_stack

    def push(self, exit):
        """Registers an __exit__-style callback, or an object's __exit__ method."""
        _cb_type = type(exit)
        try:
            exit_method = _cb_type.__exit__
        except AttributeError:
            self._exit_callbacks.append((True, exit))  # a plain callable
        else:
            self._push_cm_exit(exit, exit_method)
        return exit

    def enter_context(self, cm):
        """Enters a context manager and pushes its __exit__; returns what __enter__ gave."""
        cls = type(cm)
        try:
            _enter = cls.__enter__
            _exit = cls.__exit__
        except AttributeError:
            raise TypeError(f"'{cls.__module__}.{cls.__qualname__}' object does "
                            f"not support the context manager protocol") from None
        result = _enter(cm)
        self._push_cm_exit(cm, _exit)
        return result

    def callback(self, callback, /, *args, **kwds):
        """Registers callback(*args, **kwds) to run on the way out (its result is ignored)."""
        def _exit_wrapper(exc_type, exc, tb):
            callback(*args, **kwds)
        _exit_wrapper.__wrapped__ = callback
        self._exit_callbacks.append((True, _exit_wrapper))
        return callback

    def _push_cm_exit(self, cm, cm_exit):
        def _exit_wrapper(exc_type, exc, tb):
            return cm_exit(cm, exc_type, exc, tb)
        _exit_wrapper.__self__ = cm
        self._exit_callbacks.append((True, _exit_wrapper))

    def close(self):
        """Runs every callback now, as leaving a with block without an exception does."""
        self.__exit__(None, None, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_details):
        received_exc = exc_details[0] is not None
        # The innermost exception that reached the stack, so that an exception raised
        # by a callback gets it as its __context__ (what nested with blocks would give).
        frame_exc = sys.exc_info()[1]

        def _fix_exception_context(new_exc, old_exc):
            # Link new_exc's chain to old_exc, without creating a cycle.
            while 1:
                exc_context = new_exc.__context__
                if exc_context is None or exc_context is old_exc:
                    return
                if exc_context is frame_exc:
                    break
                new_exc = exc_context
            new_exc.__context__ = old_exc

        suppressed_exc = False
        pending_raise = False
        while self._exit_callbacks:
            is_sync, cb = self._exit_callbacks.pop()
            try:
                if cb(*exc_details):
                    suppressed_exc = True
                    pending_raise = False
                    exc_details = (None, None, None)
            except BaseException:
                new_exc_details = sys.exc_info()
                _fix_exception_context(new_exc_details[1], exc_details[1])
                pending_raise = True
                exc_details = new_exc_details
        if pending_raise:
            try:
                # keep the context the callbacks built, not the one raise would set
                fixed_ctx = exc_details[1].__context__
                raise exc_details[1]
            except BaseException:
                exc_details[1].__context__ = fixed_ctx
                raise
        return received_exc and suppressed_exc
