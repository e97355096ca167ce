// time.cpp — the time module.
// Invariants: clocks are read with clock_gettime (no Python state); sleep gives up the
// lock for the whole wait and, on the main thread, wakes early when SIGINT arrives
// (the signal pipe becomes readable) to raise KeyboardInterrupt.
#include <poll.h>
#include <time.h>

#include <cerrno>
#include <cmath>

#include "core/args.h"
#include "gil/gil.h"
#include "modules/signals.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

double clock_d(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
Value clock_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return int_from_i64(int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec);
}

Value t_time(const Value*, size_t nargs, Tuple*) {
  check_nargs("time", nargs, 0, 0);
  return float_new(clock_d(CLOCK_REALTIME));
}
Value t_time_ns(const Value*, size_t nargs, Tuple*) {
  check_nargs("time_ns", nargs, 0, 0);
  return clock_ns(CLOCK_REALTIME);
}
Value t_perf(const Value*, size_t nargs, Tuple*) {
  check_nargs("perf_counter", nargs, 0, 0);
  return float_new(clock_d(CLOCK_MONOTONIC));
}
Value t_perf_ns(const Value*, size_t nargs, Tuple*) {
  check_nargs("perf_counter_ns", nargs, 0, 0);
  return clock_ns(CLOCK_MONOTONIC);
}
Value t_process(const Value*, size_t nargs, Tuple*) {
  check_nargs("process_time", nargs, 0, 0);
  return float_new(clock_d(CLOCK_PROCESS_CPUTIME_ID));
}
Value t_process_ns(const Value*, size_t nargs, Tuple*) {
  check_nargs("process_time_ns", nargs, 0, 0);
  return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}
Value t_thread(const Value*, size_t nargs, Tuple*) {
  check_nargs("thread_time", nargs, 0, 0);
  return float_new(clock_d(CLOCK_THREAD_CPUTIME_ID));
}

double seconds_arg(Value v) {
  if (is_float(v)) return float_val(v);
  if (is_int(v)) return int_to_double(v);
  if (type_of(v)->nb_float) return as_double(v);
  raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(v));
}

Value t_sleep(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("sleep", kwnames);
  check_nargs("sleep", nargs, 1, 1);
  double secs = seconds_arg(args[0]);
  if (std::isnan(secs)) raise(&exc_ValueError, "Invalid value NaN (not a number)");
  if (secs < 0) raise(&exc_ValueError, "sleep length must be non-negative");
  if (secs > 9.2e9) raise(&exc_OverflowError, "sleep length is too large");
  ThreadState* ts = tstate();
  if (secs == 0) {
    gil_yield(ts);
    return None();
  }
  double deadline = clock_d(CLOCK_MONOTONIC) + secs;
  bool main = is_main_thread();
  while (true) {
    double left = deadline - clock_d(CLOCK_MONOTONIC);
    if (left <= 0) break;
    struct timespec rq;
    rq.tv_sec = time_t(left);
    rq.tv_nsec = long((left - double(rq.tv_sec)) * 1e9);
    int wfd = main ? signal_wakeup_fd() : -1;
    {
      GilRelease g;
      if (wfd >= 0) {
        struct pollfd p = {wfd, POLLIN, 0};
        ppoll(&p, 1, &rq, nullptr);
      } else {
        nanosleep(&rq, nullptr);
      }
    }
    if (main && sigint_pending()) run_pending_signals();
    else if (main) drain_wakeup_fd();
  }
  return None();
}

// ---- struct_time ------------------------------------------------------------------------

Type struct_time_type;
const char* const kTmFields[] = {"tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min",
                                 "tm_sec", "tm_wday", "tm_yday", "tm_isdst"};

Value st_repr(Value self) {
  Tuple* t = self.as<Tuple>();
  std::string s = "time.struct_time(";
  for (int i = 0; i < 9 && i < t->size; i++) {
    if (i) s += ", ";
    s += kTmFields[i];
    s += "=";
    s += repr((*t)[i])->view();
  }
  s += ")";
  return vstr(str_new(s));
}
template <int I>
Value st_get(Value self) { return (*self.as<Tuple>())[I]; }

void init_struct_time() {
  Type* t = &struct_time_type;
  if (t->flags & TF_READY) return;
  t->type = &type_type;
  t->name = "time.struct_time";
  t->name_str = str_intern("struct_time");
  t->qualname = t->name_str;
  t->module = str_intern("time");
  t->base = &tuple_type;
  t->bases = tuple_of({Value::from_obj(&tuple_type)});
  t->basic_size = tuple_type.basic_size;
  t->itemsize = tuple_type.itemsize;
  t->repr = st_repr;
  t->str = st_repr;
  type_ready(t);
  Getter g[] = {st_get<0>, st_get<1>, st_get<2>, st_get<3>, st_get<4>,
                st_get<5>, st_get<6>, st_get<7>, st_get<8>};
  for (int i = 0; i < 9; i++) type_add_getset(t, kTmFields[i], g[i]);
}

Value make_struct_time(const struct tm& tm) {
  Tuple* t = tuple_of({Value::from_small(tm.tm_year + 1900), Value::from_small(tm.tm_mon + 1),
                       Value::from_small(tm.tm_mday), Value::from_small(tm.tm_hour),
                       Value::from_small(tm.tm_min), Value::from_small(tm.tm_sec),
                       Value::from_small((tm.tm_wday + 6) % 7), Value::from_small(tm.tm_yday + 1),
                       Value::from_small(tm.tm_isdst)});
  t->type = &struct_time_type;
  return vtuple(t);
}

