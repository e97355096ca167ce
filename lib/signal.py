"""signal — set handlers for asynchronous events, in Python over the native `_signal`,
as CPython's Lib/signal.py is. The signal numbers are Signals members and SIG_DFL /
SIG_IGN are Handlers members (enum.IntEnum: str() is the number, repr is
<Signals.SIGINT: 2>). Python handlers run on the main
thread between bytecodes (see src/modules/signals.h).
"""
import _signal
from _signal import *


from enum import IntEnum as _IntEnum

_IntEnum._convert_('Signals', __name__, lambda name: name.isupper() and name.startswith('SIG')
                   and not name.startswith('SIG_'), source=_signal)
_IntEnum._convert_('Handlers', __name__, lambda name: name in ('SIG_DFL', 'SIG_IGN'),
                   source=_signal)
_IntEnum._convert_('Sigmasks', __name__,
                   lambda name: name in ('SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'),
                   source=_signal)


def _int_to_enum(value, enum_klass):
    """enum_klass(value) when value is a member's value, else value unchanged."""
    try:
        return enum_klass(value)
    except ValueError:
        return value


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
