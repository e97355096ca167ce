# free threading: code that reads a list's items from outside list.cpp (sum, min, max,
# sorted, tuple, set, str.join, bytes, dict.fromkeys, unpacking, enumerate, zip, `in`)
# while other threads grow the list (fresh buffers), shrink it (pop, del, clear) and
# reorder it (sort, reverse). The lists only ever hold one value, so every result has an
# invariant that holds under any interleaving; the only exceptions allowed are the
# documented ones (ValueError from min/max of an empty list and from unpacking a list of
# the wrong length, IndexError from popping an empty one).
import threading

ROUNDS = 300
V = 5
nums = [V] * 200          # ints: sum/min/max/sorted/tuple/set/bytes/fromkeys/in
strs = ["ab"] * 200       # str.join
pair = [V, V]             # unpacking: two or three items
done = threading.Event()
bad = []                  # (what, value) that broke an invariant
unexpected = []           # exceptions other than the documented ones


def writer(seed):
    x = seed
    for r in range(ROUNDS):
        try:
            nums.extend([V] * 40)             # grows: a fresh buffer now and then
            strs.extend(["ab"] * 40)
            for _ in range(10):
                nums.append(V)
                nums.pop()
                nums.insert(0, V)
                nums.pop(0)
            del nums[:20]
            del strs[:20]
            nums[2:4] = [V, V, V]
            del nums[-1:]
            if r % 7 == 0:
                nums.sort()
                strs.reverse()
            if r % 25 == seed:
                nums.clear()                  # items = NULL, size 0
                strs.clear()
            for _ in range(20):
                nums.pop()
                strs.pop()
            pair.append(V)
            del pair[2:]
        except IndexError:
            pass
        except Exception as e:                # pragma: no cover - a bug
            unexpected.append(("writer", type(e).__name__))


def reader():
    while True:
        try:
            s = sum(nums)
            if s % V or s < 0:
                bad.append(("sum", s))
            for f in (min, max):
                try:
                    m = f(nums)
                    if m != V:
                        bad.append((f.__name__, m))
                except ValueError:
                    pass
            srt = sorted(nums)
            if any(v != V for v in srt):
                bad.append(("sorted", srt[:3]))
            t = tuple(nums)
            if any(v != V for v in t):
                bad.append(("tuple", t[:3]))
            st = set(nums)
            if not st <= {V}:
                bad.append(("set", st))
            b = bytes(nums)
            if b.strip(bytes([V])):
                bad.append(("bytes", b[:3]))
            ba = bytearray(nums)
            if ba.strip(bytes([V])):
                bad.append(("bytearray", ba[:3]))
            d = dict.fromkeys(nums)
            if not set(d) <= {V}:
                bad.append(("fromkeys", d))
            j = ",".join(strs)
            if j and set(j.split(",")) != {"ab"}:
                bad.append(("join", j[:10]))
            if 6 in nums or "x" in strs:
                bad.append(("in", None))
            if (V in nums) not in (True, False):
                bad.append(("in2", None))
            for i, v in enumerate(nums):
                if v != V or i < 0:
                    bad.append(("enumerate", (i, v)))
                    break
            for a, c in zip(nums, strs):
                if a != V or c != "ab":
                    bad.append(("zip", (a, c)))
                    break
            if any(v != V for v in list(nums)):
                bad.append(("list", None))
            if not all(v == V for v in nums):
                bad.append(("all", None))
            try:
                a, c = pair
                if (a, c) != (V, V):
                    bad.append(("unpack", (a, c)))
            except ValueError:
                pass
            try:
                a, *rest = pair
                if a != V or any(v != V for v in rest):
                    bad.append(("unpack_ex", (a, rest)))
            except ValueError:
                pass
            n = len(nums)
            if n < 0:
                bad.append(("len", n))
        except Exception as e:                # pragma: no cover - a bug
            unexpected.append(("reader", type(e).__name__, str(e)))
        if done.is_set():
            break


writers = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
readers = [threading.Thread(target=reader) for _ in range(2)]
for t in readers + writers:
    t.start()
for t in writers:
    t.join()
done.set()
for t in readers:
    t.join()

print("broken invariants:", bad[:5])
print("unexpected exceptions:", unexpected[:5])
print("only", V, "left:", set(nums) <= {V}, set(strs) <= {"ab"}, pair == [V, V])
