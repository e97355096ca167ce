"""json: JSON encoding and decoding, CPython's interface (dumps/dump/loads/load,
JSONEncoder, JSONDecoder, JSONDecodeError), written in Python over gilpy's str.

Invariants: output and error messages match CPython 3.11's; the module-level encoder
and decoder used for calls without options are built once and hold no per-call state.
"""
from .decoder import JSONDecoder, JSONDecodeError
from .encoder import JSONEncoder

__all__ = ['dump', 'dumps', 'load', 'loads', 'JSONDecoder', 'JSONDecodeError', 'JSONEncoder']

_default_encoder = JSONEncoder()
_default_decoder = JSONDecoder()


def dump(obj, fp, *, skipkeys=False, ensure_ascii=True, check_circular=True,
         allow_nan=True, cls=None, indent=None, separators=None, default=None,
         sort_keys=False, **kw):
    """Write obj as JSON to the text file fp (its write method), chunk by chunk."""
    if (not skipkeys and ensure_ascii and check_circular and allow_nan and cls is None
            and indent is None and separators is None and default is None
            and not sort_keys and not kw):
        iterable = _default_encoder.iterencode(obj)
    else:
        if cls is None:
            cls = JSONEncoder
        iterable = cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                       check_circular=check_circular, allow_nan=allow_nan, indent=indent,
                       separators=separators, default=default, sort_keys=sort_keys,
                       **kw).iterencode(obj)
    for chunk in iterable:
        fp.write(chunk)


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    """obj as a JSON str."""
    if (not skipkeys and ensure_ascii and check_circular and allow_nan and cls is None
            and indent is None and separators is None and default is None
            and not sort_keys and not kw):
        return _default_encoder.encode(obj)
    if cls is None:
        cls = JSONEncoder
    return cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii, check_circular=check_circular,
               allow_nan=allow_nan, indent=indent, separators=separators, default=default,
               sort_keys=sort_keys, **kw).encode(obj)


_BOM_UTF8 = b'\xef\xbb\xbf'
_BOM_UTF16 = (b'\xfe\xff', b'\xff\xfe')
_BOM_UTF32 = (b'\x00\x00\xfe\xff', b'\xff\xfe\x00\x00')


def detect_encoding(b):
    """The encoding of JSON bytes, from a BOM or the pattern of zero bytes that ASCII
    text leaves in UTF-16 and UTF-32 (RFC 4627)."""
    bstartswith = b.startswith
    if bstartswith(_BOM_UTF32):
        return 'utf-32'
    if bstartswith(_BOM_UTF16):
        return 'utf-16'
    if bstartswith(_BOM_UTF8):
        return 'utf-8-sig'
    if len(b) >= 4:
        if not b[0]:
            return 'utf-16-be' if b[1] else 'utf-32-be'
        if not b[1]:
            return 'utf-16-le' if b[2] or b[3] else 'utf-32-le'
    elif len(b) == 2:
        if not b[0]:
            return 'utf-16-be'
        if not b[1]:
            return 'utf-16-le'
    return 'utf-8'


def _decode(b, encoding):
    # UTF-8 through bytes.decode; UTF-16 and UTF-32, which gilpy's codecs lack, here:
    # code units in the BOM's (or the name's) byte order, surrogate pairs joined and lone
    # surrogates kept, as CPython's 'surrogatepass' does. (A lone surrogate in UTF-8
    # bytes is an error here; CPython keeps it.)
    if encoding.startswith('utf-8'):
        return b.decode(encoding)
    width = 4 if encoding.startswith('utf-32') else 2
    if encoding in ('utf-16', 'utf-32'):
        order = 'little' if b[0] == 0xff else 'big'
        b = b[width:]
        name = encoding + ('-le' if order == 'little' else '-be')
    else:
        order = 'little' if encoding.endswith('le') else 'big'
        name = encoding
    full = len(b) - len(b) % width
    if full != len(b):
        raise UnicodeDecodeError(name, b, full, len(b), 'truncated data')
    units = [int.from_bytes(b[i:i + width], order) for i in range(0, full, width)]
    out = []
    i = 0
    while i < len(units):
        u = units[i]
        if (0xd800 <= u <= 0xdbff and i + 1 < len(units)
                and 0xdc00 <= units[i + 1] <= 0xdfff):
            u = 0x10000 + ((u - 0xd800) << 10) + (units[i + 1] - 0xdc00)
            i += 1
        elif u > 0x10ffff:
            raise UnicodeDecodeError(name, b, i * width, (i + 1) * width,
                                     'code point not in range(0x110000)')
        out.append(chr(u))
        i += 1
    return ''.join(out)


def loads(s, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
          parse_constant=None, object_pairs_hook=None, **kw):
    """The Python object for the JSON document s (str, bytes or bytearray)."""
    if isinstance(s, str):
        if s.startswith('\ufeff'):
            raise JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0)
    else:
        if not isinstance(s, (bytes, bytearray)):
            raise TypeError('the JSON object must be str, bytes or bytearray, not %s'
                            % s.__class__.__name__)
        s = _decode(bytes(s), detect_encoding(s))
    if (cls is None and object_hook is None and parse_int is None and parse_float is None
            and parse_constant is None and object_pairs_hook is None and not kw):
        return _default_decoder.decode(s)
    if cls is None:
        cls = JSONDecoder
    if object_hook is not None:
        kw['object_hook'] = object_hook
    if object_pairs_hook is not None:
        kw['object_pairs_hook'] = object_pairs_hook
    if parse_float is not None:
        kw['parse_float'] = parse_float
    if parse_int is not None:
        kw['parse_int'] = parse_int
    if parse_constant is not None:
        kw['parse_constant'] = parse_constant
    return cls(**kw).decode(s)


def load(fp, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
         parse_constant=None, object_pairs_hook=None, **kw):
    """The Python object for the JSON document read from fp (its read method)."""
    return loads(fp.read(), cls=cls, object_hook=object_hook, parse_float=parse_float,
                 parse_int=parse_int, parse_constant=parse_constant,
                 object_pairs_hook=object_pairs_hook, **kw)
