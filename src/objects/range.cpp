// range.cpp — range objects and their iterator.
// Invariants: start/stop/step/len are int64 and fixed at construction; step != 0;
// every element start + i*step (0 <= i < len) fits int64, so element arithmetic is
// done in __int128 or wrapping uint64 and never overflows observably. Membership and
// indexing of ints are O(1).
#include "objects/range.h"

#include <string>

#include "core/args.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/slice.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type range_type, range_iterator_type;

static inline Value mkint(int64_t v) {
  return Value::fits_small(v) ? Value::from_small(v) : int_from_i64(v);
}

static int64_t range_length(int64_t start, int64_t stop, int64_t step) {
  __int128 lo = start, hi = stop, st = step, n = 0;
  if (st > 0 && lo < hi) n = (hi - lo - 1) / st + 1;
  else if (st < 0 && lo > hi) n = (lo - hi - 1) / (-st) + 1;
  if (n > INT64_MAX) raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
  return int64_t(n);
}

Value range_new(int64_t start, int64_t stop, int64_t step) {
  Range* r = gc_new_obj<Range>(&range_type);
  r->start = start;
  r->stop = stop;
  r->step = step;
  r->len = range_length(start, stop, step);
  return Value::from_obj(r);
}

static int64_t range_arg(Value v) {
  if (v.is_small()) return v.small();
  Value i = number_index(v);
  int64_t out;
  if (!int_to_i64(i, &out)) raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
  return out;
}

static Value range_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "range() takes no keyword arguments");
  if (nargs == 0) raise(&exc_TypeError, "range expected at least 1 argument, got 0");
  if (nargs > 3) raise(&exc_TypeError, "range expected at most 3 arguments, got %zu", nargs);
  int64_t start = 0, stop, step = 1;
  if (nargs == 1) {
    stop = range_arg(args[0]);
  } else {
    start = range_arg(args[0]);
    stop = range_arg(args[1]);
    if (nargs == 3) {
      step = range_arg(args[2]);
      if (step == 0) raise(&exc_ValueError, "range() arg 3 must not be zero");
    }
  }
  return range_new(start, stop, step);
}

static inline Range* R(Value v) { return v.as<Range>(); }
static inline int64_t item_at(Range* r, int64_t i) {
  return int64_t(__int128(r->start) + __int128(i) * r->step);
}

static Value range_repr(Value self) {
  Range* r = R(self);
  std::string s = "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
  if (r->step != 1) s += ", " + std::to_string(r->step);
  s += ")";
  return vstr(str_new(s));
}

static int64_t range_hash(Value self) {
  Range* r = R(self);
  Value t[3] = {mkint(r->len), None(), None()};
  if (r->len != 0) {
    t[1] = mkint(r->start);
    if (r->len != 1) t[2] = mkint(r->step);
  }
  return tuple_hash_items(t, 3);
}

static bool range_equal(Range* a, Range* b) {
  if (a == b) return true;
  if (a->len != b->len) return false;
  if (a->len == 0) return true;
  if (a->start != b->start) return false;
  if (a->len == 1) return true;
  return a->step == b->step;
}

static Value range_richcompare(Value a, Value b, CmpOp op) {
  if (!is_type(a, &range_type) || !is_type(b, &range_type)) return NotImplemented();
  if (op != CmpOp::Eq && op != CmpOp::Ne) return NotImplemented();
  bool r = range_equal(R(a), R(b));
  return Bool(op == CmpOp::Eq ? r : !r);
}

static int64_t range_len(Value self) { return R(self)->len; }
static bool range_bool(Value self) { return R(self)->len != 0; }

static Value range_getitem(Value self, Value key) {
  Range* r = R(self);
  if (is_slice(key)) {
    int64_t start, stop, step, n;
    slice_indices(key, r->len, &start, &stop, &step, &n);
    __int128 nstart = __int128(r->start) + __int128(start) * r->step;
    __int128 nstop = __int128(r->start) + __int128(stop) * r->step;
    __int128 nstep = __int128(step) * r->step;
    if (nstart > INT64_MAX || nstart < INT64_MIN || nstop > INT64_MAX || nstop < INT64_MIN ||
        nstep > INT64_MAX || nstep < INT64_MIN)
      raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
    Range* res = gc_new_obj<Range>(&range_type);
    res->start = int64_t(nstart);
    res->stop = int64_t(nstop);
    res->step = int64_t(nstep);
    res->len = n;
    return Value::from_obj(res);
  }
  int64_t i;
  if (key.is_small()) {
    i = key.small();
  } else if (is_int(key) || type_of(key)->nb_index) {
    Value idx = number_index(key);
    if (!int_to_i64(idx, &i)) raise(&exc_IndexError, "range object index out of range");
  } else {
    raise(&exc_TypeError, "range indices must be integers or slices, not %s", type_name_c(key));
  }
  if (i < 0) i += r->len;
  if (i < 0 || i >= r->len) raise(&exc_IndexError, "range object index out of range");
  return mkint(item_at(r, i));
}

