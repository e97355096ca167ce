# Exceptions crossing Python frames: the eval loop's non-throwing propagation must keep
# tracebacks, chaining, finally blocks and generator semantics exactly as CPython's.
import sys
import traceback


def show_tb(e):
    # (function, line, source) per traceback entry; no file paths, no caret lines.
    print("  tb:", [(fs.name, fs.lineno, fs.line) for fs in traceback.extract_tb(e.__traceback__)])


def show_exc():
    lines = traceback.format_exc().splitlines()
    for line in lines:
        s = line.strip()
        if not s or set(s) <= set("^~"):
            continue
        if s.startswith("File "):
            # File "/path/x.py", line N, in f  ->  line N, in f
            s = s[s.index(", line") + 2:]
        print("  |", s)


# --- crossing 1, 3 and many frames -------------------------------------------------
def leaf(kind):
    if kind == 0:
        raise ValueError("leaf")
    if kind == 1:
        return {}["missing"]
    if kind == 2:
        return 1 // 0
    return undefined_name  # noqa: F821


def mid(kind):
    leaf(kind)


def top(kind):
    mid(kind)


for kind in range(4):
    try:
        top(kind)
    except Exception as e:
        print(type(e).__name__, e)
        show_tb(e)


def recurse(n):
    if n == 0:
        raise LookupError("bottom")
    recurse(n - 1)


try:
    recurse(30)
except LookupError as e:
    print("depth", len(traceback.extract_tb(e.__traceback__)))

# many iterations: the exception must not leak state (curexc, recursion depth)
count = 0
for i in range(2000):
    try:
        top(i % 3)
    except (ValueError, KeyError, ZeroDivisionError):
        count += 1
print("caught", count)


# --- finally blocks on the way out ---------------------------------------------------
log = []


def fin_inner():
    try:
        raise TypeError("inner")
    finally:
        log.append("inner finally")


def fin_outer():
    try:
        fin_inner()
    finally:
        log.append("outer finally")


try:
    fin_outer()
except TypeError as e:
    log.append("caught " + str(e))
    show_tb(e)
print(log)


def finally_replaces():
    try:
        leaf(0)
    finally:
        raise KeyError("from finally")


try:
    finally_replaces()
except KeyError as e:
    print("replaced", repr(e), "context", repr(e.__context__))
    show_tb(e)


def finally_returns():
    try:
        leaf(0)
    finally:
        return "swallowed"


print(finally_returns())


# --- raise from, bare raise, re-raise in another frame -------------------------------
def convert():
    try:
        mid(0)
    except ValueError as e:
        raise RuntimeError("converted") from e


try:
    convert()
except RuntimeError as e:
    print(repr(e), "cause", repr(e.__cause__), e.__suppress_context__)
    show_tb(e)
    show_tb(e.__cause__)


def bare_reraise():
    try:
        mid(1)
    except KeyError:
        raise


try:
    bare_reraise()
except KeyError as e:
    show_tb(e)


def handler_calls_raiser():
    try:
        mid(0)
    except ValueError:
        mid(2)


try:
    handler_calls_raiser()
except ZeroDivisionError as e:
    print("context", repr(e.__context__))
    show_tb(e)


def raise_from_none():
    try:
        mid(0)
    except ValueError:
        raise IndexError("clean") from None


try:
    raise_from_none()
except IndexError as e:
    print(repr(e), e.__cause__, e.__suppress_context__)

try:
    try:
        top(0)
    except ValueError:
        top(1)
except KeyError:
    show_exc()


# --- exceptions in __init__, in methods, through builtins ---------------------------
class Bad:
    def __init__(self, x):
        if x < 0:
            raise ValueError("negative")
        self.x = x

    def method(self):
        return self.helper()

    def helper(self):
        raise AttributeError("no helper today")


try:
    Bad(-1)
except ValueError as e:
    show_tb(e)

try:
    Bad(1).method()
