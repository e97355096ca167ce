"""mpi4py.MPI — mpi4py's MPI module for gilpy, over the native `_mpi` (src/modules/mpi.cpp).

Invariants:
  * MPI starts on first import: MPI_Init_thread with the level rc asks for (MULTIPLE by
    default, negotiated: Query_thread() says what the library gave). It ends in the C exit
    path: MPI_Finalize after a clean exit, MPI_Abort after an uncaught exception or a
    non-zero sys.exit, so one failing rank never leaves the others hanging.
  * Lowercase methods move any picklable object (pickle, protocol 5); uppercase methods
    move buffers: bytes/bytearray (as MPI.BYTE... unsigned char) and array.array (its
    typecode gives the datatype), optionally as [buf, datatype] or [buf, count, datatype].
  * Every blocking call releases the interpreter lock inside the native layer, so other
    threads run while one waits; pickled receives use matched probes (Mprobe/Mrecv), so
    concurrent receivers never take each other's messages.
  * Errors from MPI raise MPI.Exception (a RuntimeError) whose str() is MPI's error string.
"""
import sys
import pickle as _pickle

try:
    import _mpi
except ImportError as _e:
    raise ImportError(str(_e)) from None

import mpi4py as _pkg

_BaseRuntimeError = RuntimeError


class Exception(_BaseRuntimeError):
    """MPI.Exception: an MPI error code; str() is the MPI error string."""

    def __init__(self, ierr=0):
        self.ierr = int(ierr)
        _BaseRuntimeError.__init__(self, _mpi.error_string(self.ierr))

    def Get_error_code(self):
        return self.ierr

    def Get_error_class(self):
        return _mpi.error_class(self.ierr)

    def Get_error_string(self):
        return _mpi.error_string(self.ierr)

    error_code = property(Get_error_code)
    error_class = property(Get_error_class)
    error_string = property(Get_error_string)

    def __eq__(self, other):
        if isinstance(other, int):
            return self.ierr == other
        return self is other

    def __hash__(self):
        return hash(self.ierr)

    def __int__(self):
        return self.ierr

    def __repr__(self):
        return "MPI.Exception(%d)" % self.ierr


_mpi.set_exception_class(Exception)

# ---- constants -----------------------------------------------------------------------------
ANY_SOURCE = _mpi.ANY_SOURCE
ANY_TAG = _mpi.ANY_TAG
PROC_NULL = _mpi.PROC_NULL
UNDEFINED = _mpi.UNDEFINED
TAG_UB = _mpi.TAG_UB
THREAD_SINGLE = _mpi.THREAD_SINGLE
THREAD_FUNNELED = _mpi.THREAD_FUNNELED
THREAD_SERIALIZED = _mpi.THREAD_SERIALIZED
THREAD_MULTIPLE = _mpi.THREAD_MULTIPLE
IDENT = _mpi.IDENT
CONGRUENT = _mpi.CONGRUENT
SIMILAR = _mpi.SIMILAR
UNEQUAL = _mpi.UNEQUAL
SUCCESS = _mpi.SUCCESS
ERR_OTHER = _mpi.ERR_OTHER


class _InPlace:
    def __repr__(self):
        return "IN_PLACE"


IN_PLACE = _InPlace()
BOTTOM = None


# ---- datatypes -----------------------------------------------------------------------------
class Datatype:
    def __init__(self, code, name):
        self._code = code
        self._name = name
        self._size = None

    def Get_size(self):
        if self._size is None:
            self._size = _mpi.dtype_size(self._code)
        return self._size

    size = property(Get_size)

    def Get_name(self):
        return self._name

    name = property(Get_name)

    def Free(self):
        pass

    def __repr__(self):
        return "<mpi4py.MPI.Datatype %s>" % self._name


_DT_NAMES = ["BYTE", "CHAR", "SIGNED_CHAR", "UNSIGNED_CHAR", "SHORT", "UNSIGNED_SHORT", "INT",
             "UNSIGNED", "LONG", "UNSIGNED_LONG", "LONG_LONG", "UNSIGNED_LONG_LONG", "FLOAT",
             "DOUBLE", "C_BOOL", "INT8_T", "INT16_T", "INT32_T", "INT64_T", "UINT8_T", "UINT16_T",
             "UINT32_T", "UINT64_T", "LONG_DOUBLE", "WCHAR"]
for _i, _n in enumerate(_DT_NAMES):
    globals()[_n] = Datatype(_i, "MPI_" + _n)
