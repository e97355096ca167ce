# builtins a Python programmer reaches for
print(len("abc"), len([1]), len({}), abs(-3), round(2.567, 2), divmod(17, 5), pow(2, 8), pow(2, 8, 10))
print(chr(97), ord("a"), hex(255), oct(255), bin(10), format(3.14159, ".3f"), format("x", ">3"))
print(min(3, 1, 2), max([1, 5, 3]), min([], default=0), max("abc", key=ord), min((1, "b"), (1, "a")))
print(sum([1, 2, 3], 10), sum([0.5, 0.25]), sorted("hello"), list(reversed("abc")), any(x > 2 for x in [1, 3]))
print(isinstance(1, (str, int)), isinstance("a", str), issubclass(bool, int), type(1) is int, type("") == str)
class O:
    a = 1
o = O()
setattr(o, "b", 2)
print(getattr(o, "a"), getattr(o, "b"), getattr(o, "c", "default"), hasattr(o, "b"))
delattr(o, "b")
print(hasattr(o, "b"), vars(o), callable(len), callable(O), callable(o))
print(repr("x"), str(1.5), bool(""), bool("a"), int("12"), float("1.5"), list((1, 2)), tuple([1]), set([1, 1]), dict(a=1))
print(id(o) == id(o), hash("abc") == hash("abc"), type(None).__name__, type(...).__name__, NotImplemented)
print(eval("1 + 2 * 3"), eval("x * 2", {"x": 21}), eval("[i for i in range(3)]"))
ns = {}
exec("def f(a):\n    return a * 3\ny = f(4)", ns)
print(ns["y"], ns["f"](2))
code = compile("z = 5 * 5", "<test>", "exec")
exec(code, ns); print(ns["z"])
print(eval(compile("3 ** 3", "<e>", "eval")))
print(globals()["__name__"], "o" in globals())
def loc():
    a = 1; b = 2
    return sorted(locals().items())
print(loc())
print(sorted(dir(o))[-3:], [n for n in dir([]) if n in ("append", "pop")])
print(list(zip(*[(1, "a"), (2, "b")])), list(enumerate(["x", "y"])), list(map(str, range(3))))
print(slice(1, 2), ascii("ü"), repr(b"\x01"), bytes("abc", "utf-8"), bytearray(b"x"), frozenset({1}))
print(all(isinstance(t, type) for t in (int, str, list, dict, set, tuple, object, type, float, bool, bytes, range)))
print(next(iter([5])), next(iter([]), "empty"), iter(lambda: 1, 1) is not None, list(iter([3, 2, 1].pop, 1)))
print(int.__name__, str.upper("a"), list.__len__([1, 2]), dict.get({1: 2}, 1), object.__repr__(o)[:10])
print(type("Dyn", (O,), {"z": 3})().z, type(type), type(type(1)))
print("%s" % None, "%s" % [1], f"{None}", str(print), repr(len))
print(round(0.5), round(-1.5), round(7), round(7.25, 1), round(-0.0), type(round(1.5)), type(round(1.5, 1)))
print(print("nested"))
import builtins
print(builtins.len is len, builtins.__name__)
for bad in [lambda: len(5), lambda: chr(-1), lambda: ord("ab"), lambda: max([]), lambda: int("x"),
            lambda: abs("a"), lambda: next(iter([])), lambda: getattr(o, "nope"), lambda: sum(["a"]), lambda: iter(5)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ":", e)
