# Exceptions as control flow: raising and catching within a frame, across frames, with
# finally blocks, custom exception classes and dict lookups that miss (KeyError).
class NotFound(Exception):
    def __init__(self, key):
        super().__init__(key)
        self.key = key

def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        raise NotFound(k)

def deep(n):
    if n == 0:
        raise ValueError("bottom")
    return deep(n - 1)

def run():
    d = {i: i * i for i in range(0, 1000, 2)}
    hits = misses = cleanups = 0
    for rep in range(400):
        for k in range(1000):
            try:
                hits += lookup(d, k) & 1
            except NotFound as e:
                misses += e.key & 1
            finally:
                cleanups += 1
        for depth in range(0, 40, 4):
            try:
                deep(depth)
            except ValueError as e:
                misses += len(e.args)
        for s in ("1", "x", "22", "", "3.5"):
            try:
                hits += int(s)
            except ValueError:
                misses += 1
    return hits, misses, cleanups

print(run())
