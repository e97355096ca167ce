# functions: defaults, keywords, *args, **kwargs, keyword-only, positional-only, closures, lambda, decorators
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))
print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6, d=7))
print(f(*[1, 2, 3], **{"c": 9, "z": 1}))
def pos(a, b, /, c, *, d):
    return a + b + c + d
print(pos(1, 2, 3, d=4), pos(1, 2, c=3, d=4))
def counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c1 = counter(); c1(); c1(5)
print(c1(), counter()())
G = 1
def setg():
    global G
    G += 1
setg(); setg()
print(G)
adders = [lambda x, i=i: x + i for i in range(3)]
print([a(10) for a in adders], (lambda *a, **k: (a, k))(1, x=2))
late = [lambda: i for i in range(3)]
print([g() for g in late])
def deco(fn):
    def wrapper(*a, **k):
        print("calling", fn.__name__)
        return fn(*a, **k) * 2
    return wrapper
def repeat(n):
    def d(fn):
        def w(*a):
            return [fn(*a) for _ in range(n)]
        return w
    return d
@deco
def double(x):
    return x + 1
@repeat(3)
def hi(name):
    return "hi " + name
print(double(5), hi("bo"))
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(20), fact(30))
def gen_defaults(x, acc=[]):
    acc.append(x)
    return acc
print(gen_defaults(1), gen_defaults(2))
def doc():
    "The docstring."
    return doc.__doc__
print(doc(), doc.__name__, double.__name__, fact.__qualname__)
def outer():
    def inner():
        pass
    return inner
print(outer().__qualname__, (lambda: 0).__name__)
def kwonly(*, a=1, b):
    return a, b
print(kwonly(b=2))
def varargs(*args):
    return len(args), args
print(varargs(), varargs(1, 2, 3), varargs(*range(4)))
def make():
    x = 1
    def g():
        return x
    x = 2
    return g
print(make()())
def deep(n):
    def level(k):
        if k == 0:
            return n
        return level(k - 1)
    return level
print(deep(7)(50))
print(f.__defaults__, f.__kwdefaults__, callable(f), callable(1))
def annotated(a: int, b: "str" = "x") -> list:
    return [a, b]
print(annotated(1))
for call in [lambda: f(), lambda: f(1, 2), lambda: pos(1, b=2, c=3, d=4), lambda: kwonly(1), lambda: varargs(x=1),
             lambda: f(1, c=1, a=2), lambda: (lambda x: x)(), lambda: (lambda: 0)(1), lambda: fact("a")]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
