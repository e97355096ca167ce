// gil.cpp — the lock's front door. Today one policy: a plain mutex with a
// condition variable and FIFO tickets (the policies of the threads issue replace it).
//
// Invariants: `holder` is the ThreadState holding the lock or nullptr; it changes only
// under `mu`. A thread requesting the lock while another holds it sets the holder's
// EB_GIL_DROP_REQUEST so that CPU-bound code yields within one check interval.
#include "gil/gil.h"

#include <condition_variable>
#include <mutex>

namespace gp {

namespace {
std::mutex mu;
std::condition_variable cv;
ThreadState* holder = nullptr;
uint64_t next_ticket = 0, serving = 0;
}  // namespace

void gil_acquire(ThreadState* ts) {
  std::unique_lock<std::mutex> lk(mu);
  uint64_t my = next_ticket++;
  while (holder != nullptr || serving != my) {
    if (holder) holder->eval_breaker.fetch_or(EB_GIL_DROP_REQUEST, std::memory_order_relaxed);
    cv.wait(lk);
  }
  serving++;
  holder = ts;
  ts->holds_gil = true;
  ts->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST), std::memory_order_relaxed);
  cv.notify_all();
}

void gil_release(ThreadState* ts) {
  std::lock_guard<std::mutex> lk(mu);
  holder = nullptr;
  ts->holds_gil = false;
  cv.notify_all();
}

void gil_eval_breaker(ThreadState* ts) {
  uint32_t bits = ts->eval_breaker.load(std::memory_order_relaxed);
  if (!(bits & EB_GIL_DROP_REQUEST)) return;
  gil_release(ts);
  gil_acquire(ts);
}

void gil_yield(ThreadState* ts) {
  {
    std::lock_guard<std::mutex> lk(mu);
    if (next_ticket == serving) return;  // nobody waits
  }
  gil_release(ts);
  gil_acquire(ts);
}

GilRelease::GilRelease() : ts_(tstate()) {
  if (ts_ && ts_->holds_gil) gil_release(ts_); else ts_ = nullptr;
}
GilRelease::~GilRelease() {
  if (ts_) gil_acquire(ts_);
}

}  // namespace gp
