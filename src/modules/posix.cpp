// posix.cpp — the `posix` module, the native core of `os` (lib/os.py re-exports it).
//
// Invariants:
//  * Every call that may block (read, write, waitpid, open of a FIFO, ...) runs inside a
//    GilRelease, with its arguments converted to C values first: nothing inside the
//    guard touches a Python object.
//  * EINTR follows PEP 475: pending signal handlers run (they may raise) after the lock
//    is taken back, then the call is retried.
//  * Failures raise OSError through raise_oserror, which picks CPython's errno subclass
//    (FileNotFoundError, ...) and carries the filename(s) as CPython does.
//  * New file descriptors are non-inheritable (O_CLOEXEC), as PEP 446 says; dup2 makes
//    an inheritable one unless told otherwise.
#include "modules/posix.h"

#include <dirent.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "core/args.h"
#include "core/objlock.h"
#include "gil/gil.h"
#include "modules/signals.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/set.h"
#include "objects/str.h"
#include "objects/tuple.h"

extern char** environ;

namespace gp {

namespace {

// Run f() with the lock released, retrying on EINTR after running signal handlers.
// Returns f()'s result; errno is the call's errno when it failed.
template <class F>
auto blocking_call(F f) -> decltype(f()) {
  for (;;) {
    decltype(f()) r;
    int err;
    {
      GilRelease g;
      r = f();
      err = errno;
    }
    if (r < 0 && err == EINTR) {
      run_pending_signals();
      continue;
    }
    errno = err;
    return r;
  }
}

int int_arg(Value v) {
  if (is_float(v)) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
  int64_t n = as_index(v);
  if (n > INT_MAX) raise(&exc_OverflowError, "signed integer is greater than maximum");
  if (n < INT_MIN) raise(&exc_OverflowError, "signed integer is less than minimum");
  return int(n);
}

Value bytes_value(std::string_view s) { return Value::from_obj(bytes_new(s)); }

// ---- struct sequences (stat_result, terminal_size, times_result) ------------------------
// A tuple subclass whose first n_visible items are the tuple; more named fields may be
// stored after them (the tuple's size is cut to n_visible, the allocation keeps them).
struct SeqDesc {
  Type* type;
  const char* qualname;   // "os.stat_result"
  const char* const* fields;
  int n_visible;
  int n_fields;
};

template <int I>
Value seq_get(Value self) { return self.as<Tuple>()->items()[I]; }
constexpr Getter kSeqGetters[] = {
    seq_get<0>,  seq_get<1>,  seq_get<2>,  seq_get<3>,  seq_get<4>,  seq_get<5>,  seq_get<6>,
    seq_get<7>,  seq_get<8>,  seq_get<9>,  seq_get<10>, seq_get<11>, seq_get<12>, seq_get<13>,
    seq_get<14>, seq_get<15>, seq_get<16>, seq_get<17>, seq_get<18>, seq_get<19>};

Type stat_result_type, terminal_size_type, times_result_type;
const char* const kStatFields[] = {"st_mode",     "st_ino",      "st_dev",     "st_nlink",
                                   "st_uid",      "st_gid",      "st_size",    "_st_atime_i",
                                   "_st_mtime_i", "_st_ctime_i", "st_atime",   "st_mtime",
                                   "st_ctime",    "st_atime_ns", "st_mtime_ns", "st_ctime_ns",
                                   "st_blksize",  "st_blocks",   "st_rdev"};
const char* const kTermFields[] = {"columns", "lines"};
const char* const kTimesFields[] = {"user", "system", "children_user", "children_system",
                                    "elapsed"};
SeqDesc g_stat_desc = {&stat_result_type, "os.stat_result", kStatFields, 10, 19};
SeqDesc g_term_desc = {&terminal_size_type, "os.terminal_size", kTermFields, 2, 2};
SeqDesc g_times_desc = {&times_result_type, "posix.times_result", kTimesFields, 5, 5};

SeqDesc* desc_of(Type* t) {
  if (t == &stat_result_type) return &g_stat_desc;
  if (t == &terminal_size_type) return &g_term_desc;
  return &g_times_desc;
}

Value seq_repr(Value self) {
  SeqDesc* d = desc_of(type_of(self));
  Tuple* t = self.as<Tuple>();
  std::string s = d->qualname;
  s += "(";
  for (int i = 0; i < d->n_visible; i++) {
    if (i) s += ", ";
    s += (i >= 7 && i <= 9 && d == &g_stat_desc) ? kStatFields[i + 3] : d->fields[i];
    s += "=";
    s += repr(t->items()[i])->view();
  }
  s += ")";
  return vstr(str_new(s));
}

Tuple* seq_alloc(SeqDesc* d) {
  Tuple* t = tuple_new(d->n_fields);
  for (int i = 0; i < d->n_fields; i++) t->items()[i] = None();
  return t;
}
Value seq_finish(SeqDesc* d, Tuple* t) {
  t->size = d->n_visible;
  t->type = d->type;
  return vtuple(t);
}

Value seq_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  SeqDesc* d = desc_of(type);
  if (nargs != 1) raise(&exc_TypeError, "%s() takes exactly 1 argument (%zu given)", d->qualname + 3, nargs);
  Tuple* src = tuple_from_iterable(args[0]);
  if (src->size < d->n_visible || src->size > d->n_fields)
    raise(&exc_TypeError, "%s() takes a %d-sequence (%lld-sequence given)", d->qualname, d->n_visible,
          (long long)src->size);
  Tuple* t = seq_alloc(d);
  for (int64_t i = 0; i < src->size; i++) t->items()[i] = src->items()[i];
  return seq_finish(d, t);
}

void init_seq_type(SeqDesc* d, const char* module) {
  Type* t = d->type;
  if (t->flags & TF_READY) return;
  t->type = &type_type;
  const char* dot = strrchr(d->qualname, '.');
  t->name = d->qualname;
  t->name_str = str_intern(dot + 1);
  t->qualname = t->name_str;
  t->module = str_intern(module);
  t->base = &tuple_type;
  t->bases = tuple_of({Value::from_obj(&tuple_type)});
  t->basic_size = tuple_type.basic_size;
  t->itemsize = tuple_type.itemsize;
  t->repr = seq_repr;
  t->str = seq_repr;
  t->tp_new = seq_tp_new;
  type_ready(t);
  for (int i = 0; i < d->n_fields; i++)
    if (d->fields[i][0] != '_') type_add_getset(t, d->fields[i], kSeqGetters[i]);
  type_set_attr(t, "n_sequence_fields", Value::from_small(d->n_visible));
  type_set_attr(t, "n_fields", Value::from_small(d->n_fields));
}

Value make_stat(const struct stat& st) {
  Tuple* t = seq_alloc(&g_stat_desc);
  Value* it = t->items();
  it[0] = int_from_i64(st.st_mode);
  it[1] = int_from_u64(uint64_t(st.st_ino));
  it[2] = int_from_u64(uint64_t(st.st_dev));
  it[3] = int_from_i64(int64_t(st.st_nlink));
  it[4] = int_from_i64(st.st_uid);
  it[5] = int_from_i64(st.st_gid);
  it[6] = int_from_i64(st.st_size);
  it[7] = int_from_i64(st.st_atim.tv_sec);
  it[8] = int_from_i64(st.st_mtim.tv_sec);
  it[9] = int_from_i64(st.st_ctim.tv_sec);
  it[10] = float_new(double(st.st_atim.tv_sec) + double(st.st_atim.tv_nsec) * 1e-9);
  it[11] = float_new(double(st.st_mtim.tv_sec) + double(st.st_mtim.tv_nsec) * 1e-9);
  it[12] = float_new(double(st.st_ctim.tv_sec) + double(st.st_ctim.tv_nsec) * 1e-9);
  it[13] = int_from_i64(int64_t(st.st_atim.tv_sec) * 1000000000 + st.st_atim.tv_nsec);
  it[14] = int_from_i64(int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  it[15] = int_from_i64(int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec);
  it[16] = int_from_i64(st.st_blksize);
  it[17] = int_from_i64(st.st_blocks);
  it[18] = int_from_u64(uint64_t(st.st_rdev));
  return seq_finish(&g_stat_desc, t);
}

// ---- process -----------------------------------------------------------------------------

Value p_getpid(const Value*, size_t nargs, Tuple*) { return int_from_i64(getpid()); }

// sched_getaffinity(pid) -> set of CPU numbers; pid 0 is the calling thread.
Value p_sched_getaffinity(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("sched_getaffinity", kwnames);
  check_nargs("sched_getaffinity", nargs, 1, 1);
  pid_t pid = pid_t(as_index(args[0]));
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(pid, sizeof(cpus), &cpus) != 0) raise_oserror(errno);
  Value out = set_new(&set_type);
  for (int i = 0; i < CPU_SETSIZE; i++)
    if (CPU_ISSET(i, &cpus)) set_add(out, Value::from_small(i));
  return out;
}

// sched_setaffinity(pid, mask): mask is an iterable of CPU numbers.
Value p_sched_setaffinity(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("sched_setaffinity", kwnames);
  check_nargs("sched_setaffinity", nargs, 2, 2);
  pid_t pid = pid_t(as_index(args[0]));
  List* mask = list_from_iterable(args[1]);
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  for (int64_t i = 0; i < mask->size; i++) {
    Value v = list_load(mask, i);
    if (!is_int(v))
      raise(&exc_TypeError, "expected an iterator of ints, but iterator yielded %s",
            std::string(repr(Value::from_obj(type_of(v)))->view()).c_str());
    int64_t cpu = as_index(v);
    if (cpu < 0) raise(&exc_ValueError, "negative CPU number");
    if (cpu >= CPU_SETSIZE) raise_oserror(EINVAL);
    CPU_SET(int(cpu), &cpus);
  }
  if (sched_setaffinity(pid, sizeof(cpus), &cpus) != 0) raise_oserror(errno);
  return None();
}
Value p_getppid(const Value*, size_t nargs, Tuple*) { return int_from_i64(getppid()); }
Value p_getuid(const Value*, size_t, Tuple*) { return int_from_i64(getuid()); }
Value p_geteuid(const Value*, size_t, Tuple*) { return int_from_i64(geteuid()); }
Value p_getgid(const Value*, size_t, Tuple*) { return int_from_i64(getgid()); }
Value p_getegid(const Value*, size_t, Tuple*) { return int_from_i64(getegid()); }
Value p_getpgrp(const Value*, size_t, Tuple*) { return int_from_i64(getpgrp()); }

Value p_fork(const Value*, size_t nargs, Tuple* kwnames) {
  check_nargs("fork", nargs, 0, 0);
  // The lock stays held across fork(): the child starts as the one thread that holds it.
  // Under free threading no other thread may be inside an object's critical section
  // either (a stripe it held would stay locked in the child for ever): take them all
  // first, before the collector's lock (a stripe holder may allocate).
  objlock_fork_prepare();
  GC_atfork_prepare();
  pid_t pid = fork();
  int err = errno;
  if (pid == 0) {
    GC_atfork_child();
    objlock_fork_child();
    runtime_after_fork_child();
    return Value::from_small(0);
  }
  GC_atfork_parent();
  objlock_fork_parent();
  if (pid < 0) raise_oserror(err);
  return int_from_i64(pid);
}

Value p__exit(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"status", nullptr};
  Value a[1];
  parse_args("_exit", args, nargs, kwnames, kw, 1, a);
  _exit(int_arg(a[0]));
}

