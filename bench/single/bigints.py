# Big integer arithmetic: factorials, Fibonacci by doubling, modular exponentiation and
# digit sums (GMP-backed ints; str() of large values).
import sys
sys.set_int_max_str_digits(0)

def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

def fib_doubling(n):
    a, b = 0, 1
    for bit in bin(n)[2:]:
        c = a * (2 * b - a)
        d = a * a + b * b
        a, b = (d, c + d) if bit == '1' else (c, d)
    return a

total = 0
for k in range(60):
    f = fact(2500 + 10 * k)
    total += sum(int(ch) for ch in str(f))
    total += fib_doubling(200000 + k) % 1000003
    total += pow(3, 10**6 + k, 2**127 - 1) % 97
    total ^= (f >> 1000) & 0xFFFF
print(total)
