# types — names for the interpreter's built-in types, and SimpleNamespace (CPython's
# Lib/types.py is the reference for behaviour; this is gilpy's own code).
#
# Invariants: every name is the type of a real object of that kind, taken from one made
# here (so it is the interpreter's own type, whatever its internals call it); none is a
# stand-in class. Kinds gilpy does not have (coroutines, async generators, frames and
# tracebacks as objects, cells) are not defined, so `types.X` fails loudly instead of
# naming a type no object has.
import sys


def _f():
    pass


def _g():
    yield 1


class _C:
    def _m(self):
        pass


FunctionType = type(_f)
LambdaType = type(lambda: None)
CodeType = type(_f.__code__)
GeneratorType = type(_g())
MethodType = type(_C()._m)
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
ModuleType = type(sys)
NoneType = type(None)
EllipsisType = type(Ellipsis)
NotImplementedType = type(NotImplemented)

del _f, _g, _C


class SimpleNamespace:
    """An object whose attributes are set from keyword arguments; equal to another
    SimpleNamespace with the same attributes; repr namespace(a=1, b=2) in the order the
    attributes were set."""

    def __init__(self, *args, **kwargs):
        if args:
            raise TypeError("no positional arguments expected")
        self.__dict__.update(kwargs)

    def __repr__(self):
        # a namespace that contains itself prints namespace(...) there, as in CPython
        ident = id(self)
        if ident in _repr_running:
            return "namespace(...)"
        _repr_running.add(ident)
        try:
            items = ("%s=%r" % (k, v) for k, v in self.__dict__.items())
            name = "namespace" if type(self) is SimpleNamespace else type(self).__name__
            return "%s(%s)" % (name, ", ".join(items))
        finally:
            _repr_running.discard(ident)

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented

    __hash__ = None

    def __reduce__(self):
        return (type(self), (), dict(self.__dict__))


_repr_running = set()


def new_class(name, bases=(), kwds=None, exec_body=None):
    """Creates a class as a class statement with these bases and keywords would."""
    kwds = dict(kwds) if kwds else {}
    meta = kwds.pop("metaclass", type(bases[0]) if bases else type)
    ns = {}
    if exec_body is not None:
        exec_body(ns)
    return meta(name, tuple(bases), ns, **kwds)


# ---- PEP 585 and PEP 604 ---------------------------------------------------------
# list[int] and int | None: objects/abstract.cpp calls _generic_alias for a subscripted
# built-in container type (list, dict, tuple, set, frozenset, type) and _union for `|`
# between types and None, so GenericAlias and UnionType are the types of those objects.

def _type_repr(obj):
    if obj is None or obj is NoneType:
        return 'None'
    if isinstance(obj, type) and not isinstance(obj, GenericAlias):
        if obj.__module__ == 'builtins':
            return obj.__qualname__
        return '%s.%s' % (obj.__module__, obj.__qualname__)
    if obj is ...:
        return '...'
    return repr(obj)


class GenericAlias:
    """A parameterized generic (list[int]): calls, subclassing and attributes go to the
    origin class; isinstance() refuses it, as CPython's does."""

    def __init__(self, origin, args):
        if not isinstance(args, tuple):
            args = (args,)
        self.__origin__ = origin
        self.__args__ = args
        self.__parameters__ = tuple(a for a in args if hasattr(a, '__typing_subst__'))

    def __repr__(self):
        if not self.__args__:
            args = '()'
        else:
            args = ', '.join(_type_repr(a) for a in self.__args__)
        return '%s[%s]' % (_type_repr(self.__origin__), args)

    def __call__(self, *args, **kwargs):
        result = self.__origin__(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except Exception:
            pass
        return result

    def __mro_entries__(self, bases):
        return (self.__origin__,)

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash(self.__origin__) ^ hash(self.__args__)

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return getattr(self.__origin__, name)

    def __instancecheck__(self, obj):
        raise TypeError('isinstance() argument 2 cannot be a parameterized generic')

    def __subclasscheck__(self, cls):
        raise TypeError('issubclass() argument 2 cannot be a parameterized generic')

    def __or__(self, other):
        return _union(self, other)

    def __ror__(self, other):
        return _union(other, self)

    def __reduce__(self):
        return GenericAlias, (self.__origin__, self.__args__)


def _unionable(obj):
    return obj is None or isinstance(obj, (type, GenericAlias, UnionType))


class UnionType:
    """int | str: isinstance() and issubclass() accept it; its args are flattened and
    without repeats, and a union of one type is that type."""

    def __init__(self, args):
        self.__args__ = args
        self.__parameters__ = ()

    def __repr__(self):
        return ' | '.join(_type_repr(a) for a in self.__args__)

    def __eq__(self, other):
        if not isinstance(other, UnionType):
            return NotImplemented
        return set(self.__args__) == set(other.__args__)

    def __hash__(self):
        return hash(frozenset(self.__args__))

    def __or__(self, other):
        return _union(self, other)

    def __ror__(self, other):
        return _union(other, self)

    def __instancecheck__(self, obj):
        for arg in self.__args__:
            if isinstance(arg, GenericAlias):
                raise TypeError('isinstance() argument 2 cannot be a parameterized generic')
        return isinstance(obj, self.__args__)

    def __subclasscheck__(self, cls):
        for arg in self.__args__:
            if isinstance(arg, GenericAlias):
                raise TypeError('issubclass() argument 2 cannot be a parameterized generic')
        return issubclass(cls, self.__args__)


def _generic_alias(origin, args):
    return GenericAlias(origin, args)


def _union(a, b):
    if not (_unionable(a) and _unionable(b)):
        return NotImplemented
    args = []
    for part in (a, b):
        items = part.__args__ if isinstance(part, UnionType) else (part,)
        for item in items:
            if item is None:
                item = NoneType
            if item not in args:
                args.append(item)
    if len(args) == 1:
        return args[0]
    return UnionType(tuple(args))


GenericAlias.__module__ = 'types'
UnionType.__module__ = 'types'
