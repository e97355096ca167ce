// thread_api.h — hooks the `_thread` module calls around a thread's life.
// Invariants: thread_started runs on the new thread after tstate_new and before it
// takes the lock; thread_finished runs with the lock held after the thread's Python
// code is done. gil_thread_exit releases the lock for good.
#pragma once
#include "core/threadstate.h"

namespace gp {
void thread_started(ThreadState* ts);
void thread_finished(ThreadState* ts);
void gil_thread_exit(ThreadState* ts);
}  // namespace gp