Value p_waitpid(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("waitpid", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "waitpid expected 2 arguments, got %zu", nargs);
  pid_t pid = pid_t(int_arg(args[0]));
  int options = int_arg(args[1]);
  int status = 0;
  pid_t r = blocking_call([&] { return waitpid(pid, &status, options); });
  if (r < 0) raise_oserror(errno);
  return vtuple(tuple_pack2(int_from_i64(r), int_from_i64(status)));
}

Value p_wait(const Value*, size_t nargs, Tuple* kwnames) {
  check_nargs("wait", nargs, 0, 0);
  int status = 0;
  pid_t r = blocking_call([&] { return wait(&status); });
  if (r < 0) raise_oserror(errno);
  return vtuple(tuple_pack2(int_from_i64(r), int_from_i64(status)));
}

Value p_waitstatus_to_exitcode(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("waitstatus_to_exitcode", nargs, 1, 1);
  int st = int_arg(args[0]);
  if (WIFEXITED(st)) return Value::from_small(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return Value::from_small(-WTERMSIG(st));
  raise(&exc_ValueError, "invalid wait status: %d", st);
}

#define WMACRO(NAME, EXPR, BOOL)                                      \
  Value p_##NAME(const Value* args, size_t nargs, Tuple* kwnames) {   \
    static const char* const kw[] = {"status", nullptr};              \
    Value a[1];                                                       \
    parse_args(#NAME, args, nargs, kwnames, kw, 1, a);                \
    int status = int_arg(a[0]);                                       \
    (void)status;                                                     \
    return BOOL ? Bool(EXPR) : int_from_i64(EXPR);                    \
  }
WMACRO(WIFEXITED, WIFEXITED(status), true)
WMACRO(WEXITSTATUS, WEXITSTATUS(status), false)
WMACRO(WIFSIGNALED, WIFSIGNALED(status), true)
WMACRO(WTERMSIG, WTERMSIG(status), false)
WMACRO(WIFSTOPPED, WIFSTOPPED(status), true)
WMACRO(WSTOPSIG, WSTOPSIG(status), false)
WMACRO(WCOREDUMP, WCOREDUMP(status), true)
WMACRO(WIFCONTINUED, WIFCONTINUED(status), true)
#undef WMACRO

Value p_kill(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("kill", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "kill expected 2 arguments, got %zu", nargs);
  pid_t pid = pid_t(int_arg(args[0]));
  int sig = int_arg(args[1]);
  if (kill(pid, sig) != 0) raise_oserror(errno);
  // A signal sent to ourselves is handled before kill() returns (as CPython does).
  run_pending_signals();
  return None();
}

Value p_abort(const Value*, size_t, Tuple*) { abort(); }

// ---- file descriptors -------------------------------------------------------------------

Value p_pipe(const Value*, size_t nargs, Tuple* kwnames) {
  check_nargs("pipe", nargs, 0, 0);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) raise_oserror(errno);
  return vtuple(tuple_pack2(Value::from_small(fds[0]), Value::from_small(fds[1])));
}

