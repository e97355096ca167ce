// signals.cpp — SIGINT handling (see signals.h for the invariants).
#include "modules/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "core/error.h"

namespace gp {

namespace {
std::atomic<bool> g_sigint{false};
std::atomic<ThreadState*> g_main_ts{nullptr};
int g_pipe[2] = {-1, -1};

extern "C" void on_sigint(int) {
  int saved = errno;
  g_sigint.store(true, std::memory_order_relaxed);
  ThreadState* ts = g_main_ts.load(std::memory_order_relaxed);
  if (ts) ts->eval_breaker.fetch_or(EB_SIGNALS_PENDING, std::memory_order_relaxed);
  if (g_pipe[1] >= 0) {
    char c = 1;
    ssize_t r = write(g_pipe[1], &c, 1);
    (void)r;
  }
  errno = saved;
}
}  // namespace

void install_signal_handlers(ThreadState* main_ts) {
  g_main_ts.store(main_ts);
  if (g_pipe[0] < 0 && pipe(g_pipe) == 0) {
    for (int fd : g_pipe) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }
  struct sigaction sa = {};
  sa.sa_handler = on_sigint;
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

void run_pending_signals() {
  ThreadState* ts = tstate();
  ThreadState* m = g_main_ts.load(std::memory_order_relaxed);
  if (!ts || (m && ts != m)) return;
  ts->eval_breaker.fetch_and(~uint32_t(EB_SIGNALS_PENDING), std::memory_order_relaxed);
  if (g_sigint.exchange(false)) {
    drain_wakeup_fd();
    throw_exc(exc_new(&exc_KeyboardInterrupt, {}));
  }
}

}  // namespace gp
