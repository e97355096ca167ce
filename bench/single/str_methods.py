# str methods over many short ASCII strings (and a few non-ASCII ones): split, join,
# strip/lstrip/rstrip with and without chars, lower/upper, replace, startswith/endswith,
# find, `in`, slicing, f-strings and dict counting keyed by the results.
BASE = ("  Alpha, beta; GAMMA delta.  epsilon zeta-eta THETA iota, kappa lambda mu "
        "nu xi omicron: Pi rho sigma tau upsilon. phi chi psi omega  ")
EXTRA = " naïve café Straße ΣΊΣΥΦΟΣ "

def line(i):
    return f"{i:05d}|{BASE[i % 17:]}|{'x' * (i % 7)}|{EXTRA if i % 11 == 0 else ''} end."

def work(n):
    counts = {}
    total = 0
    for i in range(n):
        s = line(i)
        head, body, tail, extra = s.split("|")
        for w in body.split():
            k = w.strip(".,;:-").lower()
            counts[k] = counts.get(k, 0) + 1
            if k.startswith("p") or w.endswith("."):
                total += 1
            total += len(w.upper()) + len(w.lstrip("aA")) + len(w.rstrip(".,"))
        total += body.find("sigma") + ("omega" in body) + body.count("a")
        r = body.replace(", ", "/").replace("  ", " ")
        total += len(r) + len(r[3:-3]) + len(r[::2])
        total += len(" ".join(extra.split())) + len(extra.strip())
        if head.isdigit():
            total += int(head) % 7
        total += len(tail.rstrip("x")) + len(s.lower()) + len(s.upper())
    keys = sorted(counts)
    return total, len(keys), ",".join(f"{k}={counts[k]}" for k in keys[:6] + keys[-4:])

res = None
for rep in range(25):
    res = work(4000 + rep * 3)
print(res)
