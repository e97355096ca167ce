"""copyreg — pickle support helpers, after CPython's Lib/copyreg.py: the dispatch
table for pickle/copy, __newobj__/__newobj_ex__/_reconstructor, _slotnames, the
extension registry, and (gilpy) reduce_object: object.__reduce_ex__'s logic.

Invariants: reduce_object(obj, proto) returns exactly the tuple CPython 3.11's
object.__reduce_ex__(proto) returns (so pickles are byte-identical): for protocol 2+
(copyreg.__newobj__ or __newobj_ex__, (cls, *args), state, listitems, dictitems), with
state from __getstate__ (the default: the instance __dict__, or None when empty, paired
with a dict of set __slots__ values when there are any); protocols 0 and 1 use
_reduce_ex. __slotnames__ is cached on the class, as CPython does.
"""

__all__ = ["pickle", "constructor",
           "add_extension", "remove_extension", "clear_extension_cache"]

dispatch_table = {}


def pickle(ob_type, pickle_function, constructor_ob=None):
    if not callable(pickle_function):
        raise TypeError("reduction functions must be callable")
    dispatch_table[ob_type] = pickle_function
    if constructor_ob is not None:
        constructor(constructor_ob)


def constructor(object):
    if not callable(object):
        raise TypeError("constructors must be callable")


def pickle_complex(c):
    return complex, (c.real, c.imag)


try:
    pickle(complex, pickle_complex, complex)
except NameError:
    pass


def _reconstructor(cls, base, state):
    if base is object:
        obj = object.__new__(cls)
    else:
        obj = base.__new__(cls, state)
        if base.__init__ != object.__init__:
            base.__init__(obj, state)
    return obj


def _reduce_ex(self, proto):
    assert proto < 2
    cls = self.__class__
    for base in cls.__mro__:
        if not _is_user_class(base):
            break
    else:
        base = object
    if base is object:
        state = None
    else:
        if base is cls:
            raise TypeError(f"cannot pickle {cls.__name__!r} object")
        state = base(self)
    args = (cls, base, state)
    getstate = getattr(cls, "__getstate__", None)
    if getstate is None:
        if getattr(self, "__slots__", None):
            # CPython 3.11's C object.__reduce_ex__ words it so (not copyreg's text).
            raise TypeError("a class that defines __slots__ without "
                            "defining __getstate__ cannot be pickled")
        try:
            dict = self.__dict__
        except AttributeError:
            dict = None
    else:
        dict = getstate(self)
    if dict:
        return _reconstructor, args, dict
    else:
        return _reconstructor, args


_new_type = type(int.__new__)


def __newobj__(cls, *args):
    return cls.__new__(cls, *args)


def __newobj_ex__(cls, args, kwargs):
    return cls.__new__(cls, *args, **kwargs)


def _slotnames(cls):
    names = cls.__dict__.get("__slotnames__")
    if names is not None:
        return names
    names = []
    if not hasattr(cls, "__slots__"):
        pass
    else:
        for c in cls.__mro__:
            if "__slots__" in c.__dict__:
                slots = c.__dict__["__slots__"]
                if isinstance(slots, str):
                    slots = (slots,)
                for name in slots:
                    if name in ("__dict__", "__weakref__"):
                        continue
                    elif name.startswith("__") and not name.endswith("__"):
                        stripped = c.__name__.lstrip("_")
                        if stripped:
                            names.append("_%s%s" % (stripped, name))
                        else:
                            names.append(name)
                    else:
                        names.append(name)
    try:
        cls.__slotnames__ = names
    except Exception:
        pass
    return names


# ---- gilpy: object.__reduce_ex__ -------------------------------------------------------

def _is_user_class(cls):
    """True for classes made by a class statement (CPython's heap types): their
    namespace holds __module__ as a str; native types hold none (or a descriptor)."""
    return isinstance(cls.__dict__.get("__module__"), str)


def _native_base(cls):
    """The first class along the MRO that is not a user class (object at worst)."""
    for c in cls.__mro__:
        if not _is_user_class(c):
            return c
    return object


