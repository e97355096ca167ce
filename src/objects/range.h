// range.h — range objects and their iterator.
// Invariants: a Range is immutable (step never 0, the length computed once at
// construction). It has one of two forms, fixed at construction:
//  * short: start, stop, step and the length all fit int64 (`lng` null) — every
//    element then fits int64 too, and the VM iterates it without allocating;
//  * long: any of them does not (`lng` holds all four as ints; the int64 fields are
//    unused). As in CPython, such a range is built, indexed, sliced, compared, hashed,
//    searched and iterated with ints of any size; only len() of one longer than
//    sys.maxsize raises OverflowError.
#pragma once
#include "core/runtime.h"
#include "objects/int.h"

namespace gp {

struct RangeLong {
  Value start, stop, step, len;
};

struct Range : Object {
  int64_t start, stop, step;
  int64_t len;
  RangeLong* lng;  // the long form, or null
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
Value range_new_long(Value start, Value stop, Value step);   // exact ints, step != 0
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
