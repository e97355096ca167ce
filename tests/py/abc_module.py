# abc: abstract methods block instantiation until overridden, register() makes virtual
# subclasses, __subclasshook__, the abstract decorators, update_abstractmethods.
import abc
from abc import ABC, ABCMeta, abstractmethod


def err(f, *a):
    try:
        print('no error:', f(*a))
    except Exception as e:
        print(type(e).__name__ + ':', e)


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...

    @abstractmethod
    def name(self):
        return 'shape'

    def describe(self):
        return '%s with area %s' % (self.name(), self.area())


print(sorted(Shape.__abstractmethods__), type(Shape).__name__, isinstance(Shape, ABCMeta))
err(Shape)


class Half(Shape):
    def area(self):
        return 1

err(Half)
print(sorted(Half.__abstractmethods__))


class Square(Half):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side ** 2

    def name(self):
        return 'square:' + super().name()

sq = Square(3)
print(sq.describe(), Square.__abstractmethods__ == frozenset(), sq.__dict__)
print(isinstance(sq, Shape), issubclass(Square, Shape), issubclass(int, Shape))


class Drawable(metaclass=ABCMeta):
    @abstractmethod
    def draw(self):
        pass

    @classmethod
    def __subclasshook__(cls, C):
        if cls is Drawable:
            return any('draw' in vars(k) for k in C.__mro__) or NotImplemented
        return NotImplemented


class Pen:
    def draw(self):
        return 'drawn'

class Rock:
    pass

print(issubclass(Pen, Drawable), isinstance(Pen(), Drawable), issubclass(Rock, Drawable))

class Registered:
    pass

r = Drawable.register(Registered)
print(r is Registered, issubclass(Registered, Drawable), isinstance(Registered(), Drawable))
tok = abc.get_cache_token()

@Shape.register
class Virtual:
    pass

print(issubclass(Virtual, Shape), abc.get_cache_token() != tok, Virtual.__name__)
print(Shape.register(Square) is Square)
err(Shape.register, 5)
err(issubclass, 5, Shape)
err(Square.register, Shape)


class WithProps(ABC):
    @property
    @abstractmethod
    def value(self):
        ...

    @classmethod
    @abstractmethod
    def make(cls):
        ...

    @staticmethod
    @abstractmethod
    def helper():
        ...

print(sorted(WithProps.__abstractmethods__))


class Concrete(WithProps):
    @property
    def value(self):
        return 42

    @classmethod
    def make(cls):
        return cls()

    @staticmethod
    def helper():
        return 'h'

c = Concrete.make()
print(c.value, c.helper(), type(c).__name__)


class Later(ABC):
    @abstractmethod
    def f(self):
        ...

class Impl(Later):
    pass

err(Impl)
Impl.f = lambda self: 'patched'
abc.update_abstractmethods(Impl)
print(Impl().f(), Impl.__abstractmethods__)
print(abc.abstractproperty.__isabstractmethod__, getattr(abc.abstractmethod(lambda: 0), '__isabstractmethod__'))


class Sized(ABC):
    __slots__ = ()

class Slotted(Sized):
    __slots__ = ('a',)

s = Slotted()
s.a = 1
err(setattr, s, 'b', 2)
