# Calls of every kind: closures, default and keyword arguments, *args/**kwargs, bound
# methods, staticmethod/classmethod, properties, lambdas, functools.partial, recursion.
import functools

def make_counter(step):
    count = 0
    def inc(by=None):
        nonlocal count
        count += step if by is None else by
        return count
    return inc

class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
    @property
    def norm1(self):
        return abs(self.x) + abs(self.y)
    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)
    @staticmethod
    def zero():
        return Vec(0, 0)
    @classmethod
    def unit(cls):
        return cls(1, 1)

def kw(a, b=2, *args, c=3, **kw):
    return a + b + c + len(args) + len(kw)

def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))

total = 0
add3 = functools.partial(kw, 1, 2, c=0)
for rep in range(100_000):
    inc = make_counter(rep % 5)
    inc(); inc(2)
    total += inc()
    v = Vec.zero()
    for i in range(4):
        v = v.add(Vec.unit())
    total += v.norm1
    total += kw(1) + kw(1, 2, 3, 4, c=5, d=6) + add3(7) + (lambda q: q * 2)(rep)
total += ack(2, 400)
print(total)
