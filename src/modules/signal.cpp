// signal.cpp — the `_signal` module (lib/signal.py wraps it as CPython's signal.py does).
// Invariants: Python-level handlers are recorded and installed only from the main
// thread (signals.h keeps them and runs them through the eval breaker); SIG_DFL and
// SIG_IGN are the ints 0 and 1 here; a signal raised by this process (raise_signal,
// os.kill to itself) has its handler run before the call returns, as in CPython.
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>

#include "core/args.h"
#include "gil/gil.h"
#include "modules/signals.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"

namespace gp {

namespace {

Value g_default_int_handler_fn;

int signum_arg(Value v) {
  int64_t n = as_index(v);
  if (n < 1 || n >= NSIG) raise(&exc_ValueError, "signal number out of range");
  return int(n);
}

Value s_default_int_handler(const Value*, size_t, Tuple*) {
  throw_exc(exc_new(&exc_KeyboardInterrupt, {}));
}

Value current_handler(int sig) {
  Value h = signal_get_handler(sig);
  if (!h.is_null()) return h;
  if (is_gc_signal(sig)) return Value::from_small(0);  // the program's view: SIG_DFL
  struct sigaction sa = {};
  if (sigaction(sig, nullptr, &sa) != 0) return None();
  if (sa.sa_handler == SIG_DFL) return Value::from_small(0);
  if (sa.sa_handler == SIG_IGN) return Value::from_small(1);
  if (sig == SIGINT) return g_default_int_handler_fn;
  return None();
}

Value s_signal(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"signalnum", "handler", nullptr};
  Value a[2];
  parse_args("signal", args, nargs, kwnames, kw, 2, a);
  if (!is_main_thread())
    raise(&exc_ValueError, "signal only works in main thread of the main interpreter");
  int sig = signum_arg(a[0]);
  Value h = a[1];
  if (is_int(h)) {
    int64_t n = -1;
    int_as_i64(h, &n);
    if (n != 0 && n != 1)
      raise(&exc_TypeError,
            "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object");
    h = Value::from_small(n);
  } else if (!is_callable(h)) {
    raise(&exc_TypeError,
          "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object");
  }
  Value old = current_handler(sig);
  int err = signal_set_handler(sig, h);
  if (err) raise_oserror(err);
  return old;
}

Value s_getsignal(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"signalnum", nullptr};
  Value a[1];
  parse_args("getsignal", args, nargs, kwnames, kw, 1, a);
  return current_handler(signum_arg(a[0]));
}

Value s_raise_signal(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"signalnum", nullptr};
  Value a[1];
  parse_args("raise_signal", args, nargs, kwnames, kw, 1, a);
  int sig = signum_arg(a[0]);
  // The collector's signal sent by this process with tgkill (as raise() does) would go
  // to the collector (signals.h, is_gc_signal): send it to the process, as from outside.
  if ((is_gc_signal(sig) ? kill(getpid(), sig) : ::raise(sig)) != 0) raise_oserror(errno);
  run_pending_signals();
  return None();
}

Value s_alarm(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"seconds", nullptr};
  Value a[1];
  parse_args("alarm", args, nargs, kwnames, kw, 1, a);
  int64_t n = as_index(a[0]);
  if (n < 0 || n > 0xffffffffLL) raise(&exc_OverflowError, "Python int too large to convert to C unsigned long");
  return int_from_i64(alarm(unsigned(n)));
}

Value s_pause(const Value*, size_t nargs, Tuple*) {
  check_nargs("pause", nargs, 0, 0);
  {
    GilRelease g;
    pause();
  }
  run_pending_signals();
  return None();
}

Value s_strsignal(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"signalnum", nullptr};
  Value a[1];
  parse_args("strsignal", args, nargs, kwnames, kw, 1, a);
  int sig = signum_arg(a[0]);
  const char* s = strsignal(sig);
  if (!s || strncmp(s, "Unknown signal", 14) == 0 || strncmp(s, "Real-time signal", 16) == 0)
    return None();
  return vstr(str_from_cstr(s));
}

Value s_valid_signals(const Value*, size_t nargs, Tuple*) {
  Value set_type_v = Value::from_obj(&set_type);
  Value s = call(set_type_v, {});
  Value add = getattr(s, str_intern("add"));
  for (int i = 1; i < NSIG; i++) {
    if (i == 32 || i == 33) continue;  // reserved by glibc's thread library
    call(add, {Value::from_small(i)});
  }
  return s;
}

}  // namespace

Module* init_module__signal() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("_signal");
  module_add_fn(m, "signal", s_signal);
  module_add_fn(m, "getsignal", s_getsignal);
  module_add_fn(m, "raise_signal", s_raise_signal);
  module_add_fn(m, "alarm", s_alarm);
  module_add_fn(m, "pause", s_pause);
  module_add_fn(m, "strsignal", s_strsignal);
  module_add_fn(m, "valid_signals", s_valid_signals);
  module_add_fn(m, "default_int_handler", s_default_int_handler);
  g_default_int_handler_fn = dict_get_str(m->dict, str_intern("default_int_handler"));
  signal_set_default_int_handler(g_default_int_handler_fn);
  struct {
    const char* name;
    int v;
  } consts[] = {
#define C(x) {#x, x}
      C(SIGHUP),  C(SIGINT),  C(SIGQUIT), C(SIGILL),    C(SIGTRAP), C(SIGABRT), C(SIGIOT),
      C(SIGBUS),  C(SIGFPE),  C(SIGKILL), C(SIGUSR1),   C(SIGSEGV), C(SIGUSR2), C(SIGPIPE),
      C(SIGALRM), C(SIGTERM), C(SIGCHLD), C(SIGCONT),   C(SIGSTOP), C(SIGTSTP), C(SIGTTIN),
      C(SIGTTOU), C(SIGURG),  C(SIGXCPU), C(SIGXFSZ),   C(SIGVTALRM), C(SIGPROF), C(SIGWINCH),
      C(SIGIO),   C(SIGPOLL), C(SIGPWR),  C(SIGSYS),    C(NSIG),    C(SIG_BLOCK), C(SIG_UNBLOCK),
      C(SIG_SETMASK),
#undef C
      {"SIGRTMIN", SIGRTMIN}, {"SIGRTMAX", SIGRTMAX}, {"SIG_DFL", 0}, {"SIG_IGN", 1},
  };
  for (auto& c : consts) module_add(m, c.name, Value::from_small(c.v));
  return m;
}

}  // namespace gp
