// thread.cpp — the `_thread` module: OS threads, locks and re-entrant locks.
//
// Invariants:
//  * A new thread registers with the collector and gets its ThreadState before it
//    touches any Value; it takes the lock (gil_acquire) before running Python code and
//    gives it up for good (gil_release_kind Exit) before unregistering.
//  * The start-up record passed to pthread_create is GC-uncollectable until the new
//    thread has copied its contents to its own (scanned) stack.
//  * Every wait (lock acquire, RLock acquire) happens with the GIL released
//    (GilRelease) and, on the main thread, in slices so that Ctrl-C raises
//    KeyboardInterrupt promptly (signals.h). Lock state is guarded by the lock's own
//    mutex, never by the GIL, so it stays correct under --gil=none.
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "core/args.h"
#include "core/objlock.h"
#include "embed/startup.h"
#include "gil/gil.h"
#include "modules/signals.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/thread_api.h"

namespace gp {

Type thread_lock_type, thread_rlock_type;

namespace {

std::atomic<size_t> g_stack_size{0};
std::atomic<int64_t> g_thread_count{0};
constexpr double kTimeoutMax = 4294967.0;  // seconds, as CPython's PY_TIMEOUT_MAX on Linux

// ---- waiting with the lock released ---------------------------------------------------
// Waits on cv until pred() or the deadline; returns pred(). On the main thread the wait
// is sliced so a pending SIGINT interrupts it (the caller then raises).
template <class Pred>
bool wait_interruptible(std::unique_lock<std::mutex>& lk, std::condition_variable& cv,
                        double timeout, Pred pred, bool* interrupted) {
  using Clock = std::chrono::steady_clock;
  bool main = is_main_thread();
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(timeout < 0 ? 0 : timeout));
  while (!pred()) {
    if (main && sigint_pending()) {
      *interrupted = true;
      return false;
    }
    auto slice = std::chrono::milliseconds(main ? 20 : 1000000);
    if (timeout >= 0) {
      auto now = Clock::now();
      if (now >= deadline) return pred();
      auto left = deadline - now;
      if (left < slice) {
        cv.wait_for(lk, left);
        continue;
      }
    }
    cv.wait_for(lk, slice);
  }
  return true;
}

double parse_timeout(const char* fname, Value blocking_v, Value timeout_v, bool* blocking) {
  *blocking = blocking_v.is_null() ? true : truthy(blocking_v);
  double timeout = -1;
  if (!timeout_v.is_null() && !is_none(timeout_v)) timeout = as_double(timeout_v);
  if (!*blocking && timeout != -1)
    raise(&exc_ValueError, "can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout != -1)
    raise(&exc_ValueError, "timeout value must be a non-negative number");
  if (timeout > kTimeoutMax) raise(&exc_OverflowError, "timeout value is too large");
  return timeout;
}

// ---- _thread.lock --------------------------------------------------------------------
struct Lock : Object {
  std::mutex* m;
  std::condition_variable* cv;
  bool locked;
};

Lock* as_lock(Value v) {
  if (!is_type(v, &thread_lock_type)) raise(&exc_TypeError, "expected a _thread.lock");
  return v.as<Lock>();
}

Value lock_new_obj() {
  Lock* l = gc_new_obj<Lock>(&thread_lock_type);
  // The mutex and condvar live outside the GC heap (they hold no Values); a finalizer
  // frees them when the lock object dies.
  l->m = new std::mutex();
  l->cv = new std::condition_variable();
  GC_register_finalizer(l, [](void* obj, void*) {
    Lock* lk = static_cast<Lock*>(obj);
    delete lk->m;
    delete lk->cv;
  }, nullptr, nullptr, nullptr);
  return Value::from_obj(l);
}

// Acquire; returns true if acquired. Raises KeyboardInterrupt if interrupted.
bool lock_acquire_impl(Lock* l, bool blocking, double timeout) {
  {
    std::lock_guard<std::mutex> g(*l->m);
    if (!l->locked) {
      l->locked = true;
      return true;
    }
  }
  if (!blocking) return false;
  for (;;) {
    bool interrupted = false, got = false;
    {
      GilRelease nogil;
      std::unique_lock<std::mutex> lk(*l->m);
      got = wait_interruptible(lk, *l->cv, timeout, [&] { return !l->locked; }, &interrupted);
      if (got) l->locked = true;
    }
    if (interrupted) {
      run_pending_signals();  // raises KeyboardInterrupt
      continue;               // a handler that did not raise: keep waiting
    }
    return got;
  }
}

// The releases below notify after unlocking the mutex: a waiter woken while the mutex is
// still held would at once sleep again on it, two wake-ups instead of one (each tens of
// microseconds on a virtual machine; they made starting a thread take 0.6 ms).
void lock_release_impl(Lock* l) {
  std::unique_lock<std::mutex> g(*l->m);
  if (!l->locked) raise(&exc_RuntimeError, "release unlocked lock");
  l->locked = false;
  g.unlock();
  l->cv->notify_one();
}

Value lock_acquire(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"blocking", "timeout", nullptr};
  Value a[2];
  parse_args("acquire", args + 1, nargs - 1, kwnames, kw, 0, a);
  bool blocking;
  double timeout = parse_timeout("acquire", a[0], a[1], &blocking);
  return Bool(lock_acquire_impl(as_lock(args[0]), blocking, timeout));
}

Value lock_release(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("release", kwnames);
  lock_release_impl(as_lock(args[0]));
  return None();
}

Value lock_exit(const Value* args, size_t nargs, Tuple* kwnames) {
  lock_release_impl(as_lock(args[0]));
  return None();
}

Value lock_locked(const Value* args, size_t nargs, Tuple* kwnames) {
  Lock* l = as_lock(args[0]);
  std::lock_guard<std::mutex> g(*l->m);
  return Bool(l->locked);
}

Value lock_repr(Value self) {
  Lock* l = self.as<Lock>();
  bool locked;
  {
    std::lock_guard<std::mutex> g(*l->m);
    locked = l->locked;
  }
  char buf[96];
  snprintf(buf, sizeof buf, "<%s _thread.lock object at %p>", locked ? "locked" : "unlocked",
           static_cast<void*>(l));
  return vstr(str_new(buf));
}

Value lock_tp_new(Type*, const Value*, size_t nargs, Tuple* kwnames) {
  if (nargs || kwnames) raise(&exc_TypeError, "lock() takes no arguments");
  return lock_new_obj();
}

// ---- _thread.RLock -------------------------------------------------------------------
struct RLock : Object {
  std::mutex* m;
  std::condition_variable* cv;
  uint64_t owner;   // thread ident, 0 = free
  int64_t count;
};

RLock* as_rlock(Value v) {
  if (!v.is_obj() || !(v.obj()->type == &thread_rlock_type || issubclass(v.obj()->type, &thread_rlock_type)))
    raise(&exc_TypeError, "expected a _thread.RLock");
  return v.as<RLock>();
}

uint64_t my_ident() { return tstate()->ident; }

Value rlock_tp_new(Type* t, const Value*, size_t, Tuple*) {
  RLock* l = gc_new_obj<RLock>(t, t->basic_size);
  l->m = new std::mutex();
  l->cv = new std::condition_variable();
  GC_register_finalizer(l, [](void* obj, void*) {
    RLock* lk = static_cast<RLock*>(obj);
    delete lk->m;
    delete lk->cv;
  }, nullptr, nullptr, nullptr);
  return Value::from_obj(l);
}

bool rlock_acquire_impl(RLock* l, bool blocking, double timeout, int64_t count = 1) {
  uint64_t me = my_ident();
  {
    std::lock_guard<std::mutex> g(*l->m);
    if (l->owner == me) {
      l->count += count;
      return true;
    }
    if (l->owner == 0) {
      l->owner = me;
      l->count = count;
      return true;
    }
  }
  if (!blocking) return false;
  for (;;) {
    bool interrupted = false, got = false;
    {
      GilRelease nogil;
      std::unique_lock<std::mutex> lk(*l->m);
      got = wait_interruptible(lk, *l->cv, timeout, [&] { return l->owner == 0; }, &interrupted);
      if (got) {
        l->owner = me;
        l->count = count;
      }
    }
    if (interrupted) {
      run_pending_signals();
      continue;
    }
    return got;
  }
}

Value rlock_acquire(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"blocking", "timeout", nullptr};
  Value a[2];
  parse_args("acquire", args + 1, nargs - 1, kwnames, kw, 0, a);
  bool blocking;
  double timeout = parse_timeout("acquire", a[0], a[1], &blocking);
  return Bool(rlock_acquire_impl(as_rlock(args[0]), blocking, timeout));
}

