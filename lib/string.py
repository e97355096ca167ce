"""string: character-class constants, capwords, Template ($-substitution) and Formatter
(str.format's machinery, overridable), CPython 3.11's interface.

Invariants: Template scans its text by hand (gilpy has no `re`): `$$` is an escaped
delimiter, `$name` and `${name}` are placeholders whose names are ASCII identifiers
(CPython's default idpattern, case-insensitive), anything else after a delimiter is an
invalid placeholder, reported with CPython's line and column; a subclass may change
`delimiter` (a custom `idpattern`/`pattern` is not supported and raises). Formatter.parse
yields what CPython's does for the same format string, including the split of `{{` and
`}}` into separate literal chunks.
"""

__all__ = ['ascii_letters', 'ascii_lowercase', 'ascii_uppercase', 'capwords', 'digits',
           'hexdigits', 'octdigits', 'printable', 'punctuation', 'whitespace', 'Formatter',
           'Template']

whitespace = ' \t\n\r\v\f'
ascii_lowercase = 'abcdefghijklmnopqrstuvwxyz'
ascii_uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
ascii_letters = ascii_lowercase + ascii_uppercase
digits = '0123456789'
hexdigits = digits + 'abcdef' + 'ABCDEF'
octdigits = '01234567'
punctuation = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    """Split on sep (whitespace runs by default), capitalize each word, join with sep
    (a single space by default)."""
    return (sep or ' ').join(word.capitalize() for word in s.split(sep))


_ID_START = ascii_letters + '_'
_ID_CHARS = _ID_START + digits
_sentinel_dict = {}


class Template:
    """A string with $-placeholders: Template('$who likes $what').substitute(...)."""

    delimiter = '$'
    idpattern = r'(?a:[_a-z][_a-z0-9]*)'
    braceidpattern = None
    flags = None

    def __init_subclass__(cls):
        super().__init_subclass__()
        if ('pattern' in cls.__dict__ or 'idpattern' in cls.__dict__
                or 'braceidpattern' in cls.__dict__):
            raise NotImplementedError('string.Template: custom patterns need the re module, '
                                      'which gilpy does not have; only `delimiter` can change')

    def __init__(self, template):
        self.template = template

    # The template as a list of (kind, text, start): 'text', 'escaped', 'named'
    # ($name), 'braced' (${name}) or 'invalid' (a delimiter followed by anything else).
    def _scan(self):
        s = self.template
        d = self.delimiter
        n = len(s)
        i = 0
        parts = []
        while True:
            j = s.find(d, i)
            if j < 0:
                if i < n:
                    parts.append(('text', s[i:], i))
                return parts
            if j > i:
                parts.append(('text', s[i:j], i))
            k = j + len(d)
            if s.startswith(d, k):
                parts.append(('escaped', d, j))
                i = k + len(d)
            elif k < n and s[k] in _ID_START:
                e = k + 1
                while e < n and s[e] in _ID_CHARS:
                    e += 1
                parts.append(('named', s[k:e], j))
                i = e
            elif k < n and s[k] == '{' and k + 1 < n and s[k + 1] in _ID_START:
                e = k + 2
                while e < n and s[e] in _ID_CHARS:
                    e += 1
                if e < n and s[e] == '}':
                    parts.append(('braced', s[k + 1:e], j))
                    i = e + 1
                else:
                    parts.append(('invalid', d, j))
                    i = k
            else:
                parts.append(('invalid', d, j))
                i = k

    def _invalid(self, start):
        lines = self.template[:start].splitlines(keepends=True)
        if not lines:
            colno, lineno = 1, 1
        else:
            colno = start - len(''.join(lines[:-1]))
            lineno = len(lines)
        raise ValueError('Invalid placeholder in string: line %d, col %d' % (lineno, colno))

    def substitute(self, mapping=_sentinel_dict, /, **kws):
        return self._render(mapping, kws, safe=False)

    def safe_substitute(self, mapping=_sentinel_dict, /, **kws):
        return self._render(mapping, kws, safe=True)

    # substitute(): a missing name is a KeyError, an invalid placeholder a ValueError;
    # safe_substitute(): both are left in the text as they were
    def _render(self, mapping, kws, safe):
        if mapping is _sentinel_dict:
            mapping = kws
        elif kws:
            mapping = _ChainMap(kws, mapping)
        out = []
        for kind, text, start in self._scan():
            if kind == 'text':
                out.append(text)
            elif kind == 'escaped':
                out.append(self.delimiter)
            elif kind == 'invalid':
                if not safe:
                    self._invalid(start + len(self.delimiter))
                out.append(self.delimiter)
            else:
                try:
                    out.append('%s' % (mapping[text],))
                except KeyError:
                    if not safe:
                        raise
                    if kind == 'named':
                        out.append(self.delimiter + text)
                    else:
                        out.append(self.delimiter + '{' + text + '}')
        return ''.join(out)

    def is_valid(self):
        return all(kind != 'invalid' for kind, _, _ in self._scan())

    def get_identifiers(self):
        ids = []
        for kind, text, start in self._scan():
            if kind in ('named', 'braced'):
                if text not in ids:
                    ids.append(text)
        return ids

    @property
    def pattern(self):
        return r'%s(?:(?P<escaped>%s)|(?P<named>%s)|{(?P<braced>%s)}|(?P<invalid>))' % (
            self.delimiter.replace('$', r'\$'), self.delimiter.replace('$', r'\$'),
            self.idpattern, self.idpattern)


