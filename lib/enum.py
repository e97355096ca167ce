"""enum: enumerations, CPython 3.11's interface for the common cases: Enum, IntEnum,
StrEnum, Flag, IntFlag, ReprEnum, auto, unique, the functional API, EnumType (EnumMeta).

Invariants: an enumeration's members are created once, when its class is created, in
definition order; a name bound to a value already used is an alias of the first member
(kept in __members__, skipped by iteration); members are looked up by value through
_value2member_map_ (by equality, so 1 and 1.0 find the same member) and by name through
_member_map_; members cannot be reassigned or deleted. Flag values that are not a
member are pseudo-members made on demand and cached in _value2member_map_.
Not supported: Flag boundaries other than the default (bits outside the members raise
ValueError), _ignore_ as a list of computed names, and the deprecated class-level
access of a member through another member.
"""
import sys

__all__ = ['EnumType', 'EnumMeta', 'Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag',
           'ReprEnum', 'auto', 'unique']


class auto:
    """A member value chosen by _generate_next_value_ when the class is created."""
    _order = 0

    def __init__(self):
        self.value = _auto_null

    def __repr__(self):
        return 'auto(%r)' % (self.value,)


class _AutoNull:
    def __repr__(self):
        return '_auto_null'


_auto_null = _AutoNull()


class _MembersView:
    """A read-only view of an enumeration's names and members (__members__)."""
    __slots__ = ('_m',)

    def __init__(self, mapping):
        object.__setattr__(self, '_m', mapping)

    def __getitem__(self, key):
        return self._m[key]

    def __iter__(self):
        return iter(self._m)

    def __len__(self):
        return len(self._m)

    def __contains__(self, key):
        return key in self._m

    def keys(self):
        return self._m.keys()

    def values(self):
        return self._m.values()

    def items(self):
        return self._m.items()

    def get(self, key, default=None):
        return self._m.get(key, default)

    def __eq__(self, other):
        return self._m == other

    def __repr__(self):
        return 'mappingproxy(%r)' % (self._m,)

    def __str__(self):
        return str(self._m)


def _is_dunder(name):
    return len(name) > 4 and name[:2] == name[-2:] == '__' and name[2] != '_' and name[-3] != '_'


def _is_sunder(name):
    return len(name) > 2 and name[0] == name[-1] == '_' and name[1] != '_' and name[-2] != '_'


def _is_private(cls_name, name):
    pattern = '_%s__' % cls_name.lstrip('_')
    return len(name) > len(pattern) and name.startswith(pattern) and not name.endswith('__')


def _is_descriptor(obj):
    return (hasattr(obj, '__get__') or hasattr(obj, '__set__') or hasattr(obj, '__delete__'))


_SUNDER_NAMES = ('_order_', '_generate_next_value_', '_numeric_repr_', '_missing_', '_ignore_',
                 '_iter_member_', '_iter_member_by_value_', '_iter_member_by_def_')


class _EnumDict(dict):
    """The class body's namespace: it records member names in order, refuses reuse of a
    member name, and resolves auto() values as they appear."""

    def __init__(self):
        super().__init__()
        self._member_names = {}
        self._last_values = []
        self._ignore = []
        self._cls_name = None
        self._generate_next_value = None

    def __setitem__(self, key, value):
        if _is_private(self._cls_name or '', key):
            pass
        elif _is_sunder(key):
            if key not in _SUNDER_NAMES:
                raise ValueError('_sunder_ names, such as %r, are reserved for future Enum use'
                                 % (key,))
            if key == '_ignore_':
                if isinstance(value, str):
                    value = value.replace(',', ' ').split()
                self._ignore = list(value)
            elif key == '_generate_next_value_':
                self._generate_next_value = value
                if isinstance(value, staticmethod):
                    self._generate_next_value = value.__func__
        elif _is_dunder(key):
            if key == '__order__':
                key = '_order_'
        elif key in self._member_names:
            raise TypeError('%r already defined as %r' % (key, self[key]))
        elif key in self._ignore:
            pass
        elif isinstance(value, type) or _is_descriptor(value):
            if key in self:
                raise TypeError('%r already defined as %r' % (key, self[key]))
        else:
            if key in self:
                raise TypeError('%r already defined as %r' % (key, self[key]))
            if isinstance(value, auto):
                if value.value is _auto_null:
                    value.value = self._generate_next_value(
                        key, 1, len(self._member_names), self._last_values[:])
                value = value.value
            self._member_names[key] = None
            self._last_values.append(value)
        super().__setitem__(key, value)


