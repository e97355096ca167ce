// futex_mutex.h — a small futex mutex, shared by the object locks (core/objlock.h) and
// the collector's heap lock (gc/heap.h).
//
// Invariants:
//  * w is 0 free, 1 held, 2 held with sleepers (Drepper, "Futexes are tricky", mutex
//    #3). Uncontended lock = one CAS; unlock = one plain release store when w reads 1.
//  * That unlock can miss a waiter that sets 2 between its load and its store, so
//    sleepers wait with a 200 us timeout and retry: the rare race costs at most that,
//    never a hang (measured: the unlock exchange it replaces was ~27% of nbody's time
//    under --gil=none; docs/performance.md).
//  * A contended lock spins kSpins pauses before it sleeps: critical sections are short,
//    and a sleep and wake-up costs tens of microseconds on a virtual machine.
#pragma once
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace gp {

template <int kSpins>
struct FutexMutex {
  std::atomic<uint32_t> w{0};

  void lock() {
    uint32_t z = 0;
    if (__builtin_expect(w.compare_exchange_strong(z, 1, std::memory_order_acquire,
                                                   std::memory_order_relaxed), 1))
      return;
    lock_slow();
  }
  bool try_lock() {
    uint32_t z = 0;
    return w.compare_exchange_strong(z, 1, std::memory_order_acquire, std::memory_order_relaxed);
  }
  void unlock() {
    if (__builtin_expect(w.load(std::memory_order_relaxed) == 1, 1)) {
      w.store(0, std::memory_order_release);
      return;
    }
    w.store(0, std::memory_order_release);
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&w), FUTEX_WAKE_PRIVATE, 1, nullptr,
            nullptr, 0);
  }

  __attribute__((noinline)) void lock_slow() {
    for (int i = 0; i < kSpins; i++) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if (w.load(std::memory_order_relaxed) == 0 && try_lock()) return;
    }
    static const timespec kRecheck = {0, 200 * 1000};
    while (w.exchange(2, std::memory_order_acquire) != 0)
      syscall(SYS_futex, reinterpret_cast<uint32_t*>(&w), FUTEX_WAIT_PRIVATE, 2, &kRecheck,
              nullptr, 0);
  }
};

}  // namespace gp
