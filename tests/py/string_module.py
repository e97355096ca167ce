# string against CPython 3.11: constants, capwords, Template (substitute, safe_substitute,
# errors with line/col, identifiers, custom delimiter), Formatter (parse, format, overrides).
import string
print(repr(string.whitespace), repr(string.punctuation), repr(string.printable), string.hexdigits, string.octdigits)
t = string.Template('$who likes ${what} $$ $100')
print(t.safe_substitute(who='tim'), t.template)
for fn in (lambda: t.substitute(who='tim'), lambda: string.Template('$who $').substitute(who=1),
           lambda: string.Template('line1\n  ${bad').substitute(), lambda: string.Template('$').substitute()):
    try:
        print(fn())
    except (KeyError, ValueError) as e:
        print(type(e).__name__, e)
print(t.get_identifiers(), t.is_valid(), string.Template('$1').is_valid(), string.Template('$a$a ${b}').get_identifiers())
print(string.Template('$x and ${y}s').substitute({'x': 1}, y=2), string.Template('${x}').substitute({'x': 'm'}, x='k'))
class Pct(string.Template):
    delimiter = '%'
print(Pct('%who %% %{what}').substitute(who='a', what='b'))
fm = string.Formatter()
for f in ('a{0}b{x.y[1]!r:>{w}}c{{d}}', '{}', '}}x{{', 'plain', '{0[a]}', '{!s}', '{:>10}'):
    print(repr(f), list(fm.parse(f)))
print(fm.format('{0:>5}|{name!r}|{1[0]}|{2.real}', 42, [7], 3, name='n'), fm.format('{} {}', 'a', 'b'))
print(fm.format('{0:{1}}', 3.14159, '.2f'), fm.format('{x:^{w}}', x='c', w=5))
for bad in ('{0} {}', '{', 'x}', '{0!x}'):
    try:
        print(fm.format(bad, 1, 2))
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)
print(string.capwords('hello   world  foo'), string.capwords('a-b c', '-'), string.capwords(' x  y '))
class Upper(string.Formatter):
    def format_field(self, value, spec):
        return super().format_field(value, spec).upper()
print(Upper().format('{} and {x}', 'abc', x='def'))
