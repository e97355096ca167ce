// _socket.cpp — the `_socket` module: BSD sockets (lib/socket.py builds socket.socket,
// makefile, create_connection, ... over it, as CPython's Lib/socket.py does).
//
// Invariants:
//  * A socket object owns `fd` until close() or detach() sets it to -1; every operation
//    on -1 raises OSError(EBADF). A collected socket closes its fd (finalizer).
//  * timeout < 0 means blocking (None); 0 non-blocking; > 0 a per-operation timeout.
//    Whenever timeout >= 0 the fd is O_NONBLOCK, and waits are poll(2) calls made
//    before the operation, inside a GilRelease; a wait that runs out raises
//    TimeoutError("timed out") (socket.timeout is TimeoutError).
//  * Every system call that may block runs inside a GilRelease with only C data in
//    reach (addresses parsed, buffers copied beforehand). EINTR: pending signal
//    handlers run, then the call is retried (PEP 475).
//  * Failures raise OSError subclasses by errno (raise_oserror); getaddrinfo failures
//    raise socket.gaierror(code, gai_strerror(code)).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <string>

#include "core/args.h"
#include "gil/gil.h"
#include "modules/posix.h"
#include "modules/signals.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type socket_type;

namespace {

Value g_gaierror, g_herror;
std::atomic<double> g_default_timeout{-1.0};

struct Sock : Object {
  std::atomic<int> fd;
  int family;
  int stype;   // SOCK_STREAM, ... (Object::type is the Python type)
  int proto;
  double timeout;
};

Sock* as_sock(Value v) {
  if (!v.is_obj() || !issubclass(type_of(v), &socket_type))
    raise(&exc_TypeError, "descriptor requires a '_socket.socket' object but received '%s'",
          type_name_c(v));
  return v.as<Sock>();
}

int sock_fd(Sock* s) {
  int fd = s->fd.load(std::memory_order_relaxed);
  if (fd < 0) raise_oserror(EBADF);
  return fd;
}

double now_mono() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void raise_timeout() {
  throw_exc(exc_new(&exc_TimeoutError, {vstr(str_new("timed out"))}));
}

[[noreturn]] void raise_gai(int code) {
  if (code == EAI_SYSTEM) raise_oserror(errno);
  throw_exc(call(g_gaierror, {Value::from_small(code), vstr(str_from_cstr(gai_strerror(code)))}));
}

int64_t int_arg64(Value v) {
  if (is_float(v)) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
  return as_index(v);
}
int int_arg(Value v) {
  int64_t n = int_arg64(v);
  if (n > INT_MAX) raise(&exc_OverflowError, "signed integer is greater than maximum");
  if (n < INT_MIN) raise(&exc_OverflowError, "signed integer is less than minimum");
  return int(n);
}

// Wait until fd is ready for reading/writing or the deadline passes. Returns false on
// timeout. Called with the lock held; waits with it released.
bool wait_fd(int fd, bool writing, double deadline) {
  for (;;) {
    double left = deadline - now_mono();
    if (left <= 0) return false;
    struct pollfd p = {fd, short(writing ? POLLOUT : POLLIN), 0};
    int ms = int(std::ceil(left * 1000.0));
    int r, err;
    {
      GilRelease g;
      r = ::poll(&p, 1, ms);
      err = errno;
    }
    if (r > 0) return true;
    if (r == 0) return false;
    if (err != EINTR) raise_oserror(err);
    run_pending_signals();
  }
}

// Run one socket operation with the socket's timeout semantics. `op` is called with the
// lock released and returns the syscall result (< 0 with errno on failure). Returns the
// result; on failure *err holds errno (the caller raises) — or raises TimeoutError.
template <class Op>
ssize_t sock_call(Sock* s, bool writing, Op op, int* err) {
  int fd = sock_fd(s);
  double timeout = s->timeout;
  double deadline = timeout > 0 ? now_mono() + timeout : 0;
  for (;;) {
    if (timeout > 0 && !wait_fd(fd, writing, deadline)) raise_timeout();
    ssize_t r;
    int e;
    {
      GilRelease g;
      r = op(fd);
      e = errno;
    }
    if (r >= 0) {
      *err = 0;
      return r;
    }
    if (e == EINTR) {
      run_pending_signals();
      continue;
    }
    if (timeout > 0 && (e == EWOULDBLOCK || e == EAGAIN)) continue;
    *err = e;
    return r;
  }
}

void set_nonblocking(int fd, bool nb) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) raise_oserror(errno);
  int nf = nb ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (nf != fl && fcntl(fd, F_SETFL, nf) < 0) raise_oserror(errno);
}

// ---- addresses ------------------------------------------------------------------------------

union SockAddr {
  struct sockaddr sa;
  struct sockaddr_in in4;
  struct sockaddr_in6 in6;
  struct sockaddr_un un;
  struct sockaddr_storage st;
};

