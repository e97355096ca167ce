// tuple.cpp — tuple: immutable array of Values, items inline after the header.
// Invariants: a tuple handed to Python code is fully filled (no null items) and never
// changes; the empty exact tuple is one shared object; instances of heap subclasses
// (namedtuple) are allocated with their type's size, plus room for a trailing dict
// pointer. Hashing is CPython's xxHash-based tuplehash, so hash((1, 2)) matches.
#include <string>

#include "core/args.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/slice.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"

namespace gp {

Type tuple_type;
Type tuple_iterator_type;

static Tuple* alloc_tuple(Type* t, int64_t n) {
  if (n < 0 || n > (INT64_MAX >> 4)) raise_no_memory();
  size_t bytes = sizeof(Tuple) + size_t(n) * sizeof(Value);
  if (t != &tuple_type) bytes = var_instance_size(t, n);
  Tuple* r = gc_new_obj<Tuple>(t, bytes);
  r->size = n;
  return r;
}

Tuple* tuple_empty() {
  static Tuple* empty = [] {
    Tuple* e = static_cast<Tuple*>(GC_MALLOC_UNCOLLECTABLE(sizeof(Tuple)));
    e->type = &tuple_type;
    e->size = 0;
    return e;
  }();
  return empty;
}

Tuple* tuple_new(int64_t n) {
  if (n == 0) return tuple_empty();
  return alloc_tuple(&tuple_type, n);
}

Tuple* tuple_from(const Value* items, int64_t n) {
  if (n == 0) return tuple_empty();
  Tuple* t = alloc_tuple(&tuple_type, n);
  std::memcpy(t->items(), items, size_t(n) * sizeof(Value));
  return t;
}

Tuple* tuple_of(std::initializer_list<Value> items) {
  return tuple_from(items.begin(), int64_t(items.size()));
}

Tuple* tuple_pack2(Value a, Value b) {
  Tuple* t = alloc_tuple(&tuple_type, 2);
  t->items()[0] = a;
  t->items()[1] = b;
  return t;
}

static inline Value iter_step(Value it) {
  IterNextFn f = type_of(it)->iternext;
  return f ? f(it) : next(it);
}

Tuple* tuple_from_iterable(Value iterable) {
  if (is_type(iterable, &tuple_type)) return iterable.as<Tuple>();
  if (is_type(iterable, &list_type)) return list_as_tuple(iterable.as<List>());  // under its lock
  if (is_tuple(iterable)) {
    Tuple* s = iterable.as<Tuple>();
    return tuple_from(s->items(), s->size);
  }
  Value it = iter(iterable);
  ValueVec buf;
  for (Value v = iter_step(it); v; v = iter_step(it)) buf.push_back(v);
  return tuple_from(buf.data(), int64_t(buf.size()));
}

// ---- hashing and comparison ----------------------------------------------------------

int64_t tuple_hash_items(const Value* items, int64_t n) {
  constexpr uint64_t P1 = 11400714785074694791ULL;
  constexpr uint64_t P2 = 14029467366897019727ULL;
  constexpr uint64_t P5 = 2870177450012600261ULL;
  uint64_t acc = P5;
  for (int64_t i = 0; i < n; i++) {
    uint64_t lane = uint64_t(hash(items[i]));
    acc += lane * P2;
    acc = (acc << 31) | (acc >> 33);
    acc *= P1;
  }
  acc += uint64_t(n) ^ (P5 ^ 3527539ULL);
  if (acc == uint64_t(-1)) return 1546275796;
  return int64_t(acc);
}

static inline bool item_eq(Value a, Value b) {
  if (a == b) return true;
  if (a.is_small() && b.is_small()) return false;
  return eq(a, b);
}

Value seq_richcompare(const Value* a, int64_t na, const Value* b, int64_t nb, CmpOp op) {
  if (na != nb && (op == CmpOp::Eq || op == CmpOp::Ne)) return Bool(op == CmpOp::Ne);
  int64_t i = 0;
  // Items may be mutated by __eq__ (lists): re-read the bounds each step.
  for (; i < na && i < nb; i++) {
    if (!item_eq(a[i], b[i])) break;
  }
  if (i >= na || i >= nb) {
    bool r;
    switch (op) {
      case CmpOp::Lt: r = na < nb; break;
      case CmpOp::Le: r = na <= nb; break;
      case CmpOp::Eq: r = na == nb; break;
      case CmpOp::Ne: r = na != nb; break;
      case CmpOp::Gt: r = na > nb; break;
      default: r = na >= nb; break;
    }
    return Bool(r);
  }
  if (op == CmpOp::Eq) return False();
  if (op == CmpOp::Ne) return True();
  Value x = a[i], y = b[i];
  if (x.is_small() && y.is_small()) {
    int64_t p = x.small(), q = y.small();
    switch (op) {
      case CmpOp::Lt: return Bool(p < q);
      case CmpOp::Le: return Bool(p <= q);
      case CmpOp::Gt: return Bool(p > q);
      default: return Bool(p >= q);
    }
  }
  return compare(x, y, op);
}

// ---- slots ------------------------------------------------------------------------

static Value tuple_repr(Value self) {
  Tuple* t = self.as<Tuple>();
  if (t->size == 0) return vstr(str_new("()"));
  ReprGuard guard(self);
  if (guard.recursive()) return vstr(str_new("(...)"));
  std::string r = "(";
  for (int64_t i = 0; i < t->size; i++) {
    if (i) r += ", ";
    r += repr(t->items()[i])->view();
  }
  if (t->size == 1) r += ",";
  r += ")";
  return vstr(str_new(r));
}

static int64_t tuple_hash(Value self) {
  Tuple* t = self.as<Tuple>();
  return tuple_hash_items(t->items(), t->size);
}

static Value tuple_richcompare(Value a, Value b, CmpOp op) {
  if (!is_tuple(a) || !is_tuple(b)) return NotImplemented();
  Tuple* x = a.as<Tuple>();
  Tuple* y = b.as<Tuple>();
  return seq_richcompare(x->items(), x->size, y->items(), y->size, op);
}

static int64_t tuple_len(Value self) { return self.as<Tuple>()->size; }
static bool tuple_bool(Value self) { return self.as<Tuple>()->size != 0; }

static Value tuple_getitem(Value self, Value key) {
  Tuple* t = self.as<Tuple>();
  int64_t i;
  if (key.is_small()) {
    i = key.small();
  } else if (is_slice(key)) {
    int64_t start, stop, step, n;
    slice_indices(key, t->size, &start, &stop, &step, &n);
    if (n <= 0) return vtuple(tuple_empty());
    if (step == 1) {
      if (n == t->size && is_type(self, &tuple_type)) return self;
      return vtuple(tuple_from(t->items() + start, n));
    }
    Tuple* r = tuple_new(n);
    for (int64_t k = 0; k < n; ++k) {  // no index past the last (huge steps)
      int64_t j = start + k * step;
      r->items()[k] = t->items()[j];
    }
    return vtuple(r);
  } else if (is_int(key) || type_of(key)->nb_index) {
    i = as_index(key);
  } else {
    raise(&exc_TypeError, "tuple indices must be integers or slices, not %s", type_name_c(key));
  }
  if (i < 0) i += t->size;
  if (uint64_t(i) >= uint64_t(t->size)) raise(&exc_IndexError, "tuple index out of range");
  return t->items()[i];
}

static bool tuple_contains(Value self, Value item) {
  Tuple* t = self.as<Tuple>();
  for (int64_t i = 0; i < t->size; i++)
    if (item_eq(t->items()[i], item)) return true;
  return false;
}

static Value tuple_iter(Value self) {
  TupleIter* it = gc_new_obj<TupleIter>(&tuple_iterator_type);
  it->seq = self.as<Tuple>();
  it->index = 0;
  return Value::from_obj(it);
}

static Value tupleiter_next(Value self) {
  TupleIter* it = self.as<TupleIter>();
  Tuple* t = it->seq;
  if (t && it->index < t->size) return t->items()[it->index++];
  it->seq = nullptr;
  return Value::null();
}

static Value iter_self(Value self) { return self; }

static Value tupleiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  TupleIter* it = args[0].as<TupleIter>();
  return Value::from_small(it->seq ? it->seq->size - it->index : 0);
}

