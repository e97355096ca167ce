"""linecache — source lines of files, read from disk and cached, after CPython's
Lib/linecache.py (the subset traceback needs).

Invariants: a line number counts from 1; a line that cannot be had (no such file, a
module embedded in the interpreter, a name like "<string>", a number out of range) is
"" and never an error. The cache maps a filename to its list of lines (each ending in
"\\n"); it changes only under _lock, so concurrent readers see a whole list or none.
"""
import _thread

__all__ = ["getline", "getlines", "clearcache", "checkcache", "updatecache"]

cache = {}
_lock = _thread.allocate_lock()


def clearcache():
    with _lock:
        cache.clear()


def getline(filename, lineno, module_globals=None):
    lines = getlines(filename, module_globals)
    if 1 <= lineno <= len(lines):
        return lines[lineno - 1]
    return ""


def getlines(filename, module_globals=None):
    with _lock:
        lines = cache.get(filename)
    if lines is not None:
        return lines
    return updatecache(filename, module_globals)


def checkcache(filename=None):
    # Files are not re-stat'ed: gilpy's cache holds what was read first.
    pass


def updatecache(filename, module_globals=None):
    if not filename or (filename.startswith("<") and filename.endswith(">")):
        return []
    try:
        with open(filename, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except (OSError, UnicodeError, ValueError):
        return []
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    with _lock:
        cache[filename] = lines
    return lines
