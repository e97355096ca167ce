# copy.copy / copy.deepcopy (lib/copy.py): atoms, containers, shared and cyclic
# structure, instances (with __dict__, __slots__, __copy__/__deepcopy__, __reduce__,
# __getstate__/__setstate__), container subclasses, bound methods, errors.
import copy

a = [1, [2, 3], {"k": [4]}]
s, d = copy.copy(a), copy.deepcopy(a)
print(s == a, s is a, s[1] is a[1], d == a, d[1] is a[1], d[2]["k"] is a[2]["k"])
for atom in (None, 1, 2**100, 1.5, "s", b"b", (1, 2), frozenset({1}), range(3), len, int, Ellipsis):
    print(type(atom).__name__, copy.copy(atom) is atom, copy.deepcopy(atom) is atom)
t = (1, [2])
print(copy.deepcopy(t) is t, copy.deepcopy(t) == t, copy.deepcopy((1, 2)) is not None)

shared = [0]
pair = [shared, shared]
dp = copy.deepcopy(pair)
print(dp[0] is dp[1], dp[0] is not shared)
cyc = [1]
cyc.append(cyc)
dc = copy.deepcopy(cyc)
print(dc[1] is dc, dc is not cyc)
dd = {}
dd["self"] = dd
print(copy.deepcopy(dd)["self"] is not dd)

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)
p = Point([1], 2)
pc, pd = copy.copy(p), copy.deepcopy(p)
print(pc, pd, pc.x is p.x, pd.x is p.x, type(pd) is Point)

class Slotted:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = [1]
sl = copy.deepcopy(Slotted())
print(sl.a, hasattr(sl, "b"))

class Custom:
    def __init__(self):
        self.log = []
    def __copy__(self):
        c = Custom(); c.log = ["copied"]; return c
    def __deepcopy__(self, memo):
        c = Custom(); c.log = ["deep", len(memo)]; return c
print(copy.copy(Custom()).log, copy.deepcopy(Custom()).log)

class Stateful:
    def __init__(self, v):
        self.v = v
    def __getstate__(self):
        return {"v": self.v * 10}
    def __setstate__(self, st):
        self.v = st["v"] + 1
print(copy.copy(Stateful(1)).v, copy.deepcopy(Stateful(2)).v)

class Reduced:
    def __init__(self, a, b):
        self.a, self.b = a, b
    def __reduce__(self):
        return (Reduced, (self.a, [self.b]))
r = copy.deepcopy(Reduced(1, 2))
print(r.a, r.b)

class MyList(list):
    pass
class MyDict(dict):
    pass
ml = MyList([1, [2]]); ml.tag = "t"
mlc = copy.deepcopy(ml)
print(type(mlc).__name__, mlc, mlc.tag, mlc[1] is ml[1])
md = MyDict(a=[1])
print(type(copy.copy(md)).__name__, copy.copy(md)["a"] is md["a"], copy.deepcopy(md)["a"] is md["a"])

class Holder:
    def __init__(self):
        self.items = [1]
    def get(self):
        return self.items
h = Holder()
m = copy.deepcopy(h.get)
print(m(), m.__self__ is not h)

print(copy.copy(set([1, 2])), copy.deepcopy({1: {2: [3]}}), copy.copy(bytearray(b"ab")))
import threading
try:
    copy.deepcopy(threading.Lock())
except (TypeError, copy.Error) as e:
    print(type(e).__name__)
print(copy.Error is copy.error)
