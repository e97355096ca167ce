// iterobject.cpp — enumerate, zip, map, filter, reversed, the sequence iterator and
// the callable iterator.
// Invariants: every iterator keeps its whole state in its own object; iternext returns
// null (never raises StopIteration) when done. The sequence-style iterators drop their
// source once exhausted so they stay exhausted; zip/map re-poll their sources, as
// CPython's do.
#include "objects/iterobject.h"

#include "core/args.h"
#include "objects/dict.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type enumerate_type, zip_type, map_type, filter_type, reversed_type, seqiter_type,
    callable_iter_type;

static inline bool has_kw(Tuple* kwnames) { return kwnames && kwnames->size; }

static inline Value iter_step(Value it) {
  IterNextFn f = type_of(it)->iternext;
  return f ? f(it) : next(it);
}

static Value iter_self(Value self) { return self; }

template <class T>
static T* alloc_iter(Type* base, Type* t) {
  return gc_new_obj<T>(t, t == base ? sizeof(T) : size_t(t->basic_size));
}

// True (and the exception cleared) if the pending exception is one of the two that
// end a sequence iteration; otherwise the caller re-throws.
static bool swallow_end_of_sequence() {
  Value e = current_exception();
  if (e && (exc_matches(e, Value::from_obj(&exc_IndexError)) ||
            exc_matches(e, Value::from_obj(&exc_StopIteration)))) {
    take_exception();
    return true;
  }
  return false;
}

static inline Value mkint(int64_t v) {
  return Value::fits_small(v) ? Value::from_small(v) : int_from_i64(v);
}

// ---- enumerate ------------------------------------------------------------------------

struct Enumerate : Object {
  Value it;
  int64_t index;    // next count while it fits a small int
  Value big;        // the next count once past the small range (null before)
};

static Value enumerate_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"iterable", "start", nullptr};
  Value a[2];
  parse_args("enumerate", args, nargs, kwnames, kw, 0, a);
  if (!a[0]) raise(&exc_TypeError, "enumerate() missing required argument 'iterable'");
  Enumerate* e = alloc_iter<Enumerate>(&enumerate_type, type);
  e->it = iter(a[0]);
  if (a[1]) {
    Value s = a[1].is_small() ? a[1] : number_index(a[1]);
    if (s.is_small() && s.small() < Value::SMALL_MAX) e->index = s.small();
    else e->big = s;
  }
  return Value::from_obj(e);
}

static Value enumerate_next(Value self) {
  Enumerate* e = self.as<Enumerate>();
  Value item = iter_step(e->it);
  if (!item) return Value::null();
  Value count;
  if (!e->big) {
    count = Value::from_small(e->index);
    if (++e->index == Value::SMALL_MAX) e->big = Value::from_small(Value::SMALL_MAX);
  } else {
    count = e->big;
    e->big = int_add(count, Value::from_small(1));
  }
  return vtuple(tuple_pack2(count, item));
}

// ---- zip --------------------------------------------------------------------------

struct Zip : Object {
  Tuple* iters;
  bool strict;
};

static Value zip_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  bool strict = false;
  if (kwnames) {
    for (int64_t i = 0; i < kwnames->size; i++) {
      Str* name = as_str(kwnames->items()[i]);
      if (name->view() != "strict")
        raise(&exc_TypeError, "'%s' is an invalid keyword argument for zip()", name->data());
      strict = truthy(args[nargs + size_t(i)]);
    }
  }
  Tuple* iters = tuple_new(int64_t(nargs));
  for (size_t i = 0; i < nargs; i++) iters->items()[i] = iter(args[i]);
  Zip* z = alloc_iter<Zip>(&zip_type, type);
  z->iters = iters;
  z->strict = strict;
  return Value::from_obj(z);
}

static Value zip_next(Value self) {
  Zip* z = self.as<Zip>();
  int64_t n = z->iters->size;
  if (n == 0) return Value::null();
  Tuple* result = tuple_new(n);
  for (int64_t i = 0; i < n; i++) {
    Value item = iter_step(z->iters->items()[i]);
    if (item) {
      result->items()[i] = item;
      continue;
    }
    if (!z->strict) return Value::null();
    if (i) {
      raise(&exc_ValueError, "zip() argument %lld is shorter than argument%s%lld", (long long)(i + 1),
            i == 1 ? " " : "s 1-", (long long)i);
    }
    for (int64_t j = 1; j < n; j++) {
      if (iter_step(z->iters->items()[j]))
        raise(&exc_ValueError, "zip() argument %lld is longer than argument%s%lld", (long long)(j + 1),
              j == 1 ? " " : "s 1-", (long long)j);
    }
    return Value::null();
  }
  return vtuple(result);
}

