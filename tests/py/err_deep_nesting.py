# Regression (issue 4, hardening): data nested 100,000 deep must give RecursionError from
# repr, str, comparison and formatting — gilpy overflowed the C stack in str() of a
# nested list and in == of two nested lists. (Hashing a deep tuple crashes CPython 3.11
# itself, so it is not compared here; tests/threads/stress_recursion_threads.py covers
# recursion in every thread.)
def deep(mk, n=100000):
    x = None
    for _ in range(n):
        x = mk(x)
    return x

cases = [
    ("list repr", lambda: repr(deep(lambda x: [x]))),
    ("dict repr", lambda: repr(deep(lambda x: {1: x}))),
    ("tuple str", lambda: str(deep(lambda x: (x,)))),
    ("list ==", lambda: deep(lambda x: [x]) == deep(lambda x: [x])),
    ("tuple <", lambda: deep(lambda x: (x,)) < deep(lambda x: (x,))),
    ("list in", lambda: deep(lambda x: [x]) in [deep(lambda x: [x])]),
    ("exception str", lambda: str(ValueError(deep(lambda x: [x])))),
    ("format", lambda: "{}".format(deep(lambda x: [x]))),
    ("f-string", lambda: f"{deep(lambda x: [x])!r}"),
]
for name, f in cases:
    try:
        f()
        print(name, "no error")
    except RecursionError as e:
        print(name, "RecursionError", str(e).startswith("maximum recursion depth exceeded"))
# the interpreter is still fine afterwards
print(repr([[1, [2]], (3,)]), [[1]] == [[1]])
