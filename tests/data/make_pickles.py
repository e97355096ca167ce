"""Writes the pickle fixtures in this folder with CPython (run: python3 make_pickles.py).

Invariant: the values are deterministic and built only from types gilpy's pickle
must read (tests/py/pickle_basic.py loads every file and prints what it finds), plus
one instance of a class defined in tests/py/_pickle_helper.py.
"""
import os
import pickle
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "py"))
import _pickle_helper  # noqa: E402


def value():
    shared = [1, 2, 3]
    rec = ["self"]
    rec.append(rec)
    return {
        "none": None, "bools": (True, False), "ints": [0, 1, -1, 255, 256, 65536, -2**31,
                                                       2**31, 2**64, -(2**200)],
        "floats": [0.0, -1.5, 1e300, float("inf")], "str": "héllo 漢字 😀", "long_str": "ab" * 200,
        "bytes": b"\x00\x01\xffabc", "bytearray": bytearray(b"xyz"), "tuple": (1, (2, (3,))),
        "set": {1, 2, 3}, "frozenset": frozenset({"a"}), "shared": [shared, shared], "rec": rec,
        "point": _pickle_helper.Point(3, 4), "cls": _pickle_helper.Point,
        "exc": ValueError("bad", 7), "big_list": list(range(1500)),
    }


if __name__ == "__main__":
    for proto in range(0, 6):
        with open(os.path.join(HERE, "cpython_p%d.pkl" % proto), "wb") as f:
            pickle.dump(value(), f, proto)
