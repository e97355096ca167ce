"""traceback — format and print exceptions and stacks, after CPython 3.11's
Lib/traceback.py (without the column carets of PEP 657, which gilpy's own printer does
not draw either).

Invariants:
  * Everything is read from the objects the VM exposes: an exception's __traceback__,
    __cause__, __context__, __suppress_context__ and __notes__; a traceback's tb_frame,
    tb_lineno and tb_next; a frame's f_code (co_filename, co_name), f_lineno, f_back.
    Source lines come from linecache (real files only), stripped as CPython shows them.
  * The text equals what sys.excepthook prints for the same exception: the same
    "Traceback (most recent call last):" header, "  File ..., line N, in NAME" entries,
    "[Previous line repeated N more times]" after three identical entries, the chain
    messages, and "module.Qualname: message" for the last line.
  * Chains are walked once per exception object (a cycle stops), as CPython does.
"""
import sys
import linecache

__all__ = ["extract_stack", "extract_tb", "format_exception", "format_exception_only",
           "format_list", "format_stack", "format_tb", "print_exc", "format_exc",
           "print_exception", "print_last", "print_stack", "print_tb", "clear_frames",
           "FrameSummary", "StackSummary", "walk_stack", "walk_tb"]

_cause_message = ("\nThe above exception was the direct cause "
                  "of the following exception:\n\n")
_context_message = ("\nDuring handling of the above exception, "
                    "another exception occurred:\n\n")
_RECURSIVE_CUTOFF = 3
_sentinel = object()


class FrameSummary:
    __slots__ = ("filename", "lineno", "name", "_line", "locals")

    def __init__(self, filename, lineno, name, *, lookup_line=True, locals=None,
                 line=None):
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self._line = line
        self.locals = locals
        if lookup_line:
            self.line

    @property
    def line(self):
        if self._line is None:
            if self.lineno is None:
                return None
            self._line = linecache.getline(self.filename, self.lineno)
        return self._line.strip()

    def __eq__(self, other):
        if isinstance(other, FrameSummary):
            return (self.filename == other.filename and self.lineno == other.lineno and
                    self.name == other.name and self.locals == other.locals)
        if isinstance(other, tuple):
            return (self.filename, self.lineno, self.name, self.line) == other
        return NotImplemented

    def __getitem__(self, pos):
        return (self.filename, self.lineno, self.name, self.line)[pos]

    def __iter__(self):
        return iter([self.filename, self.lineno, self.name, self.line])

    def __len__(self):
        return 4

    def __repr__(self):
        return "<FrameSummary file {filename}, line {lineno} in {name}>".format(
            filename=self.filename, lineno=self.lineno, name=self.name)


