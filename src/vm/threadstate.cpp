// threadstate.cpp — per-thread interpreter state and the thread registry.
//
// Invariants:
//  * tstate() is a thread_local pointer: no locking on the hot path.
//  * Each ThreadState is really a VMThreadState (vm/frame.h) allocated with
//    GC_MALLOC_UNCOLLECTABLE, so curexc/exc_info/the value stack are GC roots; it is
//    freed only by tstate_delete, after being unlinked under threads_mutex().
//  * The recursion limit is process-wide (sys.setrecursionlimit), default 1000.
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <new>

#include "core/thread_stack.h"
#include "vm/eval.h"

namespace gp {

namespace detail {
std::atomic<int> g_recursion_limit{1000};
}

namespace {
thread_local ThreadState* t_state = nullptr;
std::mutex g_threads_mu;
ThreadState* g_threads = nullptr;

// Lowest address of this thread's C++ stack we let Python recursion reach: keeps a
// margin for native frames (repr, compare, printing the RecursionError itself).
char* compute_stack_limit() {
  char* addr = nullptr;
  size_t size = 0;
  if (!thread_stack(&addr, &size)) return nullptr;
  size_t margin = size / 8;
  if (margin < 256 * 1024) margin = 256 * 1024;
  if (margin > size / 2) margin = size / 2;
  return addr + margin;
}
}  // namespace

std::mutex& threads_mutex() { return g_threads_mu; }
ThreadState* threads_head() { return g_threads; }

ThreadState* tstate() { return t_state; }

ThreadState* tstate_new() {
  void* mem = GC_MALLOC_UNCOLLECTABLE(sizeof(VMThreadState));
  if (!mem) raise_no_memory();
  auto* ts = new (mem) VMThreadState();
  ts->ident = uint64_t(pthread_self());
  ts->native_id = uint64_t(syscall(SYS_gettid));
  ts->c_stack_limit = compute_stack_limit();
  {
    std::lock_guard<std::mutex> lk(g_threads_mu);
    ts->next = g_threads;
    g_threads = ts;
  }
  t_state = ts;
  gc_alloc_attach(ts);
  ogc::set_stop_flag(&ts->eval_breaker, EB_GC_STOP);
  return ts;
}

void tstate_delete(ThreadState* ts) {
  {
    std::lock_guard<std::mutex> lk(g_threads_mu);
    for (ThreadState** p = &g_threads; *p; p = &(*p)->next) {
      if (*p == ts) {
        *p = ts->next;
        break;
      }
    }
  }
  auto* vts = vmts(ts);
  // Free the value-stack chunks (walk to the first, then forward).
  VChunk* c = vts->vs_chunk ? vts->vs_chunk : vts->vs_base;
  while (c && c->prev) c = c->prev;
  while (c) {
    VChunk* n = c->next;
    GC_FREE(c);
    c = n;
  }
  if (vts->type_cache) GC_FREE(vts->type_cache);
  vts->type_cache = nullptr;
  if (t_state == ts) {
    t_state = nullptr;
    ogc::set_stop_flag(nullptr, 0);  // ts is freed below
  }
  gc_alloc_detach(ts);
  ts->curexc = Value::null();
  ts->exc_info = Value::null();
  ts->async_exc = Value::null();
  ts->thread_obj = Value::null();
  GC_FREE(ts);
}

// In the child of fork(): the other threads vanished without running their exit path.
// Their records are unlinked and freed (nothing can reach them any more), and the mutex
// is rebuilt because one of them may have held it at the moment of the fork.
void threads_after_fork(ThreadState* survivor) {
  new (&g_threads_mu) std::mutex();
  ThreadState* p = g_threads;
  g_threads = survivor;
  survivor->next = nullptr;
  while (p) {
    ThreadState* n = p->next;
    if (p != survivor) {
      p->next = nullptr;
      tstate_delete(p);
    }
    p = n;
  }
}

int recursion_limit() { return detail::g_recursion_limit.load(std::memory_order_relaxed); }
void set_recursion_limit(int n) { detail::g_recursion_limit.store(n, std::memory_order_relaxed); }

}  // namespace gp
