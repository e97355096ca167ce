// gil.h — the global interpreter lock as seen by the rest of the runtime.
//
// Invariants:
//  * A thread runs Python code (touches any Value reachable from another thread)
//    only while attached: holding the lock under an exclusive policy, or merely
//    registered under --gil=none.
//  * Blocking work (sleep, lock waits, I/O, join) is bracketed by one GilRelease
//    guard: the lock is given up before the wait and taken back after it. The guard's
//    scope must not touch Python objects or other collected memory: the collector
//    counts the thread as stopped meanwhile and does not interrupt it (an allocation
//    there is safe, but ends that for the rest of the scope).
//  * The lock's policy talks to a running thread only through its eval breaker
//    (core/threadstate.h): it sets EB_GIL_DROP_REQUEST / EB_TICK, and the eval loop
//    calls gil_eval_breaker() at its next check point.
//  * The policy is chosen once, before the first thread attaches (gil_init), and
//    never changes while the process runs.
#pragma once
#include "core/threadstate.h"

namespace gp {

// Why a thread gives the lock up; policies may treat the kinds differently (the fair
// policy favours threads that release voluntarily).
enum class ReleaseKind { Blocking, Forced, Yield, Exit };

// One lock policy: one file each under src/gil/.
class GilPolicy {
 public:
  virtual ~GilPolicy() = default;
  virtual const char* name() const = 0;
  virtual bool exclusive() const { return true; }   // false: free threading (none)
  virtual void acquire(ThreadState* ts) = 0;
  virtual void release(ThreadState* ts, ReleaseKind kind) = 0;
  // Called from the eval loop's slow path with the breaker's lock bits set.
  virtual void eval_breaker(ThreadState* ts, uint32_t bits) = 0;
  // time.sleep(0): let a waiting thread run, if any.
  virtual void yield(ThreadState* ts) = 0;
  // A thread attaches for the first time / leaves for good.
  virtual void thread_start(ThreadState* ts) {}
  virtual void thread_exit(ThreadState* ts) {}
};

GilPolicy* make_gil_ticks();
GilPolicy* make_gil_switch();
GilPolicy* make_gil_fair();
GilPolicy* make_gil_none();

// Select the policy by name ("ticks", "switch", "fair", "none"; "" = default).
// Returns false for an unknown name. Must run before the first gil_acquire.
bool gil_init(const std::string& policy);
const char* gil_policy_name();
const char* gil_default_policy();
bool gil_is_exclusive();

void gil_acquire(ThreadState* ts);      // block until this thread holds the lock
void gil_release(ThreadState* ts);      // give it up (voluntary)
void gil_release_kind(ThreadState* ts, ReleaseKind kind);
// Called by the eval loop when a lock bit is set in ts->eval_breaker: drop the lock
// if another thread asked for it, then take it back.
void gil_eval_breaker(ThreadState* ts);
void gil_yield(ThreadState* ts);        // time.sleep(0): let a waiting thread run
// From now on only `main_ts` may take the lock; other threads park (daemon threads at exit).
void gil_set_finalizing(ThreadState* main_ts);
// In the child of fork(): only `survivor` (the forking thread, which held the lock)
// exists. The policy's mutexes may have been held by threads that are gone, so a fresh
// policy of the same kind replaces the old one (leaked on purpose) and `survivor`
// becomes its holder.
void gil_after_fork(ThreadState* survivor);

// Settings shared by the policies (sys.setswitchinterval / sys.setcheckinterval).
double gil_switch_interval();           // seconds
int gil_check_interval();               // ticks
void gil_set_check_interval(int n);

// RAII: a blocking region for the collector (gc/gcapi.h) around a wait that touches no
// collected memory: a collection counts the thread as stopped and does not interrupt
// it. The policies use it around a forced switch (release, then wait to take the lock
// back); GilRelease is one too. An allocation inside ends the region early (safe).
class GcWaitRegion {
  ThreadState* ts_;
  bool on_;
 public:
  explicit GcWaitRegion(ThreadState* ts);
  ~GcWaitRegion();
  GcWaitRegion(const GcWaitRegion&) = delete;
  GcWaitRegion& operator=(const GcWaitRegion&) = delete;
};

class GilRelease {                      // RAII: release around a blocking call
  ThreadState* ts_;
  bool blocking_ = false;               // a collector blocking region too (gil.cpp)
 public:
  GilRelease();
  ~GilRelease();
  GilRelease(const GilRelease&) = delete;
  GilRelease& operator=(const GilRelease&) = delete;
};

// RAII: the inverse, for a thread that released (e.g. a callback from blocking code).
class GilAcquire {
  ThreadState* ts_;
 public:
  explicit GilAcquire(ThreadState* ts);
  ~GilAcquire();
};

}  // namespace gp
