# enum against CPython 3.11: members, aliases, lookup, auto, IntEnum/StrEnum/Flag/IntFlag,
# the functional API, unique, _missing_, pickling, and the errors.
from enum import Enum, IntEnum, StrEnum, Flag, IntFlag, auto, unique
class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1
    def describe(self):
        return self.name.lower()
print(Color.RED, repr(Color.RED), Color(2), Color['BLUE'], Color.CRIMSON is Color.RED)
print(list(Color), len(Color), Color.__members__, repr(Color))
print(Color.RED.name, Color.RED.value, Color.RED.describe(), f'{Color.GREEN}', format(Color.RED, '>12'))
class Perm(Flag):
    R = 4
    W = 2
    X = 1
print(repr(Perm.R | Perm.W), str(Perm.W | Perm.R), list(Perm.R | Perm.X), repr(Perm(0)), str(Perm(0)), repr(~Perm.R))
class Num(IntEnum):
    ONE = 1
    TWO = 2
print(Num.ONE + 1, str(Num.TWO), repr(Num.TWO), Num.ONE == 1, Num(2), f'{Num.ONE:03d}')
class S(StrEnum):
    A = auto()
    B = 'bee'
print(S.A, repr(S.A), S.B.upper(), S('bee'))
class A(Enum):
    X = auto()
    Y = auto()
print(list(A))
class F(IntFlag):
    A = auto()
    B = auto()
    C = auto()
print(F.A | F.C, repr(F.A | F.C), F.B | 1, repr(F(7)))
for bad in (lambda: Color(7), lambda: Color['nope'], lambda: setattr(Color, 'RED', 5)):
    try: bad()
    except Exception as e: print(type(e).__name__, e)
try:
    @unique
    class U(Enum):
        A = 1
        B = 1
except ValueError as e: print(e)
Animal = Enum('Animal', 'ANT BEE CAT')
print(list(Animal), Animal.BEE.value)
import pickle
print(pickle.loads(pickle.dumps(Color.GREEN)) is Color.GREEN)
class Planet(Enum):
    EARTH = (5.97e24, 6.37e6)
    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius
print(Planet.EARTH.mass, Planet.EARTH.value)
print(hash(Color.RED) == hash('RED'), Color.RED in Color, isinstance(Color.RED, Color))

def err(f, *a):
    try:
        print('no error:', f(*a))
    except Exception as e:
        print(type(e).__name__ + ':', e)

class Shape(Enum):
    _ignore_ = 'tmp'
    tmp = 5
    SQUARE = 'sq'
    CIRCLE = 'ci'
    __dunder__ = 2
    count = property(lambda self: len(self.value))

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for m in cls:
                if m.value == value.lower():
                    return m
        return None

    @property
    def upper(self):
        return self.value.upper()

print(Shape('SQ'), Shape.CIRCLE.upper, Shape.SQUARE.count, list(Shape), hasattr(Shape, 'tmp'))
print(list(reversed(Color)), [m.name for m in Num], sorted([Num.TWO, Num.ONE, 0]))
err(Shape, 'tri')
err(lambda: Color.RED < Color.GREEN)
print(Color.RED in Color, Num.ONE in Num, {Color.RED: 'r'}[Color.CRIMSON])
print(Perm.R & Perm.W, repr(Perm.R & (Perm.R | Perm.X)), repr((Perm.R | Perm.W) ^ Perm.W))
print(Perm.R in (Perm.R | Perm.W), Perm.X in (Perm.R | Perm.W), len(Perm.R | Perm.W | Perm.X), bool(Perm(0)))
print(list(Perm), repr(Perm), Perm(6), repr(Perm(7)))
err(Perm, 8)
err(lambda: 1 in Perm.R)
Pets = Enum('Pets', [('DOG', 'woof'), ('CAT', 'meow')])
Nums = IntEnum('Nums', {'A': 10, 'B': 20})
print(list(Pets), Pets('meow'), Nums.B + 1, repr(Nums.A))
err(lambda: type('Sub', (Color,), {}))
def bad_sunder():
    class Bad(Enum):
        _private_sunder_ = 1
err(bad_sunder)
def redefine():
    class Dup(Enum):
        A = 1
        A = 2
err(redefine)
class Weekday(IntEnum):
    MON = auto()
    TUE = auto()
    def is_start(self):
        return self is Weekday.MON
print(Weekday.MON.is_start(), Weekday(2), Weekday.TUE * 10, isinstance(Weekday.MON, int))
class Lower(StrEnum):
    ALPHA = auto()
    BETA = auto()
print(list(Lower), Lower.ALPHA == 'alpha', '-'.join(Lower), Lower('beta'))
class Mixed(str, Enum):
    X = 'x'
print(repr(Mixed.X), str(Mixed.X), Mixed.X == 'x', Mixed('x'))
print(Color.RED.__class__.__name__, type(Color).__name__, Color.__members__['CRIMSON'])
import copy
print(copy.copy(Color.RED) is Color.RED, copy.deepcopy(Perm.R | Perm.W) is (Perm.R | Perm.W))
