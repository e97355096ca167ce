"""JSON decoding for gilpy's json package (CPython's json.decoder interface).

Invariants: a hand-written recursive-descent scanner over the str (no regular
expressions: gilpy has no `re`); every error is a JSONDecodeError whose message and
position are those CPython 3.11 reports for the same text (its C scanner's); the scanner
never reads past len(s) without raising.
"""

NaN = float('nan')
PosInf = float('inf')
NegInf = float('-inf')

_CONSTANTS = {'-Infinity': NegInf, 'Infinity': PosInf, 'NaN': NaN}
_WS = ' \t\n\r'
_DIGITS = '0123456789'
_HEX = '0123456789abcdefABCDEF'
_SIMPLE_ESCAPES = {'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n',
                   'r': '\r', 't': '\t'}


class JSONDecodeError(ValueError):
    """ValueError with where the text went wrong: msg, doc, pos, lineno, colno."""

    def __init__(self, msg, doc, pos):
        lineno = doc.count('\n', 0, pos) + 1
        colno = pos - doc.rfind('\n', 0, pos)
        ValueError.__init__(self, '%s: line %d column %d (char %d)' % (msg, lineno, colno, pos))
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno

    def __reduce__(self):
        return self.__class__, (self.msg, self.doc, self.pos)


def _skip_ws(s, i):
    n = len(s)
    while i < n and s[i] in _WS:
        i += 1
    return i


def _hex4(s, pos):
    # the four hex digits after the 'u' at s[pos] (the error points at the 'u')
    esc = s[pos + 1:pos + 5]
    if len(esc) == 4 and all(c in _HEX for c in esc):
        return int(esc, 16)
    raise JSONDecodeError("Invalid \\uXXXX escape", s, pos)


def scanstring(s, end, strict=True):
    """The string that starts after the quote at s[end - 1]: (str, index after its
    closing quote)."""
    begin = end - 1
    n = len(s)
    chunks = []
    while True:
        # the longest run with nothing to look at
        i = end
        while i < n:
            c = s[i]
            if c == '"' or c == '\\' or c < ' ':
                break
            i += 1
        if i > end:
            chunks.append(s[end:i])
        if i >= n:
            raise JSONDecodeError("Unterminated string starting at", s, begin)
        c = s[i]
        if c == '"':
            return ''.join(chunks), i + 1
        if c != '\\':
            if strict:
                raise JSONDecodeError("Invalid control character at", s, i)
            chunks.append(c)
            end = i + 1
            continue
        if i + 1 >= n:
            raise JSONDecodeError("Unterminated string starting at", s, begin)
        esc = s[i + 1]
        if esc != 'u':
            ch = _SIMPLE_ESCAPES.get(esc)
            if ch is None:
                raise JSONDecodeError("Invalid \\escape", s, i)
            chunks.append(ch)
            end = i + 2
            continue
        uni = _hex4(s, i + 1)
        end = i + 6
        if 0xd800 <= uni <= 0xdbff and s[end:end + 2] == '\\u':
            uni2 = _hex4(s, end + 1)
            if 0xdc00 <= uni2 <= 0xdfff:
                uni = 0x10000 + (((uni - 0xd800) << 10) | (uni2 - 0xdc00))
                end += 6
        chunks.append(chr(uni))


