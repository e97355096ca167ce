// _multiprocessing.cpp — the native core of lib/multiprocessing: SemLock (a POSIX
// semaphore that works across fork()) and SharedMemory (bytes shared with children).
//
// Invariants:
//  * A SemLock's sem_t lives in its own mmap(MAP_SHARED|MAP_ANONYMOUS) page, made with
//    sem_init(pshared=1) before any fork, so parent and children that inherit the page
//    operate on one semaphore. The Python object (count, owner) is per process: after
//    fork the child's copy starts owning nothing (_after_fork), as CPython's does.
//  * Waiting (sem_wait / sem_timedwait) happens inside a GilRelease; EINTR runs the
//    pending signal handlers with the lock held, then the wait resumes with the time
//    that is left.
//  * SharedMemory bounds-checks every read and write; the mapping is never unmapped
//    while the object is reachable (a finalizer unmaps it), and a child keeps its own
//    inherited mapping.
#include "gc/gcapi.h"
#include <semaphore.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>

#include "core/args.h"
#include "core/threadstate.h"
#include "gil/gil.h"
#include "modules/signals.h"
#include "objects/bytes.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"

namespace gp {

namespace {

enum { RECURSIVE_MUTEX = 0, SEMAPHORE = 1 };

Type semlock_type;
Type shm_type;

struct SemLock : Object {
  sem_t* sem;
  int kind;
  int maxvalue;
  int count;          // acquisitions by the owner (RLock depth; 0/1 for a Lock)
  pid_t owner_pid;
  uint64_t owner_tid;
};

struct Shm : Object {
  char* base;
  size_t size;
};

SemLock* as_sem(Value v) {
  if (!isinstance(v, &semlock_type))
    raise(&exc_TypeError, "descriptor requires a '_multiprocessing.SemLock' object but received a '%s'",
          type_name_c(v));
  return v.as<SemLock>();
}

void semlock_finalize(void* obj, void*) {
  SemLock* s = static_cast<SemLock*>(obj);
  if (s->sem) munmap(s->sem, size_t(sysconf(_SC_PAGESIZE)));
}

void shm_finalize(void* obj, void*) {
  Shm* s = static_cast<Shm*>(obj);
  if (s->base) munmap(s->base, s->size ? s->size : 1);
}

// The object's count is per process: a child of fork() starts owning nothing (CPython
// resets it with an after-fork hook; here the owner's pid tells).
void forget_if_forked(SemLock* s) {
  if (s->count > 0 && s->owner_pid != getpid()) s->count = 0;
}

bool is_mine(SemLock* s) {
  forget_if_forked(s);
  return s->count > 0 && s->owner_tid == tstate()->ident;
}

// SemLock(kind, value, maxvalue, name=None, unlink=True): name/unlink are accepted for
// CPython's signature; the semaphore is always anonymous (fork start method).
Value semlock_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"kind", "value", "maxvalue", "name", "unlink", nullptr};
  Value a[5];
  parse_args("SemLock", args, nargs, kwnames, kw, 3, a);
  int64_t kind = as_index(a[0]), value = as_index(a[1]), maxvalue = as_index(a[2]);
  if (kind != RECURSIVE_MUTEX && kind != SEMAPHORE) raise(&exc_ValueError, "unrecognized kind");
  if (value < 0 || value > SEM_VALUE_MAX) raise(&exc_ValueError, "invalid value");
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  void* p = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) raise_oserror(errno);
  if (sem_init(static_cast<sem_t*>(p), 1, unsigned(value)) != 0) {
    int err = errno;
    munmap(p, page);
    raise_oserror(err);
  }
  SemLock* s = gc_new_obj<SemLock>(t, size_t(t->basic_size));
  s->sem = static_cast<sem_t*>(p);
  s->kind = int(kind);
  s->maxvalue = int(maxvalue > INT_MAX ? INT_MAX : maxvalue);
  GC_register_finalizer(s, semlock_finalize, nullptr, nullptr, nullptr);
  return Value::from_obj(s);
}