// Resolve a host string for family (AF_INET / AF_INET6) into *out (port left 0).
void resolve_host(const std::string& host, int family, SockAddr* out) {
  memset(out, 0, sizeof *out);
  if (host.empty()) {
    if (family == AF_INET) {
      out->in4.sin_family = AF_INET;
      out->in4.sin_addr.s_addr = htonl(INADDR_ANY);
    } else {
      out->in6.sin6_family = AF_INET6;
      out->in6.sin6_addr = in6addr_any;
    }
    return;
  }
  if (family == AF_INET && (host == "<broadcast>" || host == "255.255.255.255")) {
    out->in4.sin_family = AF_INET;
    out->in4.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    return;
  }
  if (family == AF_INET && inet_pton(AF_INET, host.c_str(), &out->in4.sin_addr) == 1) {
    out->in4.sin_family = AF_INET;
    return;
  }
  if (family == AF_INET6 && inet_pton(AF_INET6, host.c_str(), &out->in6.sin6_addr) == 1) {
    out->in6.sin6_family = AF_INET6;
    return;
  }
  struct addrinfo hints = {}, *res = nullptr;
  hints.ai_family = family;
  int rc;
  {
    GilRelease g;
    rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  }
  if (rc != 0) raise_gai(rc);
  memcpy(out, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
}

std::string host_arg(const char* caller, Value h) {
  if (is_str(h)) return std::string(as_str(h)->view());
  if (is_bytes(h) || is_bytearray(h)) {
    std::string_view v;
    bytes_like_view(h, &v);
    return std::string(v);
  }
  raise(&exc_TypeError, "str, bytes or bytearray expected, not %s", type_name_c(h));
}

int port_arg(const char* caller, Value p) {
  if (!is_int(p)) raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(p));
  int64_t n = 0;
  if (!int_as_i64(p, &n) || n < 0 || n > 65535)
    raise(&exc_OverflowError, "%s(): port must be 0-65535.", caller);
  return int(n);
}

socklen_t parse_addr(Sock* s, Value addr, SockAddr* out, const char* caller) {
  memset(out, 0, sizeof *out);
  switch (s->family) {
    case AF_UNIX: {
      std::string path;
      if (is_str(addr)) path = std::string(as_str(addr)->view());
      else if (is_bytes(addr) || is_bytearray(addr)) {
        std::string_view v;
        bytes_like_view(addr, &v);
        path = std::string(v);
      } else {
        Value fs = type_lookup(type_of(addr), GP_STR("__fspath__"));
        if (fs.is_null())
          raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(addr));
        path = posix_path_arg(caller, "address", addr);
      }
      if (path.size() >= sizeof(out->un.sun_path)) raise(&exc_OSError, "AF_UNIX path too long");
      out->un.sun_family = AF_UNIX;
      memcpy(out->un.sun_path, path.data(), path.size());
      return socklen_t(offsetof(struct sockaddr_un, sun_path) + path.size() +
                       (path.empty() || path[0] != '\0' ? 1 : 0));
    }
    case AF_INET: {
      if (!is_tuple(addr))
        raise(&exc_TypeError, "%s(): AF_INET address must be tuple, not %s", caller, type_name_c(addr));
      Tuple* t = addr.as<Tuple>();
      if (t->size != 2)
        raise(&exc_TypeError, "AF_INET address must be a pair (host, port)");
      std::string host = host_arg(caller, (*t)[0]);
      int port = port_arg(caller, (*t)[1]);
      resolve_host(host, AF_INET, out);
      out->in4.sin_port = htons(uint16_t(port));
      return sizeof(struct sockaddr_in);
    }
    case AF_INET6: {
      if (!is_tuple(addr))
        raise(&exc_TypeError, "%s(): AF_INET6 address must be tuple, not %s", caller, type_name_c(addr));
      Tuple* t = addr.as<Tuple>();
      if (t->size < 2 || t->size > 4)
        raise(&exc_TypeError, "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])");
      std::string host = host_arg(caller, (*t)[0]);
      int port = port_arg(caller, (*t)[1]);
      uint32_t flow = t->size > 2 ? uint32_t(int_arg64((*t)[2])) : 0;
      uint32_t scope = t->size > 3 ? uint32_t(int_arg64((*t)[3])) : 0;
      resolve_host(host, AF_INET6, out);
      out->in6.sin6_port = htons(uint16_t(port));
      out->in6.sin6_flowinfo = htonl(flow);
      out->in6.sin6_scope_id = scope;
      return sizeof(struct sockaddr_in6);
    }
    default:
      raise_oserror(EAFNOSUPPORT);
  }
}

Value make_addr(const SockAddr* a, socklen_t len) {
  if (len == 0) return None();
  switch (a->sa.sa_family) {
    case AF_INET: {
      char buf[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &a->in4.sin_addr, buf, sizeof buf);
      return vtuple(tuple_pack2(vstr(str_new(buf)), Value::from_small(ntohs(a->in4.sin_port))));
    }
    case AF_INET6: {
      char buf[INET6_ADDRSTRLEN];
      inet_ntop(AF_INET6, &a->in6.sin6_addr, buf, sizeof buf);
      return vtuple(tuple_of({vstr(str_new(buf)), Value::from_small(ntohs(a->in6.sin6_port)),
                              int_from_u64(ntohl(a->in6.sin6_flowinfo)),
                              int_from_u64(a->in6.sin6_scope_id)}));
    }
    case AF_UNIX: {
      size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
      if (n > 0 && a->un.sun_path[0] == '\0')  // abstract namespace: bytes, as CPython
        return Value::from_obj(bytes_new(std::string_view(a->un.sun_path, n)));
      return vstr(str_from_utf8_checked(std::string_view(a->un.sun_path, strnlen(a->un.sun_path, n))));
    }
    default:
      return vtuple(tuple_pack2(Value::from_small(a->sa.sa_family), Value::from_obj(bytes_new(""))));
  }
}