void rlock_release_impl(RLock* l) {
  std::unique_lock<std::mutex> g(*l->m);
  if (l->owner != my_ident() || l->count == 0)
    raise(&exc_RuntimeError, "cannot release un-acquired lock");
  if (--l->count == 0) {
    l->owner = 0;
    g.unlock();
    l->cv->notify_one();
  }
}

Value rlock_release(const Value* args, size_t nargs, Tuple* kwnames) {
  rlock_release_impl(as_rlock(args[0]));
  return None();
}

Value rlock_is_owned(const Value* args, size_t nargs, Tuple* kwnames) {
  RLock* l = as_rlock(args[0]);
  std::lock_guard<std::mutex> g(*l->m);
  return Bool(l->owner == my_ident() && l->count > 0);
}

// Condition.wait support: release completely, returning the saved state.
Value rlock_release_save(const Value* args, size_t nargs, Tuple* kwnames) {
  RLock* l = as_rlock(args[0]);
  std::unique_lock<std::mutex> g(*l->m);
  if (l->count == 0) raise(&exc_RuntimeError, "cannot release un-acquired lock");
  Value state = vtuple(tuple_of({int_from_i64(l->count), int_from_u64(l->owner)}));
  l->count = 0;
  l->owner = 0;
  g.unlock();
  l->cv->notify_one();
  return state;
}