// Wait for the semaphore: true when taken, false on timeout (timeout < 0: forever).
bool sem_wait_released(sem_t* sem, double timeout) {
  struct timespec deadline {};
  if (timeout >= 0) {
    clock_gettime(CLOCK_REALTIME, &deadline);
    double whole;
    double frac = modf(timeout, &whole);
    deadline.tv_sec += time_t(whole);
    deadline.tv_nsec += long(frac * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000L;
    }
  }
  for (;;) {
    int r, err;
    {
      GilRelease g;
      r = timeout < 0 ? sem_wait(sem) : sem_timedwait(sem, &deadline);
      err = errno;
    }
    if (r == 0) return true;
    if (err == EINTR) {
      run_pending_signals();  // may raise (KeyboardInterrupt)
      continue;
    }
    if (err == ETIMEDOUT) return false;
    raise_oserror(err);
  }
}

Value semlock_acquire(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"block", "timeout", nullptr};
  SemLock* s = as_sem(args[0]);
  Value a[2];
  parse_args("acquire", args + 1, nargs - 1, kwnames, kw, 0, a);
  bool block = a[0].is_null() || truthy(a[0]);
  double timeout = -1;
  if (block && !a[1].is_null() && !is_none(a[1])) {
    timeout = as_double(a[1]);
    if (timeout < 0) timeout = 0;
  }
  forget_if_forked(s);
  if (s->kind == RECURSIVE_MUTEX && is_mine(s)) {
    s->count++;
    return True();
  }
  bool got = sem_trywait(s->sem) == 0;
  if (!got && block) got = sem_wait_released(s->sem, timeout);
  if (!got) return False();
  s->count++;
  s->owner_pid = getpid();
  s->owner_tid = tstate()->ident;
  return True();
}

Value semlock_release(const Value* args, size_t nargs, Tuple*) {
  SemLock* s = as_sem(args[0]);
  if (s->kind == RECURSIVE_MUTEX) {
    if (!is_mine(s))
      raise(&exc_AssertionError, "attempt to release recursive lock not owned by thread");
    if (s->count > 1) {
      s->count--;
      return None();
    }
  } else if (s->maxvalue != SEM_VALUE_MAX) {
    int v = 0;
    if (sem_getvalue(s->sem, &v) != 0) raise_oserror(errno);
    if (v >= s->maxvalue) raise(&exc_ValueError, "semaphore or lock released too many times");
  }
  if (sem_post(s->sem) != 0) raise_oserror(errno);
  forget_if_forked(s);
  if (s->count > 0) s->count--;
  return None();
}

Value semlock_exit(const Value* args, size_t nargs, Tuple*) {
  Value self = args[0];
  return semlock_release(&self, 1, nullptr);
}

Value semlock_count(const Value* args, size_t, Tuple*) {
  SemLock* s = as_sem(args[0]);
  forget_if_forked(s);
  return Value::from_small(s->count);
}
Value semlock_is_mine(const Value* args, size_t, Tuple*) { return Bool(is_mine(as_sem(args[0]))); }
Value semlock_get_value(const Value* args, size_t, Tuple*) {
  int v = 0;
  if (sem_getvalue(as_sem(args[0])->sem, &v) != 0) raise_oserror(errno);
  return Value::from_small(v < 0 ? 0 : v);
}
Value semlock_is_zero(const Value* args, size_t, Tuple*) {
  int v = 0;
  if (sem_getvalue(as_sem(args[0])->sem, &v) != 0) raise_oserror(errno);
  return Bool(v <= 0);
}
Value semlock_after_fork(const Value* args, size_t, Tuple*) {
  as_sem(args[0])->count = 0;
  return None();
}
Value g_kind(Value self) { return Value::from_small(self.as<SemLock>()->kind); }
Value g_maxvalue(Value self) { return Value::from_small(self.as<SemLock>()->maxvalue); }
Value g_handle(Value self) { return int_from_u64(reinterpret_cast<uintptr_t>(self.as<SemLock>()->sem)); }

// ---- SharedMemory ------------------------------------------------------------------------

Shm* as_shm(Value v) {
  if (!isinstance(v, &shm_type))
    raise(&exc_TypeError, "descriptor requires a '_multiprocessing.SharedMemory' object but received a '%s'",
          type_name_c(v));
  return v.as<Shm>();
}

