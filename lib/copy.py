# copy — shallow and deep copies (CPython's Lib/copy.py is the reference for behaviour;
# this is gilpy's own code).
#
# Invariants:
#  * Immutable atoms (numbers, strings, bytes, None, types, functions, ranges...) are
#    returned as they are by both copy() and deepcopy().
#  * Anything else goes through the same protocol as pickling: a class's __copy__ /
#    __deepcopy__, then copyreg.dispatch_table, then __reduce_ex__(4) (in gilpy a class
#    without its own one gets copyreg.reduce_object, what CPython's object.__reduce_ex__
#    computes), then __reduce__; the reduction is rebuilt by _reconstruct.
#  * deepcopy keeps a memo keyed by id(): every object reached twice is copied once (so
#    shared and cyclic structure is preserved), and the originals are kept alive in the
#    memo for as long as it lives, so that no id() is reused while it is consulted.
import copyreg

__all__ = ["Error", "copy", "deepcopy"]


class Error(Exception):
    pass


error = Error  # the old name, kept by CPython too


import builtins as _b

# Returned as they are: by copy() (immutable), and by deepcopy() (CPython's lists; a
# slice or a frozenset is deep-copied through its reduction, as there).
_DEEP_ATOMIC = {type(None), int, float, bool, str, bytes, type, range, type(len),
                type(Ellipsis), type(NotImplemented), property}
if hasattr(_b, "complex"):
    _DEEP_ATOMIC.add(_b.complex)
_COPY_ATOMIC = _DEEP_ATOMIC | {tuple, frozenset, slice}
_ATOMIC_NAMES = ("function", "code", "weakref", "ReferenceType")


def _is_atomic(cls, deep):
    return cls in (_DEEP_ATOMIC if deep else _COPY_ATOMIC) or cls.__name__ in _ATOMIC_NAMES


def _own_dict(x):
    return getattr(x, "__dict__", None) or None


# The reductions CPython's native types give (gilpy's lack __reduce__).
_NATIVE_REDUCE = {
    set: lambda x, cls: (cls, (list(x),), _own_dict(x)),
    frozenset: lambda x, cls: (cls, (list(x),), _own_dict(x)),
    bytearray: lambda x, cls: (cls, (bytes(x),), _own_dict(x)),
    slice: lambda x, cls: (cls, (x.start, x.stop, x.step)),
}


def _reduce(x, cls):
    reductor = copyreg.dispatch_table.get(cls)
    if reductor is not None:
        return reductor(x)
    reductor = getattr(cls, "__reduce_ex__", None)
    if reductor is not None:
        return reductor(x, 4)
    reductor = getattr(cls, "__reduce__", None)
    if reductor is not None and reductor is not getattr(object, "__reduce__", None):
        return reductor(x)
    for base in cls.__mro__:
        native = _NATIVE_REDUCE.get(base)
        if native is not None:
            return native(x, cls)
    # object.__reduce_ex__(4): its TypeError ("cannot pickle ...") propagates, as there
    return copyreg.reduce_object(x, 4)


def copy(x):
    """A shallow copy of x."""
    cls = type(x)
    if _is_atomic(cls, False):
        return x
    if cls in (list, dict, set, bytearray):
        return x.copy()
    if issubclass(cls, type):
        return x
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    rv = _reduce(x, cls)
    if isinstance(rv, str):
        return x
    return _reconstruct(x, None, *rv)


def deepcopy(x, memo=None, _nil=[]):
    """A deep copy of x; memo maps id(original) to its copy (shared across calls)."""
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    if _is_atomic(cls, True) or issubclass(cls, type):
        y = x
    elif cls is list:
        y = []
        memo[d] = y
        for a in x:
            y.append(deepcopy(a, memo))
    elif cls is dict:
        y = {}
        memo[d] = y
        for key, value in x.items():
            y[deepcopy(key, memo)] = deepcopy(value, memo)
    elif cls is tuple:
        items = [deepcopy(a, memo) for a in x]
        # a cycle through the tuple may have copied it already
        try:
            return memo[d]
        except KeyError:
            pass
        y = x if all(i is j for i, j in zip(items, x)) else tuple(items)
    elif cls.__name__ == "method" and hasattr(x, "__func__") and hasattr(x, "__self__"):
        y = cls(x.__func__, deepcopy(x.__self__, memo))
    else:
        copier = getattr(x, "__deepcopy__", None)
        if copier is not None:
            y = copier(memo)
        else:
            rv = _reduce(x, cls)
            if isinstance(rv, str):
                y = x
            else:
                y = _reconstruct(x, memo, *rv)
    if y is not x:
        memo[d] = y
        _keep_alive(x, memo)
    return y


def _keep_alive(x, memo):
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


def _reconstruct(x, memo, func, args, state=None, listiter=None, dictiter=None):
    deep = memo is not None
    if deep and args:
        args = deepcopy(args, memo)
    y = func(*args)
    if deep:
        memo[id(x)] = y
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        if hasattr(y, "__setstate__"):
            y.__setstate__(state)
        else:
            slotstate = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            if state is not None:
                y.__dict__.update(state)
            if slotstate is not None:
                for key, value in slotstate.items():
                    setattr(y, key, value)
    if listiter is not None:
        for item in listiter:
            y.append(deepcopy(item, memo) if deep else item)
    if dictiter is not None:
        for key, value in dictiter:
            if deep:
                key, value = deepcopy(key, memo), deepcopy(value, memo)
            y[key] = value
    return y
