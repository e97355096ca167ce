# float repr (shortest round trip), arithmetic, formatting, conversions
vals = [0.1, 0.2, 0.1 + 0.2, 1.0, -0.0, 1e16, 1e15, 123456789.0, 1e-5, 0.0001, 1.5e300,
        2.5e-308, 1 / 3, 2 / 3, 100.0, 3.14159, float("inf"), float("-inf"), 1e22, 5e-324]
for v in vals:
    print(repr(v), str(v))
print(float("nan"), float(" 1.5 "), float("1e3"), float("-INF"), float("1_0.5"), float(7))
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, divmod(7.5, 2), 2.0 ** 0.5, 10 ** -2)
print(1.0 == 1, 0.1 + 0.2 == 0.3, 1e308 * 10, -1e308 * 10, 2 ** 0.5 * 2 ** 0.5)
print(round(2.675, 2), round(0.5), round(1.5), round(-0.5), round(3.14159, 3), round(1e20), round(2.5, 0))
print(int(1e20), int(-2.9), float(2 ** 80), (0.5).as_integer_ratio(), (3.0).is_integer(), (0.25).hex())
print("%.3f %10.2f %-8.1f| %e %g %g %G" % (3.14159, 2.5, 1.25, 12345.678, 0.00001234, 1e20, 1e-10))
print(format(3.14159, ".2f"), format(2.0, ""), format(1e20, ""), format(0.1, ".10g"), format(1234.5, ",.2f"),
      format(0.25, "%"), format(0.125, ".1%"), format(3.0, "g"), format(1e-7, "g"), format(12.5, "08.2f"))
print(f"{1.5:>8}|{2.25:<8}|{-1.0:+.3e}|{1e100:.3g}|{123.456:10.1f}|")
print(hash(0.5) == hash(0.5), hash(2.0) == hash(2), hash(-1.0), hash(float("inf")))
print(1 / 4, 3 / 2, 10 / 5, -1 / 3, 1e300 * 1e300 == float("inf"))
print(max(1.5, 2), min(-0.5, 0), sum([0.1] * 10), abs(-2.5), 7.0 // 0.5)
import math
print(math.sqrt(2), math.pi, math.e, math.floor(-2.5), math.ceil(2.1), math.trunc(-2.7))
print(math.log(100, 10), math.log2(8), math.log10(1000), math.exp(1), math.sin(0), math.cos(0))
print(math.isnan(float("nan")), math.isinf(1e400), math.fabs(-3), math.fsum([0.1] * 10), math.hypot(3, 4))
print(math.gcd(12, 18), math.factorial(20), math.comb(10, 3), math.isqrt(99), math.copysign(1, -0.0))
print(math.isclose(1.0, 1.0 + 1e-10), math.atan2(1, 1), math.degrees(math.pi), math.radians(180))
for f, arg in [(math.sqrt, -1), (math.log, 0)]:
    try:
        f(arg)
    except ValueError as e:
        print("ValueError:", e)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    float("abc")
except ValueError as e:
    print("ValueError:", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError:", e)
