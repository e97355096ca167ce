// policy_switch.cpp — CPython 3.2+'s lock: time-based drop requests with forced switching.
//
// Invariants:
//  * `locked_`, `holder_` and `switch_number_` change only under m_.
//  * A waiter sleeps on cond_ for the switch interval; if it times out and no switch
//    happened meanwhile, it sets EB_GIL_DROP_REQUEST in the holder's eval breaker.
//  * A thread that drops the lock because it was asked to waits on switch_cond_ until
//    another thread has taken it (FORCE_SWITCHING), so it cannot win it straight back.
//  * Its known flaw is kept on purpose: a thread returning from a short blocking call
//    waits a whole interval behind a CPU-bound holder (the convoy effect).
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "gil/gil.h"
#include "gil/stats.h"

namespace gp {

namespace {

class SwitchGil final : public GilPolicy {
  std::mutex m_;
  std::condition_variable cond_;
  std::mutex switch_m_;
  std::condition_variable switch_cond_;
  bool locked_ = false;
  ThreadState* holder_ = nullptr;
  std::atomic<ThreadState*> last_holder_{nullptr};
  uint64_t switch_number_ = 0;

 public:
  const char* name() const override { return "switch"; }

  void acquire(ThreadState* ts) override {
    gilrec_wait_begin(ts);
    std::unique_lock<std::mutex> lk(m_);
    while (locked_) {
      uint64_t n = switch_number_;
      auto interval = std::chrono::duration<double>(gil_switch_interval());
      bool timed_out = cond_.wait_for(lk, interval) == std::cv_status::timeout;
      if (timed_out && locked_ && switch_number_ == n && holder_) {
        holder_->eval_breaker.fetch_or(EB_GIL_DROP_REQUEST, std::memory_order_relaxed);
        gilrec_drop_request(holder_);
      }
    }
    locked_ = true;
    holder_ = ts;
    if (last_holder_.load(std::memory_order_relaxed) != ts) {
      last_holder_.store(ts, std::memory_order_relaxed);
      switch_number_++;
    }
    ts->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST), std::memory_order_relaxed);
    lk.unlock();
    gilrec_acquired(ts);
    std::lock_guard<std::mutex> sl(switch_m_);
    switch_cond_.notify_all();
  }

  void release(ThreadState* ts, ReleaseKind kind) override {
    gilrec_released(ts, kind);
    {
      std::lock_guard<std::mutex> lk(m_);
      locked_ = false;
      holder_ = nullptr;
      cond_.notify_one();
    }
    if (kind == ReleaseKind::Forced) {
      // Wait (once, bounded) until somebody else took the lock.
      std::unique_lock<std::mutex> sl(switch_m_);
      if (last_holder_.load(std::memory_order_relaxed) == ts)
        switch_cond_.wait_for(sl, std::chrono::duration<double>(gil_switch_interval()));
    }
  }

  void eval_breaker(ThreadState* ts, uint32_t bits) override {
    if (!(bits & EB_GIL_DROP_REQUEST)) return;
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

GilPolicy* make_gil_switch() { return new SwitchGil(); }

}  // namespace gp
