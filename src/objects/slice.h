// slice.h — slice objects and CPython's index clamping for sequences.
// Invariants: a Slice is immutable; start/stop/step are any Values (None when omitted,
// never null). slice_indices follows PySlice_Unpack + PySlice_AdjustIndices exactly:
// step 0 raises ValueError "slice step cannot be zero", non-index values raise
// TypeError "slice indices must be integers or None or have an __index__ method",
// huge ints clamp, and the results satisfy the loop
//   for (i = start, k = 0; k < slicelength; i += step, ++k)  // every i in [0, length)
#pragma once
#include "core/runtime.h"

namespace gp {

struct Slice : Object {
  Value start, stop, step;
};

Value slice_new(Value start, Value stop, Value step);  // null arguments become None
void slice_indices(Value slice, int64_t length, int64_t* start, int64_t* stop, int64_t* step,
                   int64_t* slicelength);
// The first half of slice_indices (PySlice_Unpack): start/stop/step with None resolved to
// defaults and out-of-range ints clamped to +-INT64_MAX, no length yet.
void slice_unpack(Value slice, int64_t* start, int64_t* stop, int64_t* step);
// The second half (PySlice_AdjustIndices): clamps to length, returns slicelength.
int64_t slice_adjust_indices(int64_t length, int64_t* start, int64_t* stop, int64_t step);
// _PySlice_GetLongIndices: start/stop/step clamped to a length of any size, as ints
// (slice.indices, and slicing a range too long for int64).
void slice_indices_long(Value slice, Value length, Value* start, Value* stop, Value* step);
inline bool is_slice(Value v) { return is_type(v, &slice_type); }

}  // namespace gp
