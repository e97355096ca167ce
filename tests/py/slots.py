# __slots__: only the named attributes (member descriptors), name mangling, conflicts,
# subclasses with and without slots, '__dict__' in slots, a Python __setattr__, copy, pickle.
class A:
    __slots__ = ('x', '__p')
    def __init__(self):
        self.x = 1
        self.__p = 2
    def get(self): return self.__p
a = A()
print(a.x, a.get(), A.x, type(A.x).__name__, A.x.__name__, A._A__p)
for act in ("a.y = 2", "del a.x; a.x", "a.get = 5", "vars(a)", "a.__dict__", "del a.zz"):
    try:
        exec(act); print('ok', act)
    except Exception as e: print(type(e).__name__, e)
a.x = 7; print(a.x)
class B(A):
    pass
b = B(); b.y = 3; print(b.y, b.__dict__['y'])
class C(A):
    __slots__ = ('z',)
c = C(); c.z = 1; c.x = 2
try:
    c.w = 1
except AttributeError as e: print('C', e)
class D:
    __slots__ = ('x', '__dict__')
d = D(); d.q = 1; print(d.q)
class E:
    __slots__ = 'only'
e = E(); e.only = 1
try:
    e.other = 2
except AttributeError as err: print('E', err)
try:
    class F:
        __slots__ = ('x',)
        x = 1
except ValueError as err: print('F', err)
try:
    class G:
        __slots__ = ('1x',)
except TypeError as err: print('G', err)
class H:
    __slots__ = ()
try:
    H().a = 1
except AttributeError as err: print('H', err)
class I:
    __slots__ = ('v',)
    def __setattr__(self, k, v):
        object.__setattr__(self, k, v * 2)
i = I(); i.v = 2; print(i.v)
try:
    i.w = 1
except AttributeError as err: print('I', err)
import copy, pickle
class J:
    __slots__ = ('a', 'b')
    def __init__(self, a, b): self.a, self.b = a, b
j2 = copy.copy(J(1, 2)); print(j2.a, j2.b)
class J:
    __slots__ = ('a', 'b')
    def __init__(self, a, b): self.a, self.b = a, b
for proto in (2, 4):
    try:
        j = pickle.loads(pickle.dumps(J(1, [2]), proto)); print(proto, j.a, j.b)
    except Exception as e: print(proto, type(e).__name__, e)
