# classes: inheritance, MRO, super, dunders, properties, static/class methods, __getattr__, __slots__
class Animal:
    kind = "animal"
    count = 0
    def __init__(self, name):
        self.name = name
        Animal.count += 1
    def speak(self):
        return "..."
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"
    def __str__(self):
        return "I am " + self.name
class Dog(Animal):
    kind = "dog"
    def speak(self):
        return "Woof"
class Puppy(Dog):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age
    def speak(self):
        return super().speak() + "!"
p = Puppy("Rex", 1)
print(p, repr(p), p.speak(), p.kind, Animal.count, p.age, isinstance(p, Animal), issubclass(Puppy, Dog))
print(Puppy.__mro__, Puppy.__bases__, Puppy.__name__, type(p) is Puppy, Dog.speak(p), [c.__name__ for c in Puppy.mro()])
class A:
    def who(self): return "A"
class B(A):
    def who(self): return "B" + super().who()
class C(A):
    def who(self): return "C" + super().who()
class D(B, C):
    def who(self): return "D" + super().who()
print(D().who(), [k.__name__ for k in D.__mro__])
class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o): return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o): return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k): return Vec(self.x * k, self.y * k)
    def __rmul__(self, k): return self * k
    def __neg__(self): return Vec(-self.x, -self.y)
    def __eq__(self, o): return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self): return hash((self.x, self.y))
    def __lt__(self, o):
        if not isinstance(o, Vec): return NotImplemented
        return (self.x, self.y) < (o.x, o.y)
    def __abs__(self): return (self.x ** 2 + self.y ** 2) ** 0.5
    def __bool__(self): return bool(self.x or self.y)
    def __repr__(self): return "Vec(%r, %r)" % (self.x, self.y)
    def __iter__(self): yield self.x; yield self.y
    def __getitem__(self, i): return (self.x, self.y)[i]
    def __len__(self): return 2
    def __contains__(self, v): return v in (self.x, self.y)
    def __call__(self, k): return self.x * k
v = Vec(1, 2) + Vec(3, 4)
print(v, v - Vec(1, 1), v * 2, 3 * v, -v, abs(Vec(3, 4)), bool(Vec(0, 0)), list(v), v[1], len(v), 4 in v, v(10))
print(Vec(1, 2) == Vec(1, 2), Vec(1, 2) != Vec(1, 3), sorted([Vec(2, 1), Vec(1, 5)]), len({Vec(1, 1), Vec(1, 1)}))
x, y = Vec(5, 6); print(x, y)
v2 = Vec(1, 1); v2 += Vec(1, 1); print(v2)
class Temp:
    def __init__(self): self._c = 0
    @property
    def c(self): return self._c
    @c.setter
    def c(self, val):
        if val < -273: raise ValueError("too cold")
        self._c = val
    @property
    def f(self): return self._c * 9 / 5 + 32
    @staticmethod
    def unit(): return "C"
    @classmethod
    def make(cls, v):
        t = cls(); t.c = v; return t
t = Temp.make(100)
print(t.c, t.f, Temp.unit(), t.unit(), type(t).__name__)
try:
    t.c = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.f = 1
except AttributeError as e:
    print("AttributeError:", e)
class Dyn:
    def __init__(self): self.real = 1
    def __getattr__(self, name): return "dyn_" + name
d = Dyn(); print(d.real, d.other, getattr(d, "zzz"), hasattr(d, "q"))
class Counter:
    def __init__(self): self.n = 0
    def __setattr__(self, k, v): object.__setattr__(self, k, v * 2 if k == "n" else v)
c = Counter(); c.n = 5; print(c.n)
class Ctx:
    def __enter__(self): print("enter"); return self
    def __exit__(self, et, ev, tb): print("exit", et.__name__ if et else None); return True
with Ctx() as cx:
    print("inside", type(cx).__name__)
    raise KeyError("swallowed")
print("after with")
class Base:
    registry = []
    def __init_subclass__(cls, **kw):
        Base.registry.append(cls.__name__)
class S1(Base): pass
class S2(Base): pass
print(Base.registry)
class MyList(list):
    def sum(self): return sum(self)
ml = MyList([1, 2, 3]); ml.append(4)
print(ml, ml.sum(), len(ml), isinstance(ml, list), type(ml).__name__)
class MyDict(dict):
    def __missing__(self, k): return k * 2
md = MyDict(a=1); print(md["a"], md["zz"], md)
class Point(tuple):
    def __new__(cls, x, y): return super().__new__(cls, (x, y))
    @property
    def x(self): return self[0]
pt = Point(3, 4); print(pt, pt.x, pt[1], type(pt).__name__)
class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns["tag"] = name.lower()
        return super().__new__(mcls, name, bases, ns)
class Tagged(metaclass=Meta): pass
print(Tagged.tag, type(Tagged).__name__)
print(Animal("x").__dict__, Vec.__name__, hasattr(Vec(1, 1), "__dict__"))
o = object(); print(type(o).__name__, isinstance(o, object))
class NoHash:
    def __eq__(self, o): return True
try:
    hash(NoHash())
except TypeError as e:
    print("TypeError:", e)
try:
    Animal("a").missing
except AttributeError as e:
    print("AttributeError:", e)
try:
    class Bad(A, B): pass
except TypeError as e:
    print("TypeError:", e)
try:
    Vec(1, 2) < 3
except TypeError as e:
    print("TypeError:", e)
class Unset: pass
u = Unset(); u.a = 1; del u.a
print(hasattr(u, "a"), vars(u))
print(sorted(k for k in dir(Dog) if not k.startswith("__")))
