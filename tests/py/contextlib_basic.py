# contextlib (lib/contextlib.py): contextmanager (as a manager and as a decorator, the
# error cases), suppress, closing, nullcontext, redirect_stdout/stderr, chdir, ExitStack.
import contextlib, io, os, sys
from contextlib import contextmanager, suppress, closing, nullcontext, ExitStack

@contextmanager
def tag(name, log):
    log.append("<%s>" % name)
    try:
        yield name.upper()
    except KeyError as e:
        log.append("handled %r" % e.args[0])
    finally:
        log.append("</%s>" % name)

log = []
with tag("a", log) as v:
    log.append(v)
with tag("b", log):
    raise KeyError("k")          # swallowed by the generator
try:
    with tag("c", log):
        raise ValueError("v")    # passes through
except ValueError as e:
    log.append("outer " + str(e))
print(log)

@contextmanager
def no_yield():
    if False:
        yield
@contextmanager
def two_yields():
    yield 1
    yield 2
@contextmanager
def yields_after_throw():
    try:
        yield
    except Exception:
        yield
for cm in (no_yield, two_yields, yields_after_throw):
    try:
        with cm():
            if cm is yields_after_throw:
                raise IndexError
    except RuntimeError as e:
        print(cm.__name__, "RuntimeError:", e)

@contextmanager
def reraiser():
    try:
        yield
    except ZeroDivisionError:
        raise ValueError("converted")
try:
    with reraiser():
        1 / 0
except ValueError as e:
    print("converted:", e, type(e.__context__).__name__)

@contextmanager
def stopper():
    yield
try:
    with stopper():
        raise StopIteration("inner")
except StopIteration as e:
    print("StopIteration passes through:", e)

calls = []
@contextmanager
def counted():
    calls.append("enter")
    yield
    calls.append("exit")
@counted()
def f(x):
    calls.append("f%d" % x)
    return x * 2
print(f(1), f(2), calls, f.__name__)

with suppress(KeyError, IndexError):
    {}["x"]
with suppress(LookupError):
    [][1]
try:
    with suppress(KeyError):
        raise TypeError("not suppressed")
except TypeError as e:
    print("TypeError:", e)

class Res:
    def close(self):
        print("closed")
with closing(Res()) as r:
    print(type(r).__name__)
with nullcontext(42) as n:
    print("null", n)

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print("into the buffer")
print("captured %r" % buf.getvalue())
ebuf = io.StringIO()
with contextlib.redirect_stderr(ebuf):
    sys.stderr.write("err text\n")
print("stderr captured %r" % ebuf.getvalue())

here = os.getcwd()
with contextlib.chdir("/"):
    print("in", os.getcwd())
print("back", os.getcwd() == here)

order = []
with ExitStack() as st:
    for i in range(3):
        st.callback(order.append, "cb%d" % i)
    st.enter_context(tag("x", order))
    st.push(lambda *exc: order.append("push") and False)
print(order)

def cleanup_raises():
    raise KeyError("from cleanup")
try:
    with ExitStack() as st:
        st.callback(cleanup_raises)
        raise ValueError("body")
except KeyError as e:
    print("KeyError", e, "context", repr(e.__context__))

with ExitStack() as st:
    st.push(lambda t, v, tb: True)   # suppresses
    raise OSError("swallowed")
print("suppressed by the stack")

st = ExitStack()
st.callback(print, "moved and closed")
moved = st.pop_all()
st.close()
moved.close()
try:
    ExitStack().enter_context(object())
except TypeError as e:
    print("TypeError:", e)
print(isinstance(nullcontext(), contextlib.AbstractContextManager))
