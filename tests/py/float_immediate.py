# Floats at the edges of gilpy's immediate encoding (|x| in [2**-255, 2**257), and +-0.0,
# live in the value word; nan, inf, denormals, +-2**-255 and larger/smaller magnitudes
# are boxed). Every value must behave the same whichever form it takes.
import math, pickle, struct

inf = float("inf")
nan = float("nan")
edge = [0.0, -0.0, 2.0 ** -255, -(2.0 ** -255), 2.0 ** -254, math.nextafter(2.0 ** -255, 0),
        math.nextafter(2.0 ** -255, 1), math.nextafter(2.0 ** -254, 0), 2.0 ** 256,
        2.0 ** 257, -(2.0 ** 257), math.nextafter(2.0 ** 257, 0), -math.nextafter(2.0 ** 257, 0),
        1e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
        -1.7976931348623157e308, 1.0, -1.0, 0.5, 1.5, 3.141592653589793, 1e16, 1e-16, 1e77,
        1e78, 1e-77, 1e-78, inf, -inf]

print("== repr, hex, round trips")
for x in edge:
    back = float(repr(x))
    same = back == x and math.copysign(1, back) == math.copysign(1, x)
    p = struct.unpack("<d", struct.pack("<d", x))[0]
    q = pickle.loads(pickle.dumps(x))
    h = float.fromhex(x.hex())
    print(repr(x), str(x), x.hex(), same, p == x, q == x, h == x,
          math.copysign(1.0, p), math.copysign(1.0, q), math.copysign(1.0, h))

print("== arithmetic keeps values exact across the boundary")
for x in edge:
    print(repr(-x), repr(abs(x)), repr(x * 1), repr(x / 1), repr(x + 0.0), repr(x - 0.0),
          repr(x * 2), repr(x / 2), repr(x * 0.5), x == x, x != x, bool(x), not x)
big = 2.0 ** 256
y = big * 2          # crosses to boxed
print(repr(y), y / 2 == big, hash(y / 2) == hash(big), repr(y / 2))
t = 2.0 ** -254
z = t / 2            # 2**-255 exactly: boxed
print(repr(z), z * 2 == t, repr(z * 2), repr(z / 2), z / 2 == 2.0 ** -256)
acc = 1.0
for i in range(600):
    acc *= 2.0
print(repr(acc))
acc = 1.0
for i in range(600):
    acc /= 2.0
print(repr(acc))
acc = 0.0
for i in range(1000):
    acc += 0.1
    acc -= 0.05
print(repr(acc))
print(0.0 == -0.0, -0.0 < 0.0, 0.0 <= -0.0, 1.5 <= 1.5, 1.5 < 2, 2 > 1.5, 1.5 == 1.5,
      2.0 ** 256 == 2 ** 256, 2.0 ** 256 < 2 ** 256 + 1, 1e300 > 10 ** 299, 2.0 ** 257 == 2 ** 257,
      2.0 ** -255 > 0, 5e-324 > 0.0, -5e-324 < -0.0)

print("== signed zeros")
print(repr(0.0 * -1), repr(-0.0 + 0.0), repr(-0.0 - 0.0), repr(-0.0 * -0.0), repr(0.0 / -1),
      math.copysign(1, -0.0), math.copysign(1, 0.0), math.copysign(3, -0.0), math.copysign(0.0, -1),
      repr(-(0.0)), repr(abs(-0.0)), hash(-0.0), hash(0.0), repr(round(-0.4)), repr(round(-0.4, 1)))

print("== nan and inf stay boxed")
n2 = float("nan")
print(nan is nan, nan == nan, nan != nan, [nan] == [nan], nan in [nan], n2 in [nan],
      nan in {nan}, n2 in {nan}, len({nan, n2, nan}), {nan: 1}.get(nan), {nan: 1}.get(n2))
print(inf + 1, inf - inf, inf * 0, -inf, inf == inf, inf > 1e308, hash(inf), hash(-inf),
      math.isinf(1e308 * 10), math.isnan(inf - inf), repr(1e308 + 1e308))

print("== dict and set keys mix with ints")
d = {1: "int one", 2.5: "two and a half", 0.0: "zero", 2 ** 300: "big", -1: "minus one"}
print(d[1.0], d[True], d[2.5], d[-0.0], d[0], d[2.0 ** 300], d[-1.0], len(d))
d[1.0] = "replaced"
d[2.0 ** 300] = "replaced big"
print(sorted(d.items(), key=lambda kv: str(kv[0])))
s = {1, 1.0, True, 2.0, 2, 0.0, -0.0, 0, 2.0 ** 257, 2 ** 257, 2.0 ** -255, 1e-300}
print(len(s), sorted(s))
print({0.0: 1, -0.0: 2}, {-0.0: 1, 0.0: 2}, {1: "a", 1.0: "b"}, {1.0: "a", 1: "b"})
print(hash(1.0) == hash(1), hash(2.0 ** 100) == hash(2 ** 100), hash(2.0 ** 300) == hash(2 ** 300),
      hash(0.5), hash(-1.5), hash(1e-300), hash(2.0 ** -255), hash(1.7976931348623157e308))
