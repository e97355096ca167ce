# GMP chains its scratch blocks through pointers stored inside them; the collector must
# see those while a big multiplication runs (FFT-sized products: binomials, repeated
# squaring). gilpy used to allocate small GMP blocks unscanned and crashed or hung here.
import math
x = math.comb(10**6, 10**5)
print(x % 1000003)
for k in range(1, 4):
    x = math.comb(10**6, 10**5 + k)
    print(x % 1000003)
y = 3
for i in range(25):
    y = y * y
print(y % 1000003 == pow(3, 2**25, 1000003), y.bit_length())