UNSIGNED_INT = UNSIGNED
SIGNED_SHORT = SHORT
SIGNED_INT = INT
SIGNED_LONG = LONG
SIGNED_LONG_LONG = LONG_LONG
BOOL = C_BOOL
del _i, _n

# array typecodes (and struct-style formats) -> datatype
_TYPECODES = {"b": SIGNED_CHAR, "B": UNSIGNED_CHAR, "h": SHORT, "H": UNSIGNED_SHORT, "i": INT,
              "I": UNSIGNED, "l": LONG, "L": UNSIGNED_LONG, "q": LONG_LONG,
              "Q": UNSIGNED_LONG_LONG, "f": FLOAT, "d": DOUBLE, "?": C_BOOL, "u": WCHAR,
              "c": CHAR}


def _raw(obj):
    """(bytes-like object the native layer can read/write, default datatype)."""
    if isinstance(obj, (bytes, bytearray)):
        return obj, BYTE
    b = getattr(obj, "_mpi_buffer", None)  # array.array (lib/array.py) and friends
    if b is not None:
        raw, typecode = b()
        return raw, _TYPECODES.get(typecode, BYTE)
    raise TypeError("message: expected a buffer object (bytes, bytearray, array.array), not %s"
                    % type(obj).__name__)


def _message(msg):
    """buf | [buf, datatype] | [buf, count, datatype] -> (raw, datatype code, count or None)."""
    count = None
    dtype = None
    if isinstance(msg, (list, tuple)):
        if len(msg) == 2:
            obj, dtype = msg
            if isinstance(dtype, int):
                count, dtype = dtype, None
        elif len(msg) == 3:
            obj, count, dtype = msg
            if isinstance(count, (list, tuple)):
                count = count[0]
        else:
            raise ValueError("message: expected a list of 2 or 3 items")
    else:
        obj = msg
    raw, default = _raw(obj)
    if dtype is None:
        dtype = default
    return raw, dtype._code, count


# ---- operations ----------------------------------------------------------------------------
def _maxloc(x, y):
    if y[0] > x[0] or (y[0] == x[0] and y[1] < x[1]):
        return y
    return x


def _minloc(x, y):
    if y[0] < x[0] or (y[0] == x[0] and y[1] < x[1]):
        return y
    return x


class Op:
    """A reduction: one of the predefined MPI ops (which also reduce buffers natively) or
    Op.Create(function, commute) (objects only: function(x, y) -> result)."""

    def __init__(self, code=None, pyfunc=None, name="", commute=True):
        self._code = code
        self._pyfunc = pyfunc
        self._name = name
        self._commute = commute

    @classmethod
    def Create(cls, function, commute=False):
        fn = function
        try:
            nargs = function.__code__.co_argcount
        except AttributeError:
            nargs = 2
        if nargs == 3:  # mpi4py's buffer signature f(invec, inoutvec, datatype)
            fn = lambda x, y: function(x, y, None)
        return cls(None, fn, "user", commute)

    def __call__(self, x, y):
        return self._pyfunc(x, y)

    def Is_commutative(self):
        return self._commute

    is_commutative = property(Is_commutative)

    def Free(self):
        pass

    def __repr__(self):
        return "<mpi4py.MPI.Op %s>" % self._name


SUM = Op(0, lambda x, y: x + y, "MPI_SUM")
PROD = Op(1, lambda x, y: x * y, "MPI_PROD")
MAX = Op(2, lambda x, y: y if y > x else x, "MPI_MAX")
MIN = Op(3, lambda x, y: y if y < x else x, "MPI_MIN")
LAND = Op(4, lambda x, y: x and y, "MPI_LAND")
LOR = Op(5, lambda x, y: x or y, "MPI_LOR")
LXOR = Op(6, lambda x, y: bool(x) != bool(y), "MPI_LXOR")
BAND = Op(7, lambda x, y: x & y, "MPI_BAND")
BOR = Op(8, lambda x, y: x | y, "MPI_BOR")
BXOR = Op(9, lambda x, y: x ^ y, "MPI_BXOR")
REPLACE = Op(10, lambda x, y: y, "MPI_REPLACE")
MAXLOC = Op(None, _maxloc, "MPI_MAXLOC")
MINLOC = Op(None, _minloc, "MPI_MINLOC")
NO_OP = Op(None, lambda x, y: x, "MPI_NO_OP")
OP_NULL = Op(None, None, "MPI_OP_NULL")


