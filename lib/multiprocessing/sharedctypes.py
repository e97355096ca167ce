"""multiprocessing.sharedctypes — Value and Array in shared memory (RawValue, RawArray
too), for the fork start method.

Invariants: the bytes live in a _multiprocessing.SharedMemory mapping (MAP_SHARED,
anonymous) made before fork, so parent and children see one copy; each element is
packed with struct in native layout (ctypes' sizes: 'l' is 8 bytes on LP64). Value and
Array with lock=True carry an RLock (or the lock given) for get_lock(); single reads and
writes are not atomic across processes without it, as in CPython.
"""
import struct
from _multiprocessing import SharedMemory

from . import synchronize

__all__ = ["RawValue", "RawArray", "Value", "Array"]

typecode_to_type = {
    "c": "c", "u": "u", "b": "b", "B": "B", "h": "h", "H": "H", "i": "i", "I": "I",
    "l": "l", "L": "L", "q": "q", "Q": "Q", "f": "f", "d": "d", "?": "?",
}

_ctypes_names = {
    "c": "c_char", "u": "c_wchar", "b": "c_byte", "B": "c_ubyte", "h": "c_short",
    "H": "c_ushort", "i": "c_int", "I": "c_uint", "l": "c_long", "L": "c_ulong",
    "q": "c_longlong", "Q": "c_ulonglong", "f": "c_float", "d": "c_double",
    "?": "c_bool",
}


def _fmt(typecode):
    if typecode not in typecode_to_type:
        raise TypeError("unknown typecode %r" % (typecode,))
    if typecode == "u":
        return "I"      # a wchar_t code point, 4 bytes on Linux
    return typecode


def _encode(typecode, v):
    if typecode == "u":
        return ord(v)
    return v


def _decode(typecode, v):
    if typecode == "u":
        return chr(v)
    return v


class _SharedValue:
    def __init__(self, typecode, value):
        self._typecode = typecode
        self._struct = struct.Struct("@" + _fmt(typecode))
        self._mem = SharedMemory(self._struct.size)
        self.value = value

    @property
    def value(self):
        return _decode(self._typecode, self._struct.unpack(
            self._mem.read(0, self._struct.size))[0])

    @value.setter
    def value(self, v):
        self._mem.write(0, self._struct.pack(_encode(self._typecode, v)))

    def __repr__(self):
        return "%s(%r)" % (_ctypes_names[self._typecode], self.value)


class _SharedArray:
    def __init__(self, typecode, size_or_initializer):
        self._typecode = typecode
        self._struct = struct.Struct("@" + _fmt(typecode))
        if isinstance(size_or_initializer, int):
            self._length = size_or_initializer
            init = None
        else:
            init = list(size_or_initializer)
            if typecode == "c" and isinstance(size_or_initializer, (bytes, bytearray)):
                init = [bytes((b,)) for b in size_or_initializer]
            self._length = len(init)
        self._mem = SharedMemory(self._struct.size * self._length)
        if init is not None:
            for i, v in enumerate(init):
                self[i] = v

    def __len__(self):
        return self._length

    def _index(self, i):
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("invalid index")
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            items = [self[k] for k in range(*i.indices(self._length))]
            if self._typecode == "c":
                return b"".join(items)
            if self._typecode == "u":
                return "".join(items)
            return items
        i = self._index(i)
        n = self._struct.size
        return _decode(self._typecode,
                       self._struct.unpack(self._mem.read(i * n, n))[0])

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            idx = range(*i.indices(self._length))
            vals = list(v)
            if self._typecode == "c" and isinstance(v, (bytes, bytearray)):
                vals = [bytes((b,)) for b in v]
            if len(vals) != len(idx):
                raise ValueError("Can only assign sequence of same size")
            for k, x in zip(idx, vals):
                self[k] = x
            return
        i = self._index(i)
        n = self._struct.size
        self._mem.write(i * n, self._struct.pack(_encode(self._typecode, v)))

    def __iter__(self):
        for i in range(self._length):
            yield self[i]

    @property
    def value(self):
        if self._typecode == "c":
            data = self[:]
            z = data.find(b"\0")
            return data if z < 0 else data[:z]
        if self._typecode == "u":
            data = self[:]
            z = data.find("\0")
            return data if z < 0 else data[:z]
        raise AttributeError("'%s' object has no attribute 'value'" % type(self).__name__)

    @value.setter
    def value(self, v):
        if self._typecode not in ("c", "u"):
            raise AttributeError("value")
        if len(v) > self._length:
            raise ValueError("byte string too long")
        items = [v[k:k + 1] for k in range(len(v))]
        for k, x in enumerate(items):
            self[k] = x
        if len(v) < self._length:
            self[len(v)] = b"\0" if self._typecode == "c" else "\0"

    @property
    def raw(self):
        return self._mem.read(0, self._struct.size * self._length)

    def __repr__(self):
        return "<%s_Array_%d object>" % (_ctypes_names[self._typecode], self._length)


class Synchronized:
    """What Value(..., lock=True) returns: the value plus its lock."""

    def __init__(self, obj, lock=None):
        self._obj = obj
        self._lock = lock or synchronize.RLock()
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def get_obj(self):
        return self._obj

    def get_lock(self):
        return self._lock

    @property
    def value(self):
        with self._lock:
            return self._obj.value

    @value.setter
    def value(self, v):
        with self._lock:
            self._obj.value = v

    def __repr__(self):
        return "<%s wrapper for %s>" % (type(self).__name__, self._obj)


class SynchronizedArray(Synchronized):
    def __len__(self):
        return len(self._obj)

    def __getitem__(self, i):
        with self._lock:
            return self._obj[i]

    def __setitem__(self, i, v):
        with self._lock:
            self._obj[i] = v

    def __iter__(self):
        return iter(self[:])

    @property
    def raw(self):
        return self._obj.raw


def RawValue(typecode_or_type, *args):
    if not args:
        args = (b"\0",) if typecode_or_type == "c" else \
            ("\0",) if typecode_or_type == "u" else \
            (0.0,) if typecode_or_type in "fd" else (0,)
    return _SharedValue(typecode_or_type, *args)


def RawArray(typecode_or_type, size_or_initializer):
    return _SharedArray(typecode_or_type, size_or_initializer)


def Value(typecode_or_type, *args, lock=True, ctx=None):
    obj = RawValue(typecode_or_type, *args)
    if lock is False:
        return obj
    if lock in (True, None):
        lock = synchronize.RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError("%r has no method 'acquire'" % lock)
    return Synchronized(obj, lock)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    obj = RawArray(typecode_or_type, size_or_initializer)
    if lock is False:
        return obj
    if lock in (True, None):
        lock = synchronize.RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError("%r has no method 'acquire'" % lock)
    return SynchronizedArray(obj, lock)