time_t time_arg(const Value* args, size_t nargs) {
  if (nargs == 0 || is_none(args[0])) return time(nullptr);
  double d = seconds_arg(args[0]);
  if (std::isnan(d)) raise(&exc_ValueError, "Invalid value NaN (not a number)");
  if (!(d > -9.2e18 && d < 9.2e18)) raise(&exc_OverflowError, "timestamp out of range for platform time_t");
  return time_t(std::floor(d));
}

Value t_localtime(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("localtime", nargs, 0, 1);
  time_t t = time_arg(args, nargs);
  struct tm tm;
  if (!localtime_r(&t, &tm)) raise(&exc_OverflowError, "timestamp out of range for platform time_t");
  return make_struct_time(tm);
}
Value t_gmtime(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("gmtime", nargs, 0, 1);
  time_t t = time_arg(args, nargs);
  struct tm tm;
  if (!gmtime_r(&t, &tm)) raise(&exc_OverflowError, "timestamp out of range for platform time_t");
  return make_struct_time(tm);
}

struct tm tm_from_tuple(Value v) {
  if (!is_tuple(v)) raise(&exc_TypeError, "Tuple or struct_time argument required");
  Tuple* t = v.as<Tuple>();
  if (t->size != 9) raise(&exc_TypeError, "function takes exactly 9 arguments (%lld given)", (long long)t->size);
  struct tm tm = {};
  tm.tm_year = int(as_index((*t)[0]) - 1900);
  tm.tm_mon = int(as_index((*t)[1]) - 1);
  tm.tm_mday = int(as_index((*t)[2]));
  tm.tm_hour = int(as_index((*t)[3]));
  tm.tm_min = int(as_index((*t)[4]));
  tm.tm_sec = int(as_index((*t)[5]));
  tm.tm_wday = int((as_index((*t)[6]) + 1) % 7);
  tm.tm_yday = int(as_index((*t)[7]) - 1);
  tm.tm_isdst = int(as_index((*t)[8]));
  return tm;
}

Value t_mktime(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("mktime", nargs, 1, 1);
  struct tm tm = tm_from_tuple(args[0]);
  time_t r = mktime(&tm);
  if (r == time_t(-1)) raise(&exc_OverflowError, "mktime argument out of range");
  return float_new(double(r));
}

Value t_strftime(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("strftime", nargs, 1, 2);
  if (!is_str(args[0]))
    raise(&exc_TypeError, "strftime() argument 1 must be str, not %s", type_name_c(args[0]));
  struct tm tm;
  if (nargs == 2) tm = tm_from_tuple(args[1]);
  else {
    time_t t = time(nullptr);
    localtime_r(&t, &tm);
  }
  std::string fmt(as_str(args[0])->view());
  if (fmt.empty()) return vstr(str_new(""));
  std::string buf(256 + fmt.size() * 8, '\0');
  size_t n = strftime(buf.data(), buf.size(), fmt.c_str(), &tm);
  buf.resize(n);
  return vstr(str_new(buf));
}

Value t_asctime_like(const struct tm& tm) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  snprintf(buf, sizeof buf, "%s %s %2d %02d:%02d:%02d %d", days[(tm.tm_wday % 7 + 7) % 7],
           mons[(tm.tm_mon % 12 + 12) % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
           tm.tm_year + 1900);
  return vstr(str_new(buf));
}
Value t_ctime(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("ctime", nargs, 0, 1);
  time_t t = time_arg(args, nargs);
  struct tm tm;
  localtime_r(&t, &tm);
  return t_asctime_like(tm);
}
Value t_asctime(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("asctime", nargs, 0, 1);
  struct tm tm;
  if (nargs) tm = tm_from_tuple(args[0]);
  else {
    time_t t = time(nullptr);
    localtime_r(&t, &tm);
  }
  return t_asctime_like(tm);
}

}  // namespace

Module* init_module_time() {
  static Module* m = nullptr;
  if (m) return m;
  init_struct_time();
  m = module_new("time");
  module_add_fn(m, "time", t_time);
  module_add_fn(m, "time_ns", t_time_ns);
  module_add_fn(m, "perf_counter", t_perf);
  module_add_fn(m, "perf_counter_ns", t_perf_ns);
  module_add_fn(m, "monotonic", t_perf);
  module_add_fn(m, "monotonic_ns", t_perf_ns);
  module_add_fn(m, "process_time", t_process);
  module_add_fn(m, "process_time_ns", t_process_ns);
  module_add_fn(m, "thread_time", t_thread);
  module_add_fn(m, "sleep", t_sleep);
  module_add_fn(m, "localtime", t_localtime);
  module_add_fn(m, "gmtime", t_gmtime);
  module_add_fn(m, "mktime", t_mktime);
  module_add_fn(m, "strftime", t_strftime);
  module_add_fn(m, "ctime", t_ctime);
  module_add_fn(m, "asctime", t_asctime);
  module_add(m, "struct_time", Value::from_obj(&struct_time_type));
  tzset();
  module_add(m, "timezone", Value::from_small(timezone));
  module_add(m, "altzone", Value::from_small(timezone - (daylight ? 3600 : 0)));
  module_add(m, "daylight", Value::from_small(daylight));
  module_add(m, "tzname", vtuple(tuple_of({vstr(str_new(tzname[0])), vstr(str_new(tzname[1]))})));
  return m;
}

}  // namespace gp
