// _posixsubprocess.cpp — fork_exec: start a program in a child process (used by
// lib/subprocess.py), the way CPython's Modules/_posixsubprocess.c does.
//
// Invariants:
//  * Everything the child needs (argv, envp, the executable paths, the fds to keep) is
//    converted to C memory in the parent before fork(): between fork() and exec the
//    child calls only async-signal-safe functions — no allocation, no Python, no lock —
//    because another thread of the parent may have held any lock at the moment of fork.
//  * A failure in the child before or during exec is reported through errpipe_write as
//    "OSError:<hex errno>:" followed by "noexec" (failed before exec) or
//    "noexec:chdir" (cwd failed), the format subprocess.py decodes; the child then
//    _exit(255)s. errpipe_write is close-on-exec, so a successful exec closes it and
//    the parent's read of the pipe sees EOF.
//  * The parent keeps the interpreter lock across fork(): fork is quick, and no Python
//    code runs in the child.
#include "gc/gcapi.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <string>
#include <vector>

#include "core/args.h"
#include "modules/posix.h"
#include "objects/exceptions.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"

extern char** environ;

namespace gp {

namespace {

int fd_arg(Value v) {
  int64_t n = as_index(v);
  if (n < -1 || n > INT_MAX) raise(&exc_ValueError, "bad file descriptor %lld", (long long)n);
  return int(n);
}

std::vector<std::string> str_list(const char* argname, Value seq) {
  std::vector<std::string> out;
  Value it = iter(seq);
  for (Value x = next(it); !x.is_null(); x = next(it)) {
    std::string s = posix_path_arg("fork_exec", argname, x);
    if (s.find('\0') != std::string::npos) raise(&exc_ValueError, "embedded null byte");
    out.push_back(std::move(s));
  }
  return out;
}

// ---- the child: async-signal-safe only ---------------------------------------------------

void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += w;
    n -= size_t(w);
  }
}

[[noreturn]] void child_fail(int errpipe, int err, const char* what) {
  char buf[64];
  char* p = buf;
  const char* pre = "OSError:";
  while (*pre) *p++ = *pre++;
  char hex[16];
  int k = 0;
  unsigned u = unsigned(err);
  do {
    hex[k++] = "0123456789abcdef"[u % 16];
    u /= 16;
  } while (u);
  while (k) *p++ = hex[--k];
  *p++ = ':';
  while (*what) *p++ = *what++;
  write_all(errpipe, buf, size_t(p - buf));
  _exit(255);
}

// Close fds in [lo, hi] (hi inclusive).
void close_range_safe(int lo, int hi) {
  if (lo > hi) return;
#ifdef SYS_close_range
  if (syscall(SYS_close_range, unsigned(lo), unsigned(hi), 0u) == 0) return;
#endif
  long lim = sysconf(_SC_OPEN_MAX);
  if (lim < 0 || lim > 65536) lim = 65536;
  if (hi >= lim) hi = int(lim) - 1;
  for (int fd = lo; fd <= hi; fd++) ::close(fd);
}

// Give `fd` to the child as `target` (0, 1, 2): dup2, or clear close-on-exec when it is
// already there.
bool place_fd(int fd, int target) {
  if (fd < 0) return true;
  if (fd == target) {
    int fl = fcntl(fd, F_GETFD);
    return fl >= 0 && fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) == 0;
  }
  return dup2(fd, target) >= 0;
}

struct ChildPlan {
  std::vector<char*> argv, envp, exes;
  const char* cwd = nullptr;
  int p2cread, c2pwrite, errwrite, errpipe;
  bool close_fds, new_session;
  std::vector<int> keep;  // sorted fds >= 3 that survive close_fds
};

