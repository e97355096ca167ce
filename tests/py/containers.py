# list, tuple, dict, set, frozenset, range, slices
l = [3, 1, 4, 1, 5, 9, 2, 6]
print(l, len(l), l[0], l[-1], l[2:5], l[::-1], l[::3], sorted(l), sorted(l, reverse=True))
l.append(7); l.extend([8, 9]); l.insert(0, 0); l.remove(1)
print(l, l.pop(), l.pop(0), l.index(5), l.count(9), 4 in l, 100 in l)
l.sort(); print(l); l.reverse(); print(l)
l[1:3] = ["a", "b", "c"]; print(l)
del l[0]; del l[::2]; print(l)
l[::2] = [10] * len(l[::2]); print(l)
print([1, 2] + [3], [0] * 3, [[0] * 2 for _ in range(2)], list("abc"), list(range(5)))
print([1, 2] == [1, 2], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [] == [], [1, [2, 3]])
words = ["banana", "Apple", "cherry", "apple"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), min(words, key=len), max(words))
pairs = [(2, "b"), (1, "z"), (2, "a"), (1, "a")]
print(sorted(pairs), sorted(pairs, key=lambda p: p[1]), sorted(pairs, key=lambda p: -p[0]))
t = (1, 2, 3)
print(t, t[1], t[-1:], t + (4,), t * 2, (1,), (), tuple([1, 2]), t.index(2), t.count(3), len(t))
print((1, 2) < (1, 3), (1, "a") == (1, "a"), hash((1, 2)) == hash((1, 2)), (1, (2, 3)))
d = {"a": 1, "b": 2}
d["c"] = 3; d["a"] = 10
print(d, len(d), d["b"], d.get("z"), d.get("z", 0), "a" in d, list(d), list(d.keys()), list(d.values()), list(d.items()))
print(d.pop("b"), d, d.setdefault("x", 5), d, d.popitem(), d)
d.update({"q": 1}, w=2); d.update([("e", 3)])
print(d, dict(a=1, b=2), dict([(1, 2)]), dict.fromkeys("ab", 0), {k: v for k, v in zip("xyz", range(3))})
print({1: "a"} == {1: "a"}, {**d, "new": 1}, d | {"z": 0}, {(1, 2): "tuple key", 1.0: "float"}, {1: 1, 1.0: 2, True: 3})
for k, v in sorted({"b": 1, "a": 2}.items()):
    print(k, v)
del d["q"]
print(d, d.copy(), d.keys() & {"e", "zz"}, repr({}.keys()), dict(sorted({"b": 1, "a": 2}.items())))
s = {3, 1, 2}
s.add(4); s.discard(10); s.remove(1)
print(sorted(s), len(s), 2 in s, sorted(s | {9}), sorted(s & {2, 3}), sorted(s - {2}), sorted(s ^ {2, 7}))
print({1, 2} <= {1, 2, 3}, {1, 2} < {1, 2}, {1} == {1}, set(), frozenset([1, 2]) == {1, 2}, sorted(frozenset("aab")))
print(set([1, 1, 2]), {x % 3 for x in range(10)}, frozenset(), {1, 2}.isdisjoint({3}), {1, 2}.issubset([1, 2, 3]))
r = range(2, 20, 3)
print(r, list(r), len(r), r[2], r[-1], r[1:3], 8 in r, 9 in r, list(range(10, 0, -2)), range(5) == range(0, 5))
print(list(reversed(range(4))), list(reversed([1, 2, 3])), list(enumerate("ab", 1)), list(zip([1, 2], "ab", (True, False))))
print(list(map(abs, [-1, -2])), list(map(lambda a, b: a * b, [1, 2], [3, 4])), list(filter(None, [0, 1, "", "x"])))
print(any([0, 0, 1]), all([1, 1, 0]), any([]), all([]), sum([[1], [2]], []), sorted({3: 1, 1: 2}))
sl = slice(1, 10, 2)
print(sl, sl.start, sl.stop, sl.step, [0, 1, 2, 3, 4, 5][sl], sl.indices(5), "abcdef"[slice(None, None, -2)])
x = [1, 2]
x += [3]
x *= 2
print(x, [1, 2, 3][5:], [][:], [1, 2, 3][-100:100])
a, *b, c = range(6)
print(a, b, c)
(p, q), r2 = (1, 2), 3
print(p, q, r2)
first, *rest = "hello"
print(first, rest)
m = [[1, 2], [3, 4]]
m[1][0] = 30
print(m, [row[1] for row in m], [y for row in m for y in row if y > 2])
nested = [1]; nested.append(nested); print(nested)
dd = {}; dd["self"] = dd; print(dd)
for bad in [lambda: [1][5], lambda: {}["k"], lambda: [].pop(), lambda: set().pop(), lambda: (1,)[2], lambda: [1].index(9),
            lambda: {1: 2}[[1]], lambda: [1, 2, 3][1.5], lambda: {}.popitem(), lambda: [3, "a"].sort()]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ":", e)
# list() of a built-in sized iterable reserves its len() first (as CPython's length hint);
# a len() no memory can hold is MemoryError, one past sys.maxsize OverflowError
print(list(range(3, 12, 4)), list({"a": 1, "b": 2}), list("xyz"), list({1: 2}.values()), list(range(0)))
for n in (10**15, 2**64):
    try:
        list(range(n))
    except (MemoryError, OverflowError) as e:
        print(type(e).__name__)
l = [0]
l.extend(range(3))
l += range(2)
print(l)
