# gilpy's demo: a little of everything the core runs.
import sys, time
from collections import Counter


class Shape:
    def __init__(self, name, sides):
        self.name, self.sides = name, sides

    def __repr__(self):
        return f"{self.name}({self.sides})"


def primes(limit):
    sieve = [True] * limit
    for n in range(2, limit):
        if sieve[n]:
            yield n
            for m in range(n * n, limit, n):
                sieve[m] = False


def countdown(n):
    while n > 0:
        n -= 1


print("gilpy", sys.version.split()[0], "—", sys.implementation.name)
shapes = [Shape("triangle", 3), Shape("square", 4), Shape("hexagon", 6)]
print("shapes:", sorted(shapes, key=lambda s: -s.sides))
print("primes below 50:", list(primes(50)))
print("2**200 =", 2 ** 200)
print("letters:", Counter("the global interpreter lock").most_common(3))
t0 = time.perf_counter()
countdown(5_000_000)
print("countdown(5,000,000) took %.2f s" % (time.perf_counter() - t0))
