// range.cpp — range objects and their iterators.
// Invariants (with range.h's): a short range's elements start + i*step (0 <= i < len)
// all fit int64, so its arithmetic is done in __int128 or wrapping uint64 and never
// overflows observably; membership and indexing of ints are O(1) in both forms. Every
// operation on a long range goes through its four ints (RangeLong), as CPython's does.
#include "objects/range.h"

#include <string>

#include "core/args.h"
#include "core/objlock.h"
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

static __int128 range_length(int64_t start, int64_t stop, int64_t step) {
  __int128 lo = start, hi = stop, st = step, n = 0;
  if (st > 0 && lo < hi) n = (hi - lo - 1) / st + 1;
  else if (st < 0 && lo > hi) n = (lo - hi - 1) / (-st) + 1;
  return n;
}

Value range_new(int64_t start, int64_t stop, int64_t step) {
  __int128 n = range_length(start, stop, step);
  if (n > INT64_MAX) return range_new_long(mkint(start), mkint(stop), mkint(step));
  Range* r = gc_new_obj<Range>(&range_type);
  r->start = start;
  r->stop = stop;
  r->step = step;
  r->len = int64_t(n);
  return Value::from_obj(r);
}

// Exact ints, step nonzero: the short form when everything fits int64.
Value range_new_long(Value start, Value stop, Value step) {
  int64_t a, b, c;
  if (int_to_i64(start, &a) && int_to_i64(stop, &b) && int_to_i64(step, &c) &&
      range_length(a, b, c) <= INT64_MAX)
    return range_new(a, b, c);
  Value one = Value::from_small(1), len = Value::from_small(0);
  if (int_sign(step) > 0 && int_compare(start, stop) < 0)
    len = int_add(int_floordiv(int_sub(int_sub(stop, start), one), step), one);
  else if (int_sign(step) < 0 && int_compare(start, stop) > 0)
    len = int_add(int_floordiv(int_sub(int_sub(start, stop), one), int_neg(step)), one);
  auto* l = static_cast<RangeLong*>(gc_alloc(sizeof(RangeLong)));
  *l = RangeLong{start, stop, step, len};
  Range* r = gc_new_obj<Range>(&range_type);
  r->lng = l;
  return Value::from_obj(r);
}

static Value range_arg(Value v) {
  if (v.is_small()) return v;
  return int_exact(number_index(v));
}

static Value range_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "range() takes no keyword arguments");
  if (nargs == 0) raise(&exc_TypeError, "range expected at least 1 argument, got 0");
  if (nargs > 3) raise(&exc_TypeError, "range expected at most 3 arguments, got %zu", nargs);
  Value start = Value::from_small(0), stop, step = Value::from_small(1);
  if (nargs == 1) {
    stop = range_arg(args[0]);
  } else {
    start = range_arg(args[0]);
    stop = range_arg(args[1]);
    if (nargs == 3) {
      step = range_arg(args[2]);
      if (int_is_zero(step)) raise(&exc_ValueError, "range() arg 3 must not be zero");
    }
  }
  if (start.is_small() && stop.is_small() && step.is_small())
    return range_new(start.small(), stop.small(), step.small());
  return range_new_long(start, stop, step);
}

static inline Range* R(Value v) { return v.as<Range>(); }
static inline int64_t item_at(Range* r, int64_t i) {
  return int64_t(__int128(r->start) + __int128(i) * r->step);
}

// Either form as four ints.
static RangeLong parts(Range* r) {
  if (r->lng) return *r->lng;
  return RangeLong{mkint(r->start), mkint(r->stop), mkint(r->step), mkint(r->len)};
}

static Value range_repr(Value self) {
  RangeLong p = parts(R(self));
  std::string s = "range(";
  s += int_repr(p.start)->view();
  s += ", ";
  s += int_repr(p.stop)->view();
  if (!(p.step.is_small() && p.step.small() == 1)) {
    s += ", ";
    s += int_repr(p.step)->view();
  }
  s += ")";
  return vstr(str_new(s));
}

// hash((len, start, step)), with start and step None where they do not matter (equal
// ranges hash equal).
static int64_t range_hash(Value self) {
  RangeLong p = parts(R(self));
  Value t[3] = {p.len, None(), None()};
  if (!int_is_zero(p.len)) {
    t[1] = p.start;
    if (int_compare(p.len, Value::from_small(1)) != 0) t[2] = p.step;
  }
  return tuple_hash_items(t, 3);
}

static bool range_equal(Range* a, Range* b) {
  if (a == b) return true;
  if (!a->lng && !b->lng) {
    if (a->len != b->len) return false;
    if (a->len == 0) return true;
    if (a->start != b->start) return false;
    if (a->len == 1) return true;
    return a->step == b->step;
  }
  RangeLong x = parts(a), y = parts(b);
  if (int_compare(x.len, y.len) != 0) return false;
  if (int_is_zero(x.len)) return true;
  if (int_compare(x.start, y.start) != 0) return false;
  if (int_compare(x.len, Value::from_small(1)) == 0) return true;
  return int_compare(x.step, y.step) == 0;
}

