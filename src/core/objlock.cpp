// objlock.cpp — the striped table of object locks and the futex slow path.
//
// Invariants: the table is static storage, zero-initialised (all unlocked) before main
// (and again in the child of fork(), see objlock_fork_child);
// a stripe is one cache line, so two hot objects on different stripes never share a
// line. 1024 stripes: two unrelated objects collide with probability 1/1024, which
// costs only contention, never correctness (see objlock.h's no-nesting rule).
#include "core/objlock.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace gp {

bool g_free_threaded = false;

namespace {

long futex(std::atomic<uint32_t>* addr, int op, uint32_t val) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(addr), op, val, nullptr, nullptr, 0);
}
long futex_wait(std::atomic<uint32_t>* addr, uint32_t val, const timespec* timeout) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(addr), FUTEX_WAIT_PRIVATE, val, timeout,
                 nullptr, 0);
}
}  // namespace

ObjMutex g_obj_stripes[kObjLockStripes];

void ObjMutex::lock_slow() {
  // Critical sections are a few dozen instructions: spin briefly before sleeping.
  for (int i = 0; i < 100; i++) {
    uint32_t z = 0;
    if (w.load(std::memory_order_relaxed) == 0 &&
        w.compare_exchange_weak(z, 1, std::memory_order_acquire, std::memory_order_relaxed))
      return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  // Sleep with a timeout: an unlock that saw w == 1 just before we set 2 stores 0
  // without waking anyone (ObjMutex::unlock), so a waiter re-checks at least every
  // 200 us. The window is a few instructions wide; the timeout bounds its cost.
  static const timespec kRecheck = {0, 200 * 1000};
  while (w.exchange(2, std::memory_order_acquire) != 0) futex_wait(&w, 2, &kRecheck);
}

void ObjMutex::wake() { futex(&w, FUTEX_WAKE_PRIVATE, 1); }

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
