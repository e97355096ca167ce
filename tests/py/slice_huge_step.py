# Slices with steps near the int64 limits (fuzz_run found `s[1:-1:3444...]` overflowing the
# index after the last item under UBSan): every sequence type, read, assign, delete.
import sys
big = [sys.maxsize, -sys.maxsize, -sys.maxsize - 1, 10**30, -10**30, 344444444444444444444444]
s, u = "Hello, . olorld", "añb€çd☃x"
for step in big:
    print(step, repr(s[1:-1:step]), repr(s[::step]), repr(u[::step]), repr(u[1::step]))
    print(b"abcdef"[::step], bytearray(b"abcdef")[1::step], [1, 2, 3, 4][::step], (1, 2, 3)[::step])
    l = [1, 2, 3, 4]
    l[::step] = [9]
    ba = bytearray(b"abcd")
    ba[::step] = b"Z"
    print(l, ba)
    l = [1, 2, 3, 4]
    del l[::step]
    ba = bytearray(b"abcd")
    del ba[::step]
    print(l, ba)