Value p_read(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("read", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "read expected 2 arguments, got %zu", nargs);
  int fd = int_arg(args[0]);
  int64_t n = as_index(args[1]);
  if (n < 0) raise_oserror(EINVAL);
  char* buf = static_cast<char*>(gc_alloc_atomic(size_t(n) + 1));
  ssize_t r = blocking_call([&] { return ::read(fd, buf, size_t(n)); });
  if (r < 0) raise_oserror(errno);
  return bytes_value(std::string_view(buf, size_t(r)));
}

Value p_write(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("write", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "write expected 2 arguments, got %zu", nargs);
  int fd = int_arg(args[0]);
  std::string_view data;
  if (!bytes_like_view(args[1], &data))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(args[1]));
  // Copy: a bytearray's buffer could move if another thread resized it meanwhile.
  std::string copy(data);
  ssize_t r = blocking_call([&] { return ::write(fd, copy.data(), copy.size()); });
  if (r < 0) raise_oserror(errno);
  return int_from_i64(r);
}

Value p_close(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"fd", nullptr};
  Value a[1];
  parse_args("close", args, nargs, kwnames, kw, 1, a);
  if (::close(int_arg(a[0])) != 0 && errno != EINTR) raise_oserror(errno);
  return None();
}

Value p_closerange(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("closerange", nargs, 2, 2);
  int lo = int_arg(args[0]), hi = int_arg(args[1]);
  for (int fd = lo < 0 ? 0 : lo; fd < hi; fd++) ::close(fd);
  return None();
}

