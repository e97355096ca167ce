from __future__ import annotations
# Under PEP 563 annotations are kept as source text and never evaluated.
def f(x: list[Undefined], y: 'q') -> int | Foo: pass
print(f.__annotations__)
class C:
    a: Missing[int] = 1
print(C.__annotations__, C.a)