[[noreturn]] void child_exec(ChildPlan& c) {
  // Standard streams first; move sources out of the way of lower targets.
  if (c.c2pwrite == 0) c.c2pwrite = dup(c.c2pwrite);
  while (c.errwrite == 0 || c.errwrite == 1) c.errwrite = dup(c.errwrite);
  if (!place_fd(c.p2cread, 0) || !place_fd(c.c2pwrite, 1) || !place_fd(c.errwrite, 2))
    child_fail(c.errpipe, errno, "noexec");
  if (c.cwd && chdir(c.cwd) != 0) child_fail(c.errpipe, errno, "noexec:chdir");
  // Python ignores SIGPIPE and SIGXFSZ; programs expect the defaults, and an empty mask.
  signal(SIGPIPE, SIG_DFL);
  signal(SIGXFSZ, SIG_DFL);
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  if (c.new_session) setsid();
  for (int fd : c.keep) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
  }
  if (c.close_fds) {
    // keep (sorted) plus errpipe, which stays close-on-exec: merge them on the fly.
    int lo = 3;
    bool errpipe_done = c.errpipe < 3;
    for (size_t i = 0; i <= c.keep.size(); i++) {
      int fd = i < c.keep.size() ? c.keep[i] : INT_MAX;
      if (!errpipe_done && c.errpipe <= fd) {
        close_range_safe(lo, c.errpipe - 1);
        lo = c.errpipe + 1;
        errpipe_done = true;
      }
      if (fd == INT_MAX) break;
      close_range_safe(lo, fd - 1);
      if (fd + 1 > lo) lo = fd + 1;
    }
    close_range_safe(lo, INT_MAX);
  }
  char** env = c.envp.empty() ? environ : c.envp.data();
  int saved = 0;
  for (char* exe : c.exes) {
    if (!exe) break;
    execve(exe, c.argv.data(), env);
    if (errno != ENOENT && errno != ENOTDIR && saved == 0) saved = errno;
  }
  child_fail(c.errpipe, saved ? saved : errno, "");
}

// fork_exec(args, executable_list, cwd, env, p2cread, c2pwrite, errwrite, errpipe_write,
//           close_fds, pass_fds, start_new_session) -> pid
Value m_fork_exec(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"args", "executable_list", "cwd", "env", "p2cread",
                                   "c2pwrite", "errwrite", "errpipe_write", "close_fds",
                                   "pass_fds", "start_new_session", nullptr};
  Value a[11];
  parse_args("fork_exec", args, nargs, kwnames, kw, 11, a);
  std::vector<std::string> argv = str_list("args", a[0]);
  std::vector<std::string> exes = str_list("executable_list", a[1]);
  std::string cwd;
  bool has_cwd = !is_none(a[2]);
  if (has_cwd) cwd = posix_path_arg("fork_exec", "cwd", a[2]);
  bool has_env = !is_none(a[3]);
  std::vector<std::string> env;
  if (has_env) env = str_list("env", a[3]);
  ChildPlan c;
  c.p2cread = fd_arg(a[4]);
  c.c2pwrite = fd_arg(a[5]);
  c.errwrite = fd_arg(a[6]);
  c.errpipe = fd_arg(a[7]);
  c.close_fds = truthy(a[8]);
  std::vector<std::string> dummy;
  Value it = iter(a[9]);
  for (Value x = next(it); !x.is_null(); x = next(it)) {
    int fd = fd_arg(x);
    if (fd >= 3) c.keep.push_back(fd);
  }
  std::sort(c.keep.begin(), c.keep.end());
  c.keep.erase(std::unique(c.keep.begin(), c.keep.end()), c.keep.end());
  c.new_session = truthy(a[10]);
  if (argv.empty()) raise(&exc_ValueError, "args must not be empty");
  for (auto& s : argv) c.argv.push_back(s.data());
  c.argv.push_back(nullptr);
  for (auto& s : exes) c.exes.push_back(s.data());
  c.exes.push_back(nullptr);
  if (has_env) {
    for (auto& s : env) c.envp.push_back(s.data());
    c.envp.push_back(nullptr);  // non-empty even for env={}: a real empty environment
  }
  if (has_cwd) c.cwd = cwd.c_str();

  GC_atfork_prepare();
  pid_t pid = fork();
  int err = errno;
  if (pid == 0) child_exec(c);  // never returns
  GC_atfork_parent();
  if (pid < 0) raise_oserror(err);
  return int_from_i64(pid);
}

}  // namespace

Module* init_module__posixsubprocess() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("_posixsubprocess");
  module_add_fn(m, "fork_exec", m_fork_exec);
  return m;
}

}  // namespace gp