// ---- map --------------------------------------------------------------------------

struct Map : Object {
  Value func;
  Tuple* iters;
};

static Value map_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &map_type && has_kw(kwnames)) raise(&exc_TypeError, "map() takes no keyword arguments");
  if (nargs < 2) raise(&exc_TypeError, "map() must have at least two arguments.");
  Tuple* iters = tuple_new(int64_t(nargs - 1));
  for (size_t i = 1; i < nargs; i++) iters->items()[i - 1] = iter(args[i]);
  Map* m = alloc_iter<Map>(&map_type, type);
  m->func = args[0];
  m->iters = iters;
  return Value::from_obj(m);
}

static Value map_next(Value self) {
  Map* m = self.as<Map>();
  int64_t n = m->iters->size;
  if (n == 1) {
    Value item = iter_step(m->iters->items()[0]);
    if (!item) return Value::null();
    return call(m->func, &item, 1, nullptr);
  }
  Value small[8];
  ValueVec big;
  Value* argv = small;
  if (n > 8) {
    big.resize(size_t(n));
    argv = big.data();
  }
  for (int64_t i = 0; i < n; i++) {
    argv[i] = iter_step(m->iters->items()[i]);
    if (!argv[i]) return Value::null();
  }
  return call(m->func, argv, size_t(n), nullptr);
}

// ---- filter -------------------------------------------------------------------------

struct Filter : Object {
  Value func;   // None or bool: keep truthy items
  Value it;
};

static Value filter_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &filter_type && has_kw(kwnames)) raise(&exc_TypeError, "filter() takes no keyword arguments");
  if (nargs != 2) raise(&exc_TypeError, "filter expected 2 arguments, got %zu", nargs);
  Filter* f = alloc_iter<Filter>(&filter_type, type);
  f->func = args[0];
  f->it = iter(args[1]);
  return Value::from_obj(f);
}

static Value filter_next(Value self) {
  Filter* f = self.as<Filter>();
  bool plain = is_none(f->func) || f->func == Value::from_obj(&bool_type);
  for (;;) {
    Value item = iter_step(f->it);
    if (!item) return Value::null();
    bool ok = plain ? truthy(item) : truthy(call(f->func, &item, 1, nullptr));
    if (ok) return item;
  }
}

// ---- reversed -----------------------------------------------------------------------

struct Reversed : Object {
  Value seq;        // null once exhausted
  int64_t index;
};

Value reversed_of(Value seq) {
  if (is_type(seq, &list_type)) return list_reversed_iter(seq.as<List>());
  Type* t = type_of(seq);
  Value meth = type_lookup(t, GP_STR("__reversed__"));
  if (meth) {
    if (is_none(meth)) raise(&exc_TypeError, "'%s' object is not reversible", type_name_c(seq));
    return call_dunder_opt(seq, GP_STR("__reversed__"), {});
  }
  if (!t->getitem || is_dict(seq))
    raise(&exc_TypeError, "'%s' object is not reversible", type_name_c(seq));
  int64_t n = len(seq);
  Reversed* r = gc_new_obj<Reversed>(&reversed_type);
  r->seq = seq;
  r->index = n - 1;
  return Value::from_obj(r);
}

static Value reversed_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &reversed_type && has_kw(kwnames))
    raise(&exc_TypeError, "reversed() takes no keyword arguments");
  if (nargs != 1) raise(&exc_TypeError, "reversed expected 1 argument, got %zu", nargs);
  if (type == &reversed_type) return reversed_of(args[0]);
  Value seq = args[0];
  Type* t = type_of(seq);
  Value meth = type_lookup(t, GP_STR("__reversed__"));
  if (meth) {
    if (is_none(meth)) raise(&exc_TypeError, "'%s' object is not reversible", type_name_c(seq));
    return call_dunder_opt(seq, GP_STR("__reversed__"), {});
  }
  if (!t->getitem || is_dict(seq))
    raise(&exc_TypeError, "'%s' object is not reversible", type_name_c(seq));
  int64_t n = len(seq);
  Reversed* r = alloc_iter<Reversed>(&reversed_type, type);
  r->seq = seq;
  r->index = n - 1;
  return Value::from_obj(r);
}

