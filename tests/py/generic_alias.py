# PEP 585 and PEP 604 against CPython 3.11: list[int] and friends are types.GenericAlias,
# int | None is types.UnionType; both in annotations, dataclasses, isinstance, subclassing.
import types
from dataclasses import dataclass, field
print(list[int], dict[str, list[int]], tuple[int, ...], set[frozenset[str]], type[int], tuple[()])
print(list[int]([1, 2]), list[int].__origin__, dict[str, int].__args__, type(list[int]))
print(list[int] == list[int], list[int] == list[str], hash(list[int]) == hash(list[int]))
print(int | None, None | int, int | str | None, (int | str) | (str | bytes), int | int, type(int | None))
print(isinstance(3, int | str), isinstance(None, int | None), isinstance(2.0, int | str), issubclass(bool, int | str))
print(list[int] | None, int | list[str])
class Point: pass
print(list[Point], Point | None)
try:
    isinstance([], list[int])
except TypeError as e: print(e)
try:
    int | 'str'
except TypeError as e: print(e)
class MyList(list[int]):
    pass
print(MyList.__bases__, MyList([1]))
@dataclass
class Inventory:
    items: list[str] = field(default_factory=list)
    count: int | None = None
    tags: dict[str, set[int]] = field(default_factory=dict)
print(Inventory(), Inventory.__doc__)
x: dict[str, int] = {}
print(__annotations__)
print(types.GenericAlias(list, (int,)), (int | str).__args__, repr(int | None) == 'int | None')
import collections
print(collections.deque[int], collections.defaultdict[str, list[int]], collections.OrderedDict[str, int], collections.Counter[str])
