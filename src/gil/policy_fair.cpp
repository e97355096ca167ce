// policy_fair.cpp — gilpy's fair lock: no convoy effect, no starvation, FIFO hand-off.
//
// The idea (docs/gil.md has the measurements): a thread that gave the lock up
// voluntarily after a short run (it blocked on I/O, a sleep or a lock) is
// interactive; one that was forced off, or ran longer than the switch interval before
// blocking, is CPU-bound. An interactive thread that wants the lock back while a
// CPU-bound thread holds it asks the holder to drop at once (the holder sees the
// request at its next backward jump or call, microseconds later) instead of waiting a
// whole interval as CPython 3's lock makes it do. CPU-bound threads share the lock in
// FIFO order on the switch interval, as with the switch policy.
//
// Invariants:
//  * holder_, the two queues and every Rec's fields change only under m_.
//  * The lock is handed off: release() picks the next thread and makes it the holder
//    before waking it, so the releasing thread can never win the lock straight back
//    (no "GIL battle") and waiters are served in order.
//  * Order of service: interactive waiters first, then CPU-bound ones, except that a
//    CPU-bound waiter queued longer than the switch interval goes first — so no thread
//    waits much more than one interval per thread ahead of it.
//  * A drop request with nobody waiting is ignored: a lone thread never switches.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "gil/gil.h"
#include "gil/stats.h"

namespace gp {

namespace {

using Clock = std::chrono::steady_clock;

struct Rec {
  ThreadState* ts;
  std::condition_variable cv;
  std::atomic<bool> granted{false};  // written under m_; read without it while spinning
  bool cpu_bound = false;
  Clock::time_point acquired_at{};
  Clock::time_point queued_at{};
  explicit Rec(ThreadState* t) : ts(t) {}
};

const int g_ncpu = std::max(1, int(sysconf(_SC_NPROCESSORS_ONLN)));
constexpr int kSpinUs = 50;

class FairGil final : public GilPolicy {
  std::mutex m_;
  ThreadState* holder_ = nullptr;
  std::deque<Rec*> io_q_, cpu_q_;

  static Rec* rec(ThreadState* ts) {
    if (!ts->gil_data) ts->gil_data = new Rec(ts);
    return static_cast<Rec*>(ts->gil_data);
  }
  static std::chrono::duration<double> interval() {
    return std::chrono::duration<double>(gil_switch_interval());
  }
  static void request_drop(ThreadState* t) {
    t->eval_breaker.fetch_or(EB_GIL_DROP_REQUEST, std::memory_order_relaxed);
    gilrec_drop_request(t);
  }
  bool anyone_waiting() const { return !io_q_.empty() || !cpu_q_.empty(); }

  // Pick the next holder (m_ held). Leaves the lock free when nobody waits.
  void hand_off() {
    Rec* next = nullptr;
    if (!cpu_q_.empty() && (io_q_.empty() || Clock::now() - cpu_q_.front()->queued_at > interval())) {
      next = cpu_q_.front();
      cpu_q_.pop_front();
    } else if (!io_q_.empty()) {
      next = io_q_.front();
      io_q_.pop_front();
    }
    holder_ = next ? next->ts : nullptr;
    if (next) {
      // Clear a stale drop request now, under m_: once holder_ is published, a waiter may
      // set a fresh request for the new holder, and that one must survive its wake-up.
      next->ts->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST), std::memory_order_relaxed);
      next->granted = true;
      next->cv.notify_one();
    }
  }

 public:
  const char* name() const override { return "fair"; }

  void acquire(ThreadState* ts) override {
    gilrec_wait_begin(ts);
    Rec* r = rec(ts);
    std::unique_lock<std::mutex> lk(m_);
    if (!holder_ && !anyone_waiting()) {
      holder_ = ts;
      ts->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST), std::memory_order_relaxed);
    } else {
      r->granted = false;
      r->queued_at = Clock::now();
      (r->cpu_bound ? cpu_q_ : io_q_).push_back(r);
      if (!r->cpu_bound && holder_) {
        Rec* h = rec(holder_);
        if (h->cpu_bound) request_drop(holder_);   // preempt a CPU-bound holder now
      }
      // An interactive waiter spins briefly before it sleeps: with hand-off, the lock
      // stays granted-but-idle until the new holder runs, and a wake-up costs tens of
      // microseconds on a virtual machine. Two threads passing the lock back and forth
      // around short system calls (convoy.py's pipe, alone) then moved 50 MB/s instead
      // of 700-800 whenever the kernel kept them on different CPUs.
      if (!r->cpu_bound && g_ncpu > 1) {
        lk.unlock();
        const auto until = Clock::now() + std::chrono::microseconds(kSpinUs);
        for (unsigned i = 1; !r->granted.load(std::memory_order_acquire); i++) {
#if defined(__x86_64__) || defined(__i386__)
          __builtin_ia32_pause();
#endif
          if (i % 64 == 0 && Clock::now() > until) break;
        }
        lk.lock();
      }
      while (!r->granted) {
        if (r->cv.wait_for(lk, interval()) == std::cv_status::timeout && !r->granted && holder_)
          request_drop(holder_);
      }
    }
    r->acquired_at = Clock::now();
    lk.unlock();
    gilrec_acquired(ts);
  }

  void release(ThreadState* ts, ReleaseKind kind) override {
    gilrec_released(ts, kind);
    Rec* r = rec(ts);
    std::lock_guard<std::mutex> lk(m_);
    if (kind == ReleaseKind::Blocking)
      r->cpu_bound = Clock::now() - r->acquired_at >= interval();
    else if (kind == ReleaseKind::Forced || kind == ReleaseKind::Yield)
      r->cpu_bound = true;
    if (holder_ == ts) hand_off();
  }

  void eval_breaker(ThreadState* ts, uint32_t bits) override {
    if (!(bits & EB_GIL_DROP_REQUEST)) return;
    {
      std::lock_guard<std::mutex> lk(m_);
      ts->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST), std::memory_order_relaxed);
      if (!anyone_waiting()) return;
    }
    GcWaitRegion wait(ts);
    release(ts, ReleaseKind::Forced);
    acquire(ts);
  }

  void yield(ThreadState* ts) override {
    {
      std::lock_guard<std::mutex> lk(m_);
      if (!anyone_waiting()) return;
    }
    GcWaitRegion wait(ts);
    release(ts, ReleaseKind::Yield);
    acquire(ts);
  }

  void thread_exit(ThreadState* ts) override {
    delete static_cast<Rec*>(ts->gil_data);
    ts->gil_data = nullptr;
  }
};

}  // namespace

GilPolicy* make_gil_fair() { return new FairGil(); }

}  // namespace gp
