# As fuzz_class_genexp_bracket.py, with a later 'for' at the '(' level: the bounded
# search of 10157e5 reported the error there (line 5) instead of at the class's 'for'.
class A([x] for x in y): pass

z = [[a for a in b]]
