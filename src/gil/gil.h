// gil.h — the global interpreter lock as seen by the rest of the runtime.
//
// Invariants:
//  * A thread runs Python code (touches any Value reachable from another thread)
//    only while attached: holding the lock under an exclusive policy, or merely
//    registered under --gil=none.
//  * Blocking work (sleep, lock waits, I/O, join) is bracketed by one GilRelease
//    guard: the lock is given up before the wait and taken back after it. The guard's
//    scope must not touch Python objects.
//  * The lock's policy talks to a running thread only through its eval breaker
//    (core/threadstate.h): it sets EB_GIL_DROP_REQUEST / EB_TICK, and the eval loop
//    calls gil_eval_breaker() at its next check point.
#pragma once
#include "core/threadstate.h"

namespace gp {

void gil_acquire(ThreadState* ts);      // block until this thread holds the lock
void gil_release(ThreadState* ts);      // give it up (voluntary)
// Called by the eval loop when a lock bit is set in ts->eval_breaker: drop the lock
// if another thread asked for it, then take it back.
void gil_eval_breaker(ThreadState* ts);
void gil_yield(ThreadState* ts);        // time.sleep(0): let a waiting thread run

class GilRelease {                      // RAII: release around a blocking call
  ThreadState* ts_;
 public:
  GilRelease();
  ~GilRelease();
  GilRelease(const GilRelease&) = delete;
  GilRelease& operator=(const GilRelease&) = delete;
};

}  // namespace gp
