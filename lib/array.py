"""array — typed arrays of numbers, a minimal subset of CPython's array module.

Invariants:
  * An array keeps its items in machine format (native byte order and sizes, as the C
    module does) in one bytearray, `_b`, of exactly len(self) * itemsize bytes; every
    element read or write goes through _struct with the typecode's format, so values
    are range-checked and converted exactly as struct does.
  * `_mpi_buffer()` exposes (_b, typecode): mpi4py's buffer methods (Send, Recv, Bcast,
    Reduce, Allreduce) read and write the items in place through it.
"""
from _struct import calcsize, pack, pack_into, unpack_from

typecodes = "bBuhHiIlLqQfd"

__all__ = ["array", "typecodes", "ArrayType"]


class array:
    def __init__(self, typecode, initializer=None):
        if not isinstance(typecode, str) or len(typecode) != 1 or typecode not in typecodes:
            raise ValueError("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)")
        self.typecode = typecode
        self._fmt = "@" + (typecode if typecode != "u" else "I")
        self.itemsize = calcsize(self._fmt)
        self._b = bytearray()
        if initializer is None:
            return
        if isinstance(initializer, (bytes, bytearray)):
            self.frombytes(initializer)
        elif isinstance(initializer, str):
            if typecode != "u":
                raise TypeError("cannot use a str to initialize an array with typecode '%s'"
                                % typecode)
            self.extend(initializer)
        else:
            self.extend(initializer)

    def _mpi_buffer(self):
        return self._b, self.typecode

    def _enc(self, v):
        if self.typecode == "u":
            if not isinstance(v, str) or len(v) != 1:
                raise TypeError("array item must be unicode character")
            v = ord(v)
        return pack(self._fmt, v)

    def _dec(self, off):
        v = unpack_from(self._fmt, self._b, off)[0]
        return chr(v) if self.typecode == "u" else v

    def __len__(self):
        return len(self._b) // self.itemsize

    def buffer_info(self):
        return (id(self._b), len(self))

    def _index(self, i):
        n = len(self)
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError("array index out of range")
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            r = array(self.typecode)
            for k in range(*i.indices(len(self))):
                r._b += self._b[k * self.itemsize:(k + 1) * self.itemsize]
            return r
        return self._dec(self._index(i) * self.itemsize)

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            if not isinstance(v, array) or v.typecode != self.typecode:
                raise TypeError("can only assign array (not \"%s\") to array slice" % type(v).__name__)
            items = self.tolist()
            items[i] = v.tolist()
            self._b = bytearray()
            self.extend(items)
            return
        off = self._index(i) * self.itemsize
        self._b[off:off + self.itemsize] = self._enc(v)

    def __iter__(self):
        for k in range(len(self)):
            yield self._dec(k * self.itemsize)

    def append(self, v):
        self._b += self._enc(v)

    def extend(self, items):
        if isinstance(items, array):
            if items.typecode != self.typecode:
                raise TypeError("can only extend with array of same kind")
            self._b += items._b
            return
        for v in items:
            self._b += self._enc(v)

    def frombytes(self, data):
        if len(data) % self.itemsize:
            raise ValueError("bytes length not a multiple of item size")
        self._b += data

    def tobytes(self):
        return bytes(self._b)

    def fromlist(self, items):
        self.extend(list(items))

    def tolist(self):
        return list(self)

    def pop(self, i=-1):
        i = self._index(i)
        v = self[i]
        s = i * self.itemsize
        del self._b[s:s + self.itemsize]
        return v

    def index(self, v):
        for k, x in enumerate(self):
            if x == v:
                return k
        raise ValueError("array.index(x): x not in array")

    def count(self, v):
        return sum(1 for x in self if x == v)

    def reverse(self):
        items = self.tolist()
        items.reverse()
        self._b = bytearray()
        self.extend(items)

    def byteswap(self):
        n = self.itemsize
        b = self._b
        for s in range(0, len(b), n):
            b[s:s + n] = b[s:s + n][::-1]

    def __eq__(self, other):
        if not isinstance(other, array):
            return NotImplemented
        return self.tolist() == other.tolist()

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __add__(self, other):
        if not isinstance(other, array) or other.typecode != self.typecode:
            raise TypeError("can only append array (not \"%s\") to array" % type(other).__name__)
        r = array(self.typecode)
        r._b = self._b + other._b
        return r

    def __mul__(self, n):
        r = array(self.typecode)
        r._b = self._b * n
        return r

    def __contains__(self, v):
        return any(x == v for x in self)

    def __repr__(self):
        if not len(self):
            return "array('%s')" % self.typecode
        if self.typecode == "u":
            return "array('u', %r)" % "".join(self)
        return "array('%s', %r)" % (self.typecode, self.tolist())

    def __reduce__(self):
        return (array, (self.typecode, self.tolist()))


ArrayType = array
