# Helper module for pickle_basic.py and tests/data/make_pickles.py: a class pickled by
# reference (module _pickle_helper), so CPython's fixtures and gilpy's run agree on it.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y) == (other.x, other.y)

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a):
        self.a = a

    def __repr__(self):
        return "Slotted(a=%r)" % (self.a,)


class WithState:
    def __init__(self):
        self.secret = 42
        self.cache = "dropped"

    def __getstate__(self):
        return {"secret": self.secret}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.restored = True