static Value range_richcompare(Value a, Value b, CmpOp op) {
  if (!is_type(a, &range_type) || !is_type(b, &range_type)) return NotImplemented();
  if (op != CmpOp::Eq && op != CmpOp::Ne) return NotImplemented();
  bool r = range_equal(R(a), R(b));
  return Bool(op == CmpOp::Eq ? r : !r);
}

static int64_t range_len(Value self) {
  Range* r = R(self);
  if (!r->lng) return r->len;
  int64_t n;
  if (!int_to_i64(r->lng->len, &n))
    raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
  return n;
}
static bool range_bool(Value self) {
  Range* r = R(self);
  return r->lng ? !int_is_zero(r->lng->len) : r->len != 0;
}

// start + i*step, for any i (CPython's compute_item).
static Value long_item(const RangeLong& p, Value i) { return int_add(p.start, int_mul(i, p.step)); }

static Value range_slice(Range* r, Value key) {
  if (!r->lng) {
    int64_t start, stop, step, n;
    slice_indices(key, r->len, &start, &stop, &step, &n);
    __int128 nstart = __int128(r->start) + __int128(start) * r->step;
    __int128 nstop = __int128(r->start) + __int128(stop) * r->step;
    __int128 nstep = __int128(step) * r->step;
    if (nstart <= INT64_MAX && nstart >= INT64_MIN && nstop <= INT64_MAX && nstop >= INT64_MIN &&
        nstep <= INT64_MAX && nstep >= INT64_MIN) {
      Range* res = gc_new_obj<Range>(&range_type);
      res->start = int64_t(nstart);
      res->stop = int64_t(nstop);
      res->step = int64_t(nstep);
      res->len = n;
      return Value::from_obj(res);
    }
  }
  RangeLong p = parts(r);
  Value start, stop, step;
  slice_indices_long(key, p.len, &start, &stop, &step);
  return range_new_long(long_item(p, start), long_item(p, stop), int_mul(step, p.step));
}

static Value range_getitem(Value self, Value key) {
  Range* r = R(self);
  if (is_slice(key)) return range_slice(r, key);
  Value idx;
  if (key.is_small()) idx = key;
  else if (is_int(key) || type_of(key)->nb_index) idx = int_exact(number_index(key));
  else raise(&exc_TypeError, "range indices must be integers or slices, not %s", type_name_c(key));
  if (!r->lng) {
    int64_t i;
    if (!int_to_i64(idx, &i)) raise(&exc_IndexError, "range object index out of range");
    if (i < 0) i += r->len;
    if (i < 0 || i >= r->len) raise(&exc_IndexError, "range object index out of range");
    return mkint(item_at(r, i));
  }
  const RangeLong& p = *r->lng;
  if (int_sign(idx) < 0) idx = int_add(idx, p.len);
  if (int_sign(idx) < 0 || int_compare(idx, p.len) >= 0)
    raise(&exc_IndexError, "range object index out of range");
  return long_item(p, idx);
}

// For exact ints (and bools): is x an element? *pos receives its index.
static bool int_member(Range* r, Value x, Value* pos) {
  if (!r->lng) {
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
    if (pos) *pos = mkint(int64_t(d / r->step));
    return true;
  }
  const RangeLong& p = *r->lng;
  x = int_exact(x);
  if (int_sign(p.step) > 0) {
    if (int_compare(x, p.start) < 0 || int_compare(x, p.stop) >= 0) return false;
  } else {
    if (int_compare(x, p.start) > 0 || int_compare(x, p.stop) <= 0) return false;
  }
  Value d = int_sub(x, p.start);
  if (!int_is_zero(int_mod(d, p.step))) return false;
  if (pos) *pos = int_floordiv(d, p.step);
  return true;
}

static inline bool exact_intlike(Value x) {
  return x.is_small() || (x.is_obj() && (x.obj()->type == &int_type || x.obj()->type == &bool_type));
}

// A linear search by ==, for what is not an exact int (CPython's _PySequence_IterSearch):
// the index of the first element equal to x, or -1; `count` counts them all instead.
static Value search(Range* r, Value x, bool count) {
  int64_t c = 0;
  NativeLoop turns;
  if (!r->lng) {
    for (int64_t i = 0; i < r->len; i++) {
      if (eq(mkint(item_at(r, i)), x)) {
        if (!count) return mkint(i);
        c++;
      }
      turns.check();
    }
    return count ? mkint(c) : Value::from_small(-1);
  }
  RangeLong p = *r->lng;
  Value one = Value::from_small(1), n = Value::from_small(0);
  for (Value i = Value::from_small(0), v = p.start; int_compare(i, p.len) < 0;
       i = int_add(i, one), v = int_add(v, p.step)) {
    if (eq(v, x)) {
      if (!count) return i;
      n = int_add(n, one);
    }
    turns.check();
  }
  return count ? n : Value::from_small(-1);
}

