// signals.h — signal delivery to Python: KeyboardInterrupt for SIGINT, Python-level
// handlers (the signal module) for any signal, and the wake-up pipe.
// Invariants: the C signal handler only sets atomic flags, ORs EB_SIGNALS_PENDING into
// the main thread's eval breaker and writes one byte to a pipe (all async-signal-safe);
// Python-level work (raising KeyboardInterrupt, calling a handler) happens in
// run_pending_signals, on the main thread, with the lock held. Handlers are changed
// only by the main thread (signal.signal refuses other threads).
#pragma once
#include "core/threadstate.h"

namespace gp {

// Install the SIGINT handler (and ignore SIGPIPE, as CPython does); `main_ts` is the
// thread that receives KeyboardInterrupt and runs Python signal handlers.
void install_signal_handlers(ThreadState* main_ts);
// Called by the eval loop when EB_SIGNALS_PENDING is set, and by blocking calls that
// were interrupted (EINTR). On the main thread: raises KeyboardInterrupt if SIGINT
// arrived (with the default handler), calls the Python handler of every signal that
// arrived (which may raise); does nothing on other threads.
void run_pending_signals();
bool is_main_thread();
// True when any signal with a Python-level action (SIGINT included) is waiting for
// run_pending_signals. (The name predates handlers for other signals.)
bool sigint_pending();
// Read end of the wake-up pipe (-1 if none): becomes readable when a signal arrives, so
// a sleeping main thread can wake up.
int signal_wakeup_fd();
void drain_wakeup_fd();

// ---- the signal module (modules/signal.cpp) uses these ------------------------------
// The Python-level handler of `sig` (null: never set from Python). Main thread only.
Value signal_get_handler(int sig);
// Record the Python-level handler and install the matching C disposition: a callable
// gets the flag-setting C handler, the ints 0/1 get SIG_DFL/SIG_IGN. Returns an errno
// (0 on success). Main thread only.
int signal_set_handler(int sig, Value handler);
// The collector's own signals (the own collector's fallback stop, libgc's suspend and
// restart; SIGPWR and SIGXCPU). A handler set for one of them is chained behind the
// collector's: what a thread of this process sends with tgkill (the collector) still
// reaches the collector, anything else gets the program's disposition.
bool is_gc_signal(int sig);
// The default_int_handler object (set once by the signal module).
void signal_set_default_int_handler(Value h);
// In the child of fork(): `survivor` becomes the main thread, and the wake-up pipe is
// made anew (the inherited one is shared with the parent).
void signals_after_fork(ThreadState* survivor);

}  // namespace gp
