// mpi.cpp — the `_mpi` module: a thin layer over the MPI C library (Open MPI) on which
// lib/mpi4py/MPI.py builds mpi4py's API (Comm, Status, Request, Op, Datatype, ...).
//
// Invariants:
//  * MPI handles (communicators, requests) cross into Python as plain ints holding the
//    handle's bits (a pointer in Open MPI, an int in MPICH); Python never dereferences
//    them, so no table, no mutex, and nothing that --gil=none could race on.
//  * Every MPI call that may wait for another process (send, recv, probe, wait, every
//    collective, finalize) runs inside one GilRelease whose scope touches only C data:
//    buffer pointers and sizes are taken before, results turned into Values after. The
//    buffers stay alive because their owners are locals on this (scanned) thread stack.
//  * Pickled messages are received with MPI_Mprobe + MPI_Mrecv (matched probe), so two
//    threads receiving at once never take each other's message between probe and recv.
//  * Every communicator this module hands out has MPI_ERRORS_RETURN; a failing call
//    raises MPI.Exception(error_code) (the class is registered by MPI.py).
//  * MPI is initialised once (init) with the thread level MPI.py asks for, and finalised
//    by the C exit path (on_exit): status 0 -> MPI_Finalize, anything else (an uncaught
//    exception, sys.exit(n)) -> MPI_Abort(MPI_COMM_WORLD, status), so a failing rank
//    takes its job down after its traceback is printed instead of leaving it hanging.
//  * Built without MPI (CMake found none), importing the module raises ImportError.
#include "core/args.h"
#include "objects/bytes.h"
#include "objects/exceptions.h"
#include "objects/module.h"

#ifdef GILPY_HAVE_MPI
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <stdlib.h>

#include <atomic>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "gil/gil.h"
#include "modules/iomodule.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

Value g_exc_class;   // MPI.Exception, set by MPI.py (set_exception_class)
std::atomic<bool> g_exit_hook{false};

// ---- handles <-> ints ---------------------------------------------------------------
template <class H>
Value hval(H h) {
  static_assert(sizeof(H) <= 8, "an MPI handle fits a word");
  uint64_t u = 0;
  memcpy(&u, &h, sizeof h);
  return int_from_u64(u);
}
template <class H>
H hget(Value v) {
  if (!is_int(v)) raise(&exc_TypeError, "an MPI handle (int) is required, not %s", type_name_c(v));
  int64_t i = 0;  // handles are pointers (< 2**63) or small ints, so they fit
  if (!int_as_i64(v, &i)) raise(&exc_ValueError, "not an MPI handle");
  H h;
  memset(&h, 0, sizeof h);
  memcpy(&h, &i, sizeof h);
  return h;
}
MPI_Comm comm_arg(Value v) { return hget<MPI_Comm>(v); }

int int_arg(Value v) {
  int64_t n = as_index(v);
  if (n > INT_MAX || n < INT_MIN) raise(&exc_OverflowError, "value out of range for a C int");
  return int(n);
}

[[noreturn]] void raise_mpi(int rc) {
  if (g_exc_class.is_null()) {
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(rc, msg, &len) != MPI_SUCCESS) len = 0;
    raise(&exc_RuntimeError, "MPI error %d: %.*s", rc, len, msg);
  }
  throw_exc(call(g_exc_class, {Value::from_small(rc)}));
}
inline void check(int rc) {
  if (rc != MPI_SUCCESS) raise_mpi(rc);
}

// ---- datatypes and reduction ops (indexes shared with MPI.py) ---------------------------
// Order matters: MPI.py names them by these indexes.
MPI_Datatype dtype_at(int i) {
  static const MPI_Datatype t[] = {
      MPI_BYTE, MPI_CHAR, MPI_SIGNED_CHAR, MPI_UNSIGNED_CHAR, MPI_SHORT, MPI_UNSIGNED_SHORT,
      MPI_INT, MPI_UNSIGNED, MPI_LONG, MPI_UNSIGNED_LONG, MPI_LONG_LONG, MPI_UNSIGNED_LONG_LONG,
      MPI_FLOAT, MPI_DOUBLE, MPI_C_BOOL, MPI_INT8_T, MPI_INT16_T, MPI_INT32_T, MPI_INT64_T,
      MPI_UINT8_T, MPI_UINT16_T, MPI_UINT32_T, MPI_UINT64_T, MPI_LONG_DOUBLE, MPI_WCHAR};
  if (i < 0 || i >= int(sizeof t / sizeof t[0])) raise(&exc_ValueError, "unknown MPI datatype %d", i);
  return t[i];
}
MPI_Op op_at(int i) {
  static const MPI_Op t[] = {MPI_SUM, MPI_PROD, MPI_MAX, MPI_MIN, MPI_LAND, MPI_LOR,
                             MPI_LXOR, MPI_BAND, MPI_BOR, MPI_BXOR, MPI_REPLACE};
  if (i < 0 || i >= int(sizeof t / sizeof t[0])) raise(&exc_ValueError, "unknown MPI op %d", i);
  return t[i];
}