Value p_dup(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("dup", nargs, 1, 1);
  int fd = fcntl(int_arg(args[0]), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) raise_oserror(errno);
  return Value::from_small(fd);
}

Value p_dup2(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"fd", "fd2", "inheritable", nullptr};
  Value a[3];
  parse_args("dup2", args, nargs, kwnames, kw, 2, a);
  int fd = int_arg(a[0]), fd2 = int_arg(a[1]);
  bool inheritable = a[2].is_null() || truthy(a[2]);
  int r = inheritable ? dup2(fd, fd2) : dup3(fd, fd2, O_CLOEXEC);
  if (r < 0) raise_oserror(errno);
  return Value::from_small(r);
}

Value p_get_blocking(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("get_blocking", nargs, 1, 1);
  int fl = fcntl(int_arg(args[0]), F_GETFL);
  if (fl < 0) raise_oserror(errno);
  return Bool(!(fl & O_NONBLOCK));
}

Value p_set_blocking(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("set_blocking", nargs, 2, 2);
  int fd = int_arg(args[0]);
  bool blocking = truthy(args[1]);
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) raise_oserror(errno);
  int nf = blocking ? (fl & ~O_NONBLOCK) : (fl | O_NONBLOCK);
  if (nf != fl && fcntl(fd, F_SETFL, nf) < 0) raise_oserror(errno);
  return None();
}

Value p_get_inheritable(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("get_inheritable", nargs, 1, 1);
  int fl = fcntl(int_arg(args[0]), F_GETFD);
  if (fl < 0) raise_oserror(errno);
  return Bool(!(fl & FD_CLOEXEC));
}

Value p_set_inheritable(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("set_inheritable", nargs, 2, 2);
  int fd = int_arg(args[0]);
  bool inh = truthy(args[1]);
  int fl = fcntl(fd, F_GETFD);
  if (fl < 0) raise_oserror(errno);
  int nf = inh ? (fl & ~FD_CLOEXEC) : (fl | FD_CLOEXEC);
  if (nf != fl && fcntl(fd, F_SETFD, nf) < 0) raise_oserror(errno);
  return None();
}

Value p_open(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "flags", "mode", "$dir_fd", nullptr};
  Value a[4];
  parse_args("open", args, nargs, kwnames, kw, 2, a);
  std::string path = posix_path_arg("open", "path", a[0]);
  int flags = int_arg(a[1]) | O_CLOEXEC;
  int mode = a[2].is_null() ? 0777 : int_arg(a[2]);
  int fd = blocking_call([&] { return ::open(path.c_str(), flags, mode); });
  if (fd < 0) raise_oserror(errno, a[0]);
  return Value::from_small(fd);
}

