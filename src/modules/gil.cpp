// gil.cpp — the `gil` module: the lock's own account of itself, from Python.
//
//   gil.policy()                  -> "fair" / "switch" / "ticks" / "none"
//   gil.stats()                   -> [ {per thread}, ..., {"name": "total", ...} ]
//   gil.reset_stats()             start counting afresh (wall time too)
//   gil.set_thread_name(ident, n) the name reports use (threading calls it)
//   gil.start_trace()             record trace events from now on (on already with
//                                 --gil-trace / --gil-timeline)
//   gil.tracing()                 -> bool
//   gil.write_trace(path)         Chrome trace-event JSON of everything recorded so far
//   gil.write_timeline(path)      the SVG timeline of the same
//
// Invariants: everything here reads the recorder (gil/stats.h) under its own mutex and
// converts to Python objects afterwards, so no Python object is made while the
// recorder's mutex is held; times are float seconds.
#include "core/args.h"
#include "gil/stats.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"

namespace gp {

namespace {

void put(Dict* d, const char* k, Value v) { dict_set_str(d, str_intern(k), v); }

Value thread_dict(const GilThreadReport& t) {
  Dict* d = dict_new();
  put(d, "name", vstr(str_new(t.name)));
  put(d, "ident", int_from_u64(t.ident));
  put(d, "native_id", int_from_u64(t.native_id));
  put(d, "alive", Bool(t.alive));
  put(d, "lifetime", float_new(t.lifetime));
  put(d, "held", float_new(t.held));
  put(d, "waited", float_new(t.waited));
  put(d, "blocked", float_new(t.blocked));
  put(d, "acquisitions", int_from_u64(t.acquisitions));
  put(d, "voluntary_releases", int_from_u64(t.voluntary));
  put(d, "forced_drops", int_from_u64(t.forced));
  put(d, "drop_requests", int_from_u64(t.drop_requests));
  put(d, "switches_in", int_from_u64(t.switches_in));
  put(d, "longest_wait", float_new(t.longest_wait));
  return vdict(d);
}

Value gil_stats(const Value*, size_t nargs, Tuple*) {
  check_nargs("stats", nargs, 0, 0);
  GilReport r = gil_report();
  List* out = list_new(0);
  for (auto& t : r.threads) list_append(out, thread_dict(t));
  Value tot = thread_dict(r.total);
  Dict* d = tot.as<Dict>();
  dict_del(d, vstr(str_intern("ident")));
  dict_del(d, vstr(str_intern("native_id")));
  dict_del(d, vstr(str_intern("alive")));
  put(d, "threads", int_from_u64(r.threads.size()));
  put(d, "policy", vstr(str_new(r.policy)));
  put(d, "wall", float_new(r.wall));
  put(d, "contended", float_new(r.contended));
  put(d, "contention", float_new(r.wall > 0 ? r.contended / r.wall : 0.0));
  list_append(out, tot);
  return vlist(out);
}

Value gil_policy(const Value*, size_t nargs, Tuple*) {
  check_nargs("policy", nargs, 0, 0);
  return vstr(str_new(gil_policy_name()));
}

Value gil_reset(const Value*, size_t nargs, Tuple*) {
  check_nargs("reset_stats", nargs, 0, 0);
  gil_reset_stats();
  return None();
}

Value gil_set_name(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("set_thread_name", kwnames);
  check_nargs("set_thread_name", nargs, 2, 2);
  if (!is_int(args[0])) raise(&exc_TypeError, "set_thread_name() argument 1 must be int, not %s", type_name_c(args[0]));
  if (!is_str(args[1])) raise(&exc_TypeError, "set_thread_name() argument 2 must be str, not %s", type_name_c(args[1]));
  int64_t ident;
  if (!int_to_i64(args[0], &ident)) raise(&exc_OverflowError, "thread ident out of range");
  gilrec_set_thread_name(uint64_t(ident), std::string(as_str(args[1])->view()));
  return None();
}

std::string path_arg(const char* fn, const Value* args, size_t nargs) {
  check_nargs(fn, nargs, 1, 1);
  if (!is_str(args[0])) raise(&exc_TypeError, "%s() argument must be str, not %s", fn, type_name_c(args[0]));
  return std::string(as_str(args[0])->view());
}

Value gil_start_trace(const Value*, size_t nargs, Tuple*) {
  check_nargs("start_trace", nargs, 0, 0);
  gil_trace_start();
  return None();
}

Value gil_tracing(const Value*, size_t nargs, Tuple*) {
  check_nargs("tracing", nargs, 0, 0);
  return Bool(gil_trace_enabled());
}

TlModel snapshot_or_raise(const char* fn) {
  if (!gil_trace_enabled())
    raise(&exc_RuntimeError, "%s(): the lock is not being traced (run with --gil-trace=FILE or call gil.start_trace() first)", fn);
  return gil_trace_snapshot();
}

Value gil_write_trace(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("write_trace", kwnames);
  std::string path = path_arg("write_trace", args, nargs);
  TlModel m = snapshot_or_raise("write_trace");
  std::string err;
  if (!trace_write_json(m, path, &err)) raise(&exc_OSError, "%s: %s", path.c_str(), err.c_str());
  return None();
}

Value gil_write_timeline(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("write_timeline", kwnames);
  std::string path = path_arg("write_timeline", args, nargs);
  TlModel m = snapshot_or_raise("write_timeline");
  std::string err;
  if (!timeline_write_svg(m, path, &err)) raise(&exc_OSError, "%s: %s", path.c_str(), err.c_str());
  return None();
}

}  // namespace

Module* init_module_gil() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("gil");
  module_add_fn(m, "policy", gil_policy);
  module_add_fn(m, "stats", gil_stats);
  module_add_fn(m, "reset_stats", gil_reset);
  module_add_fn(m, "set_thread_name", gil_set_name);
  module_add_fn(m, "start_trace", gil_start_trace);
  module_add_fn(m, "tracing", gil_tracing);
  module_add_fn(m, "write_trace", gil_write_trace);
  module_add_fn(m, "write_timeline", gil_write_timeline);
  return m;
}

}  // namespace gp