// A bytes object of n bytes to receive into (the layout bytes.h publishes; its content
// is written by MPI before any Python code sees it).
Bytes* bytes_uninit(int64_t n) {
  if (n == 0) return bytes_new("");
  Bytes* b = static_cast<Bytes*>(GC_MALLOC_ATOMIC(sizeof(Bytes) + size_t(n) + 1));
  if (!b) raise_no_memory();
  b->type = &bytes_type;
  b->size = n;
  b->hash_.store(-1, std::memory_order_relaxed);
  b->data()[n] = 0;
  return b;
}

struct Buf {
  char* p;
  int64_t n;     // bytes
  bool writable;
};
Buf buf_arg(Value v) {
  if (is_bytearray(v)) {  // the live buffer (a receive writes into it), read under its lock
    int64_t n;
    uint8_t* p = bytearray_live(v.as<ByteArray>(), &n);
    return {reinterpret_cast<char*>(p), n, true};
  }
  std::string_view sv;
  if (!bytes_like_view(v, &sv))
    raise(&exc_TypeError, "expected a buffer object (bytes, bytearray, array), not %s", type_name_c(v));
  return {const_cast<char*>(sv.data()), int64_t(sv.size()), is_bytearray(v)};
}
int count_arg(Value v, const Buf& b, MPI_Datatype dt) {
  int sz = 0;
  MPI_Type_size(dt, &sz);
  int64_t n = v.is_null() || is_none(v) ? (sz ? b.n / sz : 0) : as_index(v);
  if (n < 0 || (sz && n * sz > b.n)) raise(&exc_ValueError, "message: buffer is smaller than count");
  if (n > INT_MAX) raise(&exc_OverflowError, "message of %lld items is too long for MPI (int count)", (long long)n);
  return int(n);
}
int nbytes_int(int64_t n) {
  if (n > INT_MAX) raise(&exc_OverflowError, "message of %lld bytes is too long for MPI (int count)", (long long)n);
  return int(n);
}

Value status_tuple(const MPI_Status& st) {
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  return vtuple(tuple_of({Value::from_small(st.MPI_SOURCE), Value::from_small(st.MPI_TAG),
                          Value::from_small(n), Value::from_small(st.MPI_ERROR)}));
}

void exit_hook(int status, void*) {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (!init || fin) return;
  fflush(stdout);
  fflush(stderr);
  if (status != 0) MPI_Abort(MPI_COMM_WORLD, status);
  else MPI_Finalize();
}

