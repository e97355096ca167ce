# Function annotations (evaluated at definition time, in the defining scope, CPython's order)
# and class/module annotations with PEP 585/604 types; __future__ importable.
def f(a: int, /, b: 'str' = 'x', *args: float, c: list[int], d: int | None = None, **kw: dict) -> bool:
    return True
print(f.__annotations__)
def g(x, y): pass
print(g.__annotations__)
class K:
    def m(self, __p: int) -> 'K': pass
print(K.m.__annotations__)
def outer():
    T = int
    def inner(x: T) -> T: return x
    return inner
print(outer().__annotations__)
try:
    def h(x: undefined_name): pass
except NameError as e: print('NameError', e)
import dataclasses
print(f(1, c=[]))
import __future__
print(__future__.annotations.getMandatoryRelease(), __future__.division)
class Node:
    value: int
    children: 'list[Node]'
    def add(self, child: 'Node') -> None: pass
print(Node.__annotations__, Node.add.__annotations__)
lam = lambda x: x
print(lam.__annotations__)
f.__annotations__ = {'changed': 1}
print(f.__annotations__)
