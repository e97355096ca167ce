// signals.h — SIGINT (KeyboardInterrupt) delivery and the wake-up pipe.
// Invariants: the C signal handler only sets an atomic flag, ORs EB_SIGNALS_PENDING
// into the main thread's eval breaker and writes one byte to a pipe (all
// async-signal-safe); Python-level work (raising KeyboardInterrupt) happens in
// run_pending_signals, on the main thread, with the lock held.
#pragma once
#include "core/threadstate.h"

namespace gp {

// Install the SIGINT handler (and ignore SIGPIPE, as CPython does); `main_ts` is the
// thread that receives KeyboardInterrupt.
void install_signal_handlers(ThreadState* main_ts);
// Called by the eval loop when EB_SIGNALS_PENDING is set, and by blocking calls that
// were interrupted (EINTR). Raises KeyboardInterrupt on the main thread if SIGINT
// arrived; does nothing on other threads.
void run_pending_signals();
bool is_main_thread();
bool sigint_pending();
// Read end of the wake-up pipe (-1 if none): becomes readable when SIGINT arrives, so
// a sleeping main thread can wake up.
int signal_wakeup_fd();
void drain_wakeup_fd();

}  // namespace gp