static Value reversed_next(Value self) {
  Reversed* r = self.as<Reversed>();
  if (r->seq && r->index >= 0) {
    try {
      Value item = getitem(r->seq, mkint(r->index));
      r->index--;
      return item;
    } catch (PyThrow&) {
      if (!swallow_end_of_sequence()) throw;
    }
  }
  r->index = -1;
  r->seq = Value::null();
  return Value::null();
}

static Value reversed_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  Reversed* r = args[0].as<Reversed>();
  if (!r->seq) return Value::from_small(0);
  int64_t n = len(r->seq);
  return mkint(n < r->index + 1 ? 0 : r->index + 1);
}

// ---- sequence iterator ----------------------------------------------------------------

struct SeqIter : Object {
  Value seq;        // null once exhausted
  int64_t index;
};

Value seqiter_new(Value seq) {
  SeqIter* s = gc_new_obj<SeqIter>(&seqiter_type);
  s->seq = seq;
  return Value::from_obj(s);
}

static Value seqiter_next(Value self) {
  SeqIter* s = self.as<SeqIter>();
  if (!s->seq) return Value::null();
  try {
    Value item = getitem(s->seq, mkint(s->index));
    s->index++;
    return item;
  } catch (PyThrow&) {
    if (!swallow_end_of_sequence()) throw;
  }
  s->seq = Value::null();
  return Value::null();
}

static Value seqiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  SeqIter* s = args[0].as<SeqIter>();
  if (!s->seq) return Value::from_small(0);
  Type* t = type_of(s->seq);
  if (!t->len) return NotImplemented();
  int64_t n = len(s->seq) - s->index;
  return mkint(n < 0 ? 0 : n);
}

// ---- callable iterator ----------------------------------------------------------------

struct CallIter : Object {
  Value func;       // null once exhausted
  Value sentinel;
};

Value callable_iter_new(Value callable, Value sentinel) {
  CallIter* c = gc_new_obj<CallIter>(&callable_iter_type);
  c->func = callable;
  c->sentinel = sentinel;
  return Value::from_obj(c);
}

static Value calliter_next(Value self) {
  CallIter* c = self.as<CallIter>();
  if (!c->func) return Value::null();
  Value r;
  try {
    r = call(c->func, nullptr, 0, nullptr);
  } catch (PyThrow&) {
    Value e = current_exception();
    if (e && exc_matches(e, Value::from_obj(&exc_StopIteration))) {
      take_exception();
      c->func = Value::null();
      c->sentinel = Value::null();
      return Value::null();
    }
    throw;
  }
  if (r == c->sentinel || eq(r, c->sentinel)) {
    c->func = Value::null();
    c->sentinel = Value::null();
    return Value::null();
  }
  return r;
}

// ---- set-up -----------------------------------------------------------------------

static void init_iter_type(Type* t, const char* name, int64_t size, NewFn tp_new, IterNextFn next_fn,
                           bool base) {
  t->type = &type_type;
  t->name = name;
  t->basic_size = size;
  t->flags = base ? uint32_t(TF_BASETYPE) : 0u;
  t->iter = iter_self;
  t->iternext = next_fn;
  t->tp_new = tp_new;
  type_ready(t);
}

void init_iter_types() {
  init_iter_type(&enumerate_type, "enumerate", sizeof(Enumerate), enumerate_new, enumerate_next, true);
  init_iter_type(&zip_type, "zip", sizeof(Zip), zip_new, zip_next, true);
  init_iter_type(&map_type, "map", sizeof(Map), map_new, map_next, true);
  init_iter_type(&filter_type, "filter", sizeof(Filter), filter_new, filter_next, true);
  init_iter_type(&reversed_type, "reversed", sizeof(Reversed), reversed_new, reversed_next, true);
  type_add_method(&reversed_type, "__length_hint__", reversed_length_hint);
  init_iter_type(&seqiter_type, "iterator", sizeof(SeqIter), nullptr, seqiter_next, false);
  type_add_method(&seqiter_type, "__length_hint__", seqiter_length_hint);
  init_iter_type(&callable_iter_type, "callable_iterator", sizeof(CallIter), nullptr, calliter_next, false);
}

}  // namespace gp
