"""struct — interpret bytes as packed binary data, in Python over the native `_struct`
(as CPython's Lib/struct.py re-exports _struct). Struct objects keep their format and
size and call the module functions.

Invariant: all packing work and every error message come from _struct.
"""
import _struct
from _struct import calcsize, pack, pack_into, unpack, unpack_from, iter_unpack, error

__all__ = ["calcsize", "pack", "pack_into", "unpack", "unpack_from", "iter_unpack",
           "Struct", "error"]


class Struct:
    """Struct(fmt) --> compiled struct object"""

    def __init__(self, format):
        if not isinstance(format, (str, bytes)):
            raise TypeError("Struct() argument 1 must be a str or bytes object, not %s"
                            % type(format).__name__)
        self.size = calcsize(format)
        self.format = format.decode("ascii") if isinstance(format, bytes) else format

    def pack(self, *values):
        return pack(self.format, *values)

    def pack_into(self, buffer, offset, *values):
        return pack_into(self.format, buffer, offset, *values)

    def unpack(self, buffer):
        return unpack(self.format, buffer)

    def unpack_from(self, buffer, offset=0):
        return unpack_from(self.format, buffer, offset)

    def iter_unpack(self, buffer):
        return iter_unpack(self.format, buffer)


Struct.__module__ = "_struct"
