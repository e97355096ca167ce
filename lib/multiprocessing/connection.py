"""multiprocessing.connection — Pipe() and Connection objects over file descriptors.

Invariants:
  * A message is a 4-byte big-endian signed length then the payload (for 2 GiB or more:
    -1 then an 8-byte length), CPython's framing; send()/recv() carry pickles.
  * Reads and writes go straight to os.read/os.write (no user-space buffer), so
    poll() on the fd tells the truth; both release the interpreter lock while blocked.
  * A duplex Pipe is two one-way pipes: each Connection reads one and writes the other.
"""
import os
import io
import sys
import time
import select
import struct
import pickle

__all__ = ["Connection", "Pipe", "wait"]


class BufferTooShort(Exception):
    pass


def _dumps(obj):
    return pickle.dumps(obj)


class Connection:
    def __init__(self, rfd=None, wfd=None, readable=True, writable=True):
        self._rfd = rfd if readable else None
        self._wfd = wfd if writable else None
        self._readable = readable
        self._writable = writable

    def __del__(self):
        pass

    def _check_closed(self):
        if self._rfd is None and self._wfd is None:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self._readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self._writable:
            raise OSError("connection is read-only")

    @property
    def closed(self):
        return self._rfd is None and self._wfd is None

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def fileno(self):
        self._check_closed()
        return self._rfd if self._rfd is not None else self._wfd

    def close(self):
        fds = {self._rfd, self._wfd} - {None}
        self._rfd = self._wfd = None
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass

    def _send(self, buf):
        fd = self._wfd
        view = buf
        while view:
            n = os.write(fd, view)
            view = view[n:]

    def _send_bytes(self, buf):
        n = len(buf)
        if n > 0x7fffffff:
            self._send(struct.pack("!i", -1) + struct.pack("!Q", n))
            self._send(buf)
        elif n > 16384:
            self._send(struct.pack("!i", n))
            self._send(buf)
        else:
            self._send(struct.pack("!i", n) + buf)

    def _recv(self, size):
        fd = self._rfd
        chunks = []
        remaining = size
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                if remaining == size:
                    raise EOFError
                raise OSError("got end of file during message")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _recv_bytes(self, maxsize=None):
        size, = struct.unpack("!i", self._recv(4))
        if size == -1:
            size, = struct.unpack("!Q", self._recv(8))
        if maxsize is not None and size > maxsize:
            return None
        return self._recv(size)

    def send_bytes(self, buf, offset=0, size=None):
        self._check_closed()
        self._check_writable()
        m = bytes(buf)
        n = len(m)
        if offset < 0:
            raise ValueError("offset is negative")
        if n < offset:
            raise ValueError("buffer length < offset")
        if size is None:
            size = n - offset
        elif size < 0:
            raise ValueError("size is negative")
        elif offset + size > n:
            raise ValueError("buffer length < offset + size")
        self._send_bytes(m[offset:offset + size])

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        self._send_bytes(_dumps(obj))

    def recv_bytes(self, maxlength=None):
        self._check_closed()
        self._check_readable()
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        buf = self._recv_bytes(maxlength)
        if buf is None:
            self.close()
            raise OSError("bad message length")
        return buf

    def recv_bytes_into(self, buf, offset=0):
        self._check_closed()
        self._check_readable()
        data = self._recv_bytes()
        if offset < 0 or offset > len(buf):
            raise ValueError("offset out of bounds")
        if len(data) > len(buf) - offset:
            raise BufferTooShort(data)
        buf[offset:offset + len(data)] = data
        return len(data)

    def recv(self):
        self._check_closed()
        self._check_readable()
        return pickle.loads(self._recv_bytes())

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        r, _, _ = select.select([self._rfd], [], [], timeout)
        return bool(r)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()


def Pipe(duplex=True):
    if duplex:
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        return Connection(r1, w2), Connection(r2, w1)
    r, w = os.pipe()
    return Connection(r, None, writable=False), Connection(None, w, readable=False)


def wait(object_list, timeout=None):
    """Wait until an object in object_list (Connections, fds, sentinels) is ready."""
    fds = {}
    for o in object_list:
        fd = o if isinstance(o, int) else o.fileno()
        fds[fd] = o
    r, _, _ = select.select(list(fds), [], [], timeout)
    return [fds[fd] for fd in r]
