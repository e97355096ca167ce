"""_match: the structural checks of the match statement (compiler.cpp, compile_pattern).

Each function takes the value being matched and returns a tuple of the parts that the
sub-patterns match next, in order, or None when the value does not have the shape.
Invariants (PEP 634, as CPython 3.11 behaves): a sequence is a list, tuple, range,
deque or array (or a subclass), or a class that inherits collections.abc.Sequence, and
never a str, bytes or bytearray; a mapping is a dict (or a subclass) or a class that
inherits collections.abc.Mapping; mapping keys are looked up with the subject's get();
class patterns use __match_args__, and the built-in types whose single positional
sub-pattern matches the subject itself.
"""
import sys

_NOT_SEQUENCE = (str, bytes, bytearray)
_SELF_MATCH = (bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple)
_missing = object()


def _has_abc(value, name):
    abc = sys.modules.get('collections.abc')
    base = getattr(abc, name, None) if abc is not None else None
    return base is not None and base in type(value).__mro__


def _is_sequence(value):
    if isinstance(value, _NOT_SEQUENCE):
        return False
    if isinstance(value, (list, tuple, range)):
        return True
    collections = sys.modules.get('collections')
    if collections is not None and isinstance(value, collections.deque):
        return True
    array = sys.modules.get('array')
    if array is not None and isinstance(value, array.array):
        return True
    return _has_abc(value, 'Sequence')


def _is_mapping(value):
    return isinstance(value, dict) or _has_abc(value, 'Mapping')


def sequence(subject, before, after, star):
    """[a, b, *rest, c]: (a, b, rest-as-list, c) when the length fits."""
    if not _is_sequence(subject):
        return None
    n = len(subject)
    if star:
        if n < before + after:
            return None
        items = list(subject)
        return tuple(items[:before]) + (items[before:n - after],) + tuple(items[n - after:])
    if n != before:
        return None
    return tuple(subject)


def mapping(subject, keys, rest):
    """{k1: p1, k2: p2, **rest}: (subject[k1], subject[k2][, the other items])."""
    if not _is_mapping(subject):
        return None
    if len(subject) < len(keys):
        return None
    seen = []
    for key in keys:
        if key in seen:
            raise ValueError('mapping pattern checks duplicate key (%r)' % (key,))
        seen.append(key)
    get = subject.get
    values = []
    for key in keys:
        value = get(key, _missing)
        if value is _missing:
            return None
        values.append(value)
    if rest:
        others = dict(subject)
        for key in keys:
            del others[key]
        values.append(others)
    return tuple(values)


def cls(subject, cls, npos, kwd_names):
    """C(p1, p2, a=p3): the attributes __match_args__ names, then the keyword ones."""
    if not isinstance(cls, type):
        raise TypeError('called match pattern must be a type')
    if not isinstance(subject, cls):
        return None
    parts = []
    seen = []

    def attribute(name):
        if name in seen:
            raise TypeError('%s() got multiple sub-patterns for attribute %r'
                            % (cls.__name__, name))
        seen.append(name)
        return getattr(subject, name, _missing)

    if npos:
        match_args = getattr(cls, '__match_args__', _missing)
        match_self = False
        if match_args is _missing:
            match_args = ()
            match_self = issubclass(cls, _SELF_MATCH)
        elif not isinstance(match_args, tuple):
            raise TypeError('%s.__match_args__ must be a tuple (got %s)'
                            % (cls.__name__, type(match_args).__name__))
        allowed = 1 if match_self else len(match_args)
        if allowed < npos:
            raise TypeError('%s() accepts %d positional sub-pattern%s (%d given)'
                            % (cls.__name__, allowed, '' if allowed == 1 else 's', npos))
        if match_self:
            parts.append(subject)
        else:
            for name in match_args[:npos]:
                if not isinstance(name, str):
                    raise TypeError('__match_args__ elements must be strings (got %s)'
                                    % type(name).__name__)
                value = attribute(name)
                if value is _missing:
                    return None
                parts.append(value)
    for name in kwd_names:
        value = attribute(name)
        if value is _missing:
            return None
        parts.append(value)
    return tuple(parts)