// For exact ints (and bools): is x an element? *pos receives its index.
static bool int_member(Range* r, Value x, int64_t* pos) {
  int64_t v;
  if (x.is_small()) v = x.small();
  else if (!int_to_i64(x, &v)) return false;
  if (r->len == 0) return false;
  __int128 d = __int128(v) - r->start;
  if (r->step > 0) {
    if (v < r->start || v >= r->stop) return false;
  } else {
    if (v > r->start || v <= r->stop) return false;
  }
  if (d % r->step != 0) return false;
  if (pos) *pos = int64_t(d / r->step);
  return true;
}

static inline bool exact_intlike(Value x) {
  return x.is_small() || (x.is_obj() && (x.obj()->type == &int_type || x.obj()->type == &bool_type));
}

static bool range_contains(Value self, Value x) {
  Range* r = R(self);
  if (exact_intlike(x)) return int_member(r, x, nullptr);
  for (int64_t i = 0; i < r->len; i++)
    if (eq(mkint(item_at(r, i)), x)) return true;
  return false;
}

Value range_iter_new(int64_t start, int64_t step, int64_t count) {
  RangeIter* it = gc_new_obj<RangeIter>(&range_iterator_type);
  it->next = start;
  it->step = step;
  it->remaining = count;
  return Value::from_obj(it);
}

static Value range_iter(Value self) {
  Range* r = R(self);
  return range_iter_new(r->start, r->step, r->len);
}

static Value rangeiter_next(Value self) { return range_iter_next(self.as<RangeIter>()); }
static Value iter_self(Value self) { return self; }

static Value rangeiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  return mkint(args[0].as<RangeIter>()->remaining);
}

static Value range_m_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  Range* r = R(args[0]);
  if (r->len == 0) return range_iter_new(r->start, 1, 0);
  int64_t last = item_at(r, r->len - 1);
  return range_iter_new(last, int64_t(uint64_t(0) - uint64_t(r->step)), r->len);
}

static Value range_m_count(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("count", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "range.count() takes exactly one argument (%zu given)", nargs - 1);
  Range* r = R(args[0]);
  if (exact_intlike(args[1])) return Value::from_small(int_member(r, args[1], nullptr) ? 1 : 0);
  int64_t c = 0;
  for (int64_t i = 0; i < r->len; i++)
    if (eq(mkint(item_at(r, i)), args[1])) c++;
  return mkint(c);
}

static Value range_m_index(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("index", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "range.index() takes exactly one argument (%zu given)", nargs - 1);
  Range* r = R(args[0]);
  Value x = args[1];
  if (exact_intlike(x)) {
    int64_t pos;
    if (int_member(r, x, &pos)) return mkint(pos);
    raise(&exc_ValueError, "%s is not in range", repr(x)->data());
  }
  for (int64_t i = 0; i < r->len; i++)
    if (eq(mkint(item_at(r, i)), x)) return mkint(i);
  raise(&exc_ValueError, "sequence.index(x): x not in sequence");
}

static Value range_get_start(Value self) { return mkint(R(self)->start); }
static Value range_get_stop(Value self) { return mkint(R(self)->stop); }
static Value range_get_step(Value self) { return mkint(R(self)->step); }

void init_range_type() {
  Type* t = &range_type;
  t->type = &type_type;
  t->name = "range";
  t->basic_size = sizeof(Range);
  t->flags = 0;
  t->repr = range_repr;
  t->hash = range_hash;
  t->richcompare = range_richcompare;
  t->len = range_len;
  t->nb_bool = range_bool;
  t->getitem = range_getitem;
  t->contains = range_contains;
  t->iter = range_iter;
  t->tp_new = range_tp_new;
  type_ready(t);
  type_add_method(t, "__reversed__", range_m_reversed);
  type_add_method(t, "count", range_m_count);
  type_add_method(t, "index", range_m_index);
  type_add_getset(t, "start", range_get_start);
  type_add_getset(t, "stop", range_get_stop);
  type_add_getset(t, "step", range_get_step);

  Type* it = &range_iterator_type;
  it->type = &type_type;
  it->name = "range_iterator";
  it->basic_size = sizeof(RangeIter);
  it->iter = iter_self;
  it->iternext = rangeiter_next;
  type_ready(it);
  type_add_method(it, "__length_hint__", rangeiter_length_hint);
}

}  // namespace gp