def _opfunc(op):
    if isinstance(op, Op):
        if op._pyfunc is None:
            raise ValueError("invalid reduction operation")
        return op._pyfunc
    if callable(op):
        return op
    raise TypeError("op must be an MPI.Op or a callable")


def _opcode(op, what):
    if isinstance(op, Op) and op._code is not None:
        return op._code
    raise NotImplementedError("%s: buffer reductions support the predefined ops "
                              "(SUM, PROD, MAX, MIN, LAND, LOR, LXOR, BAND, BOR, BXOR); "
                              "use the lowercase method for %r" % (what, op))


# ---- pickling ------------------------------------------------------------------------------
class Pickle:
    """MPI.pickle: how lowercase methods serialise (dumps/loads replaceable, as mpi4py)."""

    def __init__(self, dumps=None, loads=None, protocol=None):
        self.PROTOCOL = _pickle.HIGHEST_PROTOCOL if protocol is None else protocol
        self._dumps = dumps
        self._loads = loads

    def dumps(self, obj):
        if self._dumps is not None:
            return self._dumps(obj, self.PROTOCOL)
        return _pickle.dumps(obj, self.PROTOCOL)

    def loads(self, data):
        if self._loads is not None:
            return self._loads(data)
        return _pickle.loads(data)


pickle = Pickle()


# Small immutable scalars (the payload of most reductions) are memoised both ways: pickle
# is pure Python here and a dict lookup is a tenth of its cost. Keys carry the type, so
# 1, 1.0 and True never share an entry; floats are not memoised on the way out (0.0 and
# -0.0 compare equal). Results are immutable, so a shared cached object is safe; a cache
# that fills up is simply emptied.
_DUMPS_MEMO = {}
_LOADS_MEMO = {}
_MEMO_TYPES = (int, str, bool, type(None))
_LOAD_TYPES = (int, str, bool, float, type(None))


def _dumps(obj):
    t = type(obj)
    if t in _MEMO_TYPES and pickle._dumps is None and (t is not str or len(obj) < 64):
        key = (t, obj)
        data = _DUMPS_MEMO.get(key)
        if data is None:
            data = pickle.dumps(obj)
            if len(_DUMPS_MEMO) > 4096:
                _DUMPS_MEMO.clear()
            _DUMPS_MEMO[key] = data
        return data
    return pickle.dumps(obj)


def _loads(data):
    if len(data) < 64 and pickle._loads is None:
        obj = _LOADS_MEMO.get(data, _LOADS_MEMO)
        if obj is not _LOADS_MEMO:
            return obj
        obj = pickle.loads(data)
        if type(obj) in _LOAD_TYPES:
            if len(_LOADS_MEMO) > 4096:
                _LOADS_MEMO.clear()
            _LOADS_MEMO[bytes(data)] = obj
        return obj
    return pickle.loads(data)


# ---- status --------------------------------------------------------------------------------
class Status:
    def __init__(self, status=None):
        self.source = ANY_SOURCE
        self.tag = ANY_TAG
        self.error = SUCCESS
        self._count = 0
        if isinstance(status, Status):
            self.source, self.tag, self.error, self._count = (status.source, status.tag,
                                                             status.error, status._count)

    def _fill(self, t):
        self.source, self.tag, self._count, self.error = t[0], t[1], t[2], t[3]
        if self.error != SUCCESS and self.error is not None:
            # MPI leaves MPI_ERROR undefined for single-request calls; keep it clean
            self.error = SUCCESS

    def Get_source(self):
        return self.source

    def Set_source(self, source):
        self.source = source

    def Get_tag(self):
        return self.tag

    def Set_tag(self, tag):
        self.tag = tag

    def Get_error(self):
        return self.error

    def Set_error(self, error):
        self.error = error

    def Get_count(self, datatype=BYTE):
        size = datatype.Get_size()
        if size == 0:
            return 0
        if self._count % size:
            return UNDEFINED
        return self._count // size

    Get_elements = Get_count

    @property
    def count(self):
        return self._count

    def Is_cancelled(self):
        return False

    def __repr__(self):
        return "<mpi4py.MPI.Status source=%d tag=%d count=%d>" % (self.source, self.tag, self._count)


def _fill(status, t):
    if status is not None:
        status._fill(t)


