# struct: byte orders, alignment, every format code, Struct objects and the errors.
import struct

print(struct.calcsize("i"), struct.calcsize("@bi"), struct.calcsize("=bi"), struct.calcsize("<bi"))
print(struct.calcsize("@bq"), struct.calcsize("@hbd"), struct.calcsize("@cH"), struct.calcsize("3s2p"))
print(struct.calcsize("@ll"), struct.calcsize("<ll"), struct.calcsize("nNP"), struct.calcsize("e f d"))
print(struct.pack("<i", 1), struct.pack(">i", 1), struct.pack("!h", -2), struct.pack("=H", 65535))
print(struct.pack("@bi", 1, 2), struct.pack("<bi", 1, 2))
print(struct.pack("<qQ", -1, 2**64 - 1), struct.unpack("<qQ", struct.pack("<qQ", -5, 7)))
print(struct.pack("?", []), struct.pack("?", 3), struct.unpack("??", b"\x00\x05"))
print(struct.pack("c", b"z"), struct.unpack("c", b"z"))
print(struct.pack("5s", b"ab"), struct.pack("2s", b"abcdef"), struct.unpack("3s", b"xyz"))
print(struct.pack("5p", b"ab"), struct.unpack("5p", b"\x02abzz"), struct.pack("3x"))
print(struct.pack("<e", 1.5), struct.unpack("<e", b"\x00\x3c"), struct.pack(">e", -0.0), struct.pack("<e", 65504.0))
print(struct.pack("<f", 0.1), struct.unpack("<f", struct.pack("<f", 0.1)))
print(struct.pack(">d", 3.141592653589793), struct.unpack(">d", struct.pack(">d", -2.5)))
print(struct.unpack("<bBhHiIlLqQ", struct.pack("<bBhHiIlLqQ", -1, 255, -300, 60000, -70000, 4000000000, -5, 6, -7, 8)))
print(struct.pack("<i", True), struct.pack("<d", 3), struct.unpack("<4B", b"\x01\x02\x03\x04"))

class Idx:
    def __index__(self):
        return 42
print(struct.pack("<i", Idx()))

s = struct.Struct("<ih")
print(s.size, s.format, s.pack(1, 2), s.unpack(b"\x01\x00\x00\x00\x02\x00"))
print(struct.Struct(b">H").format)
buf = bytearray(10)
struct.pack_into("<hh", buf, 2, 1, -1)
print(buf)
s.pack_into(buf, 4, 7, 8)
print(buf, struct.unpack_from("<h", buf, 2), struct.unpack_from("<h", buf, offset=-2), s.unpack_from(buf, 4))
print(list(struct.iter_unpack("<h", b"\x01\x00\x02\x00\x03\x00")), list(s.iter_unpack(bytes(12))))

def err(f, *a):
    try:
        r = f(*a)
        print("ok", r)
    except Exception as e:
        print(type(e).__name__ if type(e).__module__ == "builtins" else "struct.error", e)

for fmt, v in [("b", 200), ("B", -1), ("h", 40000), ("H", -1), ("i", 2**31), ("I", -1),
               ("I", 2**32), ("l", 2**63), ("L", -1), ("q", 2**63), ("Q", -1), ("Q", 2**64),
               ("<i", 2**31), ("<I", -1), ("<l", 2**31), ("<q", 2**63), (">h", 40000),
               ("<H", 70000), ("<B", 256), ("i", "x"), ("i", 1.5), ("f", "x"), ("c", b"ab"),
               ("c", "a"), ("s", 1), ("p", "s"), ("<f", 1e300), ("e", 1e6), ("<b", 200), ("d", 2**2000)]:
    err(struct.pack, fmt, v)
err(struct.unpack, "i", b"123")
err(struct.unpack, "<q", b"1")
err(struct.unpack, "i", "abcd")
err(struct.unpack_from, "i", b"12", 0)
err(struct.unpack_from, "i", b"12345", 3)
err(struct.unpack_from, "i", b"12345", -1)
err(struct.unpack_from, "i", b"12345", -10)
err(struct.pack_into, "i", bytearray(10), 8, 1)
err(struct.pack_into, "i", bytearray(10), -20, 1)
err(struct.pack_into, "i", b"abcd", 0, 1)
err(struct.iter_unpack, "i", b"12345")
err(struct.iter_unpack, "", b"")
err(struct.pack, "ii", 1)
err(struct.pack, "i", 1, 2)
err(struct.calcsize, "<P")
err(struct.calcsize, "z")
err(struct.calcsize, "3")
err(struct.calcsize, 5)
print(issubclass(struct.error, Exception), struct.error.__module__, struct.error.__name__)
