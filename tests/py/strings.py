# str methods, slicing, unicode, repr
s = "Hello, World"
print(s.lower(), s.upper(), s.swapcase(), s.title(), s.capitalize(), len(s))
print(s[0], s[-1], s[2:5], s[::-1], s[::2], s[-5:], s[:100], s[5:2], s[1:-1:3])
print(s.find("o"), s.rfind("o"), s.index("W"), s.count("l"), s.find("zz"), "lo" in s, "x" not in s)
print(s.split(", "), "a b  c ".split(), "a,b,,c".split(","), "a b c".split(None, 1), "a,b,c".rsplit(",", 1))
print("  x  ".strip(), "xxhixx".strip("x"), "  a".lstrip(), "b  ".rstrip() + "|", "www.example.com".strip("cmowz."))
print(s.replace("l", "L"), s.replace("l", "L", 1), s.startswith("Hell"), s.endswith(("x", "ld")))
print("-".join(["a", "b", "c"]), "".join(reversed("abc")), ", ".join(str(i) for i in range(5)))
print("abc".center(9, "*"), "abc".ljust(6) + "|", "abc".rjust(6), "42".zfill(5), "-42".zfill(6))
print("a\tb".expandtabs(4), "one\ntwo\r\nthree".splitlines(), "x\ny\n".splitlines(True))
print("abc".isalpha(), "123".isdigit(), "a1".isalnum(), "   ".isspace(), "Ab".istitle(), "AB".isupper(),
      "ab".islower(), "_x1".isidentifier(), "1x".isidentifier(), "".isalpha())
print("a=b=c".partition("="), "a=b=c".rpartition("="), "abc".partition("x"))
print("prefix_body".removeprefix("prefix_"), "body.py".removesuffix(".py"))
print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\there\n"), repr("\x00\x7f\u00e9\u4e2d"))
u = "héllo wörld ☃ 中文"
print(u, len(u), u[1], u[-2:], u.upper(), u.encode("utf-8"), u.encode("utf-8").decode("utf-8") == u)
print(ord("€"), chr(8364), chr(65), ord("A"), [c for c in "añb"], "ñ" * 3, ascii("é☃"))
print("abc" < "abd", "Z" < "a", "é" > "z", sorted(["b", "a", "C", "é"]), max("hello"))
print("x" * 0, "ab" * 3, 3 * "z", "a" + "b", str(123) + str(4.5) + str(None) + str(True))
print("%s is %d years and %.1f%%" % ("Al", 42, 99.5), "%5s|%-5s|" % ("a", "b"), "%r" % "q", "%x %o %X" % (255, 8, 255))
print("%(name)s=%(val)03d" % {"name": "k", "val": 7}, "%c%c" % (72, "i"), "%+d % d" % (5, 5))
print("{} {}".format(1, 2), "{1} {0}".format("a", "b"), "{x}-{y}".format(x=1, y=2), "{:>5}|{:<5}|{:^5}|".format("a", "b", "c"))
print("{0[1]} {1[k]} {2.real}".format([1, 2], {"k": "v"}, 3), "{!r} {!s}".format("a", "b"), "{:*^11}".format("mid"))
name, n = "pi", 3.14159
print(f"{name}={n:.2f}", f"{name!r}", f"{n=}", f"{'nested'}", f"{{literal}}", f"{n:{'>'}{10}.{3}}", f"{3+4}")
print("tr".translate(str.maketrans("tr", "RT")), "hello".translate({ord("l"): None}), "abc".casefold())
print(str.join("-", "abc"), "a-b".split("-", maxsplit=0), "".split(","), " ".split())
try:
    "abc"[5]
except IndexError as e:
    print("IndexError:", e)
try:
    "abc".index("z")
except ValueError as e:
    print("ValueError:", e)
try:
    "a" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    "%d" % "x"
except TypeError as e:
    print("TypeError:", e)
try:
    "{} {}".format(1)
except IndexError as e:
    print("IndexError:", e)
b = b"bytes\x00\xff"
print(b, len(b), b[0], b[-1], b[1:3], list(b"ab"), b"a" + b"b", b"ab" * 2, bytes(3), bytes([65, 66]))
print(b.hex(), bytes.fromhex("4142"), b"a,b".split(b","), b"  x ".strip(), b"abc".upper(), b"x" in b"xyz", 120 in b"xyz")
ba = bytearray(b"abc")
ba.append(100)
ba[0] = 65
ba.extend(b"ef")
print(ba, len(ba), bytes(ba), ba.decode(), bytearray(2))
print("ä".encode("latin-1"), b"\xc3\xa4".decode("utf-8"), b"\xff".decode("utf-8", "replace"))
try:
    b"\xff".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
