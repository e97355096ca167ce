# typing against CPython 3.11: reprs of subscripted forms, Union/Optional rules, get_origin/get_args,
# Generic classes, NamedTuple/TypedDict class syntax, Protocol, overload, NewType, get_type_hints.
from typing import (Any, Callable, ClassVar, Dict, Final, Generic, Iterable, Iterator, List,
                    Literal, Mapping, NamedTuple, Optional, Protocol, Sequence, Set, Tuple,
                    Type, TypedDict, TypeVar, Union, cast, get_args, get_origin,
                    get_type_hints, overload, Annotated, NewType, TYPE_CHECKING)
import typing
T = TypeVar('T')
K = TypeVar('K', bound=int)
print(List[int], Dict[str, List[int]], Optional[int], Union[int, str], Union[int, None, str],
      Tuple[int, ...], Tuple[int, str], Tuple[()], Callable[[int, str], bool], Callable[..., int])
print(Any, List, Optional, T, K, Literal['a', 1], Type[int], ClassVar[int], Final[str], Annotated[int, 'meta'])
print(Union[int], Union[int, int], Union[int, Union[str, float]] == Union[int, str, float], Optional[Optional[int]])
print(get_origin(List[int]), get_args(Dict[str, int]), get_origin(Optional[int]), get_args(Union[int, str]),
      get_args(Callable[[int], str]), get_origin(Annotated[int, 'x']), get_origin(int), get_args(int))
print(isinstance([], List), isinstance({}, Mapping), isinstance(3, Union[int, str]), issubclass(list, Sequence))
try:
    List[int]()
except TypeError as e: print(e)
try:
    isinstance([], List[int])
except TypeError as e: print(e)

class Box(Generic[T]):
    def __init__(self, item: T):
        self.item = item
    def get(self) -> T:
        return self.item
print(Box[int], Box(3).get(), Box[str]('x').item, Box.__parameters__)
class IntBox(Box[int]):
    pass
print(IntBox(5).item, IntBox.__mro__[1].__name__)

class Point(NamedTuple):
    x: int
    y: int = 0
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)
p = Point(3)
print(p, p.norm(), Point._fields, Point.__annotations__, p._replace(y=4), isinstance(p, tuple))
Pair = NamedTuple('Pair', [('a', int), ('b', str)])
print(Pair(1, 'x'))

class Movie(TypedDict):
    title: str
    year: int
m = Movie(title='X', year=2000)
print(m, type(m).__name__, Movie.__annotations__, sorted(Movie.__required_keys__))
class Partial(TypedDict, total=False):
    note: str
print(sorted(Partial.__optional_keys__), Partial.__total__)

class Closeable(Protocol):
    def close(self) -> None: ...
class Resource:
    def close(self) -> None:
        print('closed')
def shut(r: Closeable) -> None:
    r.close()
shut(Resource())

@overload
def twice(x: int) -> int: ...
@overload
def twice(x: str) -> str: ...
def twice(x):
    return x * 2
print(twice(2), twice('a'))
UserId = NewType('UserId', int)
print(UserId(5), UserId)
print(cast(int, 'x'), TYPE_CHECKING)

class Hinted:
    a: int
    b: 'List[str]'
    c: Optional[float] = None
def fn(x: 'int', y: Dict[str, int]) -> None: pass
print(get_type_hints(Hinted), get_type_hints(fn))
def process(items: Iterable[int]) -> Iterator[int]:
    for i in items:
        yield i * 2
print(list(process([1, 2])), process.__annotations__)
from dataclasses import dataclass, field
@dataclass
class Config:
    name: str
    tags: List[str] = field(default_factory=list)
    level: Optional[int] = None
    VERSION: ClassVar[int] = 1
print(Config('c'), [f for f in Config.__dataclass_fields__])
