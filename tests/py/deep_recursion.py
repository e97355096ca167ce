# Python-to-Python calls do not use the C++ stack (the loop runs them itself, as
# CPython 3.11 does), so a raised recursion limit allows deep pure-Python recursion;
# the limit itself still holds, and exceptions unwind through every level with a
# full traceback.
import sys
import traceback

sys.setrecursionlimit(200000)

def r(n):
    return 0 if n == 0 else 1 + r(n - 1)
print(r(150000))

class A:
    def m(self, n, step=1):
        return 0 if n == 0 else step + self.m(n - 1)
print(A().m(100000))

def g(n):
    if n == 0:
        raise ValueError("bottom")
    return g(n - 1)
try:
    g(100000)
except ValueError as e:
    tb = traceback.extract_tb(e.__traceback__)
    print("caught", e, len(tb), tb[-1].name, tb[1].name)

def closure_depth(n):
    def inner():
        return n
    return inner() if n == 0 else closure_depth(n - 1) + inner() * 0 + 1
print(closure_depth(50000))

sys.setrecursionlimit(1000)
def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RecursionError as e:
    print("RecursionError", e)

def kw(a, b=2, *, c=3):
    return a + b + c
def chain(n):
    return kw(n) if n == 0 else chain(n - 1) + kw(1, c=0) - 3
print(chain(500))
