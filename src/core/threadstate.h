// threadstate.h — per-thread interpreter state and the eval breaker.
//
// Invariants:
//  * Each OS thread that runs Python code has exactly one ThreadState, reachable
//    through tstate(). It is allocated with GC_MALLOC_UNCOLLECTABLE so the values
//    it holds (curexc, exc_info) are GC roots and it is never freed under us.
//  * eval_breaker is the only word the eval loop reads on its fast path (at
//    backward jumps and calls). Any other thread may set bits in it (atomic OR);
//    only the owner clears them. Everything unusual — the lock's drop request,
//    signals, the collector's stop-the-world request, async exceptions — arrives
//    as a bit here.
//  * Fields other than eval_breaker are touched only by the owning thread, except
//    under Runtime::threads_mutex (the thread list).
#pragma once
#include <atomic>
#include <cstdint>

#include "core/object.h"

namespace gp {

struct Frame;  // vm/frame.h

enum EvalBreakerBits : uint32_t {
  EB_GIL_DROP_REQUEST = 1u << 0,  // another thread wants the lock
  EB_SIGNALS_PENDING = 1u << 1,   // a signal handler must run (main thread only)
  EB_ASYNC_EXC = 1u << 2,         // an exception was posted to this thread
  EB_GC_STOP = 1u << 3,           // the collector asks every thread to stop
  EB_PENDING_CALLS = 1u << 4,
  EB_TICK = 1u << 5,              // tick-based lock policy: counter ran out
  EB_BUDGET = 1u << 6,            // a check-point budget is armed (vm/eval.h, fuzzing)
};

struct ThreadState {
  std::atomic<uint32_t> eval_breaker{0};
  Value curexc;            // exception in flight (see error.h)
  Value exc_info;          // exception being handled (sys.exc_info()[1]) or null
  Value async_exc;         // posted by another thread (EB_ASYNC_EXC)
  Frame* frame = nullptr;  // innermost running Python frame
  int recursion_depth = 0;
  uint64_t ident = 0;      // threading.get_ident()
  uint64_t native_id = 0;
  bool holds_gil = false;
  int64_t ticks = 0;       // for the tick-based lock policy
  void* gil_data = nullptr;  // the lock policy's per-thread record
  ThreadState* next = nullptr;  // Runtime thread list
  Value thread_obj;        // the threading.Thread (or null)
  // gc_alloc's free lists (core/object.h): heads by granule count, reachable from here
  // so the collector keeps every listed object; t_gc_freelists points at it.
  void* gc_freelists[kFastAllocGranules + 1] = {};
};

ThreadState* tstate();                  // this thread's state (nullptr if unattached)
// gc_alloc's free lists (core/gcalloc.cpp): made once at start-up; a thread's lists are
// attached with its state (tstate_new) and dropped with it (tstate_delete).
void gc_alloc_init();
void gc_alloc_attach(ThreadState* ts);
void gc_alloc_detach(ThreadState* ts);
ThreadState* tstate_new();              // create and register for this OS thread
void tstate_delete(ThreadState* ts);    // unregister (thread exit)

// Process-wide settings that change rarely (set under the GIL).
int recursion_limit();
void set_recursion_limit(int n);

}  // namespace gp
