# huge ints work; the int->str digit limit of 3.11 applies
x = 10 ** 5000
print(x.bit_length(), x % 97, len(str(10 ** 4000)))
str(x)
