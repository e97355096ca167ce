// objlock.cpp — the striped table of object locks and their fork handlers (the mutex
// itself is core/futex_mutex.h).
//
// Invariants: the table is static storage, zero-initialised (all unlocked) before main
// (and again in the child of fork(), see objlock_fork_child);
// a group of 4 stripes is one cache line, so hot objects of blocks in different groups
// never share a line. 4096 groups: two unrelated blocks collide with probability
// 1/4096, which costs only contention, never correctness (objlock.h's no-nesting rule).
#include "core/objlock.h"

namespace gp {

bool g_free_threaded = false;

ObjStripeGroup g_obj_stripes[kObjLockGroups];

// In stripe order: a holder never waits for another stripe (no nesting), so each one
// we wait for is let go after a few instructions (or after a collection it started,
// which stops this thread too: its fallback signal reaches a waiting thread).
void objlock_fork_prepare() {
  if (!g_free_threaded) return;
  for (ObjStripeGroup& g : g_obj_stripes)
    for (ObjMutex& m : g.m) m.lock();
}

void objlock_fork_parent() {
  if (!g_free_threaded) return;
  for (ObjStripeGroup& g : g_obj_stripes)
    for (ObjMutex& m : g.m) m.unlock();
}

void objlock_fork_child() {
  if (!g_free_threaded) return;
  for (ObjStripeGroup& g : g_obj_stripes)
    for (ObjMutex& m : g.m) m.w.store(0, std::memory_order_relaxed);
}

}  // namespace gp