Value rlock_acquire_restore(const Value* args, size_t nargs, Tuple* kwnames) {
  RLock* l = as_rlock(args[0]);
  check_nargs("_acquire_restore", nargs, 2, 2);
  Value st = args[1];
  if (!is_tuple(st) || st.as<Tuple>()->size != 2) raise(&exc_TypeError, "bad state");
  int64_t count = as_index((*st.as<Tuple>())[0]);
  rlock_acquire_impl(l, true, -1, count);
  return None();
}

Value rlock_repr(Value self) {
  RLock* l = self.as<RLock>();
  uint64_t owner;
  int64_t count;
  {
    std::lock_guard<std::mutex> g(*l->m);
    owner = l->owner;
    count = l->count;
  }
  char buf[160];
  snprintf(buf, sizeof buf, "<%s %s object owner=%llu count=%lld at %p>",
           owner ? "locked" : "unlocked", type_name_c(self), (unsigned long long)owner,
           (long long)count, static_cast<void*>(l));
  return vstr(str_new(buf));
}

// ---- threads -------------------------------------------------------------------------
struct Bootstrap {
  Value func;
  Value args;
  Value kwargs;
  bool pinned;       // started on its creator's CPU: restore `cpus` first
  cpu_set_t cpus;    // the creator's affinity mask
};

void report_thread_exception(Value func, Value exc) {
  // As CPython's thread_run: "Exception ignored in thread started by: <repr>" then the
  // traceback, through sys.stderr.
  try {
    Value err = import_simple("sys");
    Value stderr_obj = getattr(err, str_intern("stderr"));
    std::string head = "Exception ignored in thread started by: ";
    head += std::string(repr(func)->view());
    head += "\n";
    call_method(stderr_obj, str_intern("write"), {vstr(str_new(head))});
  } catch (PyThrow&) {
    take_exception();
  }
  print_exception(exc);
}

void* thread_main(void* arg) {
  GC_stack_base sb;
  GC_get_stack_base(&sb);
  // With GC_THREADS, gc.h redirects pthread_create to GC_pthread_create, which has
  // already registered this thread and unregisters it itself when the thread ends
  // (GC_DUPLICATE here). Unregistering it a second time below would free the
  // collector's record while its exit handler still uses it: a crash, or a
  // stop-the-world that waits forever for a thread that no longer exists.
  bool registered_here = GC_register_my_thread(&sb) == GC_SUCCESS;
  auto* boot = static_cast<Bootstrap*>(arg);
  if (boot->pinned) pthread_setaffinity_np(pthread_self(), sizeof(boot->cpus), &boot->cpus);
  Value func = boot->func, fargs = boot->args, fkwargs = boot->kwargs;
  GC_FREE(boot);
  ThreadState* ts = tstate_new();
  thread_started(ts);
  {
    GcWaitRegion wait(ts);  // waiting for the lock: no need to interrupt it for a collection
    gil_acquire(ts);
  }
  try {
    Tuple* t = fargs.as<Tuple>();
    if (fkwargs.is_null() || is_none(fkwargs) || dict_size(fkwargs.as<Dict>()) == 0) {
      call(func, t->items(), size_t(t->size));
    } else {
      Dict* kw = fkwargs.as<Dict>();
      int64_t n = dict_size(kw);
      ValueVec argv(t->items(), t->items() + t->size);
      Tuple* names = tuple_new(n);
      int64_t pos = 0, i = 0;
      Value k, v;
      while (dict_next(kw, &pos, &k, &v)) {
        (*names)[i++] = k;
        argv.push_back(v);
      }
      call(func, argv.data(), size_t(t->size), names);
    }
  } catch (PyThrow&) {
    Value exc = take_exception();
    if (!exc_matches(exc, Value::from_obj(&exc_SystemExit))) report_thread_exception(func, exc);
  }
  thread_finished(ts);
  gil_thread_exit(ts);
  tstate_delete(ts);
  g_thread_count.fetch_sub(1);
  if (registered_here) GC_unregister_my_thread();
  return nullptr;
}

