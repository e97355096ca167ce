// objlock.h — per-object critical sections for free threading (--gil=none).
//
// Invariants:
//  * g_free_threaded is written once, by gil_init, before any thread attaches, and is
//    read-only afterwards: under an exclusive lock policy (ticks/switch/fair) every
//    ObjLock is a not-taken branch, so the GIL builds pay one predictable load.
//  * The lock words live in a striped table keyed by the object's address (no field
//    in the object, so no layout changes): a lock protects every object that hashes to
//    its stripe. Hence the two rules that keep it deadlock-free:
//      - never hold two ObjLocks at once (copy the source out first, then lock the
//        destination), and
//      - never run Python code, block, or take any other lock while holding one
//        (ObjLock::Suspend lets go around such a call and retakes the lock after it,
//        even when it throws; the caller must re-validate what it read).
//    Allocation while holding one is allowed: the holder may park for a collection in
//    the allocator, and a thread waiting for the lock (spinning or in a futex wait,
//    not at a check point) is then stopped by the collector's fallback signal.
//  * Readers of one word (a list slot, a dict value) may skip the lock: buffers are
//    never freed while referenced (the collector) and are swapped with release stores,
//    so see list.cpp / dict.cpp for the acquire-side protocol.
#pragma once
#include <atomic>
#include <cstdint>

#include "core/futex_mutex.h"
#include "core/value.h"

namespace gp {

// Set once at start-up (gil_init): true when the lock policy is not exclusive.
extern bool g_free_threaded;
inline bool free_threaded() { return g_free_threaded; }

// The lock word of a stripe (core/futex_mutex.h has the mutex).
using ObjMutex = FutexMutex<100>;

// The stripe for an object (inline: it is on every container operation's path under
// --gil=none). A 4 KiB block's objects share a group of 4 stripes (chosen by hashing
// the block's address; the granule picks one of the 4), and a group is one cache line.
// Why by block: a block belongs to one thread's allocator (a 64 KiB run of the own
// collector, a libgc free-list block), so threads working on their own objects mostly
// lock stripes no other thread touches and the lines stay put; spreading every object
// over all stripes made two threads bounce each other's lines (threads_alloc, 2
// threads: 15-19% more CPU than the same work done sequentially, against 21-27%).
// Why 4096 groups: each thread of threads_alloc keeps about six containers hot, all in
// different blocks; with 256 groups (one line per stripe, 64 KiB), 16 threads' ~96 hot
// objects put about a third of each thread's lock operations on a line another thread
// was also writing. 4096 groups of one line (256 KiB, untouched pages stay unmapped)
// make that about 2%.
struct alignas(64) ObjStripeGroup {
  ObjMutex m[4];
};
constexpr uintptr_t kObjLockGroups = 4096;
extern ObjStripeGroup g_obj_stripes[kObjLockGroups];
inline ObjMutex& obj_mutex(const void* obj) {
  uintptr_t a = reinterpret_cast<uintptr_t>(obj);
  return g_obj_stripes[((a >> 12) * 0x9E3779B97F4A7C15ull) >> 52].m[(a >> 4) & 3];
}

// fork() under free threading (os.fork calls these around fork(); no-ops under an
// exclusive policy). prepare takes every stripe, so no other thread is inside a
// critical section while the address space is copied (CPython's free-threaded build
// stops the world for the same reason); parent lets them go; child starts with every
// stripe free (the threads that held or waited on one do not exist there). The forking
// thread holds no ObjLock when it calls os.fork (the no-Python-code rule above).
void objlock_fork_prepare();
void objlock_fork_parent();
void objlock_fork_child();

// RAII critical section on one object (nothing under an exclusive lock policy).
class ObjLock {
  ObjMutex* m_;

 public:
  explicit ObjLock(const void* obj) : m_(g_free_threaded ? &obj_mutex(obj) : nullptr) {
    if (m_) m_->lock();
  }
  ~ObjLock() {
    if (m_) m_->unlock();
  }
  bool held() const { return m_ != nullptr; }
  ObjLock(const ObjLock&) = delete;
  ObjLock& operator=(const ObjLock&) = delete;

  // Let go for the scope of a call into Python code; retaken on scope exit (also on
  // an exception, so the enclosing ObjLock's destructor unlocks exactly once).
  class Suspend {
    ObjMutex* m_;

   public:
    explicit Suspend(ObjLock& l) : m_(l.m_) {
      if (m_) m_->unlock();
    }
    ~Suspend() {
      if (m_) m_->lock();
    }
    Suspend(const Suspend&) = delete;
    Suspend& operator=(const Suspend&) = delete;
  };
};

// One-word loads and stores on fields that a lock-free reader may read while a writer
// (holding the ObjLock) changes them. Relaxed/acquire/release compile to plain moves on
// x86-64 and AArch64 loads; they exist so the compiler keeps the order and TSan sees it.
template <class T> inline T ld_acq(const T* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
template <class T> inline T ld_rlx(const T* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
template <class T> inline void st_rel(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
template <class T> inline void st_rlx(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
inline Value ld_val(const Value* p) {
  return Value::from_bits(__atomic_load_n(reinterpret_cast<const uint64_t*>(p), __ATOMIC_RELAXED));
}
inline void st_val(Value* p, Value v) {
  __atomic_store_n(reinterpret_cast<uint64_t*>(p), v.bits(), __ATOMIC_RELAXED);
}

}  // namespace gp