# ---- requests ------------------------------------------------------------------------------
class Request:
    """A pending operation. Kinds: a native request (isend, Isend, Irecv: `_keep` holds its
    buffer alive until it completes) or a deferred pickled receive (irecv), which is a
    matched probe + receive done by wait() (blocking) or test() (non-blocking)."""

    def __init__(self, handle=None, keep=None, recv=None):
        self._handle = handle
        self._keep = keep
        self._recv = recv       # (comm handle, source, tag) for irecv
        self._done = handle is None and recv is None
        self._value = None

    def __bool__(self):
        return not self._done

    def _complete(self, t, status):
        self._done = True
        self._handle = None
        self._keep = None
        self._recv = None
        _fill(status, t)

    def wait(self, status=None):
        if self._done:
            return self._value
        if self._recv is not None:
            data, t = _mpi.recv_obj(*self._recv)
            self._complete(t, status)
            self._value = _loads(data)
            return self._value
        t = _mpi.wait(self._handle)
        self._complete(t, status)
        return None

    def test(self, status=None):
        if self._done:
            return True, self._value
        if self._recv is not None:
            r = _mpi.irecv_obj(*self._recv)
            if r is None:
                return False, None
            self._complete(r[1], status)
            self._value = _loads(r[0])
            return True, self._value
        t = _mpi.test(self._handle)
        if t is None:
            return False, None
        self._complete(t, status)
        return True, None

    def Wait(self, status=None):
        self.wait(status)
        return True

    def Test(self, status=None):
        return self.test(status)[0]

    def Cancel(self):
        if self._handle is not None:
            _mpi.cancel(self._handle)

    cancel = Cancel

    def Free(self):
        self.wait()

    def Get_status(self, status=None):
        return self._done

    @staticmethod
    def waitall(requests, statuses=None):
        out = []
        for i, r in enumerate(requests):
            st = statuses[i] if statuses is not None and i < len(statuses) else None
            out.append(r.wait(st))
        return out

    @staticmethod
    def Waitall(requests, statuses=None):
        Request.waitall(requests, statuses)
        return True

    @staticmethod
    def testall(requests, statuses=None):
        if all(r.test()[0] if not r._done else True for r in requests):
            return True, [r._value for r in requests]
        return False, None

    @staticmethod
    def Testall(requests, statuses=None):
        return Request.testall(requests, statuses)[0]

    @staticmethod
    def waitany(requests, status=None):
        import time
        delay = 0.0
        while True:
            for i, r in enumerate(requests):
                flag, value = r.test(status)
                if flag:
                    return i, value
            time.sleep(delay)
            delay = min(0.001, delay * 2 + 0.00001)

    @staticmethod
    def Waitany(requests, status=None):
        return Request.waitany(requests, status)[0]

    def __repr__(self):
        return "<mpi4py.MPI.Request %s>" % ("done" if self._done else "pending")


REQUEST_NULL = Request()


