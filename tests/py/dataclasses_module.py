# dataclasses against CPython 3.11: generated methods, options, inheritance, hashing,
# freezing, kw_only, InitVar, __post_init__, slots, helpers, and the errors.
import dataclasses
from dataclasses import (dataclass, field, fields, asdict, astuple, replace, InitVar,
                         KW_ONLY, FrozenInstanceError, make_dataclass, is_dataclass, MISSING)


def err(f, *a, **k):
    try:
        r = f(*a, **k)
        print('no error:', r)
    except Exception as e:
        print(type(e).__name__ + ':', e)


@dataclass
class Point:
    x: int
    y: int = 0

p = Point(1, 2)
print(p, repr(Point(3)), p == Point(1, 2), p != Point(1, 3), p == (1, 2))
print(Point.__doc__, Point.__match_args__, Point.__hash__ is None)
print(Point.__init__.__qualname__, Point.__repr__.__qualname__, Point.__eq__.__name__)
err(Point)
err(Point, 1, 2, 3)
err(Point, 1, z=3)
print(fields(Point)[0].name, fields(p)[1].default, fields(Point)[0].default is MISSING)
print(is_dataclass(Point), is_dataclass(p), is_dataclass(int), is_dataclass(3))
print(Point.y, 'x' in Point.__dict__)


@dataclass(order=True, frozen=True)
class Version:
    major: int
    minor: int = 0
    label: str = field(default='', compare=False)

vs = [Version(1, 2), Version(1, 0, 'rc'), Version(0, 9), Version(1, 0)]
print(sorted(vs))
print(Version(1) == Version(1, 0, 'x'), Version(1) < Version(1, 1), Version(2) >= Version(1, 5))
print(hash(Version(1, 2)) == hash(Version(1, 2, 'other')), len({Version(1), Version(1, 0, 'b')}))
v = Version(1)
err(setattr, v, 'major', 5)
err(delattr, v, 'minor')
err(setattr, v, 'other', 1)
err(lambda: Version(1) < (1, 0))


@dataclass
class Inv:
    items: list = field(default_factory=list)
    count: int = field(default=0, repr=False)
    hidden: str = field(default='h', init=False)

a, b = Inv(), Inv()
a.items.append(1)
print(a, b, a.count, a.hidden, Inv([5], 2))
err(Inv, [1], 2, 'x')


@dataclass
class Base:
    a: int
    b: str = 'b'

@dataclass
class Derived(Base):
    c: float = 1.0
    a: int = 10

print(Derived(), Derived(1, 'x', 2.0), [f.name for f in fields(Derived)])


@dataclass
class WithPost:
    first: str
    last: str
    full: str = field(init=False)
    scale: InitVar[int] = 1

    def __post_init__(self, scale):
        self.full = (self.first + ' ' + self.last) * scale

w = WithPost('Ada', 'Lovelace')
print(w, WithPost('A', 'B', 2).full, [f.name for f in fields(WithPost)])
print(replace(w, last='Byron'), replace(w, scale=2).full)
err(replace, w, full='x')


@dataclass(kw_only=True)
class KW:
    a: int
    b: int = 2

print(KW(a=1), KW.__match_args__)
err(KW, 1)


@dataclass
class Mixed:
    x: int
    _: KW_ONLY
    y: int
    z: int = 3

print(Mixed(1, y=2), Mixed.__match_args__, Mixed.__doc__)


@dataclass
class Nested:
    name: str
    points: list
    meta: dict
    pair: tuple

n = Nested('n', [Point(1), Point(2, 3)], {'k': Point(0)}, (Point(5), 'x'))
print(asdict(n))
print(astuple(n))
print(asdict(Point(1), dict_factory=lambda kv: sorted(kv)))
err(asdict, Point)
err(astuple, 5)
err(fields, 5)
err(replace, 5)


@dataclass(eq=False)
class NoEq:
    v: int

print(NoEq(1) == NoEq(1), NoEq.__hash__ is object.__hash__)


@dataclass(unsafe_hash=True)
class Hashed:
    v: int
    w: list = field(default_factory=list, hash=False)

print(hash(Hashed(3)) == hash(Hashed(3, [1])), Hashed(3) == Hashed(3))


@dataclass
class ExplicitHash:
    v: int
    def __hash__(self):
        return 42

print(hash(ExplicitHash(1)))


@dataclass(repr=False, init=False)
class Bare:
    v: int = 7

print(Bare().v, type(repr(Bare())).__name__, repr(Bare()).startswith('<'))


@dataclass(slots=True)
class Slotted:
    x: int
    y: int = 2

s = Slotted(1)
print(s, Slotted.__slots__, hasattr(s, '__dict__'))
err(setattr, s, 'z', 1)


@dataclass
class Recursive:
    name: str
    children: list = field(default_factory=list)

r = Recursive('root')
r.children.append(r)
print(r)


@dataclass
class UsesSelf:
    self: int
    other: int = 1

print(UsesSelf(5))

Dyn = make_dataclass('Dyn', ['a', ('b', int), ('c', int, field(default=9))], order=True)
print(Dyn(1, 2), Dyn(1, 2) < Dyn(1, 3), [f.name for f in fields(Dyn)])
err(make_dataclass, 'Bad', ['x', 'x'])

# errors at class creation
def make(body_fn):
    try:
        cls = body_fn()
        print('created', cls.__name__)
    except Exception as e:
        print(type(e).__name__ + ':', e)

def mutable_default():
    @dataclass
    class M:
        items: list = []
    return M

def non_default_after_default():
    @dataclass
    class M:
        a: int = 1
        b: int
    return M

def untyped_field():
    @dataclass
    class M:
        a = field(default=1)
    return M

def order_without_eq():
    @dataclass(order=True, eq=False)
    class M:
        a: int
    return M

def frozen_from_plain():
    @dataclass(frozen=True)
    class M(Point):
        z: int = 0
    return M

def plain_from_frozen():
    @dataclass
    class M(Version):
        z: int = 0
    return M

def both_defaults():
    return field(default=1, default_factory=list)

def hash_conflict():
    @dataclass(unsafe_hash=True)
    class M:
        a: int
        def __hash__(self):
            return 1
    return M

for fn in (mutable_default, non_default_after_default, untyped_field, order_without_eq,
           frozen_from_plain, plain_from_frozen, both_defaults, hash_conflict):
    make(fn)

print(type(MISSING).__name__, type(KW_ONLY).__name__, issubclass(FrozenInstanceError, AttributeError))
