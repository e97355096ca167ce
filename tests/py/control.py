# control flow: if/while/for with else, break/continue, comprehensions, conditional expressions
for i in range(10):
    if i % 2:
        continue
    if i > 6:
        break
    print("even", i)
else:
    print("not reached")
for i in range(3):
    pass
else:
    print("for-else ran", i)
n = 0
while n < 5:
    n += 1
    if n == 10:
        break
else:
    print("while-else ran", n)
while True:
    n -= 1
    if n < 2:
        break
print("n", n)
x = 5
print("big" if x > 3 else "small", "a" if x < 0 else "b" if x < 10 else "c")
if x == 1:
    print(1)
elif x == 5:
    print("five")
else:
    print("other")
print([i * i for i in range(5)], {i: i * i for i in range(3)}, {i % 2 for i in range(5)}, list(i for i in "ab"))
print([(i, j) for i in range(3) for j in range(i)], [i for i in range(20) if i % 3 == 0 if i % 2 == 0])
print(sum(x for x in range(101)), [[j for j in range(i)] for i in range(4)])
total = 0
for i in range(4):
    for j in range(4):
        if j > i:
            break
        total += j
print("total", total)
result = []
for i in range(3):
    try:
        if i == 1:
            continue
        result.append(i)
    finally:
        result.append("f%d" % i)
print(result)
def find(items, target):
    for i, item in enumerate(items):
        if item == target:
            return i
    return -1
print(find("abc", "c"), find("abc", "z"))
if (y := 10) > 5:
    print("walrus", y)
print([z for w in range(5) if (z := w * 2) > 4], z)
print(0 or "default", 1 and 2, None or 0 or [], not 0, not [1], 1 < 2 and 2 < 3)
a = b = c = 7
print(a, b, c)
a, b = b + 1, a - 1
print(a, b)
i = 0
while i < 3:
    i += 1
    for j in range(3):
        if j == 1:
            break
    else:
        print("never")
print("done", i)
assert True, "fine"
try:
    assert 1 == 2, "math is broken"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("bare AssertionError", repr(e))
del a
try:
    print(a)
except NameError as e:
    print("NameError:", e)