// ---- environment ------------------------------------------------------------------------
Value f_init(const Value* args, size_t nargs, Tuple*) {
  check_nargs("init", nargs, 1, 1);
  int required = int_arg(args[0]);
  int init = 0;
  MPI_Initialized(&init);
  int provided = 0;
  if (init) {
    MPI_Query_thread(&provided);
    return Value::from_small(provided);
  }
  int rc;
  {
    GilRelease g;
    rc = MPI_Init_thread(nullptr, nullptr, required, &provided);
  }
  if (rc != MPI_SUCCESS) raise(&exc_RuntimeError, "MPI_Init_thread failed (error %d)", rc);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
  if (!g_exit_hook.exchange(true)) on_exit(exit_hook, nullptr);
  return Value::from_small(provided);
}
Value f_initialized(const Value*, size_t, Tuple*) {
  int f = 0;
  MPI_Initialized(&f);
  return Bool(f);
}
Value f_finalized(const Value*, size_t, Tuple*) {
  int f = 0;
  MPI_Finalized(&f);
  return Bool(f);
}
Value f_finalize(const Value*, size_t, Tuple*) {
  int fin = 0;
  MPI_Finalized(&fin);
  if (fin) return None();
  int rc;
  {
    GilRelease g;
    rc = MPI_Finalize();
  }
  check(rc);
  return None();
}
Value f_query_thread(const Value*, size_t, Tuple*) {
  int p = 0;
  check(MPI_Query_thread(&p));
  return Value::from_small(p);
}
Value f_is_thread_main(const Value*, size_t, Tuple*) {
  int f = 0;
  check(MPI_Is_thread_main(&f));
  return Bool(f);
}
Value f_error_string(const Value* args, size_t nargs, Tuple*) {
  check_nargs("error_string", nargs, 1, 1);
  char msg[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(int_arg(args[0]), msg, &len) != MPI_SUCCESS) return vstr(str_new("unknown error"));
  return vstr(str_new(std::string_view(msg, size_t(len))));
}
Value f_error_class(const Value* args, size_t nargs, Tuple*) {
  check_nargs("error_class", nargs, 1, 1);
  int c = 0;
  if (MPI_Error_class(int_arg(args[0]), &c) != MPI_SUCCESS) c = MPI_ERR_UNKNOWN;
  return Value::from_small(c);
}
Value f_set_exception_class(const Value* args, size_t nargs, Tuple*) {
  check_nargs("set_exception_class", nargs, 1, 1);
  g_exc_class = args[0];
  return None();
}
Value f_wtime(const Value*, size_t, Tuple*) { return float_new(MPI_Wtime()); }
Value f_wtick(const Value*, size_t, Tuple*) { return float_new(MPI_Wtick()); }
Value f_processor_name(const Value*, size_t, Tuple*) {
  char name[MPI_MAX_PROCESSOR_NAME];
  int len = 0;
  check(MPI_Get_processor_name(name, &len));
  return vstr(str_new(std::string_view(name, size_t(len))));
}
Value f_version(const Value*, size_t, Tuple*) {
  int v = 0, s = 0;
  check(MPI_Get_version(&v, &s));
  return vtuple(tuple_pack2(Value::from_small(v), Value::from_small(s)));
}
Value f_library_version(const Value*, size_t, Tuple*) {
  char buf[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  check(MPI_Get_library_version(buf, &len));
  return vstr(str_new(std::string_view(buf, strnlen(buf, size_t(len)))));
}
Value f_abort(const Value* args, size_t nargs, Tuple*) {
  check_nargs("abort", nargs, 2, 2);
  MPI_Comm c = comm_arg(args[0]);
  int code = int_arg(args[1]);
  flush_std_streams();
  fflush(stdout);
  fflush(stderr);
  {
    GilRelease g;
    MPI_Abort(c, code);
  }
  _exit(code ? code : 1);  // MPI_Abort does not return; if it does, do not run exit hooks
}
Value f_dtype_size(const Value* args, size_t nargs, Tuple*) {
  check_nargs("dtype_size", nargs, 1, 1);
  int sz = 0;
  check(MPI_Type_size(dtype_at(int_arg(args[0])), &sz));
  return Value::from_small(sz);
}

// ---- communicators --------------------------------------------------------------------
Value f_comm_world(const Value*, size_t, Tuple*) { return hval(MPI_COMM_WORLD); }
Value f_comm_self(const Value*, size_t, Tuple*) { return hval(MPI_COMM_SELF); }
Value f_comm_null(const Value*, size_t, Tuple*) { return hval(MPI_COMM_NULL); }
Value f_comm_rank(const Value* args, size_t nargs, Tuple*) {
  check_nargs("comm_rank", nargs, 1, 1);
  int r = 0;
  check(MPI_Comm_rank(comm_arg(args[0]), &r));
  return Value::from_small(r);
}
Value f_comm_size(const Value* args, size_t nargs, Tuple*) {
  check_nargs("comm_size", nargs, 1, 1);
  int r = 0;
  check(MPI_Comm_size(comm_arg(args[0]), &r));
  return Value::from_small(r);
}
Value f_comm_dup(const Value* args, size_t nargs, Tuple*) {
  check_nargs("comm_dup", nargs, 1, 1);
  MPI_Comm c = comm_arg(args[0]), out = MPI_COMM_NULL;
  int rc;
  {
    GilRelease g;
    rc = MPI_Comm_dup(c, &out);
  }
  check(rc);
  MPI_Comm_set_errhandler(out, MPI_ERRORS_RETURN);
  return hval(out);
}
Value f_comm_split(const Value* args, size_t nargs, Tuple*) {
  check_nargs("comm_split", nargs, 3, 3);
  MPI_Comm c = comm_arg(args[0]), out = MPI_COMM_NULL;
  int color = is_none(args[1]) ? MPI_UNDEFINED : int_arg(args[1]);
  int key = int_arg(args[2]);
  int rc;
  {
    GilRelease g;
    rc = MPI_Comm_split(c, color, key, &out);
  }
  check(rc);
  if (out != MPI_COMM_NULL) MPI_Comm_set_errhandler(out, MPI_ERRORS_RETURN);
  return hval(out);
}
Value f_comm_free(const Value* args, size_t nargs, Tuple*) {
  check_nargs("comm_free", nargs, 1, 1);
  MPI_Comm c = comm_arg(args[0]);
  if (c == MPI_COMM_WORLD || c == MPI_COMM_SELF || c == MPI_COMM_NULL) return None();
  check(MPI_Comm_free(&c));
  return None();
}
Value f_comm_compare(const Value* args, size_t nargs, Tuple*) {
  check_nargs("comm_compare", nargs, 2, 2);
  int r = 0;
  check(MPI_Comm_compare(comm_arg(args[0]), comm_arg(args[1]), &r));
  return Value::from_small(r);
}
Value f_barrier(const Value* args, size_t nargs, Tuple*) {
  check_nargs("barrier", nargs, 1, 1);
  MPI_Comm c = comm_arg(args[0]);
  int rc;
  {
    GilRelease g;
    rc = MPI_Barrier(c);
  }
  check(rc);
  return None();
}

// ---- point to point -----------------------------------------------------------------------
// send(comm, buf, dtype, count, dest, tag, sync)
Value f_send(const Value* args, size_t nargs, Tuple*) {
  check_nargs("send", nargs, 7, 7);
  MPI_Comm c = comm_arg(args[0]);
  Buf b = buf_arg(args[1]);
  MPI_Datatype dt = dtype_at(int_arg(args[2]));
  int count = count_arg(args[3], b, dt);
  int dest = int_arg(args[4]), tag = int_arg(args[5]);
  bool sync = truthy(args[6]);
  Value keep = args[1];  // keeps the buffer's owner on this stack across the release
  int rc;
  {
    GilRelease g;
    rc = sync ? MPI_Ssend(b.p, count, dt, dest, tag, c) : MPI_Send(b.p, count, dt, dest, tag, c);
  }
  (void)keep;
  check(rc);
  return None();
}
// recv(comm, buf, dtype, count, source, tag) -> status tuple; receives into a writable buffer
Value f_recv(const Value* args, size_t nargs, Tuple*) {
  check_nargs("recv", nargs, 6, 6);
  MPI_Comm c = comm_arg(args[0]);
  Buf b = buf_arg(args[1]);
  if (!b.writable) raise(&exc_TypeError, "receive buffer must be writable (bytearray, array), not bytes");
  MPI_Datatype dt = dtype_at(int_arg(args[2]));
  int count = count_arg(args[3], b, dt);
  int src = int_arg(args[4]), tag = int_arg(args[5]);
  MPI_Status st;
  int rc;
  {
    GilRelease g;
    rc = MPI_Recv(b.p, count, dt, src, tag, c, &st);
  }
  check(rc);
  return status_tuple(st);
}
// recv_obj(comm, source, tag) -> (bytes, status): one whole message, however long
Value f_recv_obj(const Value* args, size_t nargs, Tuple*) {
  check_nargs("recv_obj", nargs, 3, 3);
  MPI_Comm c = comm_arg(args[0]);
  int src = int_arg(args[1]), tag = int_arg(args[2]);
  MPI_Message msg;
  MPI_Status st;
  int rc;
  {
    GilRelease g;
    rc = MPI_Mprobe(src, tag, c, &msg, &st);
  }
  check(rc);
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  Bytes* b = bytes_uninit(n);
  char* p = reinterpret_cast<char*>(b->data());
  {
    GilRelease g;
    rc = MPI_Mrecv(p, n, MPI_BYTE, &msg, &st);
  }
  check(rc);
  return vtuple(tuple_pack2(Value::from_obj(b), status_tuple(st)));
}
// irecv_obj(comm, source, tag) -> (bytes, status) or None when no message has arrived
Value f_irecv_obj(const Value* args, size_t nargs, Tuple*) {
  check_nargs("irecv_obj", nargs, 3, 3);
  MPI_Comm c = comm_arg(args[0]);
  int src = int_arg(args[1]), tag = int_arg(args[2]);
  MPI_Message msg;
  MPI_Status st;
  int flag = 0;
  check(MPI_Improbe(src, tag, c, &flag, &msg, &st));
  if (!flag) return None();
  int n = 0;
  MPI_Get_count(&st, MPI_BYTE, &n);
  Bytes* b = bytes_uninit(n);
  char* p = reinterpret_cast<char*>(b->data());
  int rc;
  {
    GilRelease g;
    rc = MPI_Mrecv(p, n, MPI_BYTE, &msg, &st);
  }
  check(rc);
  return vtuple(tuple_pack2(Value::from_obj(b), status_tuple(st)));
}
Value f_probe(const Value* args, size_t nargs, Tuple*) {
  check_nargs("probe", nargs, 3, 3);
  MPI_Comm c = comm_arg(args[0]);
  int src = int_arg(args[1]), tag = int_arg(args[2]);
  MPI_Status st;
  int rc;
  {
    GilRelease g;
    rc = MPI_Probe(src, tag, c, &st);
  }
  check(rc);
  return status_tuple(st);
}
Value f_iprobe(const Value* args, size_t nargs, Tuple*) {
  check_nargs("iprobe", nargs, 3, 3);
  MPI_Status st;
  int flag = 0;
  check(MPI_Iprobe(int_arg(args[1]), int_arg(args[2]), comm_arg(args[0]), &flag, &st));
  return flag ? status_tuple(st) : None();
}
// isend(comm, buf, dtype, count, dest, tag, sync) -> request handle. The caller (MPI.py's
// Request) keeps `buf` alive until the request completes.
Value f_isend(const Value* args, size_t nargs, Tuple*) {
  check_nargs("isend", nargs, 7, 7);
  MPI_Comm c = comm_arg(args[0]);
  Buf b = buf_arg(args[1]);
  MPI_Datatype dt = dtype_at(int_arg(args[2]));
  int count = count_arg(args[3], b, dt);
  MPI_Request r;
  int rc = truthy(args[6]) ? MPI_Issend(b.p, count, dt, int_arg(args[4]), int_arg(args[5]), c, &r)
                           : MPI_Isend(b.p, count, dt, int_arg(args[4]), int_arg(args[5]), c, &r);
  check(rc);
  return hval(r);
}
Value f_irecv(const Value* args, size_t nargs, Tuple*) {
  check_nargs("irecv", nargs, 6, 6);
  MPI_Comm c = comm_arg(args[0]);
  Buf b = buf_arg(args[1]);
  if (!b.writable) raise(&exc_TypeError, "receive buffer must be writable (bytearray, array), not bytes");
  MPI_Datatype dt = dtype_at(int_arg(args[2]));
  int count = count_arg(args[3], b, dt);
  MPI_Request r;
  check(MPI_Irecv(b.p, count, dt, int_arg(args[4]), int_arg(args[5]), c, &r));
  return hval(r);
}
Value f_wait(const Value* args, size_t nargs, Tuple*) {
  check_nargs("wait", nargs, 1, 1);
  MPI_Request r = hget<MPI_Request>(args[0]);
  MPI_Status st;
  int rc;
  {
    GilRelease g;
    rc = MPI_Wait(&r, &st);
  }
  check(rc);
  return status_tuple(st);
}
Value f_test(const Value* args, size_t nargs, Tuple*) {
  check_nargs("test", nargs, 1, 1);
  MPI_Request r = hget<MPI_Request>(args[0]);
  MPI_Status st;
  int flag = 0;
  check(MPI_Test(&r, &flag, &st));
  return flag ? status_tuple(st) : None();
}
Value f_cancel(const Value* args, size_t nargs, Tuple*) {
  check_nargs("cancel", nargs, 1, 1);
  MPI_Request r = hget<MPI_Request>(args[0]);
  check(MPI_Cancel(&r));
  return None();
}

// ---- collectives on pickles (variable-size byte strings) -------------------------------------
// Small messages travel in one collective: every contribution goes in a fixed slot of
// kSlot bytes (an 8-byte length, then the payload); only when some payload is larger
// does a second, variable-size collective follow. One round trip is what makes a small
// allreduce cost a few microseconds rather than four collectives' worth.
constexpr int kSlot = 256;
constexpr int kInline = kSlot - 8;

std::string_view bytes_view(Value v, const char* what) {
  std::string_view sv;
  if (!bytes_like_view(v, &sv)) raise(&exc_TypeError, "%s: expected bytes, not %s", what, type_name_c(v));
  return sv;
}

Value f_bcast_obj(const Value* args, size_t nargs, Tuple*) {
  check_nargs("bcast_obj", nargs, 3, 3);
  MPI_Comm c = comm_arg(args[0]);
  int root = int_arg(args[2]);
  int rank = 0;
  check(MPI_Comm_rank(c, &rank));
  std::string_view data;
  Value keep = args[1];
  if (rank == root) data = bytes_view(args[1], "bcast");
  char slot[kSlot];
  int64_t len = int64_t(data.size());
  if (rank == root) {
    memcpy(slot, &len, 8);
    if (len <= kInline) memcpy(slot + 8, data.data(), size_t(len));
  }
  int rc;
  {
    GilRelease g;
    rc = MPI_Bcast(slot, kSlot, MPI_BYTE, root, c);
  }
  check(rc);
  memcpy(&len, slot, 8);
  if (rank == root && len <= kInline) return keep;
  int n = nbytes_int(len);
  Bytes* b = nullptr;
  char* p;
  if (rank == root) {
    p = const_cast<char*>(data.data());
  } else {
    b = bytes_uninit(len);
    if (len <= kInline) {
      memcpy(b->data(), slot + 8, size_t(len));
      return Value::from_obj(b);
    }
    p = reinterpret_cast<char*>(b->data());
  }
  {
    GilRelease g;
    rc = MPI_Bcast(p, n, MPI_BYTE, root, c);
  }
  check(rc);
  return rank == root ? keep : Value::from_obj(b);
}

// gather_obj(comm, data, root, all) -> list (at root, or everywhere when all) or None
Value f_gather_obj(const Value* args, size_t nargs, Tuple*) {
  check_nargs("gather_obj", nargs, 4, 4);
  MPI_Comm c = comm_arg(args[0]);
  std::string_view data = bytes_view(args[1], "gather");
  Value keep = args[1];
  int root = int_arg(args[2]);
  bool all = truthy(args[3]);
  int rank = 0, size = 0;
  check(MPI_Comm_rank(c, &rank));
  check(MPI_Comm_size(c, &size));
  bool receiver = all || rank == root;
  char mine[kSlot];
  int64_t len = int64_t(data.size());
  memcpy(mine, &len, 8);
  if (len <= kInline) memcpy(mine + 8, data.data(), size_t(len));
  char* slots = receiver ? static_cast<char*>(gc_alloc_atomic(size_t(kSlot) * size_t(size))) : nullptr;
  int rc;
  {
    GilRelease g;
    rc = all ? MPI_Allgather(mine, kSlot, MPI_BYTE, slots, kSlot, MPI_BYTE, c)
             : MPI_Gather(mine, kSlot, MPI_BYTE, slots, kSlot, MPI_BYTE, root, c);
  }
  check(rc);
  // Large contributions: every rank must know whether a second round is needed. With
  // `all` every rank sees every length; with a rooted gather the root tells the others.
  int big = len > kInline;
  int any_big = 0;
  {
    GilRelease g;
    if (all) {
      any_big = 0;
      for (int i = 0; i < size; i++) {
        int64_t l;
        memcpy(&l, slots + size_t(i) * kSlot, 8);
        if (l > kInline) any_big = 1;
      }
      rc = MPI_SUCCESS;
    } else {
      rc = MPI_Allreduce(&big, &any_big, 1, MPI_INT, MPI_LOR, c);
    }
  }
  check(rc);
  List* out = receiver ? list_new(size) : nullptr;
  std::vector<int> counts, displs;
  int64_t total = 0;
  if (receiver) {
    counts.resize(size_t(size));
    displs.resize(size_t(size));
    for (int i = 0; i < size; i++) {
      int64_t l;
      memcpy(&l, slots + size_t(i) * kSlot, 8);
      counts[size_t(i)] = l > kInline ? nbytes_int(l) : 0;
      displs[size_t(i)] = int(total);
      total += counts[size_t(i)];
      if (total > INT_MAX) raise(&exc_OverflowError, "gathered messages exceed 2 GiB");
      Bytes* b = bytes_uninit(l);
      if (l <= kInline) memcpy(b->data(), slots + size_t(i) * kSlot + 8, size_t(l));
      out->items[i] = Value::from_obj(b);
    }
  }
  if (any_big) {
    char* recvbuf = receiver ? static_cast<char*>(gc_alloc_atomic(size_t(total ? total : 1))) : nullptr;
    int sendn = big ? int(len) : 0;
    const char* sp = data.data();
    {
      GilRelease g;
      rc = all ? MPI_Allgatherv(sp, sendn, MPI_BYTE, recvbuf, counts.data(), displs.data(), MPI_BYTE, c)
               : MPI_Gatherv(sp, sendn, MPI_BYTE, recvbuf, counts.data(), displs.data(), MPI_BYTE, root, c);
    }
    check(rc);
    if (receiver)
      for (int i = 0; i < size; i++)
        if (counts[size_t(i)] > 0)
          memcpy(out->items[i].as<Bytes>()->data(), recvbuf + displs[size_t(i)], size_t(counts[size_t(i)]));
  }
  (void)keep;
  return receiver ? vlist(out) : None();
}

// Concatenate a list of byte strings for a v-collective: returns counts/displs.
std::string pack_list(Value seq, int size, std::vector<int>* counts, std::vector<int>* displs,
                      const char* what) {
  if (!is_list(seq)) raise(&exc_ValueError, "%s: expected a list of %d byte strings", what, size);
  Tuple* l = list_as_tuple(seq.as<List>());  // a snapshot under the list's lock
  if (l->size != size) raise(&exc_ValueError, "%s: expected a list of %d byte strings", what, size);
  std::string all;
  counts->resize(size_t(size));
  displs->resize(size_t(size));
  for (int i = 0; i < size; i++) {
    std::string_view v = bytes_view(l->items()[i], what);
    (*displs)[size_t(i)] = nbytes_int(int64_t(all.size()));
    (*counts)[size_t(i)] = nbytes_int(int64_t(v.size()));
    all.append(v);
  }
  nbytes_int(int64_t(all.size()));
  return all;
}

// scatter_obj(comm, list_or_None, root) -> bytes
Value f_scatter_obj(const Value* args, size_t nargs, Tuple*) {
  check_nargs("scatter_obj", nargs, 3, 3);
  MPI_Comm c = comm_arg(args[0]);
  int root = int_arg(args[2]);
  int rank = 0, size = 0;
  check(MPI_Comm_rank(c, &rank));
  check(MPI_Comm_size(c, &size));
  std::vector<int> counts, displs;
  std::string all;
  if (rank == root) all = pack_list(args[1], size, &counts, &displs, "scatter");
  int mine = 0;
  int rc;
  {
    GilRelease g;
    rc = MPI_Scatter(counts.data(), 1, MPI_INT, &mine, 1, MPI_INT, root, c);
  }
  check(rc);
  Bytes* b = bytes_uninit(mine);
  char* p = reinterpret_cast<char*>(b->data());
  {
    GilRelease g;
    rc = MPI_Scatterv(all.data(), counts.data(), displs.data(), MPI_BYTE, p, mine, MPI_BYTE, root, c);
  }
  check(rc);
  return Value::from_obj(b);
}

// alltoall_obj(comm, list) -> list
Value f_alltoall_obj(const Value* args, size_t nargs, Tuple*) {
  check_nargs("alltoall_obj", nargs, 2, 2);
  MPI_Comm c = comm_arg(args[0]);
  int size = 0;
  check(MPI_Comm_size(c, &size));
  std::vector<int> scounts, sdispls, rcounts(static_cast<size_t>(size)), rdispls(static_cast<size_t>(size));
  std::string all = pack_list(args[1], size, &scounts, &sdispls, "alltoall");
  int rc;
  {
    GilRelease g;
    rc = MPI_Alltoall(scounts.data(), 1, MPI_INT, rcounts.data(), 1, MPI_INT, c);
  }
  check(rc);
  int64_t total = 0;
  for (int i = 0; i < size; i++) {
    rdispls[size_t(i)] = nbytes_int(total);
    total += rcounts[size_t(i)];
  }
  nbytes_int(total);
  char* recvbuf = static_cast<char*>(gc_alloc_atomic(size_t(total ? total : 1)));
  {
    GilRelease g;
    rc = MPI_Alltoallv(all.data(), scounts.data(), sdispls.data(), MPI_BYTE, recvbuf, rcounts.data(),
                       rdispls.data(), MPI_BYTE, c);
  }
  check(rc);
  List* out = list_new(size);
  for (int i = 0; i < size; i++)
    out->items[i] = Value::from_obj(
        bytes_new(std::string_view(recvbuf + rdispls[size_t(i)], size_t(rcounts[size_t(i)]))));
  return vlist(out);
}

// ---- collectives on buffers ---------------------------------------------------------------
// bcast(comm, buf, dtype, count, root): in place
Value f_bcast(const Value* args, size_t nargs, Tuple*) {
  check_nargs("bcast", nargs, 5, 5);
  MPI_Comm c = comm_arg(args[0]);
  Buf b = buf_arg(args[1]);
  MPI_Datatype dt = dtype_at(int_arg(args[2]));
  int count = count_arg(args[3], b, dt);
  int root = int_arg(args[4]);
  int rank = 0;
  check(MPI_Comm_rank(c, &rank));
  if (rank != root && !b.writable) raise(&exc_TypeError, "Bcast: receive buffer must be writable");
  Value keep = args[1];
  int rc;
  {
    GilRelease g;
    rc = MPI_Bcast(b.p, count, dt, root, c);
  }
  (void)keep;
  check(rc);
  return None();
}
// reduce(comm, sendbuf_or_None, recvbuf_or_None, dtype, count, op, root, all)
// sendbuf None means MPI_IN_PLACE (the data is in recvbuf).
Value f_reduce(const Value* args, size_t nargs, Tuple*) {
  check_nargs("reduce", nargs, 8, 8);
  MPI_Comm c = comm_arg(args[0]);
  MPI_Datatype dt = dtype_at(int_arg(args[3]));
  MPI_Op op = op_at(int_arg(args[5]));
  int root = int_arg(args[6]);
  bool all = truthy(args[7]);
  int rank = 0;
  check(MPI_Comm_rank(c, &rank));
  bool receiver = all || rank == root;
  bool inplace = is_none(args[1]);
  Buf sb{nullptr, 0, false}, rb{nullptr, 0, true};
  if (!inplace) sb = buf_arg(args[1]);
  if (receiver || inplace) {
    if (is_none(args[2])) raise(&exc_ValueError, "Reduce: a receive buffer is required");
    rb = buf_arg(args[2]);
    if (!rb.writable) raise(&exc_TypeError, "Reduce: receive buffer must be writable");
  }
  int count = count_arg(args[4], inplace ? rb : sb, dt);
  if (receiver) count_arg(Value::from_small(count), rb, dt);  // recvbuf big enough
  const void* sp = inplace ? (receiver ? MPI_IN_PLACE : rb.p) : sb.p;
  Value k1 = args[1], k2 = args[2];
  int rc;
  {
    GilRelease g;
    rc = all ? MPI_Allreduce(sp, rb.p, count, dt, op, c) : MPI_Reduce(sp, rb.p, count, dt, op, root, c);
  }
  (void)k1;
  (void)k2;
  check(rc);
  return None();
}

}  // namespace