def _find_data_type(bases):
    # the first base in the MRO that is neither object nor an enumeration
    for chain in bases:
        for base in chain.__mro__:
            if base is object:
                continue
            if isinstance(base, EnumType):
                if base._member_type_ is not object:
                    return base._member_type_
                continue
            if '__new__' in base.__dict__ or issubclass(base, (int, str, float, bytes, tuple)):
                return base
    return object


def _enum_base(bases):
    for chain in reversed(bases):
        if isinstance(chain, EnumType):
            return chain
    return None


class EnumType(type):
    """The metaclass of enumerations."""

    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        ns = _EnumDict()
        ns._cls_name = cls
        base = _enum_base(bases)
        if base is not None:
            for b in bases:
                if isinstance(b, EnumType) and b._member_names_:
                    raise TypeError('%r cannot extend %r' % (cls, b))
            ns._generate_next_value = base._generate_next_value_
            if isinstance(ns._generate_next_value, staticmethod):
                ns._generate_next_value = ns._generate_next_value.__func__
        return ns

    def __new__(metacls, cls, bases, classdict, *, boundary=None, _simple=False, **kwds):
        member_names = list(classdict._member_names)
        members = {name: classdict[name] for name in member_names}
        body = {k: v for k, v in classdict.items() if k not in classdict._member_names}
        body.pop('_ignore_', None)
        for name in classdict._ignore:
            body.pop(name, None)
        member_type = _find_data_type(bases) if bases else object
        body['_member_names_'] = []
        body['_member_map_'] = {}
        body['_value2member_map_'] = {}
        body['_unhashable_values_'] = []
        body['_member_type_'] = member_type
        if '_generate_next_value_' not in body and classdict._generate_next_value is not None:
            pass
        # How members are made: a __new__ in this body, else the one a base enumeration
        # saved as __new_member__, else the data type's (or object's). Afterwards the
        # class's __new__ is Enum.__new__, the lookup by value (CPython's arrangement).
        new_member = None
        if _enum_ready and '__new__' in classdict:
            new_member = classdict['__new__']
            if isinstance(new_member, staticmethod):
                new_member = new_member.__func__
        elif _enum_ready:
            for b in bases:
                new_member = getattr(b, '__new_member__', None)
                if new_member is not None:
                    break
        enum_class = super().__new__(metacls, cls, bases, body, **kwds)
        if _enum_ready:
            type.__setattr__(enum_class, '__new_member__', new_member)
            type.__setattr__(enum_class, '__new__', Enum.__new__)
            # repr() and friends come from the enumeration, not from the data type that
            # precedes it in the MRO (int.__repr__ for IntEnum), unless the body or a
            # base enumeration defines them
            first_enum = _enum_base(bases)
            for name in ('__repr__', '__str__', '__format__', '__reduce_ex__'):
                if name in classdict:
                    continue
                found = getattr(enum_class, name, None)
                if found in (getattr(member_type, name, None), getattr(object, name, None)):
                    type.__setattr__(enum_class, name, getattr(first_enum, name))
        use_args = member_type is not object
        for name, value in members.items():
            args = value if isinstance(value, tuple) else (value,)
            if member_type is tuple:
                args = (args,)
            if new_member is not None:
                member = new_member(enum_class, *args)
            elif not use_args:
                member = object.__new__(enum_class)
            else:
                member = member_type.__new__(enum_class, *args)
            if not hasattr(member, '_value_'):
                if member_type is object:
                    member._value_ = value
                else:
                    try:
                        member._value_ = member_type(*args)
                    except Exception:
                        member._value_ = value
            value = member._value_
            member._name_ = name
            member.__objclass__ = enum_class
            member.__init__(*args)
            canonical = None
            for other in enum_class._member_map_.values():
                if other._value_ == value:
                    canonical = other
                    break
            if canonical is not None:
                member = canonical
            else:
                enum_class._member_names_.append(name)
            enum_class._member_map_[name] = member
            try:
                enum_class._value2member_map_.setdefault(value, member)
            except TypeError:
                enum_class._unhashable_values_.append(value)
            type.__setattr__(enum_class, name, member)
        if Flag is not None and issubclass(enum_class, Flag):
            bits = 0
            for m in enum_class._member_map_.values():
                bits |= m._value_
            enum_class._flag_mask_ = bits
            enum_class._all_bits_ = 2 ** bits.bit_length() - 1 if bits else 0
        return enum_class

    def __call__(cls, value, names=None, *, module=None, qualname=None, type=None, start=1,
                 boundary=None):
        if names is None:
            return cls.__new__(cls, value)
        return cls._create_(value, names, module=module, qualname=qualname, type=type, start=start)

    def _create_(cls, class_name, names, *, module=None, qualname=None, type=None, start=1):
        bases = (cls,) if type is None else (type, cls)
        classdict = cls.__prepare__(class_name, bases)
        if isinstance(names, str):
            names = names.replace(',', ' ').split()
        if isinstance(names, (tuple, list)) and names and isinstance(names[0], str):
            original, names, last = names, [], []
            for count, name in enumerate(original):
                value = classdict._generate_next_value(name, start, count, last[:])
                last.append(value)
                names.append((name, value))
        items = names.items() if isinstance(names, dict) else names
        for item in items:
            if isinstance(item, str):
                name, value = item, names[item]
            else:
                name, value = item
            classdict[name] = value
        enum_class = cls.__class__.__new__(cls.__class__, class_name, bases, classdict)
        if module is None:
            try:
                module = sys._getframe(2).f_globals['__name__']
            except Exception:
                module = '__main__'
        enum_class.__module__ = module
        if qualname is not None:
            enum_class.__qualname__ = qualname
        return enum_class

    def _convert_(cls, name, module, filter, source=None):
        """An enumeration of the constants of `source` (a module's namespace, the module
        `module` by default) whose names pass `filter`, ordered by value then name (so
        of two names for one value the first alphabetically is the member), and every
        name bound in module `module` to its member; what signal and socket use."""
        module_globals = sys.modules[module].__dict__
        if source is None:
            source = module_globals
        elif not isinstance(source, dict):
            source = vars(source)
        members = sorted(((n, v) for n, v in source.items() if filter(n)),
                         key=lambda t: (t[1], t[0]))
        enum_class = cls(name, members, module=module)
        module_globals.update(enum_class.__members__)
        module_globals[name] = enum_class
        return enum_class

    def __bool__(cls):
        return True

    def __contains__(cls, member):
        if not isinstance(member, Enum):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'"
                            % (type(member).__qualname__, cls.__class__.__qualname__))
        return isinstance(member, cls) and member._name_ in cls._member_map_

    def __delattr__(cls, attr):
        if attr in cls._member_map_:
            raise AttributeError('%r cannot delete member %r.' % (cls.__name__, attr))
        super().__delattr__(attr)

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    @property
    def __members__(cls):
        return _MembersView(cls._member_map_)

    def __repr__(cls):
        if Flag is not None and issubclass(cls, Flag):
            return "<flag %r>" % cls.__name__
        return "<enum %r>" % cls.__name__

    def __setattr__(cls, name, value):
        member_map = cls.__dict__.get('_member_map_', {})
        if name in member_map:
            raise AttributeError('cannot reassign member %r' % (name,))
        super().__setattr__(name, value)


