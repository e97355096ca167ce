// objlock.cpp — the striped table of object locks and their fork handlers (the mutex
// itself is core/futex_mutex.h).
//
// Invariants: the table is static storage, zero-initialised (all unlocked) before main
// (and again in the child of fork(), see objlock_fork_child);
// a stripe is one cache line, so two hot objects on different stripes never share a
// line. 1024 stripes: two unrelated objects collide with probability 1/1024, which
// costs only contention, never correctness (see objlock.h's no-nesting rule).
#include "core/objlock.h"

namespace gp {

bool g_free_threaded = false;

ObjMutex g_obj_stripes[kObjLockStripes];

// In stripe order: a holder never waits for another stripe (no nesting), so each one
// we wait for is let go after a few instructions (or after a collection it started,
// which stops this thread too: its fallback signal reaches a waiting thread).
void objlock_fork_prepare() {
  if (!g_free_threaded) return;
  for (ObjMutex& m : g_obj_stripes) m.lock();
}

void objlock_fork_parent() {
  if (!g_free_threaded) return;
  for (ObjMutex& m : g_obj_stripes) m.unlock();
}

void objlock_fork_child() {
  if (!g_free_threaded) return;
  for (ObjMutex& m : g_obj_stripes) m.w.store(0, std::memory_order_relaxed);
}

}  // namespace gp
