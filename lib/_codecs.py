"""_codecs — the one codec entry point pickle needs: encode(obj, encoding, errors).

Invariant: pickles of bytes in protocols 0-2 name `_codecs.encode` (as CPython's do),
so this module must exist under that name and behave as CPython's for str input.
"""


def encode(obj, encoding="utf-8", errors="strict"):
    return obj.encode(encoding, errors)


def decode(obj, encoding="utf-8", errors="strict"):
    return obj.decode(encoding, errors)
