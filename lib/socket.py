"""socket — the socket interface, in Python over the native `_socket`, as CPython's
Lib/socket.py: the socket class (accept returning a socket, makefile, context manager,
enum-valued family/type), create_connection, create_server, socketpair, fromfd and an
enum-converting getaddrinfo.

Invariants: every system call is made by _socket (C++); a socket's fd is closed when
close() has been called and no makefile() file still uses it (_io_refs == 0).
"""
import _socket
from _socket import *
import os
import sys
from enum import IntEnum as _IntEnum, IntFlag as _IntFlag

__all__ = ["fromfd", "getfqdn", "create_connection", "create_server",
           "has_dualstack_ipv6", "AddressFamily", "SocketKind", "socketpair"]
__all__.extend(n for n in dir(_socket) if not n.startswith("_"))


_IntEnum._convert_('AddressFamily', __name__,
                   lambda n: n in ('AF_UNSPEC', 'AF_UNIX', 'AF_INET', 'AF_INET6'), source=_socket)
_IntEnum._convert_('SocketKind', __name__,
                   lambda n: n in ('SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_SEQPACKET',
                                   'SOCK_NONBLOCK', 'SOCK_CLOEXEC'), source=_socket)
_IntFlag._convert_('MsgFlag', __name__,
                   lambda n: n in ('MSG_OOB', 'MSG_PEEK', 'MSG_DONTROUTE', 'MSG_TRUNC',
                                   'MSG_DONTWAIT', 'MSG_WAITALL', 'MSG_NOSIGNAL'), source=_socket)
_IntFlag._convert_('AddressInfo', __name__,
                   lambda n: n in ('AI_PASSIVE', 'AI_CANONNAME', 'AI_NUMERICHOST', 'AI_V4MAPPED',
                                   'AI_ALL', 'AI_ADDRCONFIG', 'AI_NUMERICSERV'), source=_socket)


def _intenum_converter(value, enum_klass):
    """enum_klass(value) when value is a member's value, else value unchanged."""
    try:
        return enum_klass(value)
    except ValueError:
        return value


_LOCALHOST = "127.0.0.1"
_LOCALHOST_V6 = "::1"


