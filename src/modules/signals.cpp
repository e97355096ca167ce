// signals.cpp — signal delivery (see signals.h for the invariants).
// g_handlers[] lives in static storage, which the collector scans, so the Python
// handlers it holds stay alive; it is written only by the main thread with the lock held.
#include "modules/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "core/error.h"
#include "core/runtime.h"
#include "objects/int.h"
#include "vm/frame.h"

namespace gp {

namespace {
std::atomic<bool> g_sigint{false};   // any signal tripped (kept name: see sigint_pending)
std::atomic<bool> g_tripped[NSIG];
std::atomic<ThreadState*> g_main_ts{nullptr};
int g_pipe[2] = {-1, -1};
Value g_handlers[NSIG];              // Python-level handlers (null: none set)
Value g_default_int_handler;

extern "C" void on_signal(int sig) {
  int saved = errno;
  if (sig > 0 && sig < NSIG) g_tripped[sig].store(true, std::memory_order_relaxed);
  g_sigint.store(true, std::memory_order_relaxed);
  ThreadState* ts = g_main_ts.load(std::memory_order_relaxed);
  if (ts) ts->eval_breaker.fetch_or(EB_SIGNALS_PENDING, std::memory_order_relaxed);
  if (g_pipe[1] >= 0) {
    char c = char(sig);
    ssize_t r = write(g_pipe[1], &c, 1);
    (void)r;
  }
  errno = saved;
}

// The collector's signals (signals.h, is_gc_signal). Once the program sets a handler for
// one, on_gc_signal replaces the collector's handler and calls it (saved in g_gc_saved)
// for what this process sent a thread with tgkill; otherwise it carries out what the
// program asked for (g_gc_disp). Replacing the collector's handler outright would leave
// a thread that must be stopped by the signal running, and the collection waiting for
// ever (the own collector's fallback, and every stop under libgc).
enum : int { kDispDefault = 0, kDispIgnore = 1, kDispPython = 2 };
struct sigaction g_gc_saved[NSIG];
std::atomic<int> g_gc_disp[NSIG];
bool g_gc_hooked[NSIG];  // main thread only

extern "C" void on_gc_signal(int sig, siginfo_t* si, void* ctx) {
  if (si && si->si_code == SI_TKILL && si->si_pid == getpid()) {
    const struct sigaction& o = g_gc_saved[sig];
    if (o.sa_flags & SA_SIGINFO) o.sa_sigaction(sig, si, ctx);
    else if (o.sa_handler != SIG_DFL && o.sa_handler != SIG_IGN) o.sa_handler(sig);
    return;
  }
  switch (g_gc_disp[sig].load(std::memory_order_relaxed)) {
    case kDispIgnore:
      return;
    case kDispPython:
      on_signal(sig);
      return;
    default: {
      // The default action (these terminate), as without any handler: the signal is
      // blocked while this runs, so the one raised here arrives as soon as it returns.
      int saved = errno;
      struct sigaction dfl = {};
      dfl.sa_handler = SIG_DFL;
      sigemptyset(&dfl.sa_mask);
      sigaction(sig, &dfl, nullptr);
      ::raise(sig);
      errno = saved;
    }
  }
}

void make_pipe() {
  if (pipe(g_pipe) == 0) {
    for (int fd : g_pipe) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  } else {
    g_pipe[0] = g_pipe[1] = -1;
  }
}
}  // namespace

void install_signal_handlers(ThreadState* main_ts) {
  g_main_ts.store(main_ts);
  if (g_pipe[0] < 0) make_pipe();
  // Like CPython: an inherited SIG_IGN (background jobs of a non-interactive shell,
  // nohup) is left alone.
  struct sigaction old = {};
  sigaction(SIGINT, nullptr, &old);
  if (old.sa_handler == SIG_IGN) {
    signal(SIGPIPE, SIG_IGN);
    return;
  }
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: blocking reads return EINTR so Ctrl-C is seen
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool is_main_thread() {
  ThreadState* m = g_main_ts.load(std::memory_order_relaxed);
  return m == nullptr || m == tstate();
}

bool sigint_pending() { return g_sigint.load(std::memory_order_relaxed); }

int signal_wakeup_fd() { return g_pipe[0]; }

void drain_wakeup_fd() {
  if (g_pipe[0] < 0) return;
  char buf[64];
  while (read(g_pipe[0], buf, sizeof buf) > 0) {
  }
}

Value signal_get_handler(int sig) { return sig > 0 && sig < NSIG ? g_handlers[sig] : Value::null(); }

void signal_set_default_int_handler(Value h) { g_default_int_handler = h; }

bool is_gc_signal(int sig) {
  return sig > 0 && sig < NSIG && (sig == GC_get_suspend_signal() || sig == GC_get_thr_restart_signal());
}

int signal_set_handler(int sig, Value handler) {
  if (is_gc_signal(sig)) {
    if (!g_gc_hooked[sig]) {
      if (sigaction(sig, nullptr, &g_gc_saved[sig]) != 0) return errno;
      struct sigaction sa = {};
      sa.sa_sigaction = on_gc_signal;
      sa.sa_mask = g_gc_saved[sig].sa_mask;
      // SA_RESTART as the collector's own handler has: its signal must not make a
      // thread's system call fail with EINTR.
      sa.sa_flags = SA_SIGINFO | SA_RESTART;
      if (sigaction(sig, &sa, nullptr) != 0) return errno;
      g_gc_hooked[sig] = true;
    }
    int disp = kDispPython;
    if (handler.is_small() && handler.small() == 0) disp = kDispDefault;
    else if (handler.is_small() && handler.small() == 1) disp = kDispIgnore;
    g_gc_disp[sig].store(disp, std::memory_order_relaxed);
    g_handlers[sig] = handler;
    return 0;
  }
  struct sigaction sa = {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART (PEP 475: the interrupted call retries itself)
  if (handler.is_small() && handler.small() == 0) sa.sa_handler = SIG_DFL;
  else if (handler.is_small() && handler.small() == 1) sa.sa_handler = SIG_IGN;
  else sa.sa_handler = on_signal;
  if (sigaction(sig, &sa, nullptr) != 0) return errno;
  g_handlers[sig] = handler;
  return 0;
}

void signals_after_fork(ThreadState* survivor) {
  g_main_ts.store(survivor);
  if (g_pipe[0] >= 0) {
    close(g_pipe[0]);
    close(g_pipe[1]);
    make_pipe();
  }
}

void run_pending_signals() {
  ThreadState* ts = tstate();
  ThreadState* m = g_main_ts.load(std::memory_order_relaxed);
  if (!ts || (m && ts != m)) return;
  ts->eval_breaker.fetch_and(~uint32_t(EB_SIGNALS_PENDING), std::memory_order_relaxed);
  if (!g_sigint.exchange(false)) return;
  drain_wakeup_fd();
  for (int sig = 1; sig < NSIG; sig++) {
    if (!g_tripped[sig].exchange(false)) continue;
    Value h = g_handlers[sig];
    bool dflt_int = sig == SIGINT && (h.is_null() || h == g_default_int_handler);
    try {
      if (dflt_int) throw_exc(exc_new(&exc_KeyboardInterrupt, {}));
      if (h.is_null() || h.is_small()) continue;  // SIG_DFL/SIG_IGN set meanwhile
      Value frame = ts->frame ? frame_object(ts->frame) : None();
      call(h, {Value::from_small(sig), frame});
    } catch (PyThrow&) {
      // Signals after this one stay pending: look at them at the next check point.
      for (int s = sig + 1; s < NSIG; s++) {
        if (g_tripped[s].load(std::memory_order_relaxed)) {
          g_sigint.store(true);
          ts->eval_breaker.fetch_or(EB_SIGNALS_PENDING, std::memory_order_relaxed);
          break;
        }
      }
      throw;
    }
  }
}

}  // namespace gp