// ---- the socket type -----------------------------------------------------------------------

void sock_finalize(void* obj, void*) {
  Sock* s = static_cast<Sock*>(obj);
  int fd = s->fd.exchange(-1);
  if (fd >= 0) ::close(fd);
}

Value sock_tp_new(Type* t, const Value*, size_t, Tuple*) {
  Sock* s = gc_new_obj<Sock>(t, size_t(t->basic_size));
  s->fd.store(-1);
  s->family = AF_INET;
  s->stype = SOCK_STREAM;
  s->timeout = -1;
  GC_register_finalizer(s, sock_finalize, nullptr, nullptr, nullptr);
  return Value::from_obj(s);
}

void apply_timeout(Sock* s, double t) {
  s->timeout = t;
  int fd = s->fd.load();
  if (fd >= 0) set_nonblocking(fd, t >= 0);
}

void sock_tp_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"family", "type", "proto", "fileno", nullptr};
  Value a[4];
  parse_args("socket", args, nargs, kwnames, kw, 0, a);
  Sock* s = as_sock(self);
  int family = a[0].is_null() || is_none(a[0]) ? -1 : int_arg(a[0]);
  int type = a[1].is_null() || is_none(a[1]) ? -1 : int_arg(a[1]);
  int proto = a[2].is_null() || is_none(a[2]) ? -1 : int_arg(a[2]);
  int fd;
  if (!a[3].is_null() && !is_none(a[3])) {
    int64_t n = int_arg64(a[3]);
    if (n < 0) raise(&exc_ValueError, "negative file descriptor");
    fd = int(n);
    int v;
    socklen_t l = sizeof v;
    if (family == -1) {
      if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &l) != 0) raise_oserror(errno);
      family = v;
    }
    l = sizeof v;
    if (type == -1) {
      if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l) != 0) raise_oserror(errno);
      type = v;
    }
    l = sizeof v;
    if (proto == -1) {
      if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &l) != 0) raise_oserror(errno);
      proto = v;
    }
  } else {
    if (family == -1) family = AF_INET;
    if (type == -1) type = SOCK_STREAM;
    if (proto == -1) proto = 0;
    fd = ::socket(family, type | SOCK_CLOEXEC, proto);
    if (fd < 0) raise_oserror(errno);
  }
  int old = s->fd.exchange(fd);
  if (old >= 0 && old != fd) ::close(old);
  s->family = family;
  s->stype = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  s->proto = proto;
  double dt = g_default_timeout.load();
  if (type & SOCK_NONBLOCK) dt = 0;
  s->timeout = -1;
  if (dt >= 0) apply_timeout(s, dt);
}

Value sock_repr(Value self) {
  Sock* s = self.as<Sock>();
  char buf[128];
  snprintf(buf, sizeof buf, "<socket object, fd=%d, family=%d, type=%d, proto=%d>", s->fd.load(),
           s->family, s->stype, s->proto);
  return vstr(str_new(buf));
}

#define SELF Sock* s = as_sock(args[0])

Value m_fileno(const Value* args, size_t nargs, Tuple*) {
  SELF;
  return Value::from_small(s->fd.load());
}

Value m_close(const Value* args, size_t nargs, Tuple*) {
  SELF;
  int fd = s->fd.exchange(-1);
  if (fd >= 0 && ::close(fd) != 0 && errno != ECONNRESET && errno != EINTR) raise_oserror(errno);
  return None();
}

Value m_detach(const Value* args, size_t nargs, Tuple*) {
  SELF;
  return Value::from_small(s->fd.exchange(-1));
}

Value m_bind(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("bind", nargs, 2, 2);
  SELF;
  SockAddr a;
  socklen_t len = parse_addr(s, args[1], &a, "bind");
  if (::bind(sock_fd(s), &a.sa, len) != 0) raise_oserror(errno);
  return None();
}

Value m_listen(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("listen", nargs, 1, 2);
  SELF;
  int backlog = nargs > 1 ? int_arg(args[1]) : (SOMAXCONN < 128 ? SOMAXCONN : 128);
  if (backlog < 0) backlog = 0;
  if (::listen(sock_fd(s), backlog) != 0) raise_oserror(errno);
  return None();
}