def _tp_name(cls):
    """CPython's tp_name: module-qualified for native types outside builtins."""
    if _is_user_class(cls) or cls.__module__ == "builtins":
        return cls.__qualname__
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def _default_getstate(obj):
    """object.__getstate__() of CPython 3.11 (required=0)."""
    cls = type(obj)
    try:
        d = obj.__dict__
    except AttributeError:
        d = None
    state = d if d else None
    names = _slotnames(cls)
    if names:
        slots = {}
        for name in names:
            try:
                slots[name] = getattr(obj, name)
            except AttributeError:
                pass
        if slots:
            state = (state, slots)
    return state


def _getstate(obj):
    getstate = getattr(type(obj), "__getstate__", None)
    if getstate is not None:
        return getstate(obj)
    cls = type(obj)
    base = _native_base(cls)
    if base is not object and not hasattr(obj, "__dict__") and not _slotnames(cls):
        raise TypeError("cannot pickle %r object" % _tp_name(cls))
    return _default_getstate(obj)


def reduce_object(obj, proto):
    """What CPython's object.__reduce_ex__(proto) returns for obj."""
    cls = type(obj)
    reduce = getattr(cls, "__reduce__", None)
    if reduce is not None and reduce is not _object_reduce:
        return reduce(obj)
    if proto < 2:
        return _reduce_ex(obj, proto)
    base = _native_base(cls)
    args, kwargs = (), None
    getnewargs_ex = getattr(cls, "__getnewargs_ex__", None)
    if getnewargs_ex is not None:
        args, kwargs = getnewargs_ex(obj)
        if not isinstance(args, tuple):
            raise TypeError("first item of the tuple returned by __getnewargs_ex__ "
                            "must be a tuple, not %s" % type(args).__name__)
        if not isinstance(kwargs, dict):
            raise TypeError("second item of the tuple returned by __getnewargs_ex__ "
                            "must be a dict, not %s" % type(kwargs).__name__)
    else:
        getnewargs = getattr(cls, "__getnewargs__", None)
        if getnewargs is not None:
            args = getnewargs(obj)
            if not isinstance(args, tuple):
                raise TypeError("__getnewargs__ should return a tuple, not '%s'"
                                % type(args).__name__)
        elif base is not object:
            if base in (list, dict, set, frozenset, bytearray):
                if base is frozenset:
                    args = (list(obj),)
            else:
                raise TypeError("cannot pickle %r object" % _tp_name(cls))
    state = _getstate(obj)
    listitems = iter(obj) if isinstance(obj, list) else None
    dictitems = iter(obj.items()) if isinstance(obj, dict) else None
    if kwargs:
        return __newobj_ex__, (cls, args, kwargs), state, listitems, dictitems
    return __newobj__, (cls,) + tuple(args), state, listitems, dictitems


_object_reduce = getattr(object, "__reduce__", None)

# ---- extension registry ------------------------------------------------------------------

_extension_registry = {}
_inverted_registry = {}
_extension_cache = {}


def add_extension(module, name, code):
    code = int(code)
    if not 1 <= code <= 0x7fffffff:
        raise ValueError("code out of range")
    key = (module, name)
    if (_extension_registry.get(key) == code and
            _inverted_registry.get(code) == key):
        return
    if key in _extension_registry:
        raise ValueError("key %s is already registered with code %s" %
                         (key, _extension_registry[key]))
    if code in _inverted_registry:
        raise ValueError("code %s is already in use for key %s" %
                         (code, _inverted_registry[code]))
    _extension_registry[key] = code
    _inverted_registry[code] = key


def remove_extension(module, name, code):
    key = (module, name)
    if (_extension_registry.get(key) != code or
            _inverted_registry.get(code) != key):
        raise ValueError("key %s is not registered with code %s" %
                         (key, code))
    del _extension_registry[key]
    del _inverted_registry[code]
    if code in _extension_cache:
        del _extension_cache[code]


def clear_extension_cache():
    _extension_cache.clear()