def walk_tb(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def walk_stack(f):
    if f is None:
        f = sys._getframe().f_back.f_back.f_back.f_back
    while f is not None:
        yield f, f.f_lineno
        f = f.f_back


def _limit():
    limit = getattr(sys, "tracebacklimit", None)
    if limit is not None and limit < 0:
        limit = 0
    return limit


class StackSummary(list):
    @classmethod
    def extract(klass, frame_gen, *, limit=None, lookup_lines=True, capture_locals=False):
        if limit is None:
            limit = _limit()
        items = list(frame_gen)
        if limit is not None:
            items = items[:limit] if limit >= 0 else items[limit:]
        result = klass()
        for f, lineno in items:
            co = f.f_code
            locs = None
            if capture_locals:
                locs = {k: repr(v) for k, v in f.f_locals.items()}
            result.append(FrameSummary(co.co_filename, lineno, co.co_name,
                                       lookup_line=lookup_lines, locals=locs))
        return result

    @classmethod
    def from_list(klass, a_list):
        result = klass()
        for frame in a_list:
            if isinstance(frame, FrameSummary):
                result.append(frame)
            else:
                filename, lineno, name, line = frame
                result.append(FrameSummary(filename, lineno, name, line=line))
        return result

    def format_frame_summary(self, frame_summary):
        row = ['  File "{}", line {}, in {}\n'.format(
            frame_summary.filename, frame_summary.lineno, frame_summary.name)]
        if frame_summary.line:
            row.append("    {}\n".format(frame_summary.line))
        if frame_summary.locals:
            for name, value in sorted(frame_summary.locals.items()):
                row.append("    {name} = {value}\n".format(name=name, value=value))
        return "".join(row)

    def format(self):
        result = []
        last = None
        count = 0
        for fs in self:
            key = (fs.filename, fs.lineno, fs.name)
            if last is None or key != last:
                if count > _RECURSIVE_CUTOFF:
                    n = count - _RECURSIVE_CUTOFF
                    result.append("  [Previous line repeated {} more time{}]\n".format(
                        n, "s" if n > 1 else ""))
                last = key
                count = 0
            count += 1
            if count > _RECURSIVE_CUTOFF:
                continue
            result.append(self.format_frame_summary(fs))
        if count > _RECURSIVE_CUTOFF:
            n = count - _RECURSIVE_CUTOFF
            result.append("  [Previous line repeated {} more time{}]\n".format(
                n, "s" if n > 1 else ""))
        return result


def extract_tb(tb, limit=None):
    return StackSummary.extract(walk_tb(tb), limit=limit)


def extract_stack(f=None, limit=None):
    if f is None:
        f = sys._getframe().f_back
    stack = StackSummary.extract(walk_stack(f), limit=limit)
    stack.reverse()
    return stack


def format_list(extracted_list):
    return StackSummary.from_list(extracted_list).format()


def print_list(extracted_list, file=None):
    if file is None:
        file = sys.stderr
    for item in StackSummary.from_list(extracted_list).format():
        print(item, file=file, end="")


def format_tb(tb, limit=None):
    return extract_tb(tb, limit=limit).format()


def print_tb(tb, limit=None, file=None):
    print_list(extract_tb(tb, limit=limit), file=file)


def format_stack(f=None, limit=None):
    if f is None:
        f = sys._getframe().f_back
    return format_list(extract_stack(f, limit=limit))


def print_stack(f=None, limit=None, file=None):
    if f is None:
        f = sys._getframe().f_back
    print_list(extract_stack(f, limit=limit), file=file)


def _safe_string(value, what, func=str):
    try:
        return func(value)
    except BaseException:
        return "<%s %s() failed>" % (what, func.__name__)


def _type_name(etype):
    stype = getattr(etype, "__qualname__", None) or etype.__name__
    smod = getattr(etype, "__module__", None)
    if smod not in ("__main__", "builtins", None):
        if not isinstance(smod, str):
            smod = "<unknown>"
        stype = smod + "." + stype
    return stype


def _format_final_exc_line(etype, value):
    valuestr = _safe_string(value, "exception")
    if value is None or not valuestr:
        return "%s\n" % etype
    return "%s: %s\n" % (etype, valuestr)


def _exception_only(exc):
    if exc is None:
        return ["NoneType: None\n"]
    etype = type(exc)
    stype = _type_name(etype)
    out = []
    if issubclass(etype, SyntaxError):
        filename = getattr(exc, "filename", None)
        lineno = getattr(exc, "lineno", None)
        if lineno is not None:
            out.append('  File "{}", line {}\n'.format(filename or "<string>", lineno))
        text = getattr(exc, "text", None)
        if text is not None:
            rtext = text.rstrip("\n")
            ltext = rtext.lstrip(" \n\f")
            spaces = len(rtext) - len(ltext)
            out.append("    {}\n".format(ltext))
            offset = getattr(exc, "offset", None)
            if offset is not None:
                end = getattr(exc, "end_offset", None)
                if end is None or end <= offset or getattr(exc, "end_lineno", lineno) != lineno:
                    end = offset + 1
                caret = offset - 1 - spaces
                if caret >= 0:
                    out.append("    {}{}\n".format(" " * caret, "^" * max(end - offset, 1)))
        msg = getattr(exc, "msg", None) or "<no detail available>"
        out.append("{}: {}\n".format(stype, msg))
    else:
        out.append(_format_final_exc_line(stype, exc))
    notes = getattr(exc, "__notes__", None)
    if notes is not None:
        if isinstance(notes, (list, tuple)):
            for note in notes:
                note = _safe_string(note, "note")
                out.extend(line + "\n" for line in note.split("\n"))
        else:
            out.append(_safe_string(notes, "__notes__", func=repr) + "\n")
    return out


def _parse_value_tb(exc, value, tb):
    if (value is _sentinel) != (tb is _sentinel):
        raise ValueError("Both or neither of value and tb must be given")
    if value is tb is _sentinel:
        if exc is not None:
            if isinstance(exc, BaseException):
                return exc, exc.__traceback__
            raise TypeError(
                f"Exception expected for value, {type(exc).__name__} found")
        return None, None
    return value, tb


def _chain(exc, tb, limit, chain, seen):
    """Lines for exc (whose traceback is tb) preceded by its cause or context."""
    out = []
    if exc is not None:
        seen.add(id(exc))
        if chain:
            cause = exc.__cause__
            context = exc.__context__
            if cause is not None and id(cause) not in seen:
                out.extend(_chain(cause, cause.__traceback__, limit, chain, seen))
                out.append(_cause_message)
            elif (context is not None and not exc.__suppress_context__ and
                  id(context) not in seen):
                out.extend(_chain(context, context.__traceback__, limit, chain, seen))
                out.append(_context_message)
    if tb is not None:
        out.append("Traceback (most recent call last):\n")
        out.extend(format_tb(tb, limit=limit))
    out.extend(_exception_only(exc))
    return out


def format_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, chain=True):
    value, tb = _parse_value_tb(exc, value, tb)
    return _chain(value, tb, limit, chain, set())


def format_exception_only(exc, /, value=_sentinel):
    if value is _sentinel:
        value = exc
    return _exception_only(value)


def print_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, file=None,
                    chain=True):
    if file is None:
        file = sys.stderr
    for line in format_exception(exc, value, tb, limit=limit, chain=chain):
        print(line, file=file, end="")


def format_exc(limit=None, chain=True):
    return "".join(format_exception(*sys.exc_info(), limit=limit, chain=chain))


def print_exc(limit=None, file=None, chain=True):
    print_exception(*sys.exc_info(), limit=limit, file=file, chain=chain)


def print_last(limit=None, file=None, chain=True):
    if not hasattr(sys, "last_type"):
        raise ValueError("no last exception")
    print_exception(sys.last_type, sys.last_value, sys.last_traceback,
                    limit, file, chain)


def clear_frames(tb):
    # gilpy's frame objects are snapshots that hold no live locals: nothing to clear.
    pass
