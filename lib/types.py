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