class _ChainMap:
    # keyword arguments first, then the mapping (Template.substitute's lookup order)
    def __init__(self, *maps):
        self.maps = maps

    def __getitem__(self, key):
        for m in self.maps:
            try:
                return m[key]
            except KeyError:
                pass
        raise KeyError(key)


class Formatter:
    """str.format's steps as overridable methods."""

    def format(self, format_string, /, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        used_args = set()
        result, _ = self._vformat(format_string, args, kwargs, used_args, 2)
        self.check_unused_args(used_args, args, kwargs)
        return result

    def _vformat(self, format_string, args, kwargs, used_args, recursion_depth,
                 auto_arg_index=0):
        if recursion_depth < 0:
            raise ValueError('Max string recursion exceeded')
        result = []
        for literal_text, field_name, format_spec, conversion in self.parse(format_string):
            if literal_text:
                result.append(literal_text)
            if field_name is not None:
                if field_name == '':
                    if auto_arg_index is False:
                        raise ValueError('cannot switch from manual field specification to '
                                         'automatic field numbering')
                    field_name = str(auto_arg_index)
                    auto_arg_index += 1
                elif field_name.isdigit():
                    if auto_arg_index:
                        raise ValueError('cannot switch from manual field specification to '
                                         'automatic field numbering')
                    auto_arg_index = False
                obj, arg_used = self.get_field(field_name, args, kwargs)
                used_args.add(arg_used)
                obj = self.convert_field(obj, conversion)
                format_spec, auto_arg_index = self._vformat(
                    format_spec, args, kwargs, used_args, recursion_depth - 1,
                    auto_arg_index=auto_arg_index)
                result.append(self.format_field(obj, format_spec))
        return ''.join(result), auto_arg_index

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key]
        return kwargs[key]

    def check_unused_args(self, used_args, args, kwargs):
        pass

    def format_field(self, value, format_spec):
        return format(value, format_spec)

    def convert_field(self, value, conversion):
        if conversion is None:
            return value
        if conversion == 's':
            return str(value)
        if conversion == 'r':
            return repr(value)
        if conversion == 'a':
            return ascii(value)
        raise ValueError('Unknown conversion specifier %s' % (conversion,))

    def parse(self, format_string):
        """(literal_text, field_name, format_spec, conversion) tuples, as
        _string.formatter_parser yields them."""
        s = format_string
        n = len(s)
        i = 0
        literal = []
        while i < n:
            c = s[i]
            if c == '{':
                if i + 1 < n and s[i + 1] == '{':
                    literal.append('{')
                    yield (''.join(literal), None, None, None)
                    literal = []
                    i += 2
                    continue
                # a replacement field, up to the matching '}'
                if i + 1 == n:
                    raise ValueError("Single '{' encountered in format string")
                depth = 1
                j = i + 1
                while j < n and depth:
                    if s[j] == '{':
                        depth += 1
                    elif s[j] == '}':
                        depth -= 1
                    j += 1
                if depth:
                    raise ValueError("expected '}' before end of string")
                field = s[i + 1:j - 1]
                yield (''.join(literal),) + _split_field(field)
                literal = []
                i = j
            elif c == '}':
                if i + 1 < n and s[i + 1] == '}':
                    literal.append('}')
                    yield (''.join(literal), None, None, None)
                    literal = []
                    i += 2
                    continue
                raise ValueError("Single '}' encountered in format string")
            else:
                literal.append(c)
                i += 1
        if literal:
            yield (''.join(literal), None, None, None)

    def get_field(self, field_name, args, kwargs):
        first, rest = _field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            obj = getattr(obj, key) if is_attr else obj[key]
        return obj, first


def _split_field(field):
    # "name!r:spec" -> (name, spec, conversion); brackets in the name may hold ':' or '!'
    i = 0
    n = len(field)
    while i < n and field[i] not in '!:':
        if field[i] == '[':
            while i < n and field[i] != ']':
                i += 1
        i += 1
    name = field[:i]
    conversion = None
    spec = ''
    if i < n and field[i] == '!':
        if i + 1 >= n:
            raise ValueError('end of string while looking for conversion specifier')
        conversion = field[i + 1]
        i += 2
        if i < n and field[i] != ':':
            raise ValueError('expected \':\' after conversion specifier')
    if i < n and field[i] == ':':
        spec = field[i + 1:]
    return name, spec, conversion


def _field_name_split(name):
    # "0.attr[key]" -> (0, [(True, 'attr'), (False, 'key')])
    i = 0
    n = len(name)
    while i < n and name[i] not in '.[':
        i += 1
    first = name[:i]
    if first.isdigit():
        first = int(first)
    rest = []
    while i < n:
        if name[i] == '.':
            j = i + 1
            while j < n and name[j] not in '.[':
                j += 1
            if j == i + 1:
                raise ValueError('Empty attribute in format string')
            rest.append((True, name[i + 1:j]))
            i = j
        elif name[i] == '[':
            j = name.find(']', i)
            if j < 0:
                raise ValueError("Missing ']' in format string")
            key = name[i + 1:j]
            if key.isdigit():
                key = int(key)
            rest.append((False, key))
            i = j + 1
        else:
            raise ValueError('Only \'.\' or \'[\' may follow \']\' in format field specifier')
    return first, rest
