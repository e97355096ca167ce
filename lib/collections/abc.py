"""collections.abc — abstract base classes for containers (checks by duck typing)."""


class _ABCMeta(type):
    _methods = ()

    def __instancecheck__(cls, obj):
        return cls.__subclasscheck__(type(obj))

    def __subclasscheck__(cls, sub):
        if cls in getattr(sub, "__mro__", ()):
            return True
        return all(any(m in vars(k) for k in getattr(sub, "__mro__", ())) for m in cls._methods)


def _abc(name, methods, bases=()):
    return _ABCMeta(name, bases or (object,), {"_methods": methods})


Hashable = _abc("Hashable", ("__hash__",))
Iterable = _abc("Iterable", ("__iter__",))
Iterator = _abc("Iterator", ("__iter__", "__next__"))
Reversible = _abc("Reversible", ("__iter__", "__reversed__"))
Generator = _abc("Generator", ("__iter__", "__next__", "send", "throw", "close"))
Sized = _abc("Sized", ("__len__",))
Container = _abc("Container", ("__contains__",))
Callable = _abc("Callable", ("__call__",))
Collection = _abc("Collection", ("__len__", "__iter__", "__contains__"))
Sequence = _abc("Sequence", ("__getitem__", "__len__", "__iter__", "__contains__"))
MutableSequence = _abc("MutableSequence", ("__getitem__", "__setitem__", "__delitem__", "__len__", "insert"))
Set = _abc("Set", ("__len__", "__iter__", "__contains__", "isdisjoint"))
MutableSet = _abc("MutableSet", ("__len__", "__iter__", "__contains__", "add", "discard"))
Mapping = _abc("Mapping", ("__getitem__", "__len__", "__iter__", "keys", "items", "values", "get"))
MutableMapping = _abc("MutableMapping", ("__getitem__", "__setitem__", "__delitem__", "__len__", "__iter__", "keys"))