static Value tuple_add(Value a, Value b) {
  if (!is_tuple(a)) return NotImplemented();
  if (!is_tuple(b)) {
    Type* tb = type_of(b);
    if (tb->nb[size_t(BinOp::Add)] && (tb->flags & TF_HEAPTYPE) && !is_list(b)) {
      Value r = tb->nb[size_t(BinOp::Add)](a, b);
      if (r != NotImplemented()) return r;
    }
    raise(&exc_TypeError, "can only concatenate tuple (not \"%s\") to tuple", type_name_c(b));
  }
  Tuple* x = a.as<Tuple>();
  Tuple* y = b.as<Tuple>();
  if (y->size == 0 && is_type(a, &tuple_type)) return a;
  if (x->size == 0 && is_type(b, &tuple_type)) return b;
  Tuple* r = tuple_new(x->size + y->size);
  std::memcpy(r->items(), x->items(), size_t(x->size) * sizeof(Value));
  std::memcpy(r->items() + x->size, y->items(), size_t(y->size) * sizeof(Value));
  return vtuple(r);
}

// Shared by tuple and list `*`: find the sequence operand and the count, or raise
// CPython's "can't multiply sequence by non-int" after giving the other side a chance.
bool seq_repeat_operands(Value a, Value b, bool (*is_seq)(Value), Value* seq, int64_t* count) {
  Value other;
  if (is_seq(a)) { *seq = a; other = b; }
  else { *seq = b; other = a; }
  if (other.is_small()) { *count = other.small(); return true; }
  if (is_int(other) || type_of(other)->nb_index) {
    Value idx = number_index(other);
    int64_t n;
    if (!int_to_i64(idx, &n)) {
      if (int_sign(idx) < 0) { *count = 0; return true; }
      raise(&exc_OverflowError, "cannot fit 'int' into an index-sized integer");
    }
    *count = n;
    return true;
  }
  Type* to = type_of(other);
  BinaryFn f = to->nb[size_t(BinOp::Mul)];
  // Only classes written in Python may take over (their __rmul__); builtin sequences
  // never do, as they have no number slot in CPython.
  if (f && (to->flags & TF_HEAPTYPE) && !is_tuple(other) && !is_list(other) && *seq == a) {
    Value r = f(a, b);
    if (r != NotImplemented()) { *seq = r; return false; }
  }
  raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(other));
}

