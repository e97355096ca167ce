"""_intconst — a small stand-in for enum.IntEnum used by signal and socket (gilpy has no
enum module yet): members are int subclasses with IntEnum's 3.11 behaviour — str() and
format() give the number, repr() gives <Class.NAME: value>, Class(value) looks a member
up, and .name / .value work.

Invariant: a class's members are made once, by make(), at import of the module using it;
an alias (same value, later name) is the first member with that value.
"""


class IntConst(int):
    _members = None

    def __new__(cls, value, name=None):
        if name is None:
            if isinstance(value, cls):
                return value
            for m in cls._members or ():
                if m == value:
                    return m
            raise ValueError("%r is not a valid %s" % (value, cls.__name__))
        self = int.__new__(cls, value)
        self._name_ = name
        return self

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return int(self)

    def __repr__(self):
        return "<%s.%s: %d>" % (type(self).__name__, self._name_, int(self))

    def __str__(self):
        return int.__repr__(self)

    def __format__(self, spec):
        return format(int(self), spec)

    def __reduce__(self):
        return (type(self), (int(self),))


def make(cls, source, names, namespace):
    """Make cls's members from the ints source.NAME, binding each in `namespace` too."""
    cls._members = []
    for name in names:
        m = cls(getattr(source, name), name)
        for old in cls._members:
            if old == m:
                m = old
                break
        else:
            cls._members.append(m)
        setattr(cls, name, m)
        namespace[name] = m


def convert(value, cls):
    """cls(value) when value is a member's value, else value unchanged."""
    try:
        return cls(value)
    except (ValueError, TypeError):
        return value