except AttributeError as e:
    show_tb(e)

try:
    sorted([3, 1, 2], key=lambda v: leaf(0))
except ValueError as e:
    show_tb(e)

try:
    list(map(lambda v: mid(2), [1]))
except ZeroDivisionError as e:
    show_tb(e)


def kw_callee(a, *, b):
    raise OSError(a, b)


try:
    kw_callee(1, b=2)
except OSError as e:
    print(e.args)
    show_tb(e)

try:
    kw_callee(*[1], **{"b": 3})
except OSError as e:
    print(e.args)
    show_tb(e)

try:
    kw_callee(1, 2)
except TypeError as e:
    print(e)


# --- instantiation paths (the loop calls a Python __init__ directly) --------------------
class ReturnsValue:
    def __init__(self):
        return 5


try:
    ReturnsValue()
except TypeError as e:
    print("TypeError:", e)
    show_tb(e)


class OtherNew:
    def __new__(cls, flag):
        return 42 if flag else super().__new__(cls)

    def __init__(self, flag):
        raise AssertionError("not reached for a foreign __new__ result")


print(OtherNew(True))
try:
    OtherNew(False)
except AssertionError as e:
    show_tb(e)


class KwInit:
    def __init__(self, a, *rest, b=2, **kw):
        self.v = (a, rest, b, sorted(kw))


print(KwInit(1).v, KwInit(1, 2, 3, b=4, z=5).v, KwInit(*[1], **{"b": 9}).v)
try:
    KwInit()
except TypeError as e:
    print("TypeError:", e)


class MyErr(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code


try:
    raise MyErr(3)
except MyErr as e:
    print(repr(e), e.code)


class Staticish:
    __init__ = staticmethod(lambda *a: None)


try:
    Staticish()
    print("staticmethod __init__ ok")
except TypeError as e:
    print("TypeError:", e)


class DictSub(dict):
    pass


print(sorted(DictSub(a=1, b=2).items()))


class NoInit:
    pass


try:
    NoInit(1)
except TypeError as e:
    print("TypeError:", e)


class InitCallsRaiser:
    def __init__(self):
        self.helper()

    def helper(self):
        mid(1)


try:
    InitCallsRaiser()
except KeyError as e:
    show_tb(e)


# --- generators ----------------------------------------------------------------------
def gen_raises():
    yield 1
    mid(0)
    yield 2


try:
    for v in gen_raises():
        pass
except ValueError as e:
    show_tb(e)


def gen_stop():
    yield 1
    raise StopIteration("inside")


try:
    list(gen_stop())
except RuntimeError as e:
    print(repr(e), repr(e.__cause__))

try:
    for v in gen_stop():
        pass
except RuntimeError as e:
    print("for:", repr(e), repr(e.__cause__))
    show_tb(e)


def delegating():
    yield from gen_raises()


try:
    for v in delegating():
        pass
except ValueError as e:
    show_tb(e)


def catcher():
    while True:
        try:
            yield
        except KeyError as e:
            print("generator caught", repr(e))
        finally:
            print("generator finally")


c = catcher()
next(c)
c.throw(KeyError("thrown"))
try:
    c.throw(ValueError("not caught"))
except ValueError as e:
    show_tb(e)
try:
    next(c)
except StopIteration:
    print("finished generator stops")


def gen_with_handler():
    try:
        yield 1
        mid(1)
    except KeyError:
        yield "handled"


print(list(gen_with_handler()))
g = gen_raises()
next(g)
try:
    next(g)
except ValueError as e:
    show_tb(e)
print(next(g, "exhausted"))


# --- recursion ------------------------------------------------------------------------
def endless(n):
    return endless(n + 1)


for i in range(2):
    try:
        endless(0)
    except RecursionError as e:
        print("RecursionError:", e)

# --- an uncaught exception crossing frames: the last stderr line is compared ------------
sys.stdout.flush()
top(1)