static bool is_tuple_fn(Value v) { return is_tuple(v); }

static Value tuple_mul(Value a, Value b) {
  if (!is_tuple(a) && !is_tuple(b)) return NotImplemented();
  Value seq;
  int64_t n;
  if (!seq_repeat_operands(a, b, is_tuple_fn, &seq, &n)) return seq;
  Tuple* t = seq.as<Tuple>();
  if (n <= 0 || t->size == 0) return vtuple(tuple_empty());
  if (n == 1 && is_type(seq, &tuple_type)) return seq;
  if (t->size > INT64_MAX / 16 / n) raise_no_memory();
  int64_t m = t->size;
  Tuple* r = tuple_new(m * n);
  if (m == 1) {
    Value v = t->items()[0];
    for (int64_t i = 0; i < n; i++) r->items()[i] = v;
  } else {
    for (int64_t i = 0; i < n; i++)
      std::memcpy(r->items() + i * m, t->items(), size_t(m) * sizeof(Value));
  }
  return vtuple(r);
}

static Value tuple_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &tuple_type && kwnames && kwnames->size)
    raise(&exc_TypeError, "tuple() takes no keyword arguments");
  size_t npos = nargs;
  if (npos > 1) raise(&exc_TypeError, "tuple expected at most 1 argument, got %zu", npos);
  if (type == &tuple_type) {
    if (npos == 0) return vtuple(tuple_empty());
    return vtuple(tuple_from_iterable(args[0]));
  }
  Tuple* src = npos == 0 ? tuple_empty() : tuple_from_iterable(args[0]);
  Tuple* r = alloc_tuple(type, src->size);
  std::memcpy(r->items(), src->items(), size_t(src->size) * sizeof(Value));
  return vtuple(r);
}

