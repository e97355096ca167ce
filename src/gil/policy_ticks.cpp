// policy_ticks.cpp — CPython 2.x's lock: release and re-acquire every N ticks.
//
// Invariants:
//  * The lock is a flag under a plain mutex + condition variable, with no hand-off:
//    a thread that releases may take it straight back before a woken waiter runs.
//    That is the point — it reproduces the multicore "GIL battle" Beazley measured.
//  * A tick is one eval-breaker check point (a backward jump or a call). To count
//    ticks without a counter on the fast path, EB_TICK stays set in the holder's
//    eval breaker, so every check point takes the slow path here.
#include <condition_variable>
#include <mutex>

#include "gil/gil.h"
#include "gil/stats.h"

namespace gp {

namespace {

class TicksGil final : public GilPolicy {
  std::mutex m_;
  std::condition_variable cv_;
  bool locked_ = false;

 public:
  const char* name() const override { return "ticks"; }

  void acquire(ThreadState* ts) override {
    gilrec_wait_begin(ts);
    {
      std::unique_lock<std::mutex> lk(m_);
      while (locked_) cv_.wait(lk);
      locked_ = true;
    }
    gilrec_acquired(ts);
    ts->ticks = gil_check_interval();
    ts->eval_breaker.fetch_or(EB_TICK, std::memory_order_relaxed);
  }

  void release(ThreadState* ts, ReleaseKind kind) override {
    gilrec_released(ts, kind);
    ts->eval_breaker.fetch_and(~uint32_t(EB_TICK), std::memory_order_relaxed);
    std::lock_guard<std::mutex> lk(m_);
    locked_ = false;
    cv_.notify_one();
  }

  void eval_breaker(ThreadState* ts, uint32_t bits) override {
    if (--ts->ticks > 0) return;
    GcWaitRegion wait(ts);
    release(ts, ReleaseKind::Forced);
    acquire(ts);
  }

  void yield(ThreadState* ts) override {
    GcWaitRegion wait(ts);
    release(ts, ReleaseKind::Yield);
    acquire(ts);
  }
};

}  // namespace

GilPolicy* make_gil_ticks() { return new TicksGil(); }

}  // namespace gp
