// range.h — range objects and their iterator.
// Invariants: a Range is immutable; start/stop/step and the length are int64 (step
// never 0, len >= 0 is computed once at construction). Values outside int64 raise
// OverflowError at construction (CPython accepts them; see the report's known gaps).
#pragma once
#include "core/runtime.h"
#include "objects/int.h"

namespace gp {

struct Range : Object {
  int64_t start, stop, step;
  int64_t len;
};

// The iterator yields `remaining` values next, next+step, ... (exposed for the VM's
// FOR_ITER fast path).
struct RangeIter : Object {
  int64_t next;
  int64_t step;
  int64_t remaining;
};
extern Type range_iterator_type;

Value range_new(int64_t start, int64_t stop, int64_t step);  // step != 0
Value range_iter_new(int64_t start, int64_t step, int64_t count);
inline Value range_iter_next(RangeIter* it) {
  if (it->remaining <= 0) return Value::null();
  it->remaining--;
  int64_t v = it->next;
  // Wrapping add: past the last value the result is never read.
  it->next = int64_t(uint64_t(v) + uint64_t(it->step));
  return Value::fits_small(v) ? Value::from_small(v) : int_from_i64(v);
}

}  // namespace gp
