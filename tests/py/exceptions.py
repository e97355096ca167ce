# exceptions: hierarchy, try/except/else/finally, raise from, chaining, custom classes
def risky(n):
    if n == 0:
        raise ValueError("zero")
    if n == 1:
        raise KeyError("one")
    if n == 2:
        return 1 / 0
    return n
for i in range(4):
    try:
        r = risky(i)
    except (ValueError, KeyError) as e:
        print("caught", type(e).__name__, e, e.args)
    except ArithmeticError as e:
        print("arith", type(e).__name__, e)
    else:
        print("no error", r)
    finally:
        print("finally", i)
class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
class DbError(AppError): pass
try:
    raise DbError(42, "db down")
except AppError as e:
    print(type(e).__name__, e.code, e, repr(e), isinstance(e, Exception), e.args)
try:
    try:
        {}["k"]
    except KeyError as e:
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print(e, type(e.__cause__).__name__, e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during")
except ValueError as e:
    print(e, type(e.__context__).__name__, e.__cause__)
def f():
    try:
        return "try"
    finally:
        print("finally runs before return")
print(f())
def g():
    try:
        raise ValueError
    finally:
        return "finally wins"
print(g())
def h():
    for i in range(3):
        try:
            if i == 1:
                break
        finally:
            print("h finally", i)
    return i
print(h())
try:
    try:
        raise TypeError("inner")
    except TypeError:
        print("reraising")
        raise
except TypeError as e:
    print("outer got", e)
e_saved = None
try:
    raise IndexError("x")
except IndexError as e:
    e_saved = e
print(type(e_saved).__name__, str(e_saved))
try:
    e
except NameError as err:
    print("NameError:", err)
print(issubclass(KeyError, LookupError), issubclass(ZeroDivisionError, ArithmeticError), issubclass(OSError, Exception),
      issubclass(KeyboardInterrupt, Exception), issubclass(FileNotFoundError, OSError), BaseException.__subclasses__ is not None)
print(repr(ValueError()), str(ValueError()), repr(KeyError("k")), str(KeyError("k")), str(Exception(1, 2)), repr(Exception("a", 1)))
try:
    raise StopIteration(5)
except StopIteration as s:
    print("StopIteration value", s.value)
try:
    import nonexistent_module_xyz
except ImportError as e:
    print(type(e).__name__, e)
try:
    open("/nonexistent/file.txt")
except OSError as e:
    print(type(e).__name__, e.errno, e)
try:
    raise Exception("multi", "args")
except Exception as e:
    print(e.args, e)
def nested():
    try:
        raise ValueError("a")
    except ValueError:
        try:
            raise TypeError("b")
        except TypeError as inner:
            return type(inner.__context__).__name__
print(nested())
class Suppress:
    def __enter__(self): return self
    def __exit__(self, *exc): return exc[0] is ZeroDivisionError
with Suppress():
    1 / 0
print("suppressed")
try:
    with Suppress():
        raise KeyError("not suppressed")
except KeyError as e:
    print("propagated", e)
try:
    raise ValueError("with note")
except ValueError as e:
    print(e.with_traceback(None) is e)
import sys
try:
    raise RuntimeError("info")
except RuntimeError:
    t, v, tb = sys.exc_info()
    print(t.__name__, v, tb is not None)
print(sys.exc_info())
try:
    x = int("nope")
except (TypeError, ValueError) as exc:
    print("tuple catch:", exc)
