"""JSON encoding for gilpy's json package (CPython's json.encoder interface).

Invariants: the output is byte-for-byte what CPython 3.11's json.dumps produces for the
same arguments (float and int text come from float.__repr__ / int.__repr__, so
subclasses with their own __repr__ do not change it); containers are visited through
one recursive generator, which also serves iterencode() chunk by chunk; a container
being encoded is in `markers` (by id) until it is finished, which is how a cycle is
detected.
"""

INFINITY = float('inf')

# The escapes every JSON string needs: '"', '\\' and the C0 controls (short forms where
# JSON has them). str.translate applies them in one pass.
_ESCAPES = {i: '\\u{0:04x}'.format(i) for i in range(0x20)}
_ESCAPES.update({
    ord('"'): '\\"', ord('\\'): '\\\\', ord('\b'): '\\b', ord('\f'): '\\f',
    ord('\n'): '\\n', ord('\r'): '\\r', ord('\t'): '\\t',
})


def py_encode_basestring(s):
    """A JSON string for s, non-ASCII characters kept as they are."""
    return '"' + s.translate(_ESCAPES) + '"'


def py_encode_basestring_ascii(s):
    """A JSON string for s in ASCII: every character outside ' '..'~' becomes \\uXXXX
    (a surrogate pair above the BMP)."""
    s = s.translate(_ESCAPES)
    if s.isascii() and '\x7f' not in s:
        return '"' + s + '"'
    out = []
    for ch in s:
        c = ord(ch)
        if c < 0x7f:
            out.append(ch)
        elif c < 0x10000:
            out.append('\\u{0:04x}'.format(c))
        else:
            c -= 0x10000
            out.append('\\u{0:04x}\\u{1:04x}'.format(0xd800 | (c >> 10), 0xdc00 | (c & 0x3ff)))
    return '"' + ''.join(out) + '"'


encode_basestring = py_encode_basestring
encode_basestring_ascii = py_encode_basestring_ascii


class JSONEncoder(object):
    """Python objects to JSON text: dict -> object, list and tuple -> array, str ->
    string, int and float -> number, True/False -> true/false, None -> null. Anything
    else goes through default(), which a subclass (or the `default` argument) may
    override to return something serializable."""

    item_separator = ', '
    key_separator = ': '

    def __init__(self, *, skipkeys=False, ensure_ascii=True, check_circular=True,
                 allow_nan=True, sort_keys=False, indent=None, separators=None,
                 default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.check_circular = check_circular
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator = ','
        if default is not None:
            self.default = default

    def default(self, o):
        raise TypeError('Object of type %s is not JSON serializable' % o.__class__.__name__)

    def encode(self, o):
        if isinstance(o, str):
            if self.ensure_ascii:
                return encode_basestring_ascii(o)
            return encode_basestring(o)
        return ''.join(self.iterencode(o, _one_shot=True))

    def iterencode(self, o, _one_shot=False):
        markers = {} if self.check_circular else None
        encode_str = encode_basestring_ascii if self.ensure_ascii else encode_basestring
        allow_nan = self.allow_nan

        def floatstr(o):
            if o != o:
                text = 'NaN'
            elif o == INFINITY:
                text = 'Infinity'
            elif o == -INFINITY:
                text = '-Infinity'
            else:
                return float.__repr__(o)
            if not allow_nan:
                raise ValueError("Out of range float values are not JSON compliant")
            return text

        return _make_iterencode(markers, self.default, encode_str, self.indent, floatstr,
                                self.key_separator, self.item_separator, self.sort_keys,
                                self.skipkeys)(o, 0)


def _make_iterencode(markers, _default, _encoder, _indent, _floatstr, _key_separator,
                     _item_separator, _sort_keys, _skipkeys):
    if _indent is not None and not isinstance(_indent, str):
        _indent = ' ' * _indent

    def enter(o):
        if markers is not None:
            key = id(o)
            if key in markers:
                raise ValueError("Circular reference detected")
            markers[key] = o

    def leave(o):
        if markers is not None:
            del markers[id(o)]

    def scalar(o):
        # The text of a str, None, bool, int or float; None for anything else.
        if isinstance(o, str):
            return _encoder(o)
        if o is None:
            return 'null'
        if o is True:
            return 'true'
        if o is False:
            return 'false'
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            return _floatstr(o)
        return None

    # The chunks are cut where CPython's Python encoder cuts them (iterencode and dump
    # show them): "[" travels with the first item, a separator with the next one.
    def encode_list(lst, level):
        if not lst:
            yield '[]'
            return
        enter(lst)
        buf = '['
        if _indent is not None:
            level += 1
            newline = '\n' + _indent * level
            separator = _item_separator + newline
            buf += newline
        else:
            newline = None
            separator = _item_separator
        first = True
        for value in lst:
            if first:
                first = False
            else:
                buf = separator
            text = scalar(value)
            if text is not None:
                yield buf + text
            else:
                yield buf
                yield from encode_value(value, level)
        if newline is not None:
            level -= 1
            yield '\n' + _indent * level
        yield ']'
        leave(lst)

    def key_text(key):
        if isinstance(key, str):
            return key
        # float first: True == 1 and 1.0 would otherwise take the int's path
        if isinstance(key, float):
            return _floatstr(key)
        if key is True:
            return 'true'
        if key is False:
            return 'false'
        if key is None:
            return 'null'
        if isinstance(key, int):
            return int.__repr__(key)
        if _skipkeys:
            return None
        raise TypeError('keys must be str, int, float, bool or None, not %s'
                        % key.__class__.__name__)

    def encode_dict(dct, level):
        if not dct:
            yield '{}'
            return
        yield '{'
        enter(dct)
        if _indent is not None:
            level += 1
            newline = '\n' + _indent * level
            separator = _item_separator + newline
            yield newline
        else:
            newline = None
            separator = _item_separator
        items = sorted(dct.items()) if _sort_keys else dct.items()
        first = True
        for key, value in items:
            key = key_text(key)
            if key is None:
                continue
            if not first:
                yield separator
            first = False
            yield _encoder(key)
            yield _key_separator
            text = scalar(value)
            if text is not None:
                yield text
            else:
                yield from encode_value(value, level)
        if newline is not None:
            level -= 1
            yield '\n' + _indent * level
        yield '}'
        leave(dct)

    def encode_value(o, level):
        text = scalar(o)
        if text is not None:
            yield text
        elif isinstance(o, (list, tuple)):
            yield from encode_list(o, level)
        elif isinstance(o, dict):
            yield from encode_dict(o, level)
        else:
            enter(o)
            yield from encode_value(_default(o), level)
            leave(o)

    return encode_value