Value m_accept(const Value* args, size_t nargs, Tuple* kwnames) {
  SELF;
  SockAddr a;
  socklen_t len = sizeof a;
  int err;
  ssize_t fd = sock_call(s, false, [&](int sfd) {
    len = sizeof a;
    return ssize_t(accept4(sfd, &a.sa, &len, SOCK_CLOEXEC));
  }, &err);
  if (fd < 0) raise_oserror(err);
  return vtuple(tuple_pack2(Value::from_small(fd), make_addr(&a, len)));
}

// connect: returns 0 or an errno (raise decides); TimeoutError always raises.
int do_connect(Sock* s, Value addr, bool raise_errors) {
  SockAddr a;
  socklen_t len = parse_addr(s, addr, &a, "connect");
  int fd = sock_fd(s);
  int r, err;
  {
    GilRelease g;
    r = ::connect(fd, &a.sa, len);
    err = errno;
  }
  if (r == 0) return 0;
  bool wait = false;
  if (err == EINTR) {
    run_pending_signals();
    if (s->timeout == 0) return EINTR;
    wait = true;
  } else if (err == EINPROGRESS && s->timeout > 0) {
    wait = true;
  }
  if (!wait) return err;
  double timeout = s->timeout;
  if (timeout > 0) {
    if (!wait_fd(fd, true, now_mono() + timeout)) {
      if (raise_errors) raise_timeout();
      return EWOULDBLOCK;
    }
  } else {
    wait_fd(fd, true, now_mono() + 1e9);
  }
  int soerr = 0;
  socklen_t l = sizeof soerr;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) != 0) return errno;
  return soerr;
}

Value m_connect(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("connect", nargs, 2, 2);
  SELF;
  int err = do_connect(s, args[1], true);
  if (err) raise_oserror(err);
  return None();
}

Value m_connect_ex(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("connect_ex", nargs, 2, 2);
  SELF;
  return Value::from_small(do_connect(s, args[1], false));
}

std::string data_arg(Value v) {
  std::string_view d;
  if (!bytes_like_view(v, &d))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(v));
  return std::string(d);
}

Value m_send(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("send", nargs, 2, 3);
  SELF;
  std::string data = data_arg(args[1]);
  int flags = nargs > 2 ? int_arg(args[2]) : 0;
  int err;
  ssize_t r = sock_call(s, true, [&](int fd) {
    return ::send(fd, data.data(), data.size(), flags | MSG_NOSIGNAL);
  }, &err);
  if (r < 0) raise_oserror(err);
  return int_from_i64(r);
}

Value m_sendall(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("sendall", nargs, 2, 3);
  SELF;
  std::string data = data_arg(args[1]);
  int flags = nargs > 2 ? int_arg(args[2]) : 0;
  size_t off = 0;
  while (off < data.size()) {
    int err;
    ssize_t r = sock_call(s, true, [&](int fd) {
      return ::send(fd, data.data() + off, data.size() - off, flags | MSG_NOSIGNAL);
    }, &err);
    if (r < 0) raise_oserror(err);
    off += size_t(r);
  }
  return None();
}

Value m_sendto(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("sendto", nargs, 3, 4);
  SELF;
  std::string data = data_arg(args[1]);
  int flags = nargs == 4 ? int_arg(args[2]) : 0;
  SockAddr a;
  socklen_t len = parse_addr(s, args[nargs - 1], &a, "sendto");
  int err;
  ssize_t r = sock_call(s, true, [&](int fd) {
    return ::sendto(fd, data.data(), data.size(), flags | MSG_NOSIGNAL, &a.sa, len);
  }, &err);
  if (r < 0) raise_oserror(err);
  return int_from_i64(r);
}

Value m_recv(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("recv", nargs, 2, 3);
  SELF;
  int64_t n = int_arg64(args[1]);
  if (n < 0) raise(&exc_ValueError, "negative buffersize in recv");
  int flags = nargs > 2 ? int_arg(args[2]) : 0;
  char* buf = static_cast<char*>(gc_alloc_atomic(size_t(n) + 1));
  int err;
  ssize_t r = sock_call(s, false, [&](int fd) { return ::recv(fd, buf, size_t(n), flags); }, &err);
  if (r < 0) raise_oserror(err);
  return Value::from_obj(bytes_new(std::string_view(buf, size_t(r))));
}

Value m_recv_into(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"buffer", "nbytes", "flags", nullptr};
  Value a[3];
  parse_args("recv_into", args + 1, nargs - 1, kwnames, kw, 1, a);
  SELF;
  if (!is_bytearray(a[0]))
    raise(&exc_TypeError, "recv_into() argument 'buffer' must be read-write bytes-like object, not %s",
          type_name_c(a[0]));
  ByteArray* ba = a[0].as<ByteArray>();
  int64_t n = a[1].is_null() ? 0 : int_arg64(a[1]);
  if (n < 0) raise(&exc_ValueError, "negative buffersize in recv_into");
  int64_t size = bytearray_size(ba);
  if (n == 0) n = size;
  if (n > size) raise(&exc_ValueError, "buffer too small for requested bytes");
  int flags = a[2].is_null() ? 0 : int_arg(a[2]);
  char* tmp = static_cast<char*>(gc_alloc_atomic(size_t(n) + 1));
  int err;
  ssize_t r = sock_call(s, false, [&](int fd) { return ::recv(fd, tmp, size_t(n), flags); }, &err);
  if (r < 0) raise_oserror(err);
  {
    ObjLock lk(ba);  // the buffer may have been resized or replaced meanwhile
    if (r > ba->size) r = ba->size;
    memcpy(ba->data, tmp, size_t(r));
  }
  return int_from_i64(r);
}