# ---- communicators -------------------------------------------------------------------------
class Comm:
    def __init__(self, comm=None):
        if isinstance(comm, Comm):
            self._h = comm._h
        elif comm is None:
            self._h = _mpi.comm_null()
        else:
            self._h = comm
        self._name = ""

    def __eq__(self, other):
        return isinstance(other, Comm) and self._h == other._h

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._h)

    def __bool__(self):
        return self._h != _mpi.comm_null()

    def __repr__(self):
        return "<mpi4py.MPI.%s object>" % type(self).__name__

    def py2f(self):
        return self._h

    # -- group and naming
    def Get_rank(self):
        return _mpi.comm_rank(self._h)

    def Get_size(self):
        return _mpi.comm_size(self._h)

    rank = property(Get_rank)
    size = property(Get_size)

    def Get_name(self):
        if self._name:
            return self._name
        if self._h == _mpi.comm_world():
            return "MPI_COMM_WORLD"
        if self._h == _mpi.comm_self():
            return "MPI_COMM_SELF"
        return ""

    def Set_name(self, name):
        self._name = name

    name = property(Get_name, Set_name)

    def Compare(self, other):
        return _mpi.comm_compare(self._h, other._h)

    # -- construction
    def Dup(self, info=None):
        return type(self)(_mpi.comm_dup(self._h))

    def Clone(self):
        return self.Dup()

    def Split(self, color=0, key=0):
        if color == UNDEFINED:
            color = None
        h = _mpi.comm_split(self._h, color, key)
        if h == _mpi.comm_null():
            return COMM_NULL
        return Intracomm(h)

    def Free(self):
        _mpi.comm_free(self._h)
        self._h = _mpi.comm_null()

    def Abort(self, errorcode=0):
        _mpi.abort(self._h, errorcode)

    # -- synchronisation
    def Barrier(self):
        _mpi.barrier(self._h)

    barrier = Barrier

    # -- point to point, objects
    def send(self, obj, dest, tag=0):
        _mpi.send(self._h, _dumps(obj), 0, None, dest, tag, False)

    def ssend(self, obj, dest, tag=0):
        _mpi.send(self._h, _dumps(obj), 0, None, dest, tag, True)

    def recv(self, buf=None, source=ANY_SOURCE, tag=ANY_TAG, status=None):
        data, t = _mpi.recv_obj(self._h, source, tag)
        _fill(status, t)
        return _loads(data)

    def isend(self, obj, dest, tag=0):
        data = _dumps(obj)
        return Request(_mpi.isend(self._h, data, 0, None, dest, tag, False), data)

    def issend(self, obj, dest, tag=0):
        data = _dumps(obj)
        return Request(_mpi.isend(self._h, data, 0, None, dest, tag, True), data)

    def irecv(self, buf=None, source=ANY_SOURCE, tag=ANY_TAG):
        return Request(recv=(self._h, source, tag))

    def sendrecv(self, sendobj, dest, sendtag=0, recvbuf=None, source=ANY_SOURCE,
                 recvtag=ANY_TAG, status=None):
        req = self.isend(sendobj, dest, sendtag)
        try:
            return self.recv(None, source, recvtag, status)
        finally:
            req.wait()

    def probe(self, source=ANY_SOURCE, tag=ANY_TAG, status=None):
        _fill(status, _mpi.probe(self._h, source, tag))
        return True

    Probe = probe

    def iprobe(self, source=ANY_SOURCE, tag=ANY_TAG, status=None):
        t = _mpi.iprobe(self._h, source, tag)
        if t is None:
            return False
        _fill(status, t)
        return True

    Iprobe = iprobe

    # -- point to point, buffers
    def Send(self, buf, dest, tag=0):
        raw, dt, count = _message(buf)
        _mpi.send(self._h, raw, dt, count, dest, tag, False)

    def Ssend(self, buf, dest, tag=0):
        raw, dt, count = _message(buf)
        _mpi.send(self._h, raw, dt, count, dest, tag, True)

    def Recv(self, buf, source=ANY_SOURCE, tag=ANY_TAG, status=None):
        raw, dt, count = _message(buf)
        _fill(status, _mpi.recv(self._h, raw, dt, count, source, tag))

    def Isend(self, buf, dest, tag=0):
        raw, dt, count = _message(buf)
        return Request(_mpi.isend(self._h, raw, dt, count, dest, tag, False), raw)

    def Issend(self, buf, dest, tag=0):
        raw, dt, count = _message(buf)
        return Request(_mpi.isend(self._h, raw, dt, count, dest, tag, True), raw)

    def Irecv(self, buf, source=ANY_SOURCE, tag=ANY_TAG):
        raw, dt, count = _message(buf)
        return Request(_mpi.irecv(self._h, raw, dt, count, source, tag), raw)

    def Sendrecv(self, sendbuf, dest, sendtag=0, recvbuf=None, source=ANY_SOURCE,
                 recvtag=ANY_TAG, status=None):
        req = self.Isend(sendbuf, dest, sendtag)
        try:
            self.Recv(recvbuf, source, recvtag, status)
        finally:
            req.Wait()

    # -- collectives, objects
    def bcast(self, obj, root=0):
        data = _dumps(obj) if self.Get_rank() == root else None
        data = _mpi.bcast_obj(self._h, data, root)
        return obj if self.Get_rank() == root else _loads(data)

    def gather(self, sendobj, root=0):
        r = _mpi.gather_obj(self._h, _dumps(sendobj), root, False)
        if r is None:
            return None
        return [_loads(d) for d in r]

    def allgather(self, sendobj):
        return [_loads(d) for d in _mpi.gather_obj(self._h, _dumps(sendobj), 0, True)]

    def scatter(self, sendobj, root=0):
        data = None
        if self.Get_rank() == root:
            size = self.Get_size()
            items = list(sendobj)
            if len(items) != size:
                raise ValueError("expecting %d items, got %d" % (size, len(items)))
            data = [_dumps(x) for x in items]
        return _loads(_mpi.scatter_obj(self._h, data, root))

    def alltoall(self, sendobj):
        size = self.Get_size()
        items = list(sendobj)
        if len(items) != size:
            raise ValueError("expecting %d items, got %d" % (size, len(items)))
        return [_loads(d) for d in _mpi.alltoall_obj(self._h, [_dumps(x) for x in items])]

    def reduce(self, sendobj, op=SUM, root=0):
        fn = _opfunc(op)
        items = self.gather(sendobj, root)
        if items is None:
            return None
        acc = items[0]
        for x in items[1:]:
            acc = fn(acc, x)
        return acc

    def allreduce(self, sendobj, op=SUM):
        # One allgather (a single collective for small objects), then every rank folds in
        # rank order: the same result everywhere, as MPI requires.
        fn = _opfunc(op)
        items = self.allgather(sendobj)
        acc = items[0]
        for x in items[1:]:
            acc = fn(acc, x)
        return acc

    # -- collectives, buffers
    def Bcast(self, buf, root=0):
        raw, dt, count = _message(buf)
        _mpi.bcast(self._h, raw, dt, count, root)

    def Reduce(self, sendbuf, recvbuf, op=SUM, root=0):
        code = _opcode(op, "Reduce")
        recv = None
        dt = None
        count = None
        if recvbuf is not None and (self.Get_rank() == root or sendbuf is IN_PLACE):
            recv, dt, count = _message(recvbuf)
        if sendbuf is IN_PLACE:
            send = None
        else:
            send, dt, count = _message(sendbuf)
        _mpi.reduce(self._h, send, recv, dt, count, code, root, False)

    def Allreduce(self, sendbuf, recvbuf, op=SUM):
        code = _opcode(op, "Allreduce")
        recv, dt, count = _message(recvbuf)
        if sendbuf is IN_PLACE:
            send = None
        else:
            send, dt, count = _message(sendbuf)
        _mpi.reduce(self._h, send, recv, dt, count, code, 0, True)

    def _raw_bytes(self, buf):
        raw, dt, count = _message(buf)
        size = _mpi.dtype_size(dt)
        n = len(raw) if count is None else count * size
        return bytes(raw[:n]), raw

    def Gather(self, sendbuf, recvbuf, root=0):
        data, _ = self._raw_bytes(sendbuf)
        parts = _mpi.gather_obj(self._h, data, root, False)
        if parts is not None:
            _, raw = self._raw_bytes(recvbuf)
            joined = b"".join(parts)
            raw[:len(joined)] = joined

    def Allgather(self, sendbuf, recvbuf):
        data, _ = self._raw_bytes(sendbuf)
        joined = b"".join(_mpi.gather_obj(self._h, data, 0, True))
        _, raw = self._raw_bytes(recvbuf)
        raw[:len(joined)] = joined

    def Scatter(self, sendbuf, recvbuf, root=0):
        parts = None
        if self.Get_rank() == root:
            data, _ = self._raw_bytes(sendbuf)
            size = self.Get_size()
            n = len(data) // size
            parts = [data[i * n:(i + 1) * n] for i in range(size)]
        mine = _mpi.scatter_obj(self._h, parts, root)
        _, raw = self._raw_bytes(recvbuf)
        raw[:len(mine)] = mine

    def Is_inter(self):
        return False

    def Is_intra(self):
        return True