fs = frozenset([0.5, 1.5, 2.5])
print(0.5 in fs, 1 in fs, sorted(fs), fs == frozenset([2.5, 1.5, 0.5]))
print(1.0 in [1], -0.0 in [0.0], [-0.0, 1.0].index(0.0), (0.0, 1.5) == (-0.0, 1.5),
      (1.5, 2) < (1.5, 3), [0.1, 0.2].count(0.1), {"k": 0.1}.get("k"))

print("== float subclasses stay heap objects")
class F(float):
    def __repr__(self):
        return "F(%s)" % float.__repr__(self)
class G(float):
    pass
f = F(2.5)
g = G(0.0)
h = F(2.0 ** 300)
k = F("nan")
print(f, repr(f), type(f).__name__, isinstance(f, float), type(f + 1).__name__, f + 1, f * f,
      -f, abs(F(-1.5)), f == 2.5, hash(f) == hash(2.5), {2.5: "x"}[f], f in {2.5}, f.is_integer())
print(g, type(g).__name__, g == -0.0, bool(g), hash(g), repr(h), h == 2 ** 300, k != k, repr(k))
f.attr = "has a dict"
print(f.attr, vars(f), float(f), type(float(f)).__name__, F(f), G(f), type(G(f)).__name__)
f.__class__ = G
print(type(f).__name__, repr(f), f)
print(sorted([F(3.5), 1, G(-0.5), 2.0, F(2.0)]), max(F(1.5), 1.25), min(G(1.0), 1.0))
print(F.fromhex("0x1.8p1"), type(F.fromhex("0x1.8p1")).__name__, float.__new__(F, 4.5))
print(float.__repr__(f), float.__add__(f, 1.0), (1.5).__radd__(f), f.__round__(), round(f, 1))

print("== struct")
for fmt in ("<d", ">d", "<f", ">e"):
    for x in (0.0, -0.0, 1.5, 2.0 ** -20, 65504.0, 1e-300 if fmt[1] == "d" else 1e-7,
              2.0 ** 256 if fmt[1] == "d" else 3.0, inf, -inf):
        b = struct.pack(fmt, x)
        print(fmt, repr(x), b.hex(), repr(struct.unpack(fmt, b)[0]))
print(struct.unpack("<d", bytes(8)), struct.unpack("<d", b"\x00" * 7 + b"\x80"),
      struct.unpack("<4d", struct.pack("<4d", 1.0, 2.0 ** -255, 2.0 ** 257, 5e-324)))

print("== pickle")
vals = [0.0, -0.0, 1.5, 2.0 ** -255, 2.0 ** 257, 5e-324, 1e308, inf, -inf, (1.5, 2.5), {1.5: 2.0}]
for proto in range(0, 6):
    r = pickle.loads(pickle.dumps(vals, protocol=proto))
    print(proto, r == vals, [math.copysign(1, v) for v in r[:2]], repr(r[5]))
r = pickle.loads(pickle.dumps([nan, F(2.5), G(1.0)]))
print(math.isnan(r[0]), repr(r[1]), type(r[2]).__name__, r[2])

print("== repr and format")
for x in (0.0, -0.0, 1.5, 2.0 ** -255, 2.0 ** 257, 1e-300, 5e-324, 1e16, 123456.789, inf, nan):
    print(repr(x), "%r" % x, "%s" % x, "%.3e" % x, "%g" % x, "%.17g" % x, format(x, ".3f"),
          format(x, "g"), format(x, "+.2e"), f"{x:>12.4g}|{x:<10}|{x:^10.2%}", str(x))

print("== math")
for x in (1e-300, 2.0 ** -255, 1.0, 2.5, 2.0 ** 256, 1e300):
    print(repr(math.sqrt(x)), repr(math.log(x)), repr(math.log2(x)), math.frexp(x), math.modf(x),
          repr(math.ldexp(x, -10)), repr(math.fmod(x, 0.75)), math.floor(x), math.ceil(x),
          math.trunc(x), repr(math.exp(-x)), repr(math.fabs(-x)), math.isfinite(x))
print(math.fsum([0.1] * 10), math.fsum([1e300, 1e300, -1e300]), math.isclose(0.1 + 0.2, 0.3),
      math.hypot(3.0, 4.0), repr(math.ulp(1.0)), repr(math.nextafter(0.0, 1.0)),
      math.ldexp(1.0, -1074), math.ldexp(1.0, 1023), math.pow(2.0, -255), math.pow(2.0, 257))
