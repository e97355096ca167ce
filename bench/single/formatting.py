# String building and formatting: f-strings, %-format, str.format, join, split, replace,
# encode/decode, and str methods over many short strings.
def render(rows):
    out = []
    for i, (name, qty, price) in enumerate(rows):
        out.append(f"{i:04d} {name:<12} {qty:>5} {price:10.2f} {qty * price:12.3e}")
        out.append("%-8s|%6d|%8.3f" % (name[:8], qty, price))
        out.append("{0}:{1!r}:{2:x}".format(name, qty, qty * 255))
    return "\n".join(out)

names = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
total = 0
for rep in range(100):
    rows = [(names[(i + rep) % 8] * (1 + i % 3), i * 7 % 1000, i * 1.25 + rep) for i in range(1500)]
    text = render(rows)
    total += len(text)
    words = text.replace("|", " ").split()
    total += sum(1 for w in words if w.isdigit())
    total += len(text.upper().encode("utf-8").decode("utf-8").lower())
    total += text.count("alpha") + text.find("theta")
print(total)
