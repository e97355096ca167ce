# The match statement (PEP 634) against CPython 3.11: every pattern kind, guards,
# bindings, the soft keywords, the run-time errors and the compile-time SyntaxErrors.
import collections


class Point:
    __match_args__ = ('x', 'y')

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return 'Point(%r, %r)' % (self.x, self.y)


class Color:
    RED = 'red'
    GREEN = 'green'


def classify(x):
    match x:
        case 0:
            return 'zero'
        case 1 | 2 | 3:
            return 'small'
        case -1:
            return 'minus one'
        case 1.5:
            return 'one and a half'
        case 'hello' | 'hi':
            return 'greeting'
        case b'raw':
            return 'bytes'
        case None:
            return 'none'
        case True:
            return 'true'
        case Color.RED:
            return 'the red constant'
        case []:
            return 'empty sequence'
        case [a]:
            return 'one item %r' % (a,)
        case [a, b, *rest] if len(rest) > 1:
            return 'long seq %r %r %r' % (a, b, rest)
        case (a, *_, 9) if a > 100:
            return 'guarded'
        case [_, [x1, *_], *_]:
            return 'nested first %r' % (x1,)
        case {'type': 'point', 'x': px, **others}:
            return 'point %r %r' % (px, others)
        case {'k': [1, {'deep': d}]}:
            return 'deep %r' % d
        case {}:
            return 'some mapping %r' % (sorted(x),)
        case str() as s:
            return 'str %s' % s
        case int(n) if n > 100:
            return 'big %d' % n
        case float(v) | int(v):
            return 'number %r' % v
        case Point(x=0, y=yy):
            return 'on y axis at %r' % yy
        case Point(xx, yy) as pt if xx == yy:
            return 'diagonal %r' % (pt,)
        case Point(xx, yy):
            return 'point(%r, %r)' % (xx, yy)
        case (p, q):
            return 'pair %r %r' % (p, q)
        case _:
            return 'other %r' % (x,)


values = [0, 2, -1, 1.5, 1.0, 'hi', b'raw', None, True, False, 'red', [], (), [5], (6,),
          [1, 2, 3, 4], (101, 5, 9), [1, [7, 8], 3], {'type': 'point', 'x': 3, 'z': 4},
          {'k': [1, {'deep': 'd'}]}, {'a': 1}, 'abc', 500, 2.5, 7, Point(0, 5),
          Point(3, 3), Point(1, 2), {1, 2}, bytearray(b'xy'), (1, 2), range(2),
          collections.deque([9]), collections.OrderedDict(a=1), collections.defaultdict(int)]
for v in values:
    print(repr(v), '->', classify(v))

# the subject as a tuple, names bound after the statement, walrus in a guard
match 1, 2:
    case (a, b) if (total := a + b) > 2:
        print('tuple subject', a, b, total)
print('still bound:', a, b)

# no case matches: nothing happens; a failed case may leave some names bound
match [1, 2]:
    case [9, z]:
        print('unreachable')
print('after no match')

# or-patterns with captures, as-patterns inside sequences
for cmd in (['go', 'north'], ['go', 'n'], ['look'], ['drop', 'a', 'b'], ['quit'], 'x'):
    match cmd:
        case ['go', ('north' | 'n' | 'south' | 's') as direction]:
            print('going', direction)
        case ['look'] | ['l']:
            print('looking')
        case ['drop', *objects]:
            print('dropping', objects)
        case [('quit' | 'exit')]:
            print('bye')
        case other:
            print('unknown', other)

# keyword and positional class patterns, built-in self-matching types
class Sub(int):
    pass

for v in (Sub(3), 3, True, 'q', [1], {'a': 1}, (1,), frozenset({1}), 2.0):
    match v:
        case bool(b):
            print('bool', b)
        case int(i):
            print('int', i, type(v).__name__)
        case str(s) | list(s) | dict(s) | tuple(s) | frozenset(s) | float(s):
            print('self', s)

# mapping rest gets a fresh dict; get() is used on the subject
class Mapping(dict):
    def get(self, key, default=None):
        print('get', key)
        return dict.get(self, key, default)

match Mapping(a=1, b=2):
    case {'a': 1, **rest}:
        print('rest', rest, type(rest).__name__)

# soft keywords stay names
match = [1, 2]
case = 3
print(match, case)
match match:
    case [case, *_]:
        print('case bound', case)
def match(x):
    return x * 2
print(match(21))


# run-time errors
def run(subject, fn):
    try:
        print(fn(subject))
    except Exception as e:
        print(type(e).__name__ + ':', e)

class NoArgs:
    pass

class BadArgs:
    __match_args__ = ['a']

class Dup:
    __match_args__ = ('a',)
    a = 1

def f_noargs(v):
    match v:
        case NoArgs(x):
            return x

def f_badargs(v):
    match v:
        case BadArgs(x):
            return x

def f_dup(v):
    match v:
        case Dup(x, a=y):
            return x, y

def f_notype(v):
    k = 5
    match v:
        case k.real():
            return 'no'

def f_int2(v):
    match v:
        case int(a, b):
            return a

def f_dupkeys(v):
    match v:
        case {Color.RED: 1, Color.RED: 2}:
            return 'no'

run(NoArgs(), f_noargs)
run(BadArgs(), f_badargs)
run(Dup(), f_dup)
run(1, f_notype)
run(1, f_int2)
run({'red': 1, 'x': 2}, f_dupkeys)

# compile-time errors
bad = [
    'match x:\n    case y:\n        pass\n    case 1:\n        pass\n',
    'match x:\n    case _:\n        pass\n    case 1:\n        pass\n',
    'match x:\n    case [a, a]:\n        pass\n',
    'match x:\n    case [a] | [b]:\n        pass\n',
    'match x:\n    case a | 1:\n        pass\n',
    'match x:\n    case [*a, *b]:\n        pass\n',
    'match x:\n    case {"k": 1, "k": 2}:\n        pass\n',
    'match x:\n    case Point(x=1, x=2):\n        pass\n',
    'match x:\n    case 1 as _:\n        pass\n',
]
for src in bad:
    try:
        compile(src, '<case>', 'exec')
        print('compiled:', repr(src))
    except SyntaxError as e:
        print('SyntaxError:', e.msg, e.lineno)