Value m_recvfrom(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("recvfrom", nargs, 2, 3);
  SELF;
  int64_t n = int_arg64(args[1]);
  if (n < 0) raise(&exc_ValueError, "negative buffersize in recvfrom");
  int flags = nargs > 2 ? int_arg(args[2]) : 0;
  char* buf = static_cast<char*>(gc_alloc_atomic(size_t(n) + 1));
  SockAddr a;
  socklen_t len = sizeof a;
  int err;
  ssize_t r = sock_call(s, false, [&](int fd) {
    len = sizeof a;
    return ::recvfrom(fd, buf, size_t(n), flags, &a.sa, &len);
  }, &err);
  if (r < 0) raise_oserror(err);
  return vtuple(tuple_pack2(Value::from_obj(bytes_new(std::string_view(buf, size_t(r)))), make_addr(&a, len)));
}

Value m_shutdown(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("shutdown", nargs, 2, 2);
  SELF;
  if (::shutdown(sock_fd(s), int_arg(args[1])) != 0) raise_oserror(errno);
  return None();
}

Value m_setsockopt(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("setsockopt", nargs, 4, 5);
  SELF;
  int level = int_arg(args[1]), opt = int_arg(args[2]);
  int r;
  if (nargs == 5) {
    if (!is_none(args[3])) raise(&exc_TypeError, "setsockopt() takes 3 or 4 arguments");
    socklen_t l = socklen_t(int_arg64(args[4]));
    r = ::setsockopt(sock_fd(s), level, opt, nullptr, l);
  } else if (is_int(args[3])) {
    int v = int_arg(args[3]);
    r = ::setsockopt(sock_fd(s), level, opt, &v, sizeof v);
  } else {
    std::string d = data_arg(args[3]);
    r = ::setsockopt(sock_fd(s), level, opt, d.data(), socklen_t(d.size()));
  }
  if (r != 0) raise_oserror(errno);
  return None();
}

Value m_getsockopt(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("getsockopt", nargs, 3, 4);
  SELF;
  int level = int_arg(args[1]), opt = int_arg(args[2]);
  if (nargs == 3) {
    int v = 0;
    socklen_t l = sizeof v;
    if (::getsockopt(sock_fd(s), level, opt, &v, &l) != 0) raise_oserror(errno);
    return int_from_i64(v);
  }
  int64_t buflen = int_arg64(args[3]);
  if (buflen <= 0 || buflen > 1024) raise(&exc_OSError, "getsockopt buflen out of range");
  std::string buf(size_t(buflen), '\0');
  socklen_t l = socklen_t(buflen);
  if (::getsockopt(sock_fd(s), level, opt, buf.data(), &l) != 0) raise_oserror(errno);
  buf.resize(l);
  return Value::from_obj(bytes_new(buf));
}

Value m_getsockname(const Value* args, size_t nargs, Tuple*) {
  SELF;
  SockAddr a;
  memset(&a, 0, sizeof a);
  socklen_t len = sizeof a;
  if (::getsockname(sock_fd(s), &a.sa, &len) != 0) raise_oserror(errno);
  if (s->family == AF_UNIX && len <= offsetof(struct sockaddr_un, sun_path)) return vstr(str_new(""));
  return make_addr(&a, len);
}

Value m_getpeername(const Value* args, size_t nargs, Tuple*) {
  SELF;
  SockAddr a;
  memset(&a, 0, sizeof a);
  socklen_t len = sizeof a;
  if (::getpeername(sock_fd(s), &a.sa, &len) != 0) raise_oserror(errno);
  if (s->family == AF_UNIX && len <= offsetof(struct sockaddr_un, sun_path)) return vstr(str_new(""));
  return make_addr(&a, len);
}

double timeout_arg(Value v) {
  if (is_none(v)) return -1;
  if (!is_int(v) && !is_float(v) && !type_of(v)->nb_float)
    raise(&exc_TypeError, "Timeout value must be int, float or None");
  double t = as_double(v);
  if (std::isnan(t)) raise(&exc_ValueError, "Invalid value NaN (not a number)");
  if (t < 0) raise(&exc_ValueError, "Timeout value out of range");
  return t;
}

Value timeout_value(double t) { return t < 0 ? None() : float_new(t); }

Value m_settimeout(const Value* args, size_t nargs, Tuple*) {
  check_nargs("settimeout", nargs, 2, 2);
  SELF;
  apply_timeout(s, timeout_arg(args[1]));
  return None();
}
Value m_gettimeout(const Value* args, size_t nargs, Tuple*) {
  SELF;
  return timeout_value(s->timeout);
}
Value m_setblocking(const Value* args, size_t nargs, Tuple*) {
  check_nargs("setblocking", nargs, 2, 2);
  SELF;
  apply_timeout(s, truthy(args[1]) ? -1 : 0);
  return None();
}
Value m_getblocking(const Value* args, size_t nargs, Tuple*) {
  SELF;
  return Bool(s->timeout != 0);
}