static bool range_contains(Value self, Value x) {
  Range* r = R(self);
  if (exact_intlike(x)) return int_member(r, x, nullptr);
  return int_sign(search(r, x, false)) >= 0;
}

Value range_iter_new(int64_t start, int64_t step, int64_t count) {
  RangeIter* it = gc_new_obj<RangeIter>(&range_iterator_type);
  it->next = start;
  it->step = step;
  it->remaining = count;
  return Value::from_obj(it);
}

// A long range's iterator: ints of any size, `remaining` of them from `next`.
struct LongRangeIter : Object {
  Value next, step, remaining;
};
static Type longrange_iterator_type;

static Value longrange_iter_new(Value start, Value step, Value count) {
  auto* it = gc_new_obj<LongRangeIter>(&longrange_iterator_type);
  it->next = start;
  it->step = step;
  it->remaining = count;
  return Value::from_obj(it);
}

static Value range_iter(Value self) {
  Range* r = R(self);
  if (r->lng) return longrange_iter_new(r->lng->start, r->lng->step, r->lng->len);
  return range_iter_new(r->start, r->step, r->len);
}

static Value rangeiter_next(Value self) { return range_iter_next(self.as<RangeIter>()); }
static Value iter_self(Value self) { return self; }

static Value rangeiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  return mkint(args[0].as<RangeIter>()->remaining);
}

// Not thread-safe by itself under --gil=none, like a shared list iterator: two threads
// advancing one may see an element twice, never a torn int (each field is one word).
static Value longrangeiter_next(Value self) {
  auto* it = self.as<LongRangeIter>();
  Value left = ld_val(&it->remaining);
  if (int_sign(left) <= 0) return Value::null();
  Value v = ld_val(&it->next);
  st_val(&it->remaining, int_sub(left, Value::from_small(1)));
  st_val(&it->next, int_add(v, it->step));
  return v;
}

static Value longrangeiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  return ld_val(&args[0].as<LongRangeIter>()->remaining);
}

static Value range_m_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  Range* r = R(args[0]);
  if (r->lng) {
    const RangeLong& p = *r->lng;
    if (int_is_zero(p.len)) return range_iter_new(0, 1, 0);
    Value last = long_item(p, int_sub(p.len, Value::from_small(1)));
    return longrange_iter_new(last, int_neg(p.step), p.len);
  }
  if (r->len == 0) return range_iter_new(r->start, 1, 0);
  int64_t last = item_at(r, r->len - 1);
  return range_iter_new(last, int64_t(uint64_t(0) - uint64_t(r->step)), r->len);
}

static Value range_m_count(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("count", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "range.count() takes exactly one argument (%zu given)", nargs - 1);
  Range* r = R(args[0]);
  if (exact_intlike(args[1])) return Value::from_small(int_member(r, args[1], nullptr) ? 1 : 0);
  return search(r, args[1], true);
}

static Value range_m_index(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("index", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "range.index() takes exactly one argument (%zu given)", nargs - 1);
  Range* r = R(args[0]);
  Value x = args[1];
  if (exact_intlike(x)) {
    Value pos;
    if (int_member(r, x, &pos)) return pos;
    raise(&exc_ValueError, "%s is not in range", repr(x)->data());
  }
  Value i = search(r, x, false);
  if (int_sign(i) >= 0) return i;
  raise(&exc_ValueError, "sequence.index(x): x not in sequence");
}

static Value range_get_start(Value self) { return parts(R(self)).start; }
static Value range_get_stop(Value self) { return parts(R(self)).stop; }
static Value range_get_step(Value self) { return parts(R(self)).step; }

// copy / pickle protocol: range(start, stop, step).
static Value range_m_reduce(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("__reduce__", kwnames);
  RangeLong p = parts(R(args[0]));
  return vtuple(tuple_of({Value::from_obj(&range_type), vtuple(tuple_of({p.start, p.stop, p.step}))}));
}

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
  type_add_method(t, "__reduce__", range_m_reduce);
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

  Type* lt = &longrange_iterator_type;
  lt->type = &type_type;
  lt->name = "longrange_iterator";
  lt->basic_size = sizeof(LongRangeIter);
  lt->iter = iter_self;
  lt->iternext = longrangeiter_next;
  type_ready(lt);
  type_add_method(lt, "__length_hint__", longrangeiter_length_hint);
}

}  // namespace gp
