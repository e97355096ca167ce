# range with bounds, steps or lengths beyond int64 (the long form), slice.indices with
# huge lengths, and the short/long boundary; CPython 3.11 gives the expected output.
r = range(2**64, 2**64 + 10, 3)
print(r, len(r), list(r), r[1], r[-1], 2**64 + 3 in r, r.index(2**64 + 6), r.count(2**64))
print(range(-2**70, 2**70, 2**68)[3], bool(range(0, 2**100)), range(0, 2**100)[-1])
print(list(reversed(range(2**63 - 2, 2**63 + 2))), list(reversed(range(2**64, 2**64 + 7, 2))))
print(range(0, 2**100, 2**90)[::2], range(2**65)[2**64], range(2**65)[2**64:-5:-2**62])
for bad in (lambda: len(range(2**64)), lambda: len(range(-2**63, 2**63 - 1)), lambda: range(2**64)[2**65],
            lambda: range(2**64)[1.5], lambda: range(2**64, 0, 0), lambda: range(2**64).index(-1),
            lambda: range(2**64, 2**64 + 5).index(1.5)):
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
print(sum(range(2**62, 2**62 + 5)), list(range(2**62 - 2, 2**62 + 2)))
print(hash(range(2**64, 2**65)) == hash(range(2**64, 2**65)), range(2**64) == range(0, 2**64, 1))
print(range(0) == range(2**64, 0), hash(range(0)) == hash(range(2**64, 0)), range(5, 2**64)[0:1] == range(5, 6))
print(range(2**64, 2**64 + 3)[0:1] == range(2**64, 2**64 + 1, 7), range(2**64).start, range(1, 2**64, 2**63).step)
for x in range(2**64, 2**64 + 3): print(x)
it = iter(range(2**64, 2**64 + 3)); print(it.__length_hint__(), type(it).__name__, next(it), it.__length_hint__())
print(1 << 100 in range(2**101), 1.0 in range(2**64), 2.0 in range(2**64, 2**64 + 10), range(2**64, 2**64 + 9).count(2.0**64))
print(range(-2**63, 2**63 - 1)[-1], range(2**63 - 1)[-1], len(range(-2**62, 2**62 - 1)), len(range(-2**62, 2**62 - 1, 2)))
print(slice(None, None, -3).indices(2**100), slice(-2**80, 2**80, 5).indices(10), slice(3).indices(True))
print(range(10)[2**70:], range(10)[-2**70:3], range(2**64, -1, -1)[:3], range(2**64).__reduce__())
print(list(range(10)[::-3]), range(10)[::-3], range(-5, 5)[1::4], range(3, 2**64)[2**63:])