// Under --gil=none, N threads allocate at once: N times the allocation rate against the
// same heap would mean N times as many stop-the-world collections, each stopping all N.
// So the heap gets the initial size again for each thread that can run in parallel (up
// to the number of CPUs), and collections per thread stay as rare as for one thread.
// The own collector counts the threads that did allocate in each cycle (a thread that
// only waits costs nothing; gc/gcapi.h, set_thread_budget); under libgc the heap grows
// once per high-water mark of threads started. Under the lock only one thread allocates
// at a time: no growth.
static void grow_heap_for(int live) {
  static const int ncpu = std::max(1, int(sysconf(_SC_NPROCESSORS_ONLN)));
#ifdef GILPY_OWN_GC
  (void)live;
  static std::once_flag once;
  std::call_once(once, [] { gp::ogc::set_thread_budget(g_heap_step_bytes / 4 * 3, ncpu); });
#else
  static std::atomic<int> sized_for{1};
  int want = std::min(live, ncpu);
  int have = sized_for.load();
  while (want > have) {
    if (sized_for.compare_exchange_weak(have, want)) {
      GC_expand_hp(size_t(want - have) * g_heap_step_bytes);
      return;
    }
  }
#endif
}

// `here`: start the thread on the caller's CPU, for a caller that waits for it to start
// (threading.Thread.start, through _start_new_thread_here).
static Value start_thread_impl(const Value* args, size_t nargs, Tuple* kwnames, bool here) {
  check_no_kwargs("start_new_thread", kwnames);
  if (nargs < 2 || nargs > 3) {
    raise(&exc_TypeError, "start_new_thread expected at least 2 arguments, got %zu", nargs);
  }
  if (!is_callable(args[0])) raise(&exc_TypeError, "first arg must be callable");
  if (!is_tuple(args[1])) raise(&exc_TypeError, "2nd arg must be a tuple");
  if (nargs == 3 && !is_dict(args[2])) raise(&exc_TypeError, "optional 3rd arg must be a dictionary");
  auto* boot = static_cast<Bootstrap*>(GC_MALLOC_UNCOLLECTABLE(sizeof(Bootstrap)));
  boot->func = args[0];
  boot->args = args[1];
  boot->kwargs = nargs == 3 ? args[2] : Value::null();
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  size_t ss = g_stack_size.load();
  pthread_attr_setstacksize(&attr, ss ? ss : 16 * 1024 * 1024);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  // Start the thread on this CPU, where its creator is about to wait for it, then let
  // it go anywhere it may run (thread_main restores the mask at once). Left to itself,
  // the kernel may queue it behind a busy thread on another CPU while this one goes
  // idle: measured, the second of two threads started up to 4 ms late (0.3 ms pinned),
  // and a start+join took 170 us (120 us). Not for a caller that does not wait: its
  // new threads would queue behind it on its CPU.
  if (here && sched_getaffinity(0, sizeof(boot->cpus), &boot->cpus) == 0 &&
      CPU_COUNT(&boot->cpus) > 1) {
    int cpu = sched_getcpu();
    if (cpu >= 0 && CPU_ISSET(cpu, &boot->cpus)) {
      cpu_set_t here;
      CPU_ZERO(&here);
      CPU_SET(cpu, &here);
      if (pthread_attr_setaffinity_np(&attr, sizeof(here), &here) == 0) boot->pinned = true;
    }
  }
  pthread_t tid;
  int live = g_thread_count.fetch_add(1) + 2;  // the new thread, and the main thread
  if (free_threaded()) grow_heap_for(live);
  int rc = pthread_create(&tid, &attr, thread_main, boot);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    g_thread_count.fetch_sub(1);
    GC_FREE(boot);
    raise(&exc_RuntimeError, "can't start new thread");
  }
  return int_from_u64(uint64_t(tid));
}