Value p_lseek(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("lseek", nargs, 3, 3);
  off_t r = lseek(int_arg(args[0]), off_t(as_index(args[1])), int_arg(args[2]));
  if (r < 0) raise_oserror(errno);
  return int_from_i64(r);
}

Value p_fsync(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("fsync", nargs, 1, 1);
  int fd = posix_fd_from_object(args[0]);
  int r = blocking_call([&] { return fsync(fd); });
  if (r < 0) raise_oserror(errno);
  return None();
}

Value p_ftruncate(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("ftruncate", nargs, 2, 2);
  if (ftruncate(int_arg(args[0]), off_t(as_index(args[1]))) < 0) raise_oserror(errno);
  return None();
}

Value p_isatty(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("isatty", nargs, 1, 1);
  return Bool(isatty(int_arg(args[0])));
}

Value p_get_terminal_size(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("get_terminal_size", nargs, 0, 1);
  int fd = nargs ? int_arg(args[0]) : 1;
  struct winsize w;
  if (ioctl(fd, TIOCGWINSZ, &w) != 0) raise_oserror(errno);
  Tuple* t = seq_alloc(&g_term_desc);
  t->items()[0] = Value::from_small(w.ws_col);
  t->items()[1] = Value::from_small(w.ws_row);
  return seq_finish(&g_term_desc, t);
}

Value p_times(const Value*, size_t nargs, Tuple*) {
  struct tms t;
  clock_t c = times(&t);
  if (c == clock_t(-1)) raise_oserror(errno);
  double tick = double(sysconf(_SC_CLK_TCK));
  Tuple* r = seq_alloc(&g_times_desc);
  r->items()[0] = float_new(double(t.tms_utime) / tick);
  r->items()[1] = float_new(double(t.tms_stime) / tick);
  r->items()[2] = float_new(double(t.tms_cutime) / tick);
  r->items()[3] = float_new(double(t.tms_cstime) / tick);
  r->items()[4] = float_new(double(c) / tick);
  return seq_finish(&g_times_desc, r);
}

// ---- environment --------------------------------------------------------------------------

Value p_putenv(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("putenv", nargs, 2, 2);
  std::string k = posix_path_arg("putenv", "name", args[0]);
  std::string v = posix_path_arg("putenv", "value", args[1]);
  if (k.empty() || k.find('=') != std::string::npos)
    raise(&exc_ValueError, "illegal environment variable name");
  if (setenv(k.c_str(), v.c_str(), 1) != 0) raise_oserror(errno);
  return None();
}

Value p_unsetenv(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("unsetenv", nargs, 1, 1);
  std::string k = posix_path_arg("unsetenv", "name", args[0]);
  if (k.empty() || k.find('=') != std::string::npos)
    raise(&exc_ValueError, "illegal environment variable name");
  if (unsetenv(k.c_str()) != 0) raise_oserror(errno);
  return None();
}

Value environ_dict() {
  Dict* d = dict_new();
  for (char** e = environ; e && *e; e++) {
    const char* eq = strchr(*e, '=');
    if (!eq) continue;
    std::string_view k(*e, size_t(eq - *e)), v(eq + 1);
    Str* ks;
    Str* vs;
    try {
      ks = str_from_utf8_checked(k);
      vs = str_from_utf8_checked(v);
    } catch (PyThrow&) {
      take_exception();  // not UTF-8: skipped (no surrogateescape codec)
      continue;
    }
    if (dict_get(d, vstr(ks)).is_null()) dict_set(d, vstr(ks), vstr(vs));
  }
  return vdict(d);
}

// ---- file system ----------------------------------------------------------------------------

Value p_getcwd(const Value*, size_t nargs, Tuple*) {
  check_nargs("getcwd", nargs, 0, 0);
  std::vector<char> buf(PATH_MAX + 1);
  if (!getcwd(buf.data(), buf.size())) raise_oserror(errno);
  return vstr(str_from_utf8_checked(buf.data()));
}

Value p_getcwdb(const Value*, size_t nargs, Tuple*) {
  std::vector<char> buf(PATH_MAX + 1);
  if (!getcwd(buf.data(), buf.size())) raise_oserror(errno);
  return bytes_value(buf.data());
}

Value p_chdir(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", nullptr};
  Value a[1];
  parse_args("chdir", args, nargs, kwnames, kw, 1, a);
  if (is_int(a[0])) {
    if (fchdir(int_arg(a[0])) != 0) raise_oserror(errno);
    return None();
  }
  std::string p = posix_path_arg("chdir", "path", a[0]);
  if (chdir(p.c_str()) != 0) raise_oserror(errno, a[0]);
  return None();
}

