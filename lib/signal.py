"""signal — set handlers for asynchronous events, in Python over the native `_signal`,
as CPython's Lib/signal.py is. The signal numbers are Signals members and SIG_DFL /
SIG_IGN are Handlers members: int subclasses with enum-style reprs (3.11's IntEnum:
str() is the number, repr is <Signals.SIGINT: 2>). Python handlers run on the main
thread between bytecodes (see src/modules/signals.h).
"""
import _signal
from _signal import *


from _intconst import IntConst as _IntConst, make as _make, convert as _int_to_enum


class Signals(_IntConst):
    pass


class Handlers(_IntConst):
    pass


class Sigmasks(_IntConst):
    pass


_make(Signals, _signal,
      [n for n in dir(_signal) if n.startswith("SIG") and not n.startswith("SIG_")
       and n not in ("SIGRTMIN", "SIGRTMAX")] + ["SIGRTMIN", "SIGRTMAX"], globals())
_make(Handlers, _signal, ["SIG_DFL", "SIG_IGN"], globals())
_make(Sigmasks, _signal, ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"], globals())


def _enum_to_int(value):
    try:
        return int(value)
    except (ValueError, TypeError):
        return value


def signal(signalnum, handler):
    handler = _signal.signal(_enum_to_int(signalnum), _enum_to_int(handler))
    return _int_to_enum(handler, Handlers)


def getsignal(signalnum):
    handler = _signal.getsignal(signalnum)
    return _int_to_enum(handler, Handlers)


def strsignal(signalnum):
    return _signal.strsignal(signalnum)


def valid_signals():
    return {_int_to_enum(x, Signals) for x in _signal.valid_signals()}
