// slice.cpp — slice objects and the index clamping every sequence uses.
// Invariants: slices are immutable and unhashable (3.11); start/stop/step are never
// null (None when omitted). Index conversion follows _PyEval_SliceIndex: any int or
// __index__ object, clamped to [INT64_MIN, INT64_MAX], so huge slice bounds are fine.
#include "objects/slice.h"

#include <climits>

#include "core/args.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type slice_type;

Value slice_new(Value start, Value stop, Value step) {
  Slice* s = gc_new_obj<Slice>(&slice_type);
  s->start = start ? start : None();
  s->stop = stop ? stop : None();
  s->step = step ? step : None();
  return Value::from_obj(s);
}

// _PyEval_SliceIndex: an int (or __index__) clamped to int64.
static int64_t slice_index(Value v) {
  if (v.is_small()) return v.small();
  if (!is_int(v)) {
    Type* t = type_of(v);
    if (!t->nb_index)
      raise(&exc_TypeError, "slice indices must be integers or None or have an __index__ method");
    v = number_index(v);
    if (v.is_small()) return v.small();
  }
  int64_t out;
  if (int_to_i64(v, &out)) return out;
  return int_sign(v) < 0 ? INT64_MIN : INT64_MAX;
}

void slice_unpack(Value slice, int64_t* start, int64_t* stop, int64_t* step) {
  Slice* r = slice.as<Slice>();
  if (is_none(r->step)) {
    *step = 1;
  } else {
    *step = slice_index(r->step);
    if (*step == 0) raise(&exc_ValueError, "slice step cannot be zero");
    if (*step < -INT64_MAX) *step = -INT64_MAX;  // so that -step cannot overflow
  }
  if (is_none(r->start))
    *start = *step < 0 ? INT64_MAX : 0;
  else
    *start = slice_index(r->start);
  if (is_none(r->stop))
    *stop = *step < 0 ? INT64_MIN : INT64_MAX;
  else
    *stop = slice_index(r->stop);
}

int64_t slice_adjust_indices(int64_t length, int64_t* start, int64_t* stop, int64_t step) {
  if (*start < 0) {
    *start += length;
    if (*start < 0) *start = (step < 0) ? -1 : 0;
  } else if (*start >= length) {
    *start = (step < 0) ? length - 1 : length;
  }
  if (*stop < 0) {
    *stop += length;
    if (*stop < 0) *stop = (step < 0) ? -1 : 0;
  } else if (*stop >= length) {
    *stop = (step < 0) ? length - 1 : length;
  }
  if (step < 0) {
    if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
  } else if (*start < *stop) {
    return (*stop - *start - 1) / step + 1;
  }
  return 0;
}

void slice_indices(Value slice, int64_t length, int64_t* start, int64_t* stop, int64_t* step,
                   int64_t* slicelength) {
  slice_unpack(slice, start, stop, step);
  int64_t n = slice_adjust_indices(length, start, stop, *step);
  if (slicelength) *slicelength = n;
}

// _PySlice_GetLongIndices: the same clamping with ints of any size (slice.indices, and
// slicing a range whose length does not fit int64).
static Value slice_index_long(Value v) {
  if (v.is_small() || is_int(v)) return int_exact(v);
  if (!type_of(v)->nb_index)
    raise(&exc_TypeError, "slice indices must be integers or None or have an __index__ method");
  return number_index(v);
}

void slice_indices_long(Value slice, Value length, Value* start, Value* stop, Value* step) {
  Slice* r = slice.as<Slice>();
  Value zero = Value::from_small(0);
  *step = is_none(r->step) ? Value::from_small(1) : slice_index_long(r->step);
  if (int_is_zero(*step)) raise(&exc_ValueError, "slice step cannot be zero");
  const bool neg = int_sign(*step) < 0;
  Value lower = neg ? Value::from_small(-1) : zero;
  Value upper = neg ? int_add(length, lower) : length;
  auto clamp = [&](Value given, Value dflt) {
    if (is_none(given)) return dflt;
    Value v = slice_index_long(given);
    if (int_sign(v) < 0) {
      v = int_add(v, length);
      if (int_compare(v, lower) < 0) v = lower;
    } else if (int_compare(v, upper) > 0) {
      v = upper;
    }
    return v;
  };
  *start = clamp(r->start, neg ? upper : lower);
  *stop = clamp(r->stop, neg ? lower : upper);
}

// ---- slots -------------------------------------------------------------------------

static Value slice_repr(Value self) {
  Slice* s = self.as<Slice>();
  std::string r = "slice(";
  r += repr(s->start)->view();
  r += ", ";
  r += repr(s->stop)->view();
  r += ", ";
  r += repr(s->step)->view();
  r += ")";
  return vstr(str_new(r));
}

static Value slice_richcompare(Value a, Value b, CmpOp op) {
  if (!is_slice(a) || !is_slice(b)) return NotImplemented();
  if (a == b && (op == CmpOp::Eq || op == CmpOp::Ne)) return Bool(op == CmpOp::Eq);
  Slice* x = a.as<Slice>();
  Slice* y = b.as<Slice>();
  Value ta = vtuple(tuple_of({x->start, x->stop, x->step}));
  Value tb = vtuple(tuple_of({y->start, y->stop, y->step}));
  return compare(ta, tb, op);
}

static Value slice_tp_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "slice() takes no keyword arguments");
  if (nargs == 0) raise(&exc_TypeError, "slice expected at least 1 argument, got 0");
  if (nargs > 3) raise(&exc_TypeError, "slice expected at most 3 arguments, got %zu", nargs);
  if (nargs == 1) return slice_new(None(), args[0], None());
  return slice_new(args[0], args[1], nargs == 3 ? args[2] : None());
}

static Value slice_get_start(Value self) { return self.as<Slice>()->start; }
static Value slice_get_stop(Value self) { return self.as<Slice>()->stop; }
static Value slice_get_step(Value self) { return self.as<Slice>()->step; }

// slice.indices(length) -> (start, stop, step), clamped as for a sequence of that length.
static Value slice_m_indices(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("indices", kwnames);
  if (nargs != 2)
    raise(&exc_TypeError, "slice.indices() takes exactly one argument (%zu given)", nargs - 1);
  Value length = int_exact(number_index(args[1]));
  if (int_sign(length) < 0) raise(&exc_ValueError, "length should not be negative");
  Value start, stop, step;
  slice_indices_long(args[0], length, &start, &stop, &step);
  return vtuple(tuple_of({start, stop, step}));
}

void init_slice_type() {
  Type* t = &slice_type;
  t->type = &type_type;
  t->name = "slice";
  t->basic_size = sizeof(Slice);
  t->flags = 0;
  t->repr = slice_repr;
  t->richcompare = slice_richcompare;
  t->tp_new = slice_tp_new;
  type_ready(t);
  type_add_getset(t, "start", slice_get_start);
  type_add_getset(t, "stop", slice_get_stop);
  type_add_getset(t, "step", slice_get_step);
  type_add_method(t, "indices", slice_m_indices);
}

}  // namespace gp
