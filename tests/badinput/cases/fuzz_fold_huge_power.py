# fuzz_compile (UBSan): folding a constant power with a huge exponent overflowed int64
# in the compiler's size estimate. Never executed, only compiled.
if 0:
    x = 11*1111111111111**1110002153233111111111+1
    y = 7 ** 9999999999999999999
print("compiled")