class _Scanner:
    """One decoder's settings, and the scan of one value at a position."""

    def __init__(self, context):
        self.strict = context.strict
        self.object_hook = context.object_hook
        self.object_pairs_hook = context.object_pairs_hook
        self.parse_float = context.parse_float
        self.parse_int = context.parse_int
        self.parse_constant = context.parse_constant
        self.memo = {}

    def __call__(self, s, idx):
        try:
            return self.value(s, idx)
        finally:
            self.memo.clear()

    def value(self, s, idx):
        if idx >= len(s):
            raise JSONDecodeError("Expecting value", s, idx)
        c = s[idx]
        if c == '"':
            return scanstring(s, idx + 1, self.strict)
        if c == '{':
            return self.object(s, idx + 1)
        if c == '[':
            return self.array(s, idx + 1)
        if c == 'n' and s.startswith('null', idx):
            return None, idx + 4
        if c == 't' and s.startswith('true', idx):
            return True, idx + 4
        if c == 'f' and s.startswith('false', idx):
            return False, idx + 5
        if c == 'N' and s.startswith('NaN', idx):
            return self.parse_constant('NaN'), idx + 3
        if c == 'I' and s.startswith('Infinity', idx):
            return self.parse_constant('Infinity'), idx + 8
        if c == '-' and s.startswith('-Infinity', idx):
            return self.parse_constant('-Infinity'), idx + 9
        if c == '-' or c in _DIGITS:
            return self.number(s, idx)
        raise JSONDecodeError("Expecting value", s, idx)

    def number(self, s, idx):
        # -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
        n = len(s)
        i = idx + 1 if s[idx] == '-' else idx
        if i >= n or s[i] not in _DIGITS:
            raise JSONDecodeError("Expecting value", s, idx)
        if s[i] == '0':
            i += 1
        else:
            while i < n and s[i] in _DIGITS:
                i += 1
        is_float = False
        if i + 1 < n and s[i] == '.' and s[i + 1] in _DIGITS:
            i += 2
            while i < n and s[i] in _DIGITS:
                i += 1
            is_float = True
        if i < n and s[i] in 'eE':
            j = i + 1
            if j < n and s[j] in '+-':
                j += 1
            if j < n and s[j] in _DIGITS:
                while j < n and s[j] in _DIGITS:
                    j += 1
                i = j
                is_float = True
        text = s[idx:i]
        if is_float:
            return self.parse_float(text), i
        return self.parse_int(text), i

    def object(self, s, idx):
        pairs = []
        i = _skip_ws(s, idx)
        if i < len(s) and s[i] == '}':
            return self.finish_object(pairs), i + 1
        memo = self.memo
        while True:
            if i >= len(s) or s[i] != '"':
                raise JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
            key, i = scanstring(s, i + 1, self.strict)
            key = memo.setdefault(key, key)
            i = _skip_ws(s, i)
            if i >= len(s) or s[i] != ':':
                raise JSONDecodeError("Expecting ':' delimiter", s, i)
            i = _skip_ws(s, i + 1)
            value, i = self.value(s, i)
            pairs.append((key, value))
            i = _skip_ws(s, i)
            if i < len(s) and s[i] == '}':
                return self.finish_object(pairs), i + 1
            if i >= len(s) or s[i] != ',':
                raise JSONDecodeError("Expecting ',' delimiter", s, i)
            i = _skip_ws(s, i + 1)

    def finish_object(self, pairs):
        if self.object_pairs_hook is not None:
            return self.object_pairs_hook(pairs)
        d = dict(pairs)
        if self.object_hook is not None:
            return self.object_hook(d)
        return d

    def array(self, s, idx):
        values = []
        i = _skip_ws(s, idx)
        if i < len(s) and s[i] == ']':
            return values, i + 1
        while True:
            value, i = self.value(s, i)
            values.append(value)
            i = _skip_ws(s, i)
            if i < len(s) and s[i] == ']':
                return values, i + 1
            if i >= len(s) or s[i] != ',':
                raise JSONDecodeError("Expecting ',' delimiter", s, i)
            i = _skip_ws(s, i + 1)


class JSONDecoder(object):
    """JSON text to Python objects: object -> dict, array -> list, string -> str,
    number -> int or float, true/false -> True/False, null -> None; NaN, Infinity and
    -Infinity are accepted too. object_hook / object_pairs_hook replace the dict built
    for each object, parse_float / parse_int / parse_constant the number conversions;
    strict=False allows control characters inside strings."""

    def __init__(self, *, object_hook=None, parse_float=None, parse_int=None,
                 parse_constant=None, strict=True, object_pairs_hook=None):
        self.object_hook = object_hook
        self.parse_float = parse_float or float
        self.parse_int = parse_int or int
        self.parse_constant = parse_constant or _CONSTANTS.__getitem__
        self.strict = strict
        self.object_pairs_hook = object_pairs_hook
        self.scan_once = _Scanner(self)

    def decode(self, s):
        obj, end = self.raw_decode(s, _skip_ws(s, 0))
        end = _skip_ws(s, end)
        if end != len(s):
            raise JSONDecodeError("Extra data", s, end)
        return obj

    def raw_decode(self, s, idx=0):
        """(the value that starts at s[idx], the index where it ends): text may follow."""
        return self.scan_once(s, idx)