EnumMeta = EnumType
Flag = None
_enum_ready = False  # set once Enum itself exists


class Enum(metaclass=EnumType):
    """An enumeration: a class whose attributes are its members."""

    def __new__(cls, value):
        if type(value) is cls:
            return value
        try:
            return cls._value2member_map_[value]
        except KeyError:
            pass
        except TypeError:
            for member in cls._member_map_.values():
                if member._value_ == value:
                    return member
        result = cls._missing_(value)
        if isinstance(result, cls):
            return result
        if result is None:
            raise ValueError('%r is not a valid %s' % (value, cls.__qualname__))
        raise TypeError('error in %s._missing_: returned %r instead of None or a valid member'
                        % (cls.__name__, result))

    def __init__(self, *args, **kwds):
        pass

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not last_values:
            return start
        try:
            return sorted(last_values)[-1] + 1
        except TypeError:
            raise TypeError('unable to sort non-numeric values') from None

    @classmethod
    def _missing_(cls, value):
        return None

    def __repr__(self):
        v_repr = self.__class__._value_repr_ if hasattr(self.__class__, '_value_repr_') else repr
        return '<%s.%s: %s>' % (self.__class__.__name__, self._name_, v_repr(self._value_))

    def __str__(self):
        return '%s.%s' % (self.__class__.__name__, self._name_)

    def __format__(self, format_spec):
        return str.__format__(str(self), format_spec)

    def __dir__(self):
        return ['__class__', '__doc__', '__eq__', '__hash__', '__module__', 'name', 'value']

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_


_enum_ready = True


class ReprEnum(Enum):
    """An enumeration whose str() and format() are those of its data type (IntEnum,
    StrEnum, IntFlag), keeping Enum's repr()."""


class IntEnum(int, ReprEnum):
    """An enumeration of ints."""

    def __str__(self):
        return int.__repr__(self)

    def __format__(self, format_spec):
        return int.__format__(int(self), format_spec)


class StrEnum(str, ReprEnum):
    """An enumeration of strs."""

    def __new__(cls, *values):
        if len(values) > 3:
            raise TypeError('too many arguments for str(): %r' % (values,))
        if len(values) == 1 and not isinstance(values[0], str):
            raise TypeError('%r is not a string' % (values[0],))
        value = str(*values)
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    def __str__(self):
        return str.__str__(self)

    def __format__(self, format_spec):
        return str.__format__(str(self), format_spec)

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()


