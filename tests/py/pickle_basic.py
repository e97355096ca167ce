# pickle: dumps bytes equal CPython 3.11's for builtin values in protocols 2-5 (the hex
# is printed, so the recorded CPython output carries the bytes), round trips keep
# values, sharing and recursion, instances go through __reduce_ex__/copyreg semantics,
# and the fixtures CPython wrote (tests/data/cpython_p*.pkl) load to the same values.
import io
import os
import pickle
import sys

import _pickle_helper
from _pickle_helper import Point, Slotted, WithState

print(pickle.HIGHEST_PROTOCOL, pickle.DEFAULT_PROTOCOL)

VALUES = [None, True, False, 0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31 - 1, 2**31,
          2**63, -2**63 - 1, 2**100, 0.0, -1.5, 1e300, float("inf"), "", "abc", "é漢😀",
          "x" * 300, b"", b"\x00\xff", b"y" * 300, bytearray(), bytearray(b"qq"), (), (1,),
          (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1], [1, "a", 2.5], {}, {"a": 1},
          {1: [2], "b": (3,)}, set(), {1, 2, 3}, frozenset(), frozenset([4, 5]),
          list(range(1005)), int, len, ValueError("bad", 3), Point(1, 2), Slotted(9)]
for i, v in enumerate(VALUES):
    for proto in range(2, 6):
        data = pickle.dumps(v, proto)
        if len(data) > 120:
            print(i, proto, len(data), data[:40].hex(), data[-40:].hex())
        else:
            print(i, proto, data.hex())
print(pickle.dumps([1, 2]).hex())   # default protocol

shared = [1, 2]
rec = [1]
rec.append(rec)
for proto in range(0, 6):
    out = [pickle.loads(pickle.dumps(v, proto)) for v in VALUES[:-2]]
    print(proto, out[:-5] == VALUES[:-7], out[-5:-3], repr(out[-3]))
    t = pickle.loads(pickle.dumps((shared, shared), proto))
    r = pickle.loads(pickle.dumps(rec, proto))
    print(t[0] is t[1], r[1] is r, pickle.loads(pickle.dumps(Point(3, 4), proto)))
    w = pickle.loads(pickle.dumps(WithState(), proto))
    print(sorted(w.__dict__.items()))
    if proto >= 2:
        print(pickle.loads(pickle.dumps(Slotted("s"), proto)))

buf = io.BytesIO()
pickle.dump({"k": [1, 2]}, buf)
pickle.dump("second", buf, 2)
buf.seek(0)
print(pickle.load(buf), pickle.load(buf))

big = "z" * 70000
print(pickle.loads(pickle.dumps([big, big], 4))[1] is not None, len(pickle.dumps(big, 4)))

for bad in (b"", b"\x80\x04garbage", b"\x80\x04\x95\xff\x00"):
    try:
        pickle.loads(bad)
    except Exception as e:
        print(type(e).__name__, e)
try:
    pickle.dumps(lambda: 0)
except pickle.PicklingError as e:
    print("PicklingError", str(e).split(":")[-1])
try:
    pickle.dumps(Slotted(1), 1)
except TypeError as e:
    print("TypeError", e)
print(issubclass(pickle.PicklingError, pickle.PickleError),
      issubclass(pickle.UnpicklingError, pickle.PickleError))

data_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
for proto in range(0, 6):
    with open(os.path.join(data_dir, "cpython_p%d.pkl" % proto), "rb") as f:
        d = pickle.load(f)
    print(proto, sorted(d))
    print(d["none"], d["bools"], d["ints"], d["floats"], d["str"], len(d["long_str"]))
    print(d["bytes"], d["bytearray"], d["tuple"], sorted(d["set"]), d["frozenset"])
    print(d["shared"][0] is d["shared"][1], d["rec"][1] is d["rec"], d["point"],
          d["cls"] is Point, repr(d["exc"]), d["big_list"] == list(range(1500)))