Value p_listdir(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", nullptr};
  Value a[1];
  parse_args("listdir", args, nargs, kwnames, kw, 0, a);
  bool as_bytes = false;
  std::string p = ".";
  Value fname = a[0];
  if (!a[0].is_null() && !is_none(a[0])) p = posix_path_arg("listdir", "path", a[0], &as_bytes);
  else fname = vstr(str_new("."));
  std::vector<std::string> names;
  int err = 0;
  {
    GilRelease g;
    DIR* d = opendir(p.c_str());
    if (!d) {
      err = errno;
    } else {
      while (struct dirent* e = readdir(d)) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        names.emplace_back(e->d_name);
      }
      closedir(d);
    }
  }
  if (err) raise_oserror(err, fname);
  List* l = list_new(0);
  for (auto& n : names)
    list_append(l, as_bytes ? bytes_value(n) : vstr(str_from_utf8_checked(n)));
  return vlist(l);
}

Value p_mkdir(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "mode", "$dir_fd", nullptr};
  Value a[3];
  parse_args("mkdir", args, nargs, kwnames, kw, 1, a);
  std::string p = posix_path_arg("mkdir", "path", a[0]);
  int mode = a[1].is_null() ? 0777 : int_arg(a[1]);
  if (mkdir(p.c_str(), mode_t(mode)) != 0) raise_oserror(errno, a[0]);
  return None();
}

Value p_rmdir(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "$dir_fd", nullptr};
  Value a[2];
  parse_args("rmdir", args, nargs, kwnames, kw, 1, a);
  std::string p = posix_path_arg("rmdir", "path", a[0]);
  if (rmdir(p.c_str()) != 0) raise_oserror(errno, a[0]);
  return None();
}

Value p_unlink(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "$dir_fd", nullptr};
  Value a[2];
  parse_args("remove", args, nargs, kwnames, kw, 1, a);
  std::string p = posix_path_arg("remove", "path", a[0]);
  if (unlink(p.c_str()) != 0) raise_oserror(errno, a[0]);
  return None();
}

Value rename_impl(const char* fname, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"src", "dst", "$src_dir_fd", "$dst_dir_fd", nullptr};
  Value a[4];
  parse_args(fname, args, nargs, kwnames, kw, 2, a);
  std::string s = posix_path_arg(fname, "src", a[0]);
  std::string d = posix_path_arg(fname, "dst", a[1]);
  if (rename(s.c_str(), d.c_str()) != 0) raise_oserror(errno, a[0], a[1]);
  return None();
}
Value p_rename(const Value* args, size_t nargs, Tuple* kwnames) { return rename_impl("rename", args, nargs, kwnames); }
Value p_replace(const Value* args, size_t nargs, Tuple* kwnames) { return rename_impl("replace", args, nargs, kwnames); }

Value stat_impl(const char* fname, const Value* args, size_t nargs, Tuple* kwnames, bool follow_default) {
  static const char* const kw[] = {"path", "$dir_fd", "$follow_symlinks", nullptr};
  Value a[3];
  parse_args(fname, args, nargs, kwnames, kw, 1, a);
  bool follow = a[2].is_null() ? follow_default : truthy(a[2]);
  struct stat st;
  int r;
  if (is_int(a[0])) {
    int fd = int_arg(a[0]);
    r = blocking_call([&] { return fstat(fd, &st); });
    if (r != 0) raise_oserror(errno);
  } else {
    Value pv = a[0];
    if (!is_str(pv) && !is_bytes(pv) && type_lookup(type_of(pv), GP_STR("__fspath__")).is_null())
      raise(&exc_TypeError, "%s: path should be string, bytes, os.PathLike or integer, not %s",
            fname, type_name_c(pv));
    std::string p = posix_path_arg(fname, "path", a[0]);
    r = blocking_call([&] { return follow ? stat(p.c_str(), &st) : lstat(p.c_str(), &st); });
    if (r != 0) raise_oserror(errno, a[0]);
  }
  return make_stat(st);
}
Value p_stat(const Value* args, size_t nargs, Tuple* kwnames) { return stat_impl("stat", args, nargs, kwnames, true); }
Value p_lstat(const Value* args, size_t nargs, Tuple* kwnames) { return stat_impl("lstat", args, nargs, kwnames, false); }
Value p_fstat(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"fd", nullptr};
  Value a[1];
  parse_args("fstat", args, nargs, kwnames, kw, 1, a);
  int fd = int_arg(a[0]);
  struct stat st;
  int r = blocking_call([&] { return fstat(fd, &st); });
  if (r != 0) raise_oserror(errno);
  return make_stat(st);
}

Value p_access(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "mode", "$dir_fd", "$effective_ids", "$follow_symlinks", nullptr};
  Value a[5];
  parse_args("access", args, nargs, kwnames, kw, 2, a);
  std::string p = posix_path_arg("access", "path", a[0]);
  return Bool(access(p.c_str(), int_arg(a[1])) == 0);
}

