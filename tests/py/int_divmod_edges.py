# // and % on small ints around the fast paths' edges (32-bit operands, powers of two,
# negative operands, 2**32 and beyond): every pair agrees with CPython.
import itertools
vals = [0, 1, 2, 3, 7, 8, 15, 16, 1023, 1024, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**40, -1, -2, -7, -8, -2**31, -2**32, 5, 12]
out = []
for a, b in itertools.product(vals, vals):
    if b == 0:
        continue
    out.append((a // b, a % b))
print(hash(tuple(out)), len(out), out[:20])