class Intracomm(Comm):
    pass


COMM_NULL = Comm(_mpi.comm_null())


# ---- environment ---------------------------------------------------------------------------
_LEVELS = {"single": THREAD_SINGLE, "funneled": THREAD_FUNNELED,
           "serialized": THREAD_SERIALIZED, "multiple": THREAD_MULTIPLE}


def Init():
    return Init_thread(THREAD_SINGLE)


def Init_thread(required=THREAD_MULTIPLE):
    return _mpi.init(required)


def Finalize():
    _mpi.finalize()


def Is_initialized():
    return _mpi.initialized()


def Is_finalized():
    return _mpi.finalized()


def Query_thread():
    return _mpi.query_thread()


def Is_thread_main():
    return _mpi.is_thread_main()


def Wtime():
    return _mpi.wtime()


def Wtick():
    return _mpi.wtick()


def Get_processor_name():
    return _mpi.processor_name()


def Get_version():
    return _mpi.version()


def Get_library_version():
    return _mpi.library_version()


def Get_error_string(errorcode):
    return _mpi.error_string(errorcode)


def _initialize():
    rc = _pkg.rc
    if not rc.initialize or _mpi.initialized():
        return
    level = THREAD_SINGLE
    if rc.threads:
        name = rc.thread_level
        if name not in _LEVELS:
            raise ValueError("mpi4py.rc: invalid thread level %r" % (name,))
        level = _LEVELS[name]
    _mpi.init(level)


_initialize()
COMM_WORLD = Intracomm(_mpi.comm_world())
COMM_SELF = Intracomm(_mpi.comm_self())
