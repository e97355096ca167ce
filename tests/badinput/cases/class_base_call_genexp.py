# A call among the class bases takes a bare generator: valid; its 'for' is not the
# class's (gilpy rejected it as invalid syntax).
def f(g):
    return object
class A(f(x for x in [1])): pass
class B(A, f((y) for y in [2])): pass
print(A.__mro__, B.__mro__)
