// gil.cpp — the lock's front door: picks the policy and forwards to it.
//
// Invariants: `policy` is set once by gil_init before any thread attaches and is
// read-only afterwards, so forwarding needs no synchronisation. ThreadState::holds_gil
// is written only by the thread it describes.
#include "gil/gil.h"

#include <atomic>
#include <cstdlib>
#include <string>

#include "core/objlock.h"
#include "gc/gcapi.h"
#include "gil/stats.h"
#include "modules/sysmodule.h"
#include "vm/thread_api.h"

#include <unistd.h>

namespace gp {

namespace {
GilPolicy* policy = nullptr;
std::atomic<int> check_interval{100};

GilPolicy* get_policy() {
  if (!policy) gil_init("");
  return policy;
}
}  // namespace

const char* gil_default_policy() { return "fair"; }

bool gil_init(const std::string& name_in) {
  std::string name = name_in.empty() ? gil_default_policy() : name_in;
  GilPolicy* p = nullptr;
  if (name == "ticks") p = make_gil_ticks();
  else if (name == "switch") p = make_gil_switch();
  else if (name == "fair") p = make_gil_fair();
  else if (name == "none") p = make_gil_none();
  if (!p) return false;
  gilrec_init();
  // Containers take their per-object locks only without an exclusive lock (objlock.h);
  // written here, before any thread attaches, and never again with another value.
  g_free_threaded = !p->exclusive();
  policy = p;
  return true;
}

const char* gil_policy_name() { return get_policy()->name(); }
bool gil_is_exclusive() { return get_policy()->exclusive(); }

double gil_switch_interval() { return switch_interval.load(std::memory_order_relaxed); }
int gil_check_interval() { return check_interval.load(std::memory_order_relaxed); }
void gil_set_check_interval(int n) { check_interval.store(n < 1 ? 1 : n, std::memory_order_relaxed); }

namespace {
// Set when the main thread starts shutting the process down: a daemon thread that
// wants the lock after that never gets it back (it would find the runtime half torn
// down), and parks until the process exits — as CPython's finalization does.
std::atomic<ThreadState*> finalizing_ts{nullptr};
}  // namespace

void gil_set_finalizing(ThreadState* main_ts) { finalizing_ts.store(main_ts); }

void gil_after_fork(ThreadState* survivor) {
  std::string name = get_policy()->name();
  policy = nullptr;          // the old one may be locked by a vanished thread: leak it
  gil_init(name);
  survivor->gil_data = nullptr;  // the old policy's per-thread record
  survivor->ticks = 0;
  survivor->eval_breaker.fetch_and(~uint32_t(EB_GIL_DROP_REQUEST | EB_TICK),
                                   std::memory_order_relaxed);
  policy->thread_start(survivor);
  policy->acquire(survivor);
  survivor->holds_gil = true;
}

void gil_acquire(ThreadState* ts) {
  get_policy()->acquire(ts);
  ThreadState* fin = finalizing_ts.load(std::memory_order_relaxed);
  if (fin && fin != ts) {
    get_policy()->release(ts, ReleaseKind::Exit);
    for (;;) pause();
  }
  ts->holds_gil = true;
}

void thread_started(ThreadState* ts) {
  gilrec_thread_start(ts);
  get_policy()->thread_start(ts);
}
void thread_finished(ThreadState*) {}
void gil_thread_exit(ThreadState* ts) {
  if (ts->holds_gil) gil_release_kind(ts, ReleaseKind::Exit);
  get_policy()->thread_exit(ts);
}

void gil_release_kind(ThreadState* ts, ReleaseKind kind) {
  ts->holds_gil = false;
  get_policy()->release(ts, kind);
}

void gil_release(ThreadState* ts) { gil_release_kind(ts, ReleaseKind::Blocking); }

void gil_eval_breaker(ThreadState* ts) {
  uint32_t bits = ts->eval_breaker.load(std::memory_order_relaxed);
  if (bits & (EB_GIL_DROP_REQUEST | EB_TICK)) get_policy()->eval_breaker(ts, bits);
}

void gil_yield(ThreadState* ts) { get_policy()->yield(ts); }

// A collector blocking region (gc/gcapi.h): `anchor` lies in the frame that stays live
// for the region. The inline allocation lists are unhooked meanwhile, so that an
// allocation in the region goes through the collector, which ends the region first.
static bool gc_region_enter(ThreadState* ts, void* anchor) {
  if (!ogc::enter_blocking(anchor)) return false;
  gc_alloc_detach(ts);
  return true;
}
static void gc_region_leave(ThreadState* ts) {
  ogc::leave_blocking();
  gc_alloc_attach(ts);
}

GcWaitRegion::GcWaitRegion(ThreadState* ts) : ts_(ts), on_(gc_region_enter(ts, this)) {}
GcWaitRegion::~GcWaitRegion() {
  if (on_) gc_region_leave(ts_);
}

// The scope is also a blocking region, from after the lock is given up until after it
// is taken back (so the wait for the lock counts too).
GilRelease::GilRelease() : ts_(tstate()) {
  if (ts_ && ts_->holds_gil) {
    gil_release_kind(ts_, ReleaseKind::Blocking);
    blocking_ = gc_region_enter(ts_, this);
  } else {
    ts_ = nullptr;
  }
}
GilRelease::~GilRelease() {
  if (!ts_) return;
  gil_acquire(ts_);
  if (blocking_) gc_region_leave(ts_);
}

GilAcquire::GilAcquire(ThreadState* ts) : ts_(ts) {
  if (ts_->holds_gil) ts_ = nullptr;
  else gil_acquire(ts_);
}
GilAcquire::~GilAcquire() {
  if (ts_) gil_release_kind(ts_, ReleaseKind::Blocking);
}

}  // namespace gp