class socket(_socket.socket):
    """A subclass of _socket.socket adding the makefile() method."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None:
            if family == -1:
                family = AF_INET
            if type == -1:
                type = SOCK_STREAM
            if proto == -1:
                proto = 0
        _socket.socket.__init__(self, family, type, proto, fileno)
        self._io_refs = 0
        self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *args):
        if not self._closed:
            self.close()

    def __repr__(self):
        closed = getattr(self, "_closed", False)
        s = "<%s.%s%s fd=%i, family=%s, type=%s, proto=%i" % (
            self.__class__.__module__, self.__class__.__qualname__,
            " [closed]" if closed else "", self.fileno(), self.family, self.type, self.proto)
        if not closed:
            try:
                laddr = self.getsockname()
                if laddr:
                    s += ", laddr=%s" % str(laddr)
            except error:
                pass
            try:
                raddr = self.getpeername()
                if raddr:
                    s += ", raddr=%s" % str(raddr)
            except error:
                pass
        s += ">"
        return s

    def __getstate__(self):
        raise TypeError(f"cannot pickle {self.__class__.__name__!r} object")

    def dup(self):
        fd = dup(self.fileno())
        sock = self.__class__(self.family, self.type, self.proto, fileno=fd)
        sock.settimeout(self.gettimeout())
        return sock

    def accept(self):
        fd, addr = self._accept()
        sock = socket(self.family, self.type, self.proto, fileno=fd)
        if getdefaulttimeout() is None and self.gettimeout():
            sock.setblocking(True)
        return sock, addr

    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError("invalid mode %r (only r, w, b allowed)" % (mode,))
        writing = "w" in mode
        reading = "r" in mode or not writing
        assert reading or writing
        binary = "b" in mode
        if not binary and buffering == 0:
            raise ValueError("unbuffered streams must be binary")
        self._io_refs += 1
        return _SocketFile(self, mode, reading, writing, binary, buffering, encoding, errors,
                           newline)

    def _decref_socketios(self):
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed:
            self.close()

    def _real_close(self, _ss=_socket.socket):
        _ss.close(self)

    def close(self):
        self._closed = True
        if self._io_refs <= 0:
            self._real_close()

    def detach(self):
        self._closed = True
        return super().detach()

    @property
    def family(self):
        return _intenum_converter(super().family, AddressFamily)

    @property
    def type(self):
        return _intenum_converter(super().type, SocketKind)

    def get_inheritable(self):
        return os.get_inheritable(self.fileno())

    def set_inheritable(self, inheritable):
        os.set_inheritable(self.fileno(), inheritable)


SocketType = socket


def _utf8_incomplete_tail(data):
    """How many bytes at the end of data begin a UTF-8 sequence not yet complete."""
    n = len(data)
    for back in range(1, min(3, n) + 1):
        b = data[n - back]
        if b & 0xC0 == 0x80:
            continue          # a continuation byte: keep looking for the lead
        if b >= 0xF0:
            need = 4
        elif b >= 0xE0:
            need = 3
        elif b >= 0xC0:
            need = 2
        else:
            need = 1
        return back if need > back else 0
    return 0


class _SocketFile:
    """The file object makefile() returns: buffered reads and writes over a socket,
    binary (bytes) or text (str with an encoding; newline=None translates \\r\\n and \\r
    to \\n on input, as TextIOWrapper does)."""

    _CHUNK = 8192

    def __init__(self, sock, mode, reading, writing, binary, buffering, encoding, errors,
                 newline):
        self._sock = sock
        self.mode = mode.replace("b", "") + ("b" if binary else "")
        self._reading = reading
        self._writing = writing
        self._binary = binary
        self._unbuffered = buffering == 0
        self._line_buffering = buffering == 1 and not binary
        self.encoding = None if binary else (encoding or "utf-8")
        self.errors = None if binary else (errors or "strict")
        self.newline = newline
        self._rbuf = b"" if binary else ""
        self._pending = b""     # text mode: bytes not decoded yet (an incomplete sequence)
        self._wbuf = []
        self._eof = False
        self._closed = False

    # ---- state
    @property
    def closed(self):
        return self._closed

    @property
    def name(self):
        return self._sock.fileno() if not self._closed else -1

    def fileno(self):
        self._check_closed()
        return self._sock.fileno()

    def readable(self):
        self._check_closed()
        return self._reading

    def writable(self):
        self._check_closed()
        return self._writing

    def seekable(self):
        return False

    def _check_closed(self):
        if self._closed:
            raise ValueError("I/O operation on closed file.")

    def _check_readable(self):
        self._check_closed()
        if not self._reading:
            raise OSError("File or stream is not readable.") if self._binary else \
                _unsupported("not readable")

    def _check_writable(self):
        self._check_closed()
        if not self._writing:
            raise OSError("File or stream is not writable.") if self._binary else \
                _unsupported("not writable")

    # ---- reading
    def _fill(self):
        """Read one chunk into the read buffer; False at end of stream."""
        if self._eof:
            return False
        data = self._sock.recv(self._CHUNK)
        if not data:
            self._eof = True
            if not self._binary and self._pending:
                self._rbuf += self._translate(self._pending.decode(self.encoding, self.errors))
                self._pending = b""
            return False
        if self._binary:
            self._rbuf += data
        else:
            data = self._pending + data
            keep = _utf8_incomplete_tail(data) if self.encoding.lower().replace("_", "-") in (
                "utf-8", "utf8") else 0
            if keep:
                self._pending = data[-keep:]
                data = data[:-keep]
            else:
                self._pending = b""
            self._rbuf += self._translate(data.decode(self.encoding, self.errors))
        return True

    def _translate(self, text):
        if self.newline is None:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text

    def read(self, size=-1):
        self._check_readable()
        if size is None or size < 0:
            while self._fill():
                pass
            data, self._rbuf = self._rbuf, self._rbuf[:0]
            return data
        while len(self._rbuf) < size and self._fill():
            if self._binary and self._rbuf:
                break        # like a raw socket read: return what arrived
        data, self._rbuf = self._rbuf[:size], self._rbuf[size:]
        return data

    def read1(self, size=-1):
        self._check_readable()
        if not self._rbuf:
            self._fill()
        if size is None or size < 0:
            size = len(self._rbuf)
        data, self._rbuf = self._rbuf[:size], self._rbuf[size:]
        return data

    def readinto(self, b):
        data = self.read(len(b))
        n = len(data)
        b[:n] = data
        return n

    def readline(self, size=-1):
        self._check_readable()
        nl = b"\n" if self._binary else "\n"
        start = 0
        while True:
            i = self._rbuf.find(nl, start)
            if i >= 0:
                end = i + 1
                break
            if size is not None and 0 <= size <= len(self._rbuf):
                end = size
                break
            start = len(self._rbuf)
            if not self._fill():
                end = len(self._rbuf)
                break
        if size is not None and 0 <= size < end:
            end = size
        line, self._rbuf = self._rbuf[:end], self._rbuf[end:]
        return line

    def readlines(self, hint=-1):
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        self._check_closed()
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    # ---- writing
    def write(self, data):
        self._check_writable()
        if self._binary:
            if isinstance(data, str):
                raise TypeError("a bytes-like object is required, not 'str'")
            raw = bytes(data)
        else:
            if not isinstance(data, str):
                raise TypeError("write() argument must be str, not %s" % type(data).__name__)
            raw = data.encode(self.encoding, self.errors)
        if self._unbuffered:
            self._sock.sendall(raw)
            return len(raw)
        self._wbuf.append(raw)
        if sum(map(len, self._wbuf)) >= self._CHUNK or (
                self._line_buffering and "\n" in data):
            self.flush()
        return len(data)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        self._check_closed()
        if self._wbuf:
            data = b"".join(self._wbuf)
            self._wbuf = []
            self._sock.sendall(data)

    # ---- closing
    def close(self):
        if self._closed:
            return
        try:
            if self._writing and self._wbuf:
                self.flush()
        finally:
            self._closed = True
            self._sock._decref_socketios()
            self._sock = None

    def __enter__(self):
        self._check_closed()
        return self

    def __exit__(self, *args):
        self.close()

    def __repr__(self):
        if self._binary:
            kind = "BufferedRWPair" if self._reading and self._writing else (
                "BufferedReader" if self._reading else "BufferedWriter")
            return "<_io.%s name=%d>" % (kind, self.name)
        return "<_io.TextIOWrapper name=%d mode=%r encoding=%r>" % (self.name, self.mode,
                                                                     self.encoding)


def _unsupported(msg):
    try:
        import io
        return io.UnsupportedOperation(msg)
    except (ImportError, AttributeError):
        return OSError(msg)


def fromfd(fd, family, type, proto=0):
    nfd = dup(fd)
    return socket(family, type, proto, nfd)


def socketpair(family=None, type=SOCK_STREAM, proto=0):
    if family is None:
        family = AF_UNIX
    a, b = _socket.socketpair(family, type, proto)
    a = socket(family, type, proto, a.detach())
    b = socket(family, type, proto, b.detach())
    return a, b


_GLOBAL_DEFAULT_TIMEOUT = object()


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None, *,
                      all_errors=False):
    host, port = address
    exceptions = []
    for res in getaddrinfo(host, port, 0, SOCK_STREAM):
        af, socktype, proto, canonname, sa = res
        sock = None
        try:
            sock = socket(af, socktype, proto)
            if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sa)
            exceptions.clear()
            return sock
        except error as exc:
            if not all_errors:
                exceptions.clear()
            exceptions.append(exc)
            if sock is not None:
                sock.close()
    if len(exceptions):
        try:
            if not all_errors:
                raise exceptions[0]
            raise ExceptionGroup("create connection failed", exceptions)
        finally:
            exceptions.clear()
    else:
        raise error("getaddrinfo returns an empty list")


def has_dualstack_ipv6():
    try:
        with socket(AF_INET6, SOCK_STREAM) as sock:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0)
            return True
    except error:
        return False


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False,
                  dualstack_ipv6=False):
    if reuse_port and not hasattr(_socket, "SO_REUSEPORT"):
        raise ValueError("SO_REUSEPORT not supported on this platform")
    if dualstack_ipv6:
        if not has_dualstack_ipv6():
            raise ValueError("dualstack_ipv6 not supported on this platform")
        if family != AF_INET6:
            raise ValueError("dualstack_ipv6 requires AF_INET6 family")
    sock = socket(family, SOCK_STREAM)
    try:
        try:
            sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        except error:
            pass
        if reuse_port:
            sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)
        if family == AF_INET6:
            if dualstack_ipv6:
                sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0)
            else:
                sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1)
        try:
            sock.bind(address)
        except error as err:
            msg = "%s (while attempting to bind on address %r)" % (err.strerror, address)
            raise error(err.errno, msg) from None
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock
    except error:
        sock.close()
        raise


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    addrlist = []
    for res in _socket.getaddrinfo(host, port, family, type, proto, flags):
        af, socktype, proto, canonname, sa = res
        addrlist.append((_intenum_converter(af, AddressFamily),
                         _intenum_converter(socktype, SocketKind), proto, canonname, sa))
    return addrlist


def getfqdn(name=""):
    name = name.strip()
    if not name or name in ("0.0.0.0", "::"):
        name = gethostname()
    return name