def _bits(num, width):
    # "0b0 0111": the sign digit apart, then the bits padded to width (CPython's format
    # in Flag's invalid-value message); num >= 0 here
    digits = format(num, 'b') if num else ''
    return '0b0 ' + digits.rjust(width, '0')


def _power_of_two(value):
    return value > 0 and value & (value - 1) == 0


class Flag(Enum):
    """An enumeration of bit flags, combined with |, & and ^."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not count:
            return start if start is not None else 1
        high = max(last_values).bit_length()
        return 2 ** high

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, int):
            raise ValueError('%r is not a valid %s' % (value, cls.__qualname__))
        flag_mask = cls._flag_mask_
        if value < 0:
            value = cls._all_bits_ + 1 + value
            if value < 0:
                raise ValueError('%r is not a valid %s' % (value, cls.__qualname__))
        if value & ~flag_mask:
            width = max(value.bit_length(), flag_mask.bit_length())
            raise ValueError('%r invalid value %r\n    given %s\n  allowed %s'
                             % (cls, value, _bits(value, width), _bits(flag_mask, width)))
        if cls._member_type_ is object:
            pseudo = object.__new__(cls)
        else:
            pseudo = cls._member_type_.__new__(cls, value)
        pseudo._value_ = value
        names = [m._name_ for m in cls._iter_members(value)]
        pseudo._name_ = '|'.join(names) if names else None
        return cls._value2member_map_.setdefault(value, pseudo)

    @classmethod
    def _iter_members(cls, value):
        # the canonical single-bit members in value, in definition order
        for name in cls._member_names_:
            m = cls._member_map_[name]
            if _power_of_two(m._value_) and m._value_ & value == m._value_:
                yield m

    def __iter__(self):
        return iter(list(self.__class__._iter_members(self._value_)))

    def __len__(self):
        return bin(self._value_).count('1')

    def __contains__(self, other):
        if not isinstance(other, self.__class__):
            raise TypeError("unsupported operand type(s) for 'in': %r and %r"
                            % (type(other).__qualname__, self.__class__.__qualname__))
        return other._value_ & self._value_ == other._value_

    def __repr__(self):
        cls_name = self.__class__.__name__
        v_repr = self.__class__._value_repr_ if hasattr(self.__class__, '_value_repr_') else repr
        if self._name_ is None:
            return '<%s: %s>' % (cls_name, v_repr(self._value_))
        return '<%s.%s: %s>' % (cls_name, self._name_, v_repr(self._value_))

    def __str__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return '%s(%r)' % (cls_name, self._value_)
        return '%s.%s' % (cls_name, self._name_)

    def __bool__(self):
        return bool(self._value_)

    def _operand(self, other):
        # the int to combine with: a member of this flag, or a value of its data type
        if isinstance(other, self.__class__):
            return other._value_
        if self._member_type_ is not object and isinstance(other, self._member_type_):
            return other
        return None

    def __or__(self, other):
        value = self._operand(other)
        return NotImplemented if value is None else self.__class__(self._value_ | value)

    def __and__(self, other):
        value = self._operand(other)
        return NotImplemented if value is None else self.__class__(self._value_ & value)

    def __xor__(self, other):
        value = self._operand(other)
        return NotImplemented if value is None else self.__class__(self._value_ ^ value)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        return self.__class__(self._flag_mask_ ^ self._value_)


class IntFlag(int, ReprEnum, Flag):
    """Bit flags that are also ints."""

    # int comes first in the MRO: the flag operators must be named here
    __or__ = Flag.__or__
    __and__ = Flag.__and__
    __xor__ = Flag.__xor__
    __ror__ = Flag.__ror__
    __rand__ = Flag.__rand__
    __rxor__ = Flag.__rxor__
    __invert__ = Flag.__invert__
    __contains__ = Flag.__contains__
    __iter__ = Flag.__iter__
    __len__ = Flag.__len__
    __bool__ = Flag.__bool__

    def __str__(self):
        return int.__repr__(self)

    def __format__(self, format_spec):
        return int.__format__(int(self), format_spec)


def unique(enumeration):
    """Class decorator: a ValueError if any member is an alias of another."""
    duplicates = [(name, member.name) for name, member in enumeration.__members__.items()
                  if name != member.name]
    if duplicates:
        details = ', '.join('%s -> %s' % (alias, name) for alias, name in duplicates)
        raise ValueError('duplicate values found in %r: %s' % (enumeration, details))
    return enumeration