Value p_chmod(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "mode", "$dir_fd", "$follow_symlinks", nullptr};
  Value a[4];
  parse_args("chmod", args, nargs, kwnames, kw, 2, a);
  std::string p = posix_path_arg("chmod", "path", a[0]);
  if (chmod(p.c_str(), mode_t(int_arg(a[1]))) != 0) raise_oserror(errno, a[0]);
  return None();
}

Value p_umask(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("umask", nargs, 1, 1);
  return Value::from_small(umask(mode_t(int_arg(args[0]))));
}

Value p_readlink(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", "$dir_fd", nullptr};
  Value a[2];
  parse_args("readlink", args, nargs, kwnames, kw, 1, a);
  bool as_bytes = false;
  std::string p = posix_path_arg("readlink", "path", a[0], &as_bytes);
  std::vector<char> buf(PATH_MAX + 1);
  ssize_t n = readlink(p.c_str(), buf.data(), buf.size());
  if (n < 0) raise_oserror(errno, a[0]);
  std::string_view r(buf.data(), size_t(n));
  return as_bytes ? bytes_value(r) : vstr(str_from_utf8_checked(r));
}

Value p_symlink(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"src", "dst", "target_is_directory", "$dir_fd", nullptr};
  Value a[4];
  parse_args("symlink", args, nargs, kwnames, kw, 2, a);
  std::string s = posix_path_arg("symlink", "src", a[0]);
  std::string d = posix_path_arg("symlink", "dst", a[1]);
  if (symlink(s.c_str(), d.c_str()) != 0) raise_oserror(errno, a[0], a[1]);
  return None();
}

// ---- misc -------------------------------------------------------------------------------------

Value p_cpu_count(const Value*, size_t nargs, Tuple*) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? None() : int_from_i64(n);
}

Value p_urandom(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("urandom", nargs, 1, 1);
  int64_t n = as_index(args[0]);
  if (n < 0) raise(&exc_ValueError, "negative argument not allowed");
  std::string buf(size_t(n), '\0');
  size_t off = 0;
  while (off < size_t(n)) {
    ssize_t r = getrandom(buf.data() + off, size_t(n) - off, 0);
    if (r < 0) {
      if (errno == EINTR) {
        run_pending_signals();
        continue;
      }
      raise_oserror(errno);
    }
    off += size_t(r);
  }
  return bytes_value(buf);
}

Value p_strerror(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("strerror", nargs, 1, 1);
  return vstr(str_from_cstr(strerror(int_arg(args[0]))));
}

Value p_fspath(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"path", nullptr};
  Value a[1];
  parse_args("fspath", args, nargs, kwnames, kw, 1, a);
  Value p = a[0];
  if (is_str(p) || is_bytes(p)) return p;
  Value m = type_lookup(type_of(p), GP_STR("__fspath__"));
  if (m.is_null() || is_none(m))
    raise(&exc_TypeError, "expected str, bytes or os.PathLike object, not %s", type_name_c(p));
  Value r = call_dunder_opt(p, GP_STR("__fspath__"), {});
  if (!is_str(r) && !is_bytes(r))
    raise(&exc_TypeError, "expected %s.__fspath__() to return str or bytes, not %s",
          type_name_c(p), type_name_c(r));
  return r;
}

}  // namespace

std::string posix_path_arg(const char* fname, const char* argname, Value v, bool* was_bytes) {
  if (was_bytes) *was_bytes = false;
  Value p = v;
  if (!is_str(p) && !is_bytes(p)) {
    Value m = type_lookup(type_of(p), GP_STR("__fspath__"));
    if (!m.is_null() && !is_none(m)) p = call_dunder_opt(v, GP_STR("__fspath__"), {});
    if (!is_str(p) && !is_bytes(p))
      raise(&exc_TypeError, "%s: %s should be string, bytes or os.PathLike, not %s", fname,
            argname, type_name_c(v));
  }
  std::string s;
  if (is_str(p)) {
    s = std::string(as_str(p)->view());
  } else {
    if (was_bytes) *was_bytes = true;
    s = std::string(p.as<Bytes>()->view());
  }
  if (s.find('\0') != std::string::npos) raise(&exc_ValueError, "%s: embedded null character in %s", fname, argname);
  return s;
}