Value g_family(Value self) { return Value::from_small(self.as<Sock>()->family); }
Value g_type(Value self) { return Value::from_small(self.as<Sock>()->stype); }
Value g_proto(Value self) { return Value::from_small(self.as<Sock>()->proto); }
Value g_timeout(Value self) { return timeout_value(self.as<Sock>()->timeout); }

Value m_enter(const Value* args, size_t, Tuple*) { return args[0]; }
Value m_exit(const Value* args, size_t nargs, Tuple* kw) { return m_close(args, 1, nullptr); }

// ---- module functions --------------------------------------------------------------------

Value f_gethostname(const Value*, size_t nargs, Tuple*) {
  char buf[256];
  if (gethostname(buf, sizeof buf) != 0) raise_oserror(errno);
  buf[sizeof buf - 1] = 0;
  return vstr(str_from_utf8_checked(buf));
}

Value f_gethostbyname(const Value* args, size_t nargs, Tuple*) {
  check_nargs("gethostbyname", nargs, 1, 1);
  std::string host = host_arg("gethostbyname", args[0]);
  SockAddr a;
  resolve_host(host, AF_INET, &a);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a.in4.sin_addr, buf, sizeof buf);
  return vstr(str_new(buf));
}

Value f_getaddrinfo(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"host", "port", "family", "type", "proto", "flags", nullptr};
  Value a[6];
  parse_args("getaddrinfo", args, nargs, kwnames, kw, 2, a);
  bool has_host = !is_none(a[0]);
  std::string host;
  if (has_host) {
    if (is_str(a[0])) host = std::string(as_str(a[0])->view());
    else if (is_bytes(a[0])) host = std::string(a[0].as<Bytes>()->view());
    else raise(&exc_TypeError, "getaddrinfo() argument 1 must be string or None");
  }
  bool has_port = !is_none(a[1]);
  std::string port;
  if (has_port) {
    if (is_int(a[1])) port = std::string(int_repr(a[1])->view());
    else if (is_str(a[1])) port = std::string(as_str(a[1])->view());
    else if (is_bytes(a[1])) port = std::string(a[1].as<Bytes>()->view());
    else raise(&exc_OSError, "Int or String expected");
  }
  struct addrinfo hints = {};
  hints.ai_family = a[2].is_null() ? AF_UNSPEC : int_arg(a[2]);
  hints.ai_socktype = a[3].is_null() ? 0 : int_arg(a[3]);
  hints.ai_protocol = a[4].is_null() ? 0 : int_arg(a[4]);
  hints.ai_flags = a[5].is_null() ? 0 : int_arg(a[5]);
  struct addrinfo* res = nullptr;
  int rc;
  {
    GilRelease g;
    rc = getaddrinfo(has_host ? host.c_str() : nullptr, has_port ? port.c_str() : nullptr, &hints, &res);
  }
  if (rc != 0) raise_gai(rc);
  List* out = list_new(0);
  for (struct addrinfo* p = res; p; p = p->ai_next) {
    SockAddr sa;
    memset(&sa, 0, sizeof sa);
    memcpy(&sa, p->ai_addr, p->ai_addrlen);
    list_append(out, vtuple(tuple_of({Value::from_small(p->ai_family), Value::from_small(p->ai_socktype),
                                      Value::from_small(p->ai_protocol),
                                      vstr(str_new(p->ai_canonname ? p->ai_canonname : "")),
                                      make_addr(&sa, p->ai_addrlen)})));
  }
  freeaddrinfo(res);
  return vlist(out);
}

Value f_socketpair(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("socketpair", nargs, 0, 3);
  int family = nargs > 0 && !is_none(args[0]) ? int_arg(args[0]) : AF_UNIX;
  int type = nargs > 1 && !is_none(args[1]) ? int_arg(args[1]) : SOCK_STREAM;
  int proto = nargs > 2 && !is_none(args[2]) ? int_arg(args[2]) : 0;
  int sv[2];
  if (::socketpair(family, type | SOCK_CLOEXEC, proto, sv) != 0) raise_oserror(errno);
  Value res[2];
  for (int i = 0; i < 2; i++) {
    res[i] = sock_tp_new(&socket_type, nullptr, 0, nullptr);
    Value init_args[] = {Value::from_small(family), Value::from_small(type), Value::from_small(proto),
                         Value::from_small(sv[i])};
    sock_tp_init(res[i], init_args, 4, nullptr);
  }
  return vtuple(tuple_pack2(res[0], res[1]));
}

Value f_getdefaulttimeout(const Value*, size_t, Tuple*) { return timeout_value(g_default_timeout.load()); }
Value f_setdefaulttimeout(const Value* args, size_t nargs, Tuple*) {
  check_nargs("setdefaulttimeout", nargs, 1, 1);
  g_default_timeout.store(timeout_arg(args[0]));
  return None();
}