try:
    math.ldexp(1.0, 1024)
except OverflowError as e:
    print("OverflowError:", e)

print("== sorting")
mixed = [3, 1.5, -0.0, 0, 2 ** 70, 1e300, -inf, 2.0 ** -300, 2.0 ** -255, True, -2.5, 0.0, inf,
         2.0 ** 257, 2 ** 257, 1e-300, -1]
print(sorted(mixed))
print(sorted(mixed, reverse=True))
print(sorted(mixed, key=lambda v: -v))
floats = [x * 0.37 % 1.3 - 0.5 for x in range(40)]
print(sorted(floats)[:5], sorted(floats)[-3:], min(floats), max(floats))
print(min(0.0, -0.0), max(-0.0, 0.0), min([2.5, 1.5, 1.5]), max(1, 1.0), max(1.0, 1), min(2.0 ** 257, 2.0 ** 256))
print(sum([0.1] * 10), sum([1, 2.5, 2 ** 70]), sum([1e308, 1e308]), sum([0.5, 0.25], 1.0),
      sum([1.5, 2], 0.5), sum([-0.0]), sum([-0.0], -0.0), sum([2.0 ** 256] * 4))

print("== hex, fromhex, is_integer, as_integer_ratio")
for x in (0.0, -0.0, 1.0, 0.1, 2.0 ** -255, 2.0 ** -1074, 2.0 ** 257, 1e300, -2.5):
    print(x.hex(), float.fromhex(x.hex()) == x, x.is_integer(), x.as_integer_ratio())
print(float.fromhex("0x1p-255"), float.fromhex("-0x1p257"), float.fromhex("0x0p0"),
      float.fromhex("-0x0p0"), float.fromhex("0x1.fffffffffffffp+1023"), float.fromhex("inf"))
print(inf.is_integer(), nan.is_integer(), (2.0 ** 256).is_integer(), (1e-300).is_integer())

print("== divmod, //, %")
for a, b in ((7.5, 2), (-7.5, 2), (7.5, -2.0), (2.0 ** 256, 3.0), (1e-300, 1e-310),
             (-0.0, 1.0), (0.0, -1.0), (5, 0.75), (2.0 ** 257, 2.0 ** -254)):
    print(a, b, divmod(a, b), a // b, a % b)
for a, b in ((1.0, 0.0), (1, 0.0), (0.0, 0.0)):
    try:
        divmod(a, b)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        a / b
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)

print("== ** and int conversion")
print(2.0 ** 0.5, 2 ** -1, 2.0 ** 256, 2.0 ** 257, 2.0 ** -255, 10.0 ** 300, 10.0 ** -300,
      (-2.0) ** 3, (-2.0) ** 2, 0.0 ** 0, (-0.0) ** 3, pow(2.0, -2), 1.5 ** 2, 4 ** 0.5)
for a, b in ((2.0, 1024), (10.0, 400), (0.0, -1)):
    try:
        print(a ** b)
    except (OverflowError, ZeroDivisionError) as e:
        print(type(e).__name__ + ":", e)
print(int(2.0 ** 256), int(-(2.0 ** 257)), int(1.9999), int(-0.0), int(1e300) == 10 ** 300,
      int(2.0 ** -255), int(-2.5), round(2.5), round(3.5), round(2.0 ** 257), round(1e-300, 300))
for x in (inf, -inf, nan):
    try:
        int(x)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__ + ":", e)
print(float(2 ** 256), float(2 ** 257), float(-(2 ** 300)), float(10 ** 308), float("1e-300"),
      float("-0.0"), float(" 2.5e-77 "), float(True), 1.5.__trunc__(), (2.0 ** 256).__floor__())

print("== attributes and methods")
x = 2.5
print(x.real, x.imag, x.conjugate(), (2.0 ** 257).real, x.__class__.__name__, type(x) is float,
      isinstance(x, float), isinstance(x, int), issubclass(type(x), float), x.__hash__() == hash(x),
      x.__eq__(2.5), x.__lt__(3), x.__add__("s"), x.__float__(), x.__int__(), x.__bool__())
class A:
    attr = 1.5
    other = 2.0 ** 300
    count = 3          # an int class attribute called as a method (crashed LOAD_METHOD once)
print(A.attr, A().attr, A().other)
for call in (lambda: A().attr(), lambda: A().other(), lambda: A().count(), lambda: x(), lambda: setattr(x, "foo", 1), lambda: vars(x)):
    try:
        call()
    except (TypeError, AttributeError) as e:
        print(type(e).__name__ + ":", e)
try:
    x.__class__ = G
except TypeError as e:
    print("TypeError:", e)
print(getattr(0.0, "real"), hasattr(1.5, "hex"), callable(1.5), "%s|%s" % (1.5, -0.0))
