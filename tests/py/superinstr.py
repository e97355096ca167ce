# Pairs the compiler fuses into superinstructions (LOAD_FAST+LOAD_FAST, LOAD_FAST+
# LOAD_CONST, LOAD_CONST+LOAD_FAST, STORE_FAST+LOAD_FAST, STORE_FAST+STORE_FAST,
# COMPARE_OP+POP_JUMP_IF_*): results, and errors raised by the second half (reported at
# its line, caught by a handler that starts there).
import sys

def f_unbound_second():
    a = 1
    if False:
        b = 2
    try:
        return a + b          # LOAD_FAST a, LOAD_FAST b: b unbound in the second half
    except UnboundLocalError as e:
        return "caught: " + str(e)

def f_unbound_first():
    if False:
        a = 1
    b = 2
    try:
        return a + b
    except UnboundLocalError as e:
        return "caught: " + str(e)

def f_boundary():
    x = 1
    try:
        y = x                 # STORE_FAST x... LOAD_FAST across the try boundary
        del x
        return x
    except UnboundLocalError:
        return "boundary ok", y

class BadBool:
    def __bool__(self):
        raise ValueError("no truth")

class Cmp:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        if other.v is None:
            raise TypeError("cannot compare with None")
        return BadBool() if other.v == "bad" else self.v < other.v

def f_compare_jump():
    out = []
    for a, b in ((1, 2), (2, 1), (1.5, 2.5), (2.5, 1.5), (1, 2.0), ("a", "b"), ([1], [2])):
        if a < b:
            out.append("lt")
        else:
            out.append("ge")
        while a > b:
            out.append("loop")
            break
    try:
        if Cmp(1) < Cmp(None):
            pass
    except TypeError as e:
        out.append("compare raised: " + str(e))
    try:
        if Cmp(1) < Cmp("bad"):
            pass
    except ValueError as e:
        out.append("truth raised: " + str(e))
    try:
        if 1 < "x":
            pass
    except TypeError as e:
        out.append(str(e))
    return out

def f_swap():
    a, b = 1, 2               # STORE_FAST, STORE_FAST
    a, b = b, a
    c = d = a + b             # STORE_FAST c, STORE_FAST d via COPY
    return a, b, c, d

def f_consts(n):
    total = 0
    i = 0
    while i < n:              # LOAD_FAST i, LOAD_FAST n, COMPARE_OP, POP_JUMP
        total += 3 * i        # LOAD_CONST 3, LOAD_FAST i
        i += 1                # LOAD_FAST i, LOAD_CONST 1
    return total

def f_traceback():
    if False:
        z = 0
    q = 1
    return q + z              # the error line is this one

print(f_unbound_second())
print(f_unbound_first())
print(f_boundary())
print(f_compare_jump())
print(f_swap())
print(f_consts(1000))
try:
    f_traceback()
except UnboundLocalError as e:
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print("line", tb.tb_lineno, e)
f_traceback()