int posix_fd_from_object(Value v) {
  Value fd = v;
  if (!is_int(v)) {
    Value m = getattr_opt(v, GP_STR("fileno"));
    if (m.is_null())
      raise(&exc_TypeError, "argument must be an int, or have a fileno() method.");
    fd = call(m, {});
    if (!is_int(fd)) raise(&exc_TypeError, "fileno() returned a non-integer");
  }
  int64_t n = as_index(fd);
  if (n < 0)
    raise(&exc_ValueError, "file descriptor cannot be a negative integer (%lld)", (long long)n);
  if (n > INT_MAX) raise(&exc_OverflowError, "file descriptor is too large");
  return int(n);
}

Module* init_module_posix() {
  static Module* m = nullptr;
  if (m) return m;
  init_seq_type(&g_stat_desc, "os");
  init_seq_type(&g_term_desc, "os");
  init_seq_type(&g_times_desc, "posix");
  m = module_new("posix");
  struct {
    const char* name;
    NativeFn fn;
  } fns[] = {
      {"getpid", p_getpid}, {"sched_getaffinity", p_sched_getaffinity},
      {"sched_setaffinity", p_sched_setaffinity}, {"getppid", p_getppid}, {"getuid", p_getuid}, {"geteuid", p_geteuid},
      {"getgid", p_getgid}, {"getegid", p_getegid}, {"getpgrp", p_getpgrp}, {"fork", p_fork},
      {"_exit", p__exit}, {"waitpid", p_waitpid}, {"wait", p_wait},
      {"waitstatus_to_exitcode", p_waitstatus_to_exitcode}, {"WIFEXITED", p_WIFEXITED},
      {"WEXITSTATUS", p_WEXITSTATUS}, {"WIFSIGNALED", p_WIFSIGNALED}, {"WTERMSIG", p_WTERMSIG},
      {"WIFSTOPPED", p_WIFSTOPPED}, {"WSTOPSIG", p_WSTOPSIG}, {"WCOREDUMP", p_WCOREDUMP},
      {"WIFCONTINUED", p_WIFCONTINUED}, {"kill", p_kill}, {"abort", p_abort},
      {"pipe", p_pipe}, {"read", p_read}, {"write", p_write}, {"close", p_close},
      {"closerange", p_closerange}, {"dup", p_dup}, {"dup2", p_dup2},
      {"get_blocking", p_get_blocking}, {"set_blocking", p_set_blocking},
      {"get_inheritable", p_get_inheritable}, {"set_inheritable", p_set_inheritable},
      {"open", p_open}, {"lseek", p_lseek}, {"fsync", p_fsync}, {"ftruncate", p_ftruncate},
      {"isatty", p_isatty}, {"get_terminal_size", p_get_terminal_size}, {"times", p_times},
      {"putenv", p_putenv}, {"unsetenv", p_unsetenv}, {"getcwd", p_getcwd},
      {"getcwdb", p_getcwdb}, {"chdir", p_chdir}, {"listdir", p_listdir}, {"mkdir", p_mkdir},
      {"rmdir", p_rmdir}, {"unlink", p_unlink}, {"remove", p_unlink}, {"rename", p_rename},
      {"replace", p_replace}, {"stat", p_stat}, {"lstat", p_lstat}, {"fstat", p_fstat},
      {"access", p_access}, {"chmod", p_chmod}, {"umask", p_umask}, {"readlink", p_readlink},
      {"symlink", p_symlink}, {"cpu_count", p_cpu_count}, {"urandom", p_urandom},
      {"strerror", p_strerror}, {"fspath", p_fspath},
  };
  for (auto& f : fns) module_add_fn(m, f.name, f.fn);
  struct {
    const char* name;
    int64_t v;
  } consts[] = {
#define C(x) {#x, x}
      C(WNOHANG), C(WUNTRACED), C(WCONTINUED), C(O_RDONLY), C(O_WRONLY), C(O_RDWR),
      C(O_CREAT), C(O_EXCL), C(O_TRUNC), C(O_APPEND), C(O_NONBLOCK), C(O_CLOEXEC),
      C(O_NOCTTY), C(O_SYNC), C(O_DSYNC), C(O_DIRECTORY), C(O_NOFOLLOW), C(O_ACCMODE),
      C(SEEK_SET), C(SEEK_CUR), C(SEEK_END), C(F_OK), C(R_OK), C(W_OK), C(X_OK),
      C(EX_OK), C(EX_USAGE), C(EX_SOFTWARE), C(EX_OSERR), C(EX_IOERR), C(EX_CONFIG),
#undef C
  };
  for (auto& c : consts) module_add(m, c.name, int_from_i64(c.v));
  module_add(m, "environ", environ_dict());
  module_add(m, "stat_result", Value::from_obj(&stat_result_type));
  module_add(m, "terminal_size", Value::from_obj(&terminal_size_type));
  module_add(m, "times_result", Value::from_obj(&times_result_type));
  module_add(m, "error", Value::from_obj(&exc_OSError));
  return m;
}

}  // namespace gp