// ---- methods ----------------------------------------------------------------------

static Value tuple_m_count(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("count", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "tuple.count() takes exactly one argument (%zu given)", nargs - 1);
  Tuple* t = args[0].as<Tuple>();
  int64_t c = 0;
  for (int64_t i = 0; i < t->size; i++)
    if (item_eq(t->items()[i], args[1])) c++;
  return Value::from_small(c);
}

// start/stop arguments of index(): clamped, negative counts from the end.
void seq_index_bounds(const Value* extra, size_t nextra, int64_t size, int64_t* start,
                      int64_t* stop) {
  *start = 0;
  *stop = size;
  if (nextra >= 1) {
    int64_t s = 0, e = 0, st = 0;
    (void)st;
    Value sl = slice_new(extra[0], nextra >= 2 ? extra[1] : None(), None());
    slice_unpack(sl, &s, &e, &st);
    if (s < 0) { s += size; if (s < 0) s = 0; }
    *start = s;
    if (nextra >= 2) {
      if (e < 0) { e += size; if (e < 0) e = 0; }
      *stop = e;
    }
  }
}

static Value tuple_m_index(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("index", kwnames);
  if (nargs < 2) raise(&exc_TypeError, "index expected at least 1 argument, got %zu", nargs - 1);
  if (nargs > 4) raise(&exc_TypeError, "index expected at most 3 arguments, got %zu", nargs - 1);
  Tuple* t = args[0].as<Tuple>();
  int64_t start, stop;
  seq_index_bounds(args + 2, nargs - 2, t->size, &start, &stop);
  for (int64_t i = start; i < stop && i < t->size; i++)
    if (item_eq(t->items()[i], args[1])) return Value::from_small(i);
  raise(&exc_ValueError, "tuple.index(x): x not in tuple");
}

static Value tuple_m_getnewargs(const Value* args, size_t nargs, Tuple* kwnames) {
  Tuple* t = args[0].as<Tuple>();
  return vtuple(tuple_of({vtuple(tuple_from(t->items(), t->size))}));
}

void init_tuple_type() {
  Type* t = &tuple_type;
  t->type = &type_type;
  t->name = "tuple";
  t->basic_size = sizeof(Tuple);
  t->itemsize = sizeof(Value);
  t->flags = TF_BASETYPE | TF_TUPLE_SUBCLASS;
  t->repr = tuple_repr;
  t->hash = tuple_hash;
  t->richcompare = tuple_richcompare;
  t->len = tuple_len;
  t->nb_bool = tuple_bool;
  t->getitem = tuple_getitem;
  t->contains = tuple_contains;
  t->iter = tuple_iter;
  t->nb[size_t(BinOp::Add)] = tuple_add;
  t->nb[size_t(BinOp::Mul)] = tuple_mul;
  t->tp_new = tuple_tp_new;
  type_ready(t);
  type_add_method(t, "count", tuple_m_count);
  type_add_method(t, "index", tuple_m_index);
  type_add_method(t, "__getnewargs__", tuple_m_getnewargs);

  Type* it = &tuple_iterator_type;
  it->type = &type_type;
  it->name = "tuple_iterator";
  it->basic_size = sizeof(TupleIter);
  it->iter = iter_self;
  it->iternext = tupleiter_next;
  type_ready(it);
  type_add_method(it, "__length_hint__", tupleiter_length_hint);
}

}  // namespace gp
