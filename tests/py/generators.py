# generators: yield, yield from, send, close, throw, generator expressions, return values
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"
print(list(count_up(4)), sum(count_up(10)), max(count_up(5)))
g = count_up(2)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", e.value)
def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    return received
e = echo()
print(next(e), e.send("a"), e.send("b"))
try:
    e.send(None)
except StopIteration as s:
    print("returned", s.value)
def delegate():
    r = yield from count_up(3)
    print("sub returned", r)
    yield from [10, 20]
    yield from (c for c in "xy")
print(list(delegate()))
def closer():
    try:
        yield 1
        yield 2
    finally:
        print("closed!")
c = closer(); print(next(c)); c.close(); print("after close")
def thrower():
    while True:
        try:
            yield "ready"
        except ValueError as ex:
            print("caught in gen", ex)
            yield "recovered"
t = thrower(); print(next(t)); print(t.throw(ValueError("boom"))); print(next(t))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
import itertools
print(list(itertools.islice(fib(), 15)))
squares = (x * x for x in range(6))
print(next(squares), list(squares), list(squares))
def gen_in_class():
    class K:
        def __iter__(self):
            yield from range(3)
    return list(K())
print(gen_in_class())
def pipeline():
    nums = (i for i in range(20))
    evens = (n for n in nums if n % 2 == 0)
    return [s for s in (e * e for e in evens) if s > 10]
print(pipeline())
def inner_gen():
    x = yield 1
    yield x * 2
def outer_gen():
    yield from inner_gen()
og = outer_gen(); print(next(og), og.send(21))
it = iter([1, 2, 3])
print(next(it), list(it), next(it, "default"))
class Countdown:
    def __init__(self, n): self.n = n
    def __iter__(self): return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(4)), [x for x in Countdown(2)], sorted(Countdown(3)))
def stopper():
    yield 1
    raise StopIteration("bad")
try:
    list(stopper())
except RuntimeError as err:
    print("RuntimeError:", err)
def running():
    yield gen_ref.gi_running
gen_ref = running()
print(next(gen_ref))
z = zip(count_up(3), "abcdef")
print(list(z), list(enumerate(count_up(2))), dict(zip("ab", count_up(5))))
print(type(count_up(1)).__name__, iter(g) is g)
