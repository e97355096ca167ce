# fuzz_compile (ASan, fixed in 10157e5): a class base that is a bare generator whose
# element starts with a bracket. The parser looked for the genexp's 'for' at the level of
# the element's first token, the '(' (one deeper), found none and read past the tokens.
class A((x) for x in y): pass