Value f_dup(const Value* args, size_t nargs, Tuple*) {
  check_nargs("dup", nargs, 1, 1);
  int fd = fcntl(int_arg(args[0]), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) raise_oserror(errno);
  return Value::from_small(fd);
}

Value f_close(const Value* args, size_t nargs, Tuple*) {
  check_nargs("close", nargs, 1, 1);
  if (::close(int_arg(args[0])) != 0 && errno != ECONNRESET) raise_oserror(errno);
  return None();
}

template <class T, T (*F)(T)>
Value f_conv(const Value* args, size_t nargs, Tuple*) {
  check_nargs("htons", nargs, 1, 1);
  int64_t n = int_arg64(args[0]);
  if (n < 0) raise(&exc_OverflowError, "%s", sizeof(T) == 2 ? "htons: Python int too large to convert to C 16-bit unsigned integer"
                                                           : "can't convert negative value to unsigned int");
  if (sizeof(T) == 2 && n > 0xffff)
    raise(&exc_OverflowError, "Python int too large to convert to C 16-bit unsigned integer");
  if (sizeof(T) == 4 && n > 0xffffffffLL) raise(&exc_OverflowError, "int larger than 32 bits");
  return int_from_u64(F(T(n)));
}
uint16_t hs(uint16_t x) { return htons(x); }
uint32_t hl(uint32_t x) { return htonl(x); }

Value f_inet_aton(const Value* args, size_t nargs, Tuple*) {
  check_nargs("inet_aton", nargs, 1, 1);
  if (!is_str(args[0])) raise(&exc_TypeError, "inet_aton() argument 1 must be str, not %s", type_name_c(args[0]));
  struct in_addr a;
  if (inet_aton(as_str(args[0])->data(), &a) == 0)
    raise(&exc_OSError, "illegal IP address string passed to inet_aton");
  return Value::from_obj(bytes_new(std::string_view(reinterpret_cast<char*>(&a), 4)));
}

Value f_inet_ntoa(const Value* args, size_t nargs, Tuple*) {
  check_nargs("inet_ntoa", nargs, 1, 1);
  std::string_view d;
  if (!bytes_like_view(args[0], &d))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(args[0]));
  if (d.size() != 4) raise(&exc_OSError, "packed IP wrong length for inet_ntoa");
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, d.data(), buf, sizeof buf);
  return vstr(str_new(buf));
}

Value f_inet_pton(const Value* args, size_t nargs, Tuple*) {
  check_nargs("inet_pton", nargs, 2, 2);
  int af = int_arg(args[0]);
  if (!is_str(args[1])) raise(&exc_TypeError, "inet_pton() argument 2 must be str, not %s", type_name_c(args[1]));
  unsigned char buf[16];
  int r = inet_pton(af, as_str(args[1])->data(), buf);
  if (r < 0) raise_oserror(errno);
  if (r == 0) raise(&exc_OSError, "illegal IP address string passed to inet_pton");
  return Value::from_obj(bytes_new(std::string_view(reinterpret_cast<char*>(buf), af == AF_INET ? 4 : 16)));
}

Value f_inet_ntop(const Value* args, size_t nargs, Tuple*) {
  check_nargs("inet_ntop", nargs, 2, 2);
  int af = int_arg(args[0]);
  std::string_view d;
  if (!bytes_like_view(args[1], &d))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(args[1]));
  if ((af == AF_INET && d.size() != 4) || (af == AF_INET6 && d.size() != 16))
    raise(&exc_ValueError, "invalid length of packed IP address string");
  if (af != AF_INET && af != AF_INET6) raise(&exc_ValueError, "unknown address family %d", af);
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(af, d.data(), buf, sizeof buf)) raise_oserror(errno);
  return vstr(str_new(buf));
}

Value make_exc_type(const char* name, Type* base) {
  Dict* ns = dict_new();
  dict_set_str(ns, GP_STR("__module__"), vstr(str_new("socket")));
  return type_call_new(&type_type, str_new(name), tuple_of({Value::from_obj(base)}), ns);
}

}  // namespace

