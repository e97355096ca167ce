# int semantics: small, big (GMP), operators, conversions, formatting
print(1 + 2, 7 - 10, 6 * 7, 7 / 2, 7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 2 ** 10)
print(2 ** 100, -(2 ** 100), 2 ** 62, 2 ** 63 - 1, -(2 ** 63))
a = 2 ** 62 - 1
print(a + 1, a + a, a * a, (a * a) // a == a, (a * a) % 7)
print(10 ** 30 // 7, 10 ** 30 % 7, -10 ** 30 // 7, divmod(-10 ** 30, 7))
print(1 << 70, (1 << 70) >> 69, -1 >> 3, 5 & 3, 5 | 3, 5 ^ 3, ~5, ~(2 ** 80))
print(abs(-5), abs(-2 ** 90), -(-5), +5)
print(int("123"), int("-0x1f", 16), int("0b101", 0), int(" 42 "), int("1_000"), int(3.99), int(-3.99))
print(int("z", 36), int("777", 8), hex(255), oct(8), bin(5), hex(-255), bin(2 ** 70))
print(pow(3, 4), pow(3, 4, 5), pow(2, -1), pow(3, -1, 7), 2 ** -2, (-2) ** 3)
print(7 == 7.0, 1 < 2 < 3, 3 > 2 > 2, 2 ** 64 > 1.5, 2 ** 64 == 2.0 ** 64, 10 ** 400 > 1e308)
print(True + True, True * 10, False - 1, int(True), True & False, True | False, True ^ True)
print(round(2.5), round(3.5), round(1234, -2), round(1250, -2), round(-1250, -2))
print((255).bit_length(), (0).bit_length(), (2 ** 100).bit_length(), (7).bit_count())
print((1024).to_bytes(2, "big"), int.from_bytes(b"\x04\x00", "big"), int.from_bytes(b"\xff", "little", signed=True))
print(hash(1), hash(-1), hash(2 ** 61), hash(2 ** 100) == hash(2 ** 100), hash(1.0) == hash(1))
print(format(1234567, ","), format(255, "x"), format(255, "#X"), format(42, "08d"), format(-42, "+d"),
      format(42, "^10"), format(3, "b"), format(1234567, "_d"), format(42, "e"), format(65, "c"))
print(f"{12345:>10}|{12345:<10}|{-5:=6}|{5:+}|{1000000:,}|{0xff:#o}")
x = 3 ** 200
print(x)
print(str(x)[:10], len(str(x)), x % 1000003, x.bit_length())
print(sum(range(1000)), sum(i * i for i in range(100)), max(3, 9, 2), min([4, 1, 8]))
n = 1
for i in range(1, 30):
    n *= i
print(n, n // (2 ** 20), n % 999983)
print(isinstance(True, int), type(2 ** 70).__name__, type(5 // 2).__name__, (5).real, (5).imag)
print((-17) // 5, (-17) % 5, 17 // -5, 17 % -5, divmod(17, -5), divmod(-17, -5))
print(int.__add__(2, 3), (12).__mul__(2), (2).__radd__(5))
for bad in ["12a", "", "0x", "1__0", "--1"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    1 // 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1 % 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1 << -1
except ValueError as e:
    print("ValueError:", e)
try:
    print(1 + "a")
except TypeError as e:
    print("TypeError:", e)
# Shifts whose result could never be allocated: MemoryError at once, whatever the count.
for count in (2**62, 2**63, 2**64, 69175290276410818320, 69175290276410818321, 30 * 2**63, 2**100):
    try:
        1 << count
    except (MemoryError, OverflowError) as e:
        print(type(e).__name__, e, "for 1 <<", count)
for a in (2**600, -(2**600)):
    for count in (69175290276410818320 - 600, 69175290276410818321 - 600):
        try:
            a << count
        except (MemoryError, OverflowError) as e:
            print(type(e).__name__, e, "for 2**600 <<", count)
print(0 << 2**100, -1 >> 2**100, 5 >> 2**64)
