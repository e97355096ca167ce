# scoping rules: locals, globals, nonlocal, closures, class scopes, comprehension scopes
x = "global"
def read_global():
    return x
def shadow():
    x = "local"
    return x
def unbound():
    try:
        print(x)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    x = 1
print(read_global(), shadow(), x)
unbound()
def outer():
    v = "outer"
    def middle():
        def inner():
            nonlocal v
            v = "changed by inner"
        inner()
        return v
    return middle(), v
print(outer())
class K:
    attr = "class attr"
    def method(self):
        try:
            return attr
        except NameError as e:
            return "NameError: " + str(e)
print(K().method())
def make_counters():
    fns = []
    for i in range(3):
        def f(i=i):
            return i
        fns.append(f)
    return [f() for f in fns]
print(make_counters())
y = 10
print([y for y in range(3)], y)
def class_in_func():
    val = 5
    class Inner:
        v = val
        def get(self):
            return val
    return Inner.v, Inner().get()
print(class_in_func())
def gen_scope():
    base = 100
    return list(base + i for i in range(3))
print(gen_scope())
def del_local():
    a = 1
    del a
    try:
        return a
    except UnboundLocalError as e:
        return str(e)
print(del_local())
counter = 0
def bump():
    global counter
    counter += 1
    return counter
bump(); bump()
print(counter)
def closure_loop():
    return [(lambda: j)() for j in range(3)]
print(closure_loop())
def super_in_nested():
    class A:
        def f(self): return "A"
    class B(A):
        def f(self):
            parent = super().f()
            return [parent + str(i) for i in range(2)]
    return B().f()
print(super_in_nested())