Module* init_module__socket() {
  static Module* m = nullptr;
  if (m) return m;
  Type* t = &socket_type;
  t->type = &type_type;
  t->name = "_socket.socket";
  t->basic_size = sizeof(Sock);
  t->flags = TF_BASETYPE;
  t->repr = sock_repr;
  t->tp_new = sock_tp_new;
  t->tp_init = sock_tp_init;
  type_ready(t);
  t->name_str = str_intern("socket");
  t->qualname = t->name_str;
  t->module = str_intern("_socket");
  struct {
    const char* name;
    NativeFn fn;
  } meths[] = {
      {"fileno", m_fileno}, {"close", m_close}, {"detach", m_detach}, {"bind", m_bind},
      {"listen", m_listen}, {"_accept", m_accept}, {"connect", m_connect},
      {"connect_ex", m_connect_ex}, {"send", m_send}, {"sendall", m_sendall},
      {"sendto", m_sendto}, {"recv", m_recv}, {"recv_into", m_recv_into},
      {"recvfrom", m_recvfrom}, {"shutdown", m_shutdown}, {"setsockopt", m_setsockopt},
      {"getsockopt", m_getsockopt}, {"getsockname", m_getsockname},
      {"getpeername", m_getpeername}, {"settimeout", m_settimeout},
      {"gettimeout", m_gettimeout}, {"setblocking", m_setblocking},
      {"getblocking", m_getblocking}, {"__enter__", m_enter}, {"__exit__", m_exit},
  };
  for (auto& mm : meths) type_add_method(t, mm.name, mm.fn);
  type_add_getset(t, "family", g_family);
  type_add_getset(t, "type", g_type);
  type_add_getset(t, "proto", g_proto);
  type_add_getset(t, "timeout", g_timeout);

  m = module_new("_socket");
  g_gaierror = make_exc_type("gaierror", &exc_OSError);
  g_herror = make_exc_type("herror", &exc_OSError);
  module_add(m, "socket", Value::from_obj(t));
  module_add(m, "SocketType", Value::from_obj(t));
  module_add(m, "error", Value::from_obj(&exc_OSError));
  module_add(m, "timeout", Value::from_obj(&exc_TimeoutError));
  module_add(m, "gaierror", g_gaierror);
  module_add(m, "herror", g_herror);
  module_add(m, "has_ipv6", True());
  struct {
    const char* name;
    NativeFn fn;
  } fns[] = {
      {"gethostname", f_gethostname}, {"gethostbyname", f_gethostbyname},
      {"getaddrinfo", f_getaddrinfo}, {"socketpair", f_socketpair},
      {"getdefaulttimeout", f_getdefaulttimeout}, {"setdefaulttimeout", f_setdefaulttimeout},
      {"dup", f_dup}, {"close", f_close},
      {"htons", f_conv<uint16_t, hs>}, {"ntohs", f_conv<uint16_t, hs>},
      {"htonl", f_conv<uint32_t, hl>}, {"ntohl", f_conv<uint32_t, hl>},
      {"inet_aton", f_inet_aton}, {"inet_ntoa", f_inet_ntoa},
      {"inet_pton", f_inet_pton}, {"inet_ntop", f_inet_ntop},
  };
  for (auto& f : fns) module_add_fn(m, f.name, f.fn);
  struct {
    const char* name;
    int64_t v;
  } consts[] = {
#define C(x) {#x, int64_t(x)}
      C(AF_UNSPEC), C(AF_INET), C(AF_INET6), C(AF_UNIX), C(SOCK_STREAM), C(SOCK_DGRAM),
      C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_NONBLOCK), C(SOCK_CLOEXEC), C(SOL_SOCKET),
      C(SO_REUSEADDR), C(SO_REUSEPORT), C(SO_KEEPALIVE), C(SO_RCVBUF), C(SO_SNDBUF),
      C(SO_ERROR), C(SO_TYPE), C(SO_BROADCAST), C(SO_LINGER), C(SO_RCVLOWAT), C(SO_SNDLOWAT),
      C(SO_RCVTIMEO), C(SO_SNDTIMEO), C(SO_ACCEPTCONN), C(SO_DOMAIN), C(SO_PROTOCOL),
      C(SO_OOBINLINE), C(IPPROTO_IP), C(IPPROTO_TCP), C(IPPROTO_UDP), C(IPPROTO_IPV6),
      C(IPPROTO_ICMP), C(IPPROTO_RAW), C(IPV6_V6ONLY), C(IP_TOS), C(IP_TTL), C(TCP_NODELAY),
      C(TCP_MAXSEG), C(TCP_KEEPIDLE), C(TCP_KEEPINTVL), C(TCP_KEEPCNT), C(SHUT_RD), C(SHUT_WR),
      C(SHUT_RDWR), C(MSG_PEEK), C(MSG_DONTWAIT), C(MSG_WAITALL), C(MSG_NOSIGNAL), C(MSG_OOB),
      C(MSG_TRUNC), C(MSG_DONTROUTE), C(AI_PASSIVE), C(AI_CANONNAME), C(AI_NUMERICHOST),
      C(AI_NUMERICSERV), C(AI_ADDRCONFIG), C(AI_V4MAPPED), C(AI_ALL), C(NI_NUMERICHOST),
      C(NI_NUMERICSERV), C(NI_NAMEREQD), C(NI_DGRAM), C(NI_NOFQDN), C(NI_MAXHOST),
      C(NI_MAXSERV), C(EAI_AGAIN), C(EAI_BADFLAGS), C(EAI_FAIL), C(EAI_FAMILY),
      C(EAI_MEMORY), C(EAI_NONAME), C(EAI_SERVICE), C(EAI_SOCKTYPE), C(EAI_SYSTEM),
      C(INADDR_ANY), C(INADDR_LOOPBACK), C(INADDR_BROADCAST), C(INADDR_NONE), C(SOMAXCONN),
#undef C
  };
  for (auto& c : consts) module_add(m, c.name, int_from_i64(c.v));
  return m;
}

}  // namespace gp
