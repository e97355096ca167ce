// select.cpp — the `select` module: select() and poll objects (lib/selectors.py builds
// on them).
// Invariants:
//  * The wait itself (poll(2)) runs inside a GilRelease over a plain C array built
//    beforehand; results are mapped back to Python objects after the lock is retaken.
//  * EINTR (PEP 475): pending signal handlers run (and may raise), then the wait is
//    retried with the time that is left.
//  * A poll object's registrations live in its own dict (fd -> event mask); `polling`
//    refuses a second concurrent poll() on the same object as CPython does.
#include <poll.h>
#include <time.h>

#include <cerrno>
#include <cmath>
#include <vector>

#include "core/args.h"
#include "gil/gil.h"
#include "modules/posix.h"
#include "modules/signals.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

double now_mono() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// poll(2) with the lock released; timeout_ms < 0 = forever. Returns poll's result
// (>= 0) or raises OSError.
int poll_released(std::vector<struct pollfd>& fds, double timeout_s) {
  double deadline = timeout_s >= 0 ? now_mono() + timeout_s : 0;
  for (;;) {
    int ms = -1;
    if (timeout_s >= 0) {
      double left = deadline - now_mono();
      if (left < 0) left = 0;
      ms = int(std::ceil(left * 1000.0));
    }
    int r, err;
    {
      GilRelease g;
      r = ::poll(fds.data(), nfds_t(fds.size()), ms);
      err = errno;
    }
    if (r >= 0) return r;
    if (err != EINTR) raise_oserror(err);
    run_pending_signals();
  }
}

// ---- select() ---------------------------------------------------------------------------

struct Watched {
  Value obj;
  int fd;
};

void seq_fds(Value seq, GcVector<Watched>& out) {
  Value it;
  try {
    it = iter(seq);
  } catch (PyThrow&) {
    take_exception();
    raise(&exc_TypeError, "arguments 1-3 must be sequences");
  }
  while (Value v = next(it)) {
    int fd = posix_fd_from_object(v);
    if (fd >= 1024) raise(&exc_ValueError, "filedescriptor out of range in select()");
    out.push_back({v, fd});
  }
}

Value sel_select(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("select", kwnames);
  if (nargs < 3) raise(&exc_TypeError, "select expected at least 3 arguments, got %zu", nargs);
  if (nargs > 4) raise(&exc_TypeError, "select expected at most 4 arguments, got %zu", nargs);
  double timeout = -1;
  if (nargs == 4 && !is_none(args[3])) {
    if (!is_int(args[3]) && !is_float(args[3]) && !type_of(args[3])->nb_float)
      raise(&exc_TypeError, "timeout must be a float or None");
    timeout = as_double(args[3]);
    if (std::isnan(timeout)) raise(&exc_ValueError, "Invalid value NaN (not a number)");
    if (timeout < 0) raise(&exc_ValueError, "timeout must be non-negative");
  }
  GcVector<Watched> lists[3];
  for (int i = 0; i < 3; i++) seq_fds(args[i], lists[i]);
  std::vector<struct pollfd> pfds;
  short kinds[3] = {POLLIN, POLLOUT, POLLPRI};
  // One pollfd per (list, entry); duplicates are harmless to poll(2).
  for (int i = 0; i < 3; i++)
    for (auto& w : lists[i]) pfds.push_back({w.fd, kinds[i], 0});
  poll_released(pfds, timeout);
  List* res[3] = {list_new(0), list_new(0), list_new(0)};
  size_t k = 0;
  for (int i = 0; i < 3; i++) {
    for (auto& w : lists[i]) {
      short re = pfds[k++].revents;
      if (re & POLLNVAL) raise_oserror(EBADF);
      bool ready;
      if (i == 0) ready = re & (POLLIN | POLLHUP | POLLERR);
      else if (i == 1) ready = re & (POLLOUT | POLLERR);
      else ready = re & POLLPRI;
      if (ready) list_append(res[i], w.obj);
    }
  }
  return vtuple(tuple_of({vlist(res[0]), vlist(res[1]), vlist(res[2])}));
}

// ---- poll objects ------------------------------------------------------------------------------

Type poll_type;

struct PollObj : Object {
  Dict* fds;          // fd (int) -> event mask (int)
  std::atomic<bool> polling;
};

PollObj* as_poll(Value v) {
  if (!is_type(v, &poll_type)) raise(&exc_TypeError, "descriptor requires a 'select.poll' object");
  return v.as<PollObj>();
}