Value start_new_thread(const Value* args, size_t nargs, Tuple* kwnames) {
  return start_thread_impl(args, nargs, kwnames, false);
}
Value start_new_thread_here(const Value* args, size_t nargs, Tuple* kwnames) {
  return start_thread_impl(args, nargs, kwnames, true);
}

Value allocate_lock(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("allocate_lock", nargs, 0, 0);
  return lock_new_obj();
}

Value get_ident(const Value*, size_t, Tuple*) { return int_from_u64(tstate()->ident); }
Value get_native_id(const Value*, size_t, Tuple*) { return int_from_u64(tstate()->native_id); }

Value thread_exit_fn(const Value*, size_t, Tuple*) {
  throw_exc(Value::from_obj(&exc_SystemExit));
}

Value interrupt_main(const Value* args, size_t nargs, Tuple* kwnames) {
  int sig = nargs > 0 ? int(as_index(args[0])) : SIGINT;
  if (sig != SIGINT) raise(&exc_ValueError, "signal number out of range");
  kill(getpid(), SIGINT);
  return None();
}

Value stack_size(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("stack_size", nargs, 0, 1);
  size_t old = g_stack_size.load();
  if (nargs == 1) {
    int64_t n = as_index(args[0]);
    if (n != 0 && n < 32768) raise(&exc_ValueError, "size not valid: %lld bytes", (long long)n);
    g_stack_size.store(size_t(n));
  }
  return int_from_u64(old);
}

Value thread_count(const Value*, size_t, Tuple*) { return int_from_i64(g_thread_count.load()); }

Value policy_name(const Value*, size_t, Tuple*) { return vstr(str_new(gil_policy_name())); }

}  // namespace

Module* init_module__thread() {
  static bool types_ready = false;
  if (!types_ready) {
    types_ready = true;
    Type* t = &thread_lock_type;
    t->type = &type_type;
    t->name = "lock";
    t->basic_size = sizeof(Lock);
    t->repr = lock_repr;
    t->tp_new = lock_tp_new;
    type_ready(t);
    t->module = str_intern("_thread");
    type_add_method(t, "acquire", lock_acquire);
    type_add_method(t, "acquire_lock", lock_acquire);
    type_add_method(t, "__enter__", lock_acquire);
    type_add_method(t, "release", lock_release);
    type_add_method(t, "release_lock", lock_release);
    type_add_method(t, "__exit__", lock_exit);
    type_add_method(t, "locked", lock_locked);
    type_add_method(t, "locked_lock", lock_locked);

    Type* r = &thread_rlock_type;
    r->type = &type_type;
    r->name = "RLock";
    r->basic_size = sizeof(RLock);
    r->flags = TF_BASETYPE;
    r->repr = rlock_repr;
    r->tp_new = rlock_tp_new;
    type_ready(r);
    r->module = str_intern("_thread");
    type_add_method(r, "acquire", rlock_acquire);
    type_add_method(r, "__enter__", rlock_acquire);
    type_add_method(r, "release", rlock_release);
    type_add_method(r, "__exit__", rlock_release);
    type_add_method(r, "_is_owned", rlock_is_owned);
    type_add_method(r, "_release_save", rlock_release_save);
    type_add_method(r, "_acquire_restore", rlock_acquire_restore);
  }
  Module* m = module_new("_thread");
  module_add_fn(m, "start_new_thread", start_new_thread);
  module_add_fn(m, "start_new", start_new_thread);
  module_add_fn(m, "_start_new_thread_here", start_new_thread_here);  // gilpy: threading
  module_add_fn(m, "allocate_lock", allocate_lock);
  module_add_fn(m, "allocate", allocate_lock);
  module_add_fn(m, "get_ident", get_ident);
  module_add_fn(m, "get_native_id", get_native_id);
  module_add_fn(m, "exit", thread_exit_fn);
  module_add_fn(m, "interrupt_main", interrupt_main);
  module_add_fn(m, "stack_size", stack_size);
  module_add_fn(m, "_count", thread_count);
  module_add_fn(m, "_gil_policy", policy_name);
  module_add(m, "LockType", Value::from_obj(&thread_lock_type));
  module_add(m, "lock", Value::from_obj(&thread_lock_type));
  module_add(m, "RLock", Value::from_obj(&thread_rlock_type));
  module_add(m, "TIMEOUT_MAX", float_new(kTimeoutMax));
  module_add(m, "error", Value::from_obj(&exc_RuntimeError));
  return m;
}

}  // namespace gp
