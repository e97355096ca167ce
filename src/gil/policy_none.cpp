// policy_none.cpp — free threading: no global lock at all.
//
// Invariants: acquire/release only record that the thread is attached; nothing
// serialises Python code, so every shared structure in the runtime must protect
// itself (per-object locks or atomic slots). The eval breaker still works: the
// collector and signals use it.
#include "gil/gil.h"
#include "gil/stats.h"

namespace gp {

namespace {

class NoGil final : public GilPolicy {
 public:
  const char* name() const override { return "none"; }
  bool exclusive() const override { return false; }
  void acquire(ThreadState* ts) override { gilrec_attach(ts); }
  void release(ThreadState* ts, ReleaseKind kind) override { gilrec_released(ts, kind); }
  void eval_breaker(ThreadState* ts, uint32_t) override {
    ts->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST | EB_TICK), std::memory_order_relaxed);
  }
  void yield(ThreadState*) override {}
};

}  // namespace

GilPolicy* make_gil_none() { return new NoGil(); }

}  // namespace gp
