// gc.cpp — the gc module over the collector (gilpy's own or libgc: gc/gcapi.h).
// Invariant: `enabled` mirrors Python's boolean view; GC_disable/GC_enable calls are
// kept balanced (both collectors count them), so the collector is off exactly while
// disabled.
#include "gc/gcapi.h"

#include <mutex>

#include "core/args.h"
#include "gil/gil.h"
#include "objects/module.h"
#include "objects/tuple.h"

namespace gp {

namespace {
std::mutex g_mu;
bool g_enabled = true;
int64_t g_threshold[3] = {700, 10, 10};

Value gc_collect(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"generation", nullptr};
  Value a[1];
  parse_args("collect", args, nargs, kwnames, kw, 0, a);
  if (!a[0].is_null()) {
    int64_t g = as_index(a[0]);
    if (g < 0 || g > 2) raise(&exc_ValueError, "invalid generation");
  }
  {
    // Another gc.collect() may hold the mutex for a whole collection: wait for it as in
    // a blocking call, so that collection need not interrupt this thread (gil.h).
    std::unique_lock<std::mutex> g(g_mu, std::try_to_lock);
    if (!g.owns_lock()) {
      GcWaitRegion wait(tstate());
      g.lock();
    }
    if (!g_enabled) GC_enable();  // gc.collect() works even while disabled
    GC_gcollect();
    if (!g_enabled) GC_disable();
  }
  return Value::from_small(0);
}
Value gc_enable(const Value*, size_t nargs, Tuple*) {
  check_nargs("enable", nargs, 0, 0);
  std::lock_guard<std::mutex> g(g_mu);
  if (!g_enabled) {
    GC_enable();
    g_enabled = true;
  }
  return None();
}
Value gc_disable(const Value*, size_t nargs, Tuple*) {
  check_nargs("disable", nargs, 0, 0);
  std::lock_guard<std::mutex> g(g_mu);
  if (g_enabled) {
    GC_disable();
    g_enabled = false;
  }
  return None();
}
Value gc_isenabled(const Value*, size_t nargs, Tuple*) {
  check_nargs("isenabled", nargs, 0, 0);
  std::lock_guard<std::mutex> g(g_mu);
  return Bool(g_enabled);
}
Value gc_get_threshold(const Value*, size_t nargs, Tuple*) {
  std::lock_guard<std::mutex> g(g_mu);
  return vtuple(tuple_of({Value::from_small(g_threshold[0]), Value::from_small(g_threshold[1]),
                          Value::from_small(g_threshold[2])}));
}
Value gc_set_threshold(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("set_threshold", kwnames);
  check_nargs("set_threshold", nargs, 1, 3);
  std::lock_guard<std::mutex> g(g_mu);
  for (size_t i = 0; i < nargs; i++) g_threshold[i] = as_index(args[i]);
  return None();
}
Value gc_get_count(const Value*, size_t nargs, Tuple*) {
  return vtuple(tuple_of({Value::from_small(0), Value::from_small(0), Value::from_small(0)}));
}
Value gc_noop(const Value*, size_t, Tuple*) { return None(); }
Value gc_is_tracked(const Value* args, size_t nargs, Tuple*) {
  check_nargs("is_tracked", nargs, 1, 1);
  return Bool(args[0].is_obj());
}
}  // namespace

Module* init_module_gc() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("gc");
  module_add_fn(m, "collect", gc_collect);
  module_add_fn(m, "enable", gc_enable);
  module_add_fn(m, "disable", gc_disable);
  module_add_fn(m, "isenabled", gc_isenabled);
  module_add_fn(m, "get_threshold", gc_get_threshold);
  module_add_fn(m, "set_threshold", gc_set_threshold);
  module_add_fn(m, "get_count", gc_get_count);
  module_add_fn(m, "freeze", gc_noop);
  module_add_fn(m, "unfreeze", gc_noop);
  module_add_fn(m, "is_tracked", gc_is_tracked);
  return m;
}

}  // namespace gp