int mask_arg(Value v) {
  int64_t n = as_index(v);
  if (n < 0) raise(&exc_OverflowError, "can't convert negative int to unsigned");
  if (n > 0xffff) raise(&exc_OverflowError, "Python int too large for C unsigned short");
  return int(n);
}

Value poll_register(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("register", kwnames);
  check_nargs("register", nargs, 2, 3);
  PollObj* p = as_poll(args[0]);
  int fd = posix_fd_from_object(args[1]);
  int mask = nargs == 3 ? mask_arg(args[2]) : (POLLIN | POLLPRI | POLLOUT);
  dict_set(p->fds, Value::from_small(fd), Value::from_small(mask));
  return None();
}

Value poll_modify(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("modify", kwnames);
  check_nargs("modify", nargs, 3, 3);
  PollObj* p = as_poll(args[0]);
  int fd = posix_fd_from_object(args[1]);
  int mask = mask_arg(args[2]);
  if (dict_get(p->fds, Value::from_small(fd)).is_null()) raise_oserror(ENOENT);
  dict_set(p->fds, Value::from_small(fd), Value::from_small(mask));
  return None();
}

Value poll_unregister(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("unregister", kwnames);
  check_nargs("unregister", nargs, 2, 2);
  PollObj* p = as_poll(args[0]);
  int fd = posix_fd_from_object(args[1]);
  if (!dict_del(p->fds, Value::from_small(fd))) throw_exc(exc_new(&exc_KeyError, {Value::from_small(fd)}));
  return None();
}

Value poll_poll(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("poll", kwnames);
  check_nargs("poll", nargs, 1, 2);
  PollObj* p = as_poll(args[0]);
  double timeout = -1;
  if (nargs == 2 && !is_none(args[1])) {
    Value t = args[1];
    if (!is_int(t) && !is_float(t))
      raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(t));
    double ms = as_double(t);
    if (std::isnan(ms)) raise(&exc_ValueError, "Invalid value NaN (not a number)");
    timeout = ms < 0 ? -1 : std::ceil(ms) / 1000.0;
  }
  std::vector<struct pollfd> pfds;
  int64_t pos = 0;
  Value k, v;
  while (dict_next(p->fds, &pos, &k, &v)) pfds.push_back({int(k.small()), short(v.small()), 0});
  bool expected = false;
  if (!p->polling.compare_exchange_strong(expected, true))
    raise(&exc_RuntimeError, "concurrent poll() invocation");
  try {
    poll_released(pfds, timeout);
  } catch (PyThrow&) {
    p->polling.store(false);
    throw;
  }
  p->polling.store(false);
  List* res = list_new(0);
  for (auto& f : pfds)
    if (f.revents)
      list_append(res, vtuple(tuple_pack2(Value::from_small(f.fd), Value::from_small(f.revents & 0xffff))));
  return vlist(res);
}

Value sel_poll(const Value*, size_t nargs, Tuple* kwnames) {
  check_nargs("poll", nargs, 0, 0);
  PollObj* p = gc_new_obj<PollObj>(&poll_type);
  p->fds = dict_new();
  return Value::from_obj(p);
}

}  // namespace

Module* init_module_select() {
  static Module* m = nullptr;
  if (m) return m;
  Type* t = &poll_type;
  t->type = &type_type;
  t->name = "select.poll";
  t->basic_size = sizeof(PollObj);
  type_ready(t);
  t->module = str_intern("select");
  type_add_method(t, "register", poll_register);
  type_add_method(t, "modify", poll_modify);
  type_add_method(t, "unregister", poll_unregister);
  type_add_method(t, "poll", poll_poll);
  m = module_new("select");
  module_add_fn(m, "select", sel_select);
  module_add_fn(m, "poll", sel_poll);
  module_add(m, "error", Value::from_obj(&exc_OSError));
  struct {
    const char* name;
    int v;
  } consts[] = {
#define C(x) {#x, x}
      C(POLLIN), C(POLLPRI), C(POLLOUT), C(POLLERR), C(POLLHUP), C(POLLNVAL),
      C(POLLRDNORM), C(POLLRDBAND), C(POLLWRNORM), C(POLLWRBAND), C(POLLMSG), C(POLLRDHUP),
#undef C
  };
  for (auto& c : consts) module_add(m, c.name, Value::from_small(c.v));
  return m;
}

}  // namespace gp