Value shm_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"size", nullptr};
  Value a[1];
  parse_args("SharedMemory", args, nargs, kwnames, kw, 1, a);
  int64_t n = as_index(a[0]);
  if (n < 0) raise(&exc_ValueError, "size must be non-negative");
  void* p = mmap(nullptr, size_t(n ? n : 1), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) raise_oserror(errno);
  Shm* s = gc_new_obj<Shm>(t, size_t(t->basic_size));
  s->base = static_cast<char*>(p);
  s->size = size_t(n);
  GC_register_finalizer(s, shm_finalize, nullptr, nullptr, nullptr);
  return Value::from_obj(s);
}

void shm_range(Shm* s, int64_t off, int64_t n) {
  if (off < 0 || n < 0 || uint64_t(off) + uint64_t(n) > s->size)
    raise(&exc_IndexError, "shared memory access out of range");
}

// read(offset, n) -> bytes
Value shm_read(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("read", kwnames);
  check_nargs("read", nargs, 3, 3);
  Shm* s = as_shm(args[0]);
  int64_t off = as_index(args[1]), n = as_index(args[2]);
  shm_range(s, off, n);
  return Value::from_obj(bytes_new(std::string_view(s->base + off, size_t(n))));
}

// write(offset, data)
Value shm_write(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("write", kwnames);
  check_nargs("write", nargs, 3, 3);
  Shm* s = as_shm(args[0]);
  int64_t off = as_index(args[1]);
  std::string_view data;
  if (!bytes_like_view(args[2], &data))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(args[2]));
  shm_range(s, off, int64_t(data.size()));
  memcpy(s->base + off, data.data(), data.size());
  return None();
}

Value shm_len(Value self) { return int_from_i64(int64_t(self.as<Shm>()->size)); }

}  // namespace

Module* init_module__multiprocessing() {
  static Module* m = nullptr;
  if (m) return m;
  Type* t = &semlock_type;
  t->type = &type_type;
  t->name = "_multiprocessing.SemLock";
  t->basic_size = sizeof(SemLock);
  t->flags = TF_BASETYPE;
  t->tp_new = semlock_new;
  type_ready(t);
  t->name_str = str_intern("SemLock");
  t->qualname = t->name_str;
  t->module = str_intern("_multiprocessing");
  struct {
    const char* name;
    NativeFn fn;
  } meths[] = {
      {"acquire", semlock_acquire}, {"release", semlock_release},
      {"__enter__", semlock_acquire}, {"__exit__", semlock_exit},
      {"_count", semlock_count}, {"_is_mine", semlock_is_mine},
      {"_get_value", semlock_get_value}, {"_is_zero", semlock_is_zero},
      {"_after_fork", semlock_after_fork},
  };
  for (auto& mm : meths) type_add_method(t, mm.name, mm.fn);
  type_add_getset(t, "kind", g_kind);
  type_add_getset(t, "maxvalue", g_maxvalue);
  type_add_getset(t, "handle", g_handle);
  type_set_attr(t, "SEM_VALUE_MAX", int_from_i64(SEM_VALUE_MAX));

  Type* h = &shm_type;
  h->type = &type_type;
  h->name = "_multiprocessing.SharedMemory";
  h->basic_size = sizeof(Shm);
  h->flags = 0;
  h->tp_new = shm_new;
  type_ready(h);
  h->name_str = str_intern("SharedMemory");
  h->qualname = h->name_str;
  h->module = str_intern("_multiprocessing");
  type_add_method(h, "read", shm_read);
  type_add_method(h, "write", shm_write);
  type_add_getset(h, "size", shm_len);

  m = module_new("_multiprocessing");
  module_add(m, "SemLock", Value::from_obj(t));
  module_add(m, "SharedMemory", Value::from_obj(h));
  module_add(m, "RECURSIVE_MUTEX", Value::from_small(RECURSIVE_MUTEX));
  module_add(m, "SEMAPHORE", Value::from_small(SEMAPHORE));
  module_add(m, "SEM_VALUE_MAX", int_from_i64(SEM_VALUE_MAX));
  return m;
}

}  // namespace gp
