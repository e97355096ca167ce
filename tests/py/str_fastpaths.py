# Edge cases of the native str fast paths: ASCII lower/upper a word at a time, strip
# with an ASCII chars bitmap (also over non-ASCII text), whitespace split, and short
# byte comparisons (==, dict keys, startswith/endswith, find/replace/count).
def digest(xs):
    # a checksum of the repr (the lists are too long to print; no hashlib here)
    h = 0
    for b in repr(xs).encode("utf-8"):
        h = (h * 131 + b) % 2305843009213693951
    return h

# --- lower / upper: every ASCII byte at every position of strings of length 1..19 ----
ALL = "".join(chr(c) for c in range(128))
res = []
for n in range(1, 20):
    for c in range(128):
        for pos in {0, n // 2, n - 1}:
            s = "m" * pos + chr(c) + "M" * (n - pos - 1)
            res.append((s.lower(), s.upper()))
            t = "." * pos + chr(c) + "5" * (n - pos - 1)
            res.append((t.lower(), t.upper()))
print("case", len(res), digest(res))
for s in ["", "a", "A", "@[`{", "AZaz", "ABCDEFGH", "abcdefgh", "ABCDEFGHI", "abcdefghi",
          "12345678", "1234567A", "A1234567", "x" * 15 + "Q", "Q" + "x" * 16, ALL,
          "Straße", "ÀÉÎõü", "ΣΊΣΥΦΟΣ", "aßc" * 5, "İ", "ﬀ"]:
    print(repr(s.lower()), repr(s.upper()), s.lower() == s, s.upper() == s)

# non-ASCII lower/upper/casefold: every code point below U+3000 and a sample above,
# between ASCII letters; capital sigma in final and non-final positions
nres = []
for cp in list(range(0x80, 0x3000)) + list(range(0x3000, 0x110000, 97)):
    if 0xD800 <= cp < 0xE000:
        continue
    t = "aZ" + chr(cp) + "Qz"
    nres.append((t.lower(), t.upper(), t.casefold()))
print("noncase", len(nres), digest(nres))
for t in ["ΣΑΣ", "σας Σ", "ΑΣ.", "Σ", "aΣ", "aΣb", "ὈΔΥΣΣΕΎΣ", "Ǆǅǆ", "ŉ", "ΐ", "ﬃ ß ẞ", "ÿŸ", "K", "Å", "ı İ"]:
    print(repr(t.lower()), repr(t.upper()), repr(t.casefold()), repr(t.title()), repr(t.swapcase()))

# --- strip family with chars ----------------------------------------------------------
texts = ["", ".", "..", "abc", ".,abc,.", "...", ",.,.,", "xyzzyx", " \t a b \n ",
         "\x00a\x00", "\x7fa\x7f", "?@a@?", "naïve..", "..café", ".ß.", "éé", "ééaéé",
         ".,é,.", "Σ.Σ", "\x80a\x80", "?a?", "a" * 20 + "." * 20, "pa\U0001F600é", "ééaxΣä"]
charsets = ["", ".", ".,", ",.", "..", "abc", "xyz", "\x00", "\x7f", "?@", "@?",
            " \t\n", "é", ".é", "éa", "ß.", "Σ", "\x80", "\x3f\x40\x7f\x00", "a" * 30,
            "é" + "bcdefghijklmnop", "é" + "bcdefghijklmnopa", "éàüöäßΣ.x" * 3, "\U0001F600a"]
out = []
for t in texts:
    for cs in charsets:
        out.append((t.strip(cs), t.lstrip(cs), t.rstrip(cs)))
    out.append((t.strip(), t.lstrip(), t.rstrip(), t.strip(None)))
print("strip", len(out), digest(out))
for t in [".,é,.", "éé", "...", "Σ.Σ", "naïve.."]:
    print(repr(t.strip(".,")), repr(t.strip("é")), repr(t.lstrip(".é")), repr(t.rstrip(".")))
print(repr("....".strip(".")), repr("aaaa".lstrip("a")), repr("aaaa".rstrip("a")))
print(repr(" \x1c\x1d\x1e\x1f\x85\u3000 x ".strip()), repr("\x0b\x0cx\r\n".strip()))

# --- whitespace split: every ASCII byte as a separator, plus non-ASCII spaces ---------
sp = []
for c in range(128):
    s = "a" + chr(c) + "b" + chr(c) + chr(c) + "cd" + chr(c)
    sp.append((c, s.split(), s.split(None, 1), s.rsplit(None, 1), chr(c).split()))
print("split", digest(sp))
alpha = "ab \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x08\x0e\x1b!\x7f\x00 "
x = 12345
spl = []
for n in list(range(0, 41)) + [63, 64, 65, 200]:
    for rep in range(12):
        chars = []
        for _ in range(n):
            x = (x * 1103515245 + 12345) % 2147483648
            chars.append(alpha[(x >> 16) % len(alpha)])
        t = "".join(chars)
        spl.append((t.split(), len(t.split())))
print("split2", len(spl), digest(spl))
print([c for c in range(128) if chr(c).isspace()])
print("a\x85b\u2028c\u3000d é".split(), "  ".split(), "".split(), " x ".split())
print("\x1c a \x1f b".split(), "x\u00a0y".split())

# --- short equality: keys differing at each position of lengths 0..24 ----------------
eqs = []
for n in range(25):
    base = "".join(chr(97 + (i * 7) % 26) for i in range(n))
    d = {base: n}
    for i in range(n):
        other = base[:i] + chr(ord(base[i]) ^ 1) + base[i + 1:]
        eqs.append((n, i, other == base, other in d, d.get(other), other != base))
        eqs.append((base.startswith(other), base.endswith(other),
                    (base + "!").startswith(other), ("!" + base).endswith(other)))
    copy = "".join(list(base))
    eqs.append((copy == base, d.get(copy), copy in d, base.startswith(copy), base.endswith(copy)))
    eqs.append((base.startswith(base[: n // 2]), base.endswith(base[n // 2:]),
                base.startswith(base[1:]), base.endswith(base[:-1])))
print("eq", len(eqs), digest(eqs))
print("abc".startswith(""), "".startswith(""), "".endswith("a"), "ab".startswith("abc"),
      "héllo".startswith("hé"), "héllo".endswith("llo"), "héllo".startswith("h\u00e9l", 0, 3))

# --- find / count / replace with short needles ---------------------------------------
hay = "abracadabra, abracadabra! ab-ra cad abra" * 3
fr = []
for nd in ["a", "ab", "abr", "abra", "abrac", "cadabra", "bra, a", "zz", "a!", "ra cad abra",
           "abracadabra! ab-ra", "", "é"]:
    fr.append((hay.find(nd), hay.rfind(nd), hay.count(nd), hay.replace(nd, "<>")[:60],
               nd in hay, hay.find(nd, 5, 40)))
print("find", digest(fr))
print("ééaéé".find("a"), "ééaéé".replace("é", "e"), "x.y.z".replace(".", ", "))

# --- dict lookups of str keys next to other keys of the same hash --------------------
class Alias:
    def __init__(self, s):
        self.s = s
    def __hash__(self):
        return hash(self.s)
    def __eq__(self, other):
        print("  Alias.__eq__", self.s, type(other).__name__)
        return other == self.s

class S(str):
    pass

d = {Alias("key"): 1, "other": 2}
print(d.get("key"), d["key"], "key" in d, d.get("nope", 0))
d2 = {S("abc"): 5}
print(d2.get("abc"), d2["abc"], "abc" in d2, d2.get(S("abc")), type(list(d2)[0]).__name__)
d3 = {"abc": 7}
print(d3.get(S("abc")), d3[S("abc")], d3.get("ab" + "c"), d3.get("abd"))
class M(dict):
    def __missing__(self, k):
        return "missing " + k
m = M(a=1)
print(m["a"], m["zz"], m.get("zz"))
try:
    {"a": 1}["b"]
except KeyError as e:
    print("KeyError", e)
