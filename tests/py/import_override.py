# The import statement calls builtins.__import__ with (name, globals, locals, fromlist,
# level) when a program replaces it; restoring the original restores normal imports.
import builtins
import sys

original = builtins.__import__
log = []


def logging_import(name, globals=None, locals=None, fromlist=(), level=0):
    where = "module" if globals is not None and globals.get("__name__") == __name__ else \
        (globals or {}).get("__name__")
    if locals is None:
        loc = "None"
    elif locals is globals:
        loc = "globals"
    else:
        loc = "dict:" + ",".join(sorted(k for k in locals if not k.startswith("__")))
    if where in ("module", "_pkg"):  # not the standard library's own imports
        log.append((name, fromlist, level, where, loc))
    return original(name, globals, locals, fromlist, level)


builtins.__import__ = logging_import
import math
import os.path
import os.path as osp
from collections import OrderedDict as OD
from math import floor, ceil
import _pkg                     # its own relative imports go through the hook too
from _pkg import sub


def in_function():
    import functools
    from operator import add
    return functools.reduce(add, [1, 2, 3])


class InClass:
    marker = 1
    import heapq
    from bisect import bisect as bs


print(in_function(), InClass.heapq.__name__, InClass.bs([1, 2, 3], 2))
print(math.floor(2.5), osp is os.path, OD.__name__, floor(1.5), ceil(1.5))
print(_pkg.PKG_INIT, sub.subfunc())
builtins.__import__ = original
for entry in log:
    print(entry)
print(len(log))

# a replacement that returns a made-up module
class FakeModule:
    def __init__(self, name):
        self.__name__ = name
        self.answer = 42

    def __repr__(self):
        return "<fake %s>" % self.__name__


calls = []


def fake_import(*args, **kwargs):
    calls.append((args[0], len(args), sorted(kwargs)))
    return FakeModule(args[0])


builtins.__import__ = fake_import
import no_such_module_anywhere
import no.such.package
from nowhere import answer
import math as not_math
builtins.__import__ = original
print(no_such_module_anywhere, no, answer, not_math)
print(calls)

# restored: real imports again, and a missing module is missing
import math as real_math
print(real_math is math, real_math.sqrt(16))
try:
    import no_such_module_anywhere
except ModuleNotFoundError as e:
    print("ModuleNotFoundError", e.name)

# the replacement's exceptions propagate from the import statement
def refusing_import(name, *rest):
    raise ImportError("refused " + name)


builtins.__import__ = refusing_import
try:
    import math
except ImportError as e:
    print("ImportError:", e)
finally:
    builtins.__import__ = original

# a callable object works as well
class Counter:
    n = 0

    def __call__(self, name, globals=None, locals=None, fromlist=(), level=0):
        Counter.n += 1
        return original(name, globals, locals, fromlist, level)


builtins.__import__ = Counter()
import sys as s2
from os import sep
builtins.__import__ = original
print(Counter.n, s2 is sys, sep == "/")

# no __import__ at all
del builtins.__import__
try:
    import math
except ImportError as e:
    print("ImportError:", e)
finally:
    builtins.__import__ = original
import math
print(math.pi > 3, builtins.__import__ is original)

# exec with its own __builtins__: that mapping's __import__ is the one called
seen = []


def fake(name, *rest):
    seen.append(name)
    return 7


g = {"__builtins__": {"__import__": fake}}
exec("import anything\nx = anything", g)
print(g["x"], seen)
try:
    exec("import math", {"__builtins__": {}})
except ImportError as e:
    print("ImportError:", e)