Module* init_module__mpi() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("_mpi");
  module_add_fn(m, "init", f_init);
  module_add_fn(m, "initialized", f_initialized);
  module_add_fn(m, "finalized", f_finalized);
  module_add_fn(m, "finalize", f_finalize);
  module_add_fn(m, "query_thread", f_query_thread);
  module_add_fn(m, "is_thread_main", f_is_thread_main);
  module_add_fn(m, "error_string", f_error_string);
  module_add_fn(m, "error_class", f_error_class);
  module_add_fn(m, "set_exception_class", f_set_exception_class);
  module_add_fn(m, "wtime", f_wtime);
  module_add_fn(m, "wtick", f_wtick);
  module_add_fn(m, "processor_name", f_processor_name);
  module_add_fn(m, "version", f_version);
  module_add_fn(m, "library_version", f_library_version);
  module_add_fn(m, "abort", f_abort);
  module_add_fn(m, "dtype_size", f_dtype_size);
  module_add_fn(m, "comm_world", f_comm_world);
  module_add_fn(m, "comm_self", f_comm_self);
  module_add_fn(m, "comm_null", f_comm_null);
  module_add_fn(m, "comm_rank", f_comm_rank);
  module_add_fn(m, "comm_size", f_comm_size);
  module_add_fn(m, "comm_dup", f_comm_dup);
  module_add_fn(m, "comm_split", f_comm_split);
  module_add_fn(m, "comm_free", f_comm_free);
  module_add_fn(m, "comm_compare", f_comm_compare);
  module_add_fn(m, "barrier", f_barrier);
  module_add_fn(m, "send", f_send);
  module_add_fn(m, "recv", f_recv);
  module_add_fn(m, "recv_obj", f_recv_obj);
  module_add_fn(m, "irecv_obj", f_irecv_obj);
  module_add_fn(m, "probe", f_probe);
  module_add_fn(m, "iprobe", f_iprobe);
  module_add_fn(m, "isend", f_isend);
  module_add_fn(m, "irecv", f_irecv);
  module_add_fn(m, "wait", f_wait);
  module_add_fn(m, "test", f_test);
  module_add_fn(m, "cancel", f_cancel);
  module_add_fn(m, "bcast_obj", f_bcast_obj);
  module_add_fn(m, "gather_obj", f_gather_obj);
  module_add_fn(m, "scatter_obj", f_scatter_obj);
  module_add_fn(m, "alltoall_obj", f_alltoall_obj);
  module_add_fn(m, "bcast", f_bcast);
  module_add_fn(m, "reduce", f_reduce);
  module_add(m, "ANY_SOURCE", Value::from_small(MPI_ANY_SOURCE));
  module_add(m, "ANY_TAG", Value::from_small(MPI_ANY_TAG));
  module_add(m, "PROC_NULL", Value::from_small(MPI_PROC_NULL));
  module_add(m, "UNDEFINED", Value::from_small(MPI_UNDEFINED));
  module_add(m, "TAG_UB", Value::from_small(32767));
  module_add(m, "THREAD_SINGLE", Value::from_small(MPI_THREAD_SINGLE));
  module_add(m, "THREAD_FUNNELED", Value::from_small(MPI_THREAD_FUNNELED));
  module_add(m, "THREAD_SERIALIZED", Value::from_small(MPI_THREAD_SERIALIZED));
  module_add(m, "THREAD_MULTIPLE", Value::from_small(MPI_THREAD_MULTIPLE));
  module_add(m, "IDENT", Value::from_small(MPI_IDENT));
  module_add(m, "CONGRUENT", Value::from_small(MPI_CONGRUENT));
  module_add(m, "SIMILAR", Value::from_small(MPI_SIMILAR));
  module_add(m, "UNEQUAL", Value::from_small(MPI_UNEQUAL));
  module_add(m, "SUCCESS", Value::from_small(MPI_SUCCESS));
  module_add(m, "ERR_OTHER", Value::from_small(MPI_ERR_OTHER));
  return m;
}

}  // namespace gp

#else  // !GILPY_HAVE_MPI

namespace gp {
Module* init_module__mpi() {
  raise(&exc_ImportError, "mpi4py requires Open MPI (libopenmpi-dev) at build time");
}
}  // namespace gp

#endif
