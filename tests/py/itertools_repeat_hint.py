# itertools.repeat is an iterator class with CPython's repr and __length_hint__, and
# list() sizes itself from a class's __length_hint__ as CPython does: a hint no memory
# holds is MemoryError at once; a TypeError from the hint means "unsized"; any other
# exception from it propagates.
import itertools

r = itertools.repeat('a', 3)
print(repr(r), r.__length_hint__(), list(r), repr(r), r.__length_hint__())
r = itertools.repeat(1)
print(repr(r), next(r), next(r))
try:
    r.__length_hint__()
except TypeError as e:
    print('TypeError', e)
r = itertools.repeat(1, -5)
print(repr(r), list(r))
print(type(itertools.repeat(1)).__name__)
try:
    itertools.repeat(1, 'x')
except TypeError as e:
    print(e)
print(repr(itertools.repeat(1, times=2)))
print(list(zip(range(3), itertools.repeat(7))))
print(list(map(lambda x: x * 2, itertools.repeat(2, 4))))

class Hint:
    def __init__(self, hint):
        self.hint = hint
    def __iter__(self):
        return iter([1, 2])
    def __length_hint__(self):
        if isinstance(self.hint, BaseException):
            raise self.hint
        return self.hint

for h in (2**62, 2**63 - 1, 2**63, 10, 0, -1, 'x', 1.5, TypeError('unsized'), ValueError('boom')):
    try:
        print(repr(h), list(Hint(h)))
    except (MemoryError, ValueError, OverflowError, TypeError) as e:
        print(repr(h), type(e).__name__, e)
l = [0]
l.extend(Hint(5))
print(l)
