# Sorting: lists of ints, floats, strings and tuples; key functions, reverse, stability,
# sorted() over dict items, min/max with keys, and bisect-style merges.
import random
rng = random.Random(42)
total = 0
for rep in range(12):
    ints = [rng.randrange(1_000_000) for _ in range(20_000)]
    floats = [rng.random() for _ in range(20_000)]
    strs = ["%x" % v for v in ints]
    recs = [(v % 97, s, f) for v, s, f in zip(ints, strs, floats)]
    a = sorted(ints)
    b = sorted(floats, reverse=True)
    c = sorted(strs, key=len)
    d = sorted(recs, key=lambda r: (r[0], -r[2]))
    e = sorted({s: v for s, v in zip(strs, ints)}.items(), key=lambda kv: kv[1])
    recs.sort()
    total += a[100] + int(b[50] * 1000) + len(c[-1]) + d[0][0] + e[-1][1] + recs[7][0]
    total += max(strs, key=lambda s: (len(s), s)).__len__() + min(ints)
print(total)
