# json: dumps/loads/dump/load against CPython 3.11's output, options, hooks, subclassing,
# and the error messages and positions of malformed documents.
import json, os
from json import JSONDecodeError

# --- encoding -----------------------------------------------------------------------
values = [
    None, True, False, 0, -7, 10**30, 1.5, -0.0, 1e22, 1e-7, 3.141592653589793, 0.1 + 0.2,
    '', 'plain', 'quote " backslash \\ slash /', 'ctl \n\r\t\b\f \x00 \x1f \x7f',
    'latin é ü', 'bmp \u20ac \uffff', 'astral \U0001f600 \U00010000', 'lone \ud800 x',
    [], [1, [2, [3, []]]], (1, 2), {}, {'a': 1, 'b': [True, None]},
    {1: 'int', 2.5: 'float', True: 'bool', None: 'none'},
]
for v in values:
    print(json.dumps(v), json.dumps(v, ensure_ascii=False) == json.dumps(v) or
          ascii(json.dumps(v, ensure_ascii=False)))
print(json.dumps(float('nan')), json.dumps(float('inf')), json.dumps([float('-inf')]))
print(json.dumps({'b': 1, 'a': 2, 'c': {'z': 0, 'y': 1}}, sort_keys=True))
print(json.dumps([1, 2], separators=(',', ':')), json.dumps({'a': 1}, separators=(';', '=')))
doc = {'name': 'x', 'list': [1, 2, {'deep': []}], 'empty': {}, 'e2': [], 'n': None}
print(json.dumps(doc, indent=4))
print(json.dumps(doc, indent='\t', sort_keys=True))
print(json.dumps(doc, indent=0))
print(json.dumps([1, [2]], indent=2, separators=(', ', ': ')))

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

def default(o):
    if isinstance(o, Point):
        return {'x': o.x, 'y': o.y}
    if isinstance(o, set):
        return sorted(o)
    raise TypeError('no: %s' % type(o).__name__)

print(json.dumps([Point(1, 2), {3, 1, 2}], default=default))

class Enc(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, complex_like):
            return [o.re, o.im]
        return super().default(o)

class complex_like:
    def __init__(self, re, im):
        self.re, self.im = re, im

print(json.dumps({'z': complex_like(1, -1)}, cls=Enc))
print(Enc(sort_keys=True, indent=1).encode({'b': 1, 'a': complex_like(0, 2)}))
print(list(json.JSONEncoder().iterencode({'a': [1, 'x']})))
print(json.JSONEncoder(indent=2).item_separator, repr(json.JSONEncoder().key_separator))

class MyInt(int):
    def __repr__(self):
        return 'MyInt!'
class MyFloat(float):
    def __repr__(self):
        return 'MyFloat!'
class MyStr(str):
    pass
class MyDict(dict):
    pass
class MyList(list):
    pass
print(json.dumps([MyInt(5), MyFloat(2.5), MyStr('s'), MyDict(a=1), MyList([1])]))
print(json.dumps({MyInt(3): 1, MyFloat(0.5): 2}))
print(json.dumps({(1, 2): 'skipped', 'kept': 1}, skipkeys=True))

def err(f, *a, **k):
    try:
        r = f(*a, **k)
        print('no error:', repr(r))
    except Exception as e:
        print(type(e).__name__ + ':', e)

err(json.dumps, object())
err(json.dumps, {(1, 2): 3})
err(json.dumps, float('nan'), allow_nan=False)
err(json.dumps, {'a': float('inf')}, allow_nan=False)
circ = []
circ.append(circ)
err(json.dumps, circ)
cd = {}
cd['self'] = cd
err(json.dumps, cd)
err(json.dumps, {1: 'a', 'b': 2}, sort_keys=True)
shared = [1]
print(json.dumps([shared, shared]))

# --- decoding -----------------------------------------------------------------------
docs = [
    'null', ' true ', 'false', '0', '-0', '12345678901234567890', '-1.5', '1e3', '1E-2',
    '2.5e+3', '-0.0', '"x"', '""', '"\\u00e9\\n\\t\\"\\\\\\/"', '"\\ud83d\\ude00"',
    '"\\ud800"', '"\\udc00\\ud800x"', '[]', '[ ]', '[1, [2, [3]], {}]', '{}',
    '{"a": {"b": [null]}}', ' \n{ "k" : 1 , "k" : 2 } ', 'NaN', '-Infinity', '[Infinity]',
    '"tab\there"', '{"\\u0041": 1}',
]
for d in docs:
    try:
        print(repr(json.loads(d, strict=not d.startswith('"tab'))))
    except Exception as e:
        print(type(e).__name__ + ':', e)

print(json.loads('{"a": 1, "b": 2}', object_pairs_hook=lambda p: p))
print(json.loads('{"a": {"b": 2}}', object_hook=lambda d: sorted(d)))
print(json.loads('[1.5, 2, NaN]', parse_float=str, parse_int=lambda s: int(s) * 10,
                 parse_constant=lambda c: 'const:' + c))
print(json.loads(b'{"bytes": [1]}'), json.loads(bytearray(b'[2]')))
print(json.loads('\ufeff"x"'.encode('utf-8')))
print(json.loads('[1, "\u00e9\U0001f600"]'.encode('utf-8')))
utf16le = b'[\x001\x00]\x00'
print(json.loads(utf16le), json.loads(b'\xff\xfe' + utf16le))
print(json.loads(b'\x00[\x002\x00]'), json.loads(b'[\x00\x00\x003\x00\x00\x00]\x00\x00\x00'))
print(json.JSONDecoder().raw_decode('[1, 2] trailing'))
print(json.JSONDecoder().raw_decode('xx{"a": 1}yy', 2))

bad = [
    '', ' ', 'nul', 'tru', '[', '[1', '[1,', '[1,]', '[1 2]', '{', '{"a"', '{"a" 1}',
    '{"a":}', '{"a": 1,}', '{"a": 1 "b": 2}', "{'a': 1}", '{1: 2}', '"abc', '"a\\', '"\\x"',
    '"\\u12"', '"\\u12G4"', '"a\nb"', '[1] [2]', '01', '-', '- 1', '1.', '.5', '1e', '+1',
    '[1,\n 2,\n x]', 'true false', '"\\ud800\\u12"', '{"a": [1, {"b": ]}}', 'infinity',
]
for d in bad:
    try:
        print('parsed', repr(d), '->', repr(json.loads(d)))
    except JSONDecodeError as e:
        print(repr(d), '|', e, '|', e.msg, e.pos, e.lineno, e.colno, isinstance(e, ValueError))

err(json.loads, '\ufeff[1]')
err(json.loads, 5)
err(json.loads, None)

# --- files --------------------------------------------------------------------------
os.mkdir('/tmp/gilpy_json_%d' % os.getpid())
path = os.path.join('/tmp/gilpy_json_%d' % os.getpid(), 'doc.json')
with open(path, 'w') as f:
    json.dump({'saved': [1, 2, {'x': 'y'}]}, f, indent=1)
with open(path) as f:
    print(repr(f.read()))
with open(path) as f:
    print(json.load(f))
os.remove(path)
os.rmdir(os.path.dirname(path))

# round trips
big = {'ints': list(range(-5, 50, 7)), 'floats': [i / 7 for i in range(8)],
       'strs': ['%c' % c for c in range(0x20, 0x80, 9)], 'nested': [[[[]]]], 'u': '\u2603'}
print(json.loads(json.dumps(big)) == big, json.loads(json.dumps(big, indent=3)) == big)
e = JSONDecodeError('msg here', 'ab\ncd', 4)
print(e, e.lineno, e.colno, e.__reduce__()[1])
