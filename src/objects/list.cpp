// list.cpp — list: a growable array of Values, and the shared repr recursion guard.
// Invariants:
//  * items[0..size) hold valid Values; items[size..cap) are null (so the collector
//    does not keep dropped objects alive). cap grows as CPython's (x1.125 + 6) and a
//    grown buffer is a fresh allocation (never realloc'd in place), so a reader that
//    loaded the old pointer still sees a consistent array.
//  * Every loop that can run Python code (__eq__, __lt__, key functions) re-reads
//    size and items after each call: the list may have been mutated under it.
//  * During sort() the list is emptied (cap = -1 marks "being sorted"); any change
//    seen afterwards raises "list modified during sort".
//    Under free threading a sort without a key of small ints, floats or strs (no Python
//    code) runs entirely under the lock on a private copy instead.
//  * Free threading (list.h): mutations run under ObjLock(l), never while running
//    Python code and never holding a second list's lock (a source list is copied out
//    under its own lock first). Slots a lock-free reader may see are written with
//    word-sized atomic stores (slot_store / move_slots), size and items with release.
#include <algorithm>
#include <string>
#include <vector>

#include "core/args.h"
#include "core/threadstate.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/slice.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type list_type;
Type list_iterator_type;
Type list_reverseiterator_type;

// defined in tuple.cpp
bool seq_repeat_operands(Value a, Value b, bool (*is_seq)(Value), Value* seq, int64_t* count);
void seq_index_bounds(const Value* extra, size_t nextra, int64_t size, int64_t* start,
                      int64_t* stop);

// ---- repr recursion guard -------------------------------------------------------------

static thread_local std::vector<uint64_t> repr_stack;

bool repr_enter(Value v) {
  for (uint64_t b : repr_stack)
    if (b == v.bits()) return false;
  repr_stack.push_back(v.bits());
  return true;
}

void repr_leave(Value v) {
  for (size_t i = repr_stack.size(); i-- > 0;) {
    if (repr_stack[i] == v.bits()) {
      repr_stack.erase(repr_stack.begin() + ptrdiff_t(i));
      return;
    }
  }
}

// ---- storage ----------------------------------------------------------------------

static inline bool has_kw(Tuple* kwnames) { return kwnames && kwnames->size; }

static inline bool item_eq(Value a, Value b) {
  if (a == b) return true;
  if (a.is_small() && b.is_small()) return false;
  return eq(a, b);
}

Value* list_items_alloc(int64_t cap) {
  if (cap > (INT64_MAX >> 4)) raise_no_memory();
  // One extra leading word holds the capacity; `items` is an interior pointer, which
  // the collector honours (GC_all_interior_pointers is on by default).
  int64_t* base = static_cast<int64_t*>(gc_alloc(size_t(cap + 1) * sizeof(Value)));
  if (!base) raise_no_memory();
  base[0] = cap;
  return reinterpret_cast<Value*>(base + 1);
}

// A slot store / memmove that a lock-free list_load may race with: word-sized atomic
// stores under free threading (a plain memmove may tear or be reported by TSan).
static inline void slot_store(Value* p, Value v) { st_rlx(reinterpret_cast<uint64_t*>(p), v.bits()); }
static inline void move_slots(Value* dst, const Value* src, int64_t n) {
  if (n <= 0) return;
  if (!free_threaded()) {
    std::memmove(dst, src, size_t(n) * sizeof(Value));
    return;
  }
  auto* d = reinterpret_cast<uint64_t*>(dst);
  auto* s = reinterpret_cast<const uint64_t*>(src);
  if (d < s) {
    for (int64_t i = 0; i < n; i++) st_rlx(&d[i], ld_rlx(&s[i]));
  } else {
    for (int64_t i = n; i-- > 0;) st_rlx(&d[i], ld_rlx(&s[i]));
  }
}
static inline void set_size(List* l, int64_t n) { st_rel(&l->size, n); }

static void list_reserve(List* l, int64_t newsize) {
  if (newsize <= l->cap) return;
  if (newsize > (INT64_MAX >> 4)) raise_no_memory();
  int64_t newcap = (newsize + (newsize >> 3) + 6) & ~int64_t(3);
  if (newsize - l->size > newcap - newsize) newcap = (newsize + 3) & ~int64_t(3);
  Value* items = list_items_alloc(newcap);
  if (l->size) std::memcpy(items, l->items, size_t(l->size) * sizeof(Value));
  st_rel(&l->items, items);  // the copy is visible before the pointer
  l->cap = newcap;
}

// Shrink the logical size to n, clearing the dropped slots.
static inline void list_truncate(List* l, int64_t n) {
  int64_t old = l->size;
  set_size(l, n);
  for (int64_t i = n; i < old; i++) slot_store(&l->items[i], Value::null());
}

static List* list_alloc(Type* t) {
  size_t bytes = t == &list_type ? sizeof(List) : size_t(t->basic_size);
  List* l = gc_new_obj<List>(t, bytes);
  return l;
}

List* list_new(int64_t n) {
  List* l = list_alloc(&list_type);
  if (n > 0) {
    l->items = list_items_alloc(n);
    l->cap = n;
    l->size = n;
  }
  return l;
}

List* list_from(const Value* items, int64_t n) {
  List* l = list_new(n);
  if (n) std::memcpy(l->items, items, size_t(n) * sizeof(Value));
  return l;
}

static inline Value iter_step(Value it) {
  IterNextFn f = type_of(it)->iternext;
  return f ? f(it) : next(it);
}

List* list_from_iterable(Value iterable) {
  if (is_list(iterable)) {
    List* s = iterable.as<List>();
    ObjLock lk(s);
    return list_from(s->items, s->size);
  }
  if (is_tuple(iterable)) {
    Tuple* t = iterable.as<Tuple>();
    return list_from(t->items(), t->size);
  }
  List* l = list_new(0);
  list_extend(l, iterable);
  return l;
}

void list_append(List* l, Value v) {
  ObjLock lk(l);
  int64_t n = l->size;
  if (n >= l->cap) list_reserve(l, n + 1);
  slot_store(&l->items[n], v);
  set_size(l, n + 1);  // the slot is visible before the size that covers it
}

// Caller holds ObjLock(l) (or l is private). The new slots lie past size, so no
// reader looks at them until set_size publishes them.
static void list_extend_array(List* l, const Value* src, int64_t n) {
  if (n == 0) return;
  list_reserve(l, l->size + n);
  // Slots past the size may still be read by a lock-free list_load that saw a larger
  // size before a pop: atomic stores under free threading (move_slots).
  move_slots(l->items + l->size, src, n);
  set_size(l, l->size + n);
}

// Append src's items to `dst`, a list no other thread can see yet, under src's lock.
static void extend_private_from(List* dst, List* src) {
  ObjLock lk(src);
  list_extend_array(dst, src->items, src->size);
}

// How many items `iterable` says it will yield, 0 when it does not say, as CPython's
// length hint: a built-in sized iterable's len() (range, dict, set, str, views), or a
// class's __length_hint__ (a TypeError from it means "unsized"; any other exception
// propagates). Without the first, list(range(10**6)) regrew its array about 100 times
// (a new large block, a copy and fresh pages each time): 39 ms against CPython's 27.
static int64_t length_hint(Value iterable) {
  Type* t = type_of(iterable);
  if (!(t->flags & TF_HEAPTYPE)) return t->len ? t->len(iterable) : 0;
  Value hint_fn = type_lookup(t, GP_STR("__length_hint__"));
  if (hint_fn.is_null()) return 0;
  Value h = Value::null();
  try {
    h = call(hint_fn, &iterable, 1, nullptr);
    if (h.is_null()) throw PyThrow{};
  } catch (PyThrow&) {
    Value e = take_exception();
    if (!exc_matches(e, Value::from_obj(&exc_TypeError))) {
      tstate()->curexc = e;
      throw;
    }
    return 0;
  }
  if (!is_int(h))
    raise(&exc_TypeError, "__length_hint__ must be an integer, not %s", type_name_c(h));
  int64_t n;
  if (!int_to_i64(h, &n)) {
    if (int_sign(h) > 0)
      raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
    raise(&exc_ValueError, "__length_hint__() should return >= 0");
  }
  if (n < 0) raise(&exc_ValueError, "__length_hint__() should return >= 0");
  return n;
}

// Grow l for what `iterable` says it will yield: a hint no memory can hold is
// MemoryError at once (list(itertools.repeat(x, 2**62)), list(range(10**15))) instead of
// appending until the machine runs out.
static void reserve_from_hint(List* l, Value iterable) {
  const int64_t n = length_hint(iterable);
  if (n <= 0) return;
  check_alloc_size(n > (INT64_MAX >> 4) ? -1 : n * int64_t(sizeof(Value)));
  ObjLock lk(l);
  list_reserve(l, l->size + n);
}

void list_extend(List* l, Value iterable) {
  if (is_list(iterable)) {
    List* s = iterable.as<List>();
    if (s == l) {
      ObjLock lk(l);
      int64_t n = l->size;
      list_reserve(l, 2 * n);
      std::memcpy(l->items + n, l->items, size_t(n) * sizeof(Value));
      set_size(l, 2 * n);
      return;
    }
    if (free_threaded()) {  // one lock at a time: copy the source out first
      Tuple* snap;
      {
        ObjLock ls(s);
        snap = tuple_from(s->items, s->size);
      }
      ObjLock lk(l);
      list_extend_array(l, snap->items(), snap->size);
      return;
    }
    list_extend_array(l, s->items, s->size);
    return;
  }
  if (is_tuple(iterable)) {
    Tuple* t = iterable.as<Tuple>();
    ObjLock lk(l);
    list_extend_array(l, t->items(), t->size);
    return;
  }
  Value it = iter(iterable);
  reserve_from_hint(l, iterable);
  IterNextFn f = type_of(it)->iternext;  // never null: iter() checked it
  NativeLoop turns;  // no lock is held between items (runtime.h)
  for (Value v = f(it); v; v = f(it)) {
    list_append(l, v);
    turns.check();
  }
}

void list_insert(List* l, int64_t i, Value v) {
  ObjLock lk(l);
  int64_t n = l->size;
  if (i < 0) {
    i += n;
    if (i < 0) i = 0;
  }
  if (i > n) i = n;
  list_reserve(l, n + 1);
  if (i == n) {
    slot_store(&l->items[n], v);
    set_size(l, n + 1);
    return;
  }
  // Fill the new last slot before the size covers it, then shift and store.
  slot_store(&l->items[n], l->items[n - 1]);
  set_size(l, n + 1);
  move_slots(l->items + i + 1, l->items + i, n - 1 - i);
  slot_store(&l->items[i], v);
}

// Caller holds ObjLock(l).
static void list_clear_locked(List* l) {
  set_size(l, 0);
  st_rel(&l->items, static_cast<Value*>(nullptr));
  l->cap = 0;
}

void list_clear(List* l) {
  ObjLock lk(l);
  list_clear_locked(l);
}

void list_reverse(List* l) {
  ObjLock lk(l);
  if (l->size <= 1) return;
  if (!free_threaded()) {
    std::reverse(l->items, l->items + l->size);
    return;
  }
  for (int64_t a = 0, b = l->size - 1; a < b; a++, b--) {
    Value x = l->items[a];
    slot_store(&l->items[a], l->items[b]);
    slot_store(&l->items[b], x);
  }
}

Tuple* list_as_tuple(List* l) {
  ObjLock lk(l);
  return tuple_from(l->items, l->size);
}

// Caller holds ObjLock(l).
static Value list_pop_locked(List* l, int64_t i) {
  if (l->size == 0) raise(&exc_IndexError, "pop from empty list");
  if (i < 0) i += l->size;
  if (i < 0 || i >= l->size) raise(&exc_IndexError, "pop index out of range");
  Value v = l->items[i];
  int64_t n = l->size - 1;
  move_slots(l->items + i, l->items + i + 1, n - i);
  set_size(l, n);
  slot_store(&l->items[n], Value::null());
  return v;
}

Value list_pop(List* l, int64_t i) {
  ObjLock lk(l);
  return list_pop_locked(l, i);
}

Value list_getitem_index(List* l, int64_t i) {
  if (i < 0) i += list_size(l);
  Value v = list_load(l, i);
  if (!v) raise(&exc_IndexError, "list index out of range");
  return v;
}

// An array view of any iterable for slice assignment (PySequence_Fast): lists and
// tuples directly (copied when they alias the target), anything else materialised.
struct SeqFast {
  const Value* items = nullptr;
  int64_t n = 0;
  Tuple* keep = nullptr;  // keeps a materialised copy alive
};

static SeqFast seq_fast(Value v, List* target, const char* msg) {
  SeqFast s;
  if (is_list(v) && v.as<List>() != target && !free_threaded()) {
    s.items = v.as<List>()->items;
    s.n = v.as<List>()->size;
    return s;
  }
  if (is_tuple(v)) {
    s.items = v.as<Tuple>()->items();
    s.n = v.as<Tuple>()->size;
    return s;
  }
  if (!is_list(v)) {
    Value it;
    try {
      it = iter(v);
    } catch (PyThrow&) {
      Value e = take_exception();
      if (exc_matches(e, Value::from_obj(&exc_TypeError))) raise(&exc_TypeError, "%s", msg);
      throw_exc(e);
    }
    ValueVec buf;
    for (Value x = iter_step(it); x; x = iter_step(it)) buf.push_back(x);
    s.keep = tuple_from(buf.data(), int64_t(buf.size()));
  } else {
    s.keep = list_as_tuple(v.as<List>());
  }
  s.items = s.keep->items();
  s.n = s.keep->size;
  return s;
}

// l[lo:hi] = v (v null: delete), step 1, indices already clamped by the caller.
static void list_ass_slice(List* l, int64_t lo, int64_t hi, Value v) {
  SeqFast src;
  if (v) src = seq_fast(v, l, "can only assign an iterable");
  ObjLock lk(l);
  int64_t n = l->size;
  if (lo < 0) lo = 0;
  else if (lo > n) lo = n;
  if (hi < lo) hi = lo;
  else if (hi > n) hi = n;
  int64_t k = src.n;
  int64_t d = k - (hi - lo);
  if (d > 0) {
    list_reserve(l, n + d);
    move_slots(l->items + hi + d, l->items + hi, n - hi);
    set_size(l, n + d);
  } else if (d < 0) {
    move_slots(l->items + hi + d, l->items + hi, n - hi);
    list_truncate(l, n + d);
  }
  move_slots(l->items + lo, src.items, k);
}

// ---- slots ------------------------------------------------------------------------

static Value list_repr(Value self) {
  List* l = self.as<List>();
  if (l->size == 0) return vstr(str_new("[]"));
  ReprGuard guard(self);
  if (guard.recursive()) return vstr(str_new("[...]"));
  std::string r = "[";
  for (int64_t i = 0; i < list_size(l); i++) {
    Value item = list_load(l, i);
    if (!item) break;
    if (i) r += ", ";
    r += repr(item)->view();
  }
  r += "]";
  return vstr(str_new(r));
}

static Value list_richcompare(Value a, Value b, CmpOp op) {
  if (!is_list(a) || !is_list(b)) return NotImplemented();
  List* x = a.as<List>();
  List* y = b.as<List>();
  if (list_size(x) != list_size(y) && (op == CmpOp::Eq || op == CmpOp::Ne)) return Bool(op == CmpOp::Ne);
  int64_t i = 0;
  Value p, q;
  for (; i < list_size(x) && i < list_size(y); i++) {
    p = list_load(x, i), q = list_load(y, i);
    if (!p || !q) break;  // shrunk under us (another thread)
    if (!item_eq(p, q)) break;
  }
  if (i >= list_size(x) || i >= list_size(y) || !p || !q) {
    int64_t na = list_size(x), nb = list_size(y);
    switch (op) {
      case CmpOp::Lt: return Bool(na < nb);
      case CmpOp::Le: return Bool(na <= nb);
      case CmpOp::Eq: return Bool(na == nb);
      case CmpOp::Ne: return Bool(na != nb);
      case CmpOp::Gt: return Bool(na > nb);
      default: return Bool(na >= nb);
    }
  }
  if (op == CmpOp::Eq) return False();
  if (op == CmpOp::Ne) return True();
  return compare(p, q, op);
}

static int64_t list_len(Value self) { return list_size(self.as<List>()); }
static bool list_bool(Value self) { return list_size(self.as<List>()) != 0; }

static Value list_getitem(Value self, Value key) {
  List* l = self.as<List>();
  int64_t i;
  if (key.is_small()) {
    i = key.small();
  } else if (is_slice(key)) {
    int64_t start, stop, step, n;
    slice_indices(key, list_size(l), &start, &stop, &step, &n);
    if (n <= 0) return vlist(list_new(0));
    ObjLock lk(l);
    if (free_threaded()) {  // the indices may have gone stale before we locked
      slice_indices(key, l->size, &start, &stop, &step, &n);
      if (n <= 0) return vlist(list_new(0));
    }
    if (step == 1) return vlist(list_from(l->items + start, n));
    List* r = list_new(n);
    for (int64_t k = 0; k < n; ++k) {  // no index past the last (huge steps)
      int64_t j = start + k * step;
      r->items[k] = l->items[j];
    }
    return vlist(r);
  } else if (is_int(key) || type_of(key)->nb_index) {
    i = as_index(key);
  } else {
    raise(&exc_TypeError, "list indices must be integers or slices, not %s", type_name_c(key));
  }
  return list_getitem_index(l, i);
}

static void list_setitem(Value self, Value key, Value v) {
  List* l = self.as<List>();
  int64_t i;
  if (key.is_small()) {
    i = key.small();
  } else if (is_slice(key)) {
    int64_t start, stop, step, n;
    slice_unpack(key, &start, &stop, &step);
    // A first look without the lock (redone under it below where it matters).
    n = slice_adjust_indices(ld_acq(&l->size), &start, &stop, step);
    if (step == 1) {
      list_ass_slice(l, start, stop, v);
      return;
    }
    if (!v) {  // del l[a:b:c]
      ObjLock lk(l);
      if (free_threaded()) n = slice_adjust_indices(l->size, &start, &stop, step);
      if (n <= 0) return;
      if (step < 0) {
        stop = start + 1;
        start = stop + step * (n - 1) - 1;
        step = -step;
      }
      int64_t cur = start, w = start;
      for (int64_t k = 0; cur < l->size; cur++) {
        if (k < n && cur == start + k * step) {
          k++;
          continue;
        }
        slot_store(&l->items[w++], l->items[cur]);
      }
      list_truncate(l, w);
      return;
    }
    SeqFast src = seq_fast(v, l, "must assign iterable to extended slice");
    // Materialising v may have run Python code that resized the list.
    ObjLock lk(l);
    slice_unpack(key, &start, &stop, &step);
    n = slice_adjust_indices(l->size, &start, &stop, step);
    if (src.n != n)
      raise(&exc_ValueError, "attempt to assign sequence of size %lld to extended slice of size %lld",
            (long long)src.n, (long long)n);
    for (int64_t k = 0; k < n; ++k) {  // no index past the last (huge steps)
      int64_t j = start + k * step;
      slot_store(&l->items[j], src.items[k]);
    }
    return;
  } else if (is_int(key) || type_of(key)->nb_index) {
    i = as_index(key);
  } else {
    raise(&exc_TypeError, "list indices must be integers or slices, not %s", type_name_c(key));
  }
  ObjLock lk(l);
  if (i < 0) i += l->size;
  if (uint64_t(i) >= uint64_t(l->size))
    raise(&exc_IndexError, "list assignment index out of range");
  if (v) {
    slot_store(&l->items[i], v);
  } else {
    list_pop_locked(l, i);
  }
}

static bool list_contains(Value self, Value item) {
  List* l = self.as<List>();
  for (int64_t i = 0; i < list_size(l); i++) {
    Value x = list_load(l, i);
    if (!x) break;
    if (item_eq(x, item)) return true;
  }
  return false;
}

Value list_iter_new(List* l) {
  ListIter* it = gc_new_obj<ListIter>(&list_iterator_type);
  it->list = l;
  it->index = 0;
  return Value::from_obj(it);
}

static Value list_iter(Value self) { return list_iter_new(self.as<List>()); }
static Value listiter_next(Value self) { return list_iter_next(self.as<ListIter>()); }
static Value iter_self(Value self) { return self; }

static Value listiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  ListIter* it = args[0].as<ListIter>();
  int64_t n = it->list ? list_size(it->list) - it->index : 0;
  return Value::from_small(n < 0 ? 0 : n);
}

Value list_reversed_iter(List* l) {
  ListIter* it = gc_new_obj<ListIter>(&list_reverseiterator_type);
  it->list = l;
  it->index = list_size(l) - 1;
  return Value::from_obj(it);
}

static Value listreviter_next(Value self) {
  ListIter* it = self.as<ListIter>();
  List* l = it->list;
  if (l && it->index >= 0) {
    Value v = list_load(l, it->index);
    if (v) {
      it->index--;
      return v;
    }
  }
  it->index = -1;
  it->list = nullptr;
  return Value::null();
}

static Value listreviter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  ListIter* it = args[0].as<ListIter>();
  int64_t n = it->list && it->index < list_size(it->list) ? it->index + 1 : 0;
  return Value::from_small(n < 0 ? 0 : n);
}

static Value list_add(Value a, Value b) {
  if (!is_list(a)) return NotImplemented();
  if (!is_list(b)) {
    Type* tb = type_of(b);
    BinaryFn f = tb->nb[size_t(BinOp::Add)];
    if (f && (tb->flags & TF_HEAPTYPE) && !is_tuple(b)) {
      Value r = f(a, b);
      if (r != NotImplemented()) return r;
    }
    raise(&exc_TypeError, "can only concatenate list (not \"%s\") to list", type_name_c(b));
  }
  List* x = a.as<List>();
  List* y = b.as<List>();
  List* r = list_new(0);
  list_reserve(r, list_size(x) + list_size(y));
  extend_private_from(r, x);
  extend_private_from(r, y);
  return vlist(r);
}

static bool is_list_fn(Value v) { return is_list(v); }

static void repeat_into(Value* dst, const Value* src, int64_t m, int64_t n) {
  if (m == 1) {
    Value v = src[0];
    for (int64_t i = 0; i < n; i++) dst[i] = v;
    return;
  }
  for (int64_t i = 0; i < n; i++) std::memcpy(dst + i * m, src, size_t(m) * sizeof(Value));
}

static Value list_mul(Value a, Value b) {
  if (!is_list(a) && !is_list(b)) return NotImplemented();
  Value seq;
  int64_t n;
  if (!seq_repeat_operands(a, b, is_list_fn, &seq, &n)) return seq;
  List* l = seq.as<List>();
  ObjLock lk(l);
  if (n <= 0 || l->size == 0) return vlist(list_new(0));
  if (l->size > (INT64_MAX >> 4) / n) raise_no_memory();
  int64_t m = l->size;
  List* r = list_new(m * n);
  repeat_into(r->items, l->items, m, n);
  return vlist(r);
}

static Value list_iadd(Value a, Value b) {
  if (!is_list(a)) return NotImplemented();
  list_extend(a.as<List>(), b);
  return a;
}

static Value list_imul(Value a, Value b) {
  if (!is_list(a)) return NotImplemented();
  Value seq;
  int64_t n;
  if (!is_int(b) && !type_of(b)->nb_index)
    raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(b));
  if (!seq_repeat_operands(a, b, is_list_fn, &seq, &n)) return seq;
  List* l = a.as<List>();
  ObjLock lk(l);
  if (n <= 0 || l->size == 0) {
    list_clear_locked(l);
    return a;
  }
  if (n == 1) return a;
  int64_t m = l->size;
  if (m > (INT64_MAX >> 4) / n) raise_no_memory();
  list_reserve(l, m * n);
  repeat_into(l->items + m, l->items, m, n - 1);
  set_size(l, m * n);
  return a;
}

static Value list_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  return vlist(list_alloc(type));
}

static void list_tp_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (has_kw(kwnames)) raise(&exc_TypeError, "list() takes no keyword arguments");
  if (nargs > 1) raise(&exc_TypeError, "list expected at most 1 argument, got %zu", nargs);
  List* l = self.as<List>();
  if (l->size) list_clear(l);
  if (nargs == 1) list_extend(l, args[0]);
}

// ---- sorting: a stable natural merge sort (timsort without galloping) ------------------

namespace {

struct KV {
  Value k, v;
};

inline Value key_of(const Value& x) { return x; }
inline Value key_of(const KV& x) { return x.k; }

struct LtGeneric {
  bool operator()(Value a, Value b) const {
    if (a.is_small() && b.is_small()) return a.small() < b.small();
    return compare_bool(a, b, CmpOp::Lt);
  }
};
struct LtSmall {
  bool operator()(Value a, Value b) const { return a.small() < b.small(); }
};
struct LtFloat {
  bool operator()(Value a, Value b) const { return float_val(a) < float_val(b); }
};
struct LtStr {
  bool operator()(Value a, Value b) const {
    Str* x = as_str(a);
    Str* y = as_str(b);
    size_t n = size_t(std::min(x->size, y->size));
    int c = std::memcmp(x->data(), y->data(), n);
    if (c) return c < 0;
    return x->size < y->size;
  }
};

template <class T, class Cmp>
class MergeSorter {
  T* a_;
  int64_t n_;
  Cmp cmp_;
  T* tmp_ = nullptr;
  struct Run {
    int64_t base, len;
  };
  Run runs_[90];
  int nruns_ = 0;

  bool lt(const T& x, const T& y) const { return cmp_(key_of(x), key_of(y)); }

  // a[lo, start) is sorted; insert a[start, hi) one by one (binary search).
  void binary_insertion(int64_t lo, int64_t hi, int64_t start) {
    for (int64_t i = start; i < hi; i++) {
      T pivot = a_[i];
      int64_t l = lo, r = i;
      while (l < r) {
        int64_t m = l + ((r - l) >> 1);
        if (lt(pivot, a_[m])) r = m;
        else l = m + 1;
      }
      std::memmove(static_cast<void*>(a_ + l + 1), a_ + l, size_t(i - l) * sizeof(T));
      a_[l] = pivot;
    }
  }

  int64_t count_run(int64_t lo, int64_t hi) {
    int64_t i = lo + 1;
    if (i == hi) return 1;
    if (lt(a_[i], a_[lo])) {
      for (i++; i < hi && lt(a_[i], a_[i - 1]); i++) {}
      std::reverse(a_ + lo, a_ + i);
    } else {
      for (i++; i < hi && !lt(a_[i], a_[i - 1]); i++) {}
    }
    return i - lo;
  }

  static int64_t minrun(int64_t n) {
    int64_t r = 0;
    while (n >= 64) {
      r |= n & 1;
      n >>= 1;
    }
    return n + r;
  }

  void merge_at(int i) {
    int64_t base_a = runs_[i].base, len_a = runs_[i].len;
    int64_t base_b = runs_[i + 1].base, len_b = runs_[i + 1].len;
    runs_[i].len = len_a + len_b;
    if (i == nruns_ - 3) runs_[i + 1] = runs_[i + 2];
    nruns_--;
    // Elements of A not greater than B[0] are already in place.
    {
      int64_t l = 0, r = len_a;
      const T& b0 = a_[base_b];
      while (l < r) {
        int64_t m = l + ((r - l) >> 1);
        if (lt(b0, a_[base_a + m])) r = m;
        else l = m + 1;
      }
      base_a += l;
      len_a -= l;
      if (len_a == 0) return;
    }
    // Elements of B not less than A[last] are already in place.
    {
      int64_t l = 0, r = len_b;
      const T& alast = a_[base_a + len_a - 1];
      while (l < r) {
        int64_t m = l + ((r - l) >> 1);
        if (lt(a_[base_b + m], alast)) l = m + 1;
        else r = m;
      }
      len_b = l;
      if (len_b == 0) return;
    }
    if (len_a <= len_b) merge_lo(base_a, len_a, base_b, len_b);
    else merge_hi(base_a, len_a, base_b, len_b);
  }

  void merge_lo(int64_t base_a, int64_t len_a, int64_t base_b, int64_t len_b) {
    std::memcpy(static_cast<void*>(tmp_), a_ + base_a, size_t(len_a) * sizeof(T));
    int64_t i = 0, j = base_b, d = base_a, end_b = base_b + len_b;
    try {
      while (i < len_a && j < end_b) {
        if (lt(a_[j], tmp_[i])) a_[d++] = a_[j++];
        else a_[d++] = tmp_[i++];
      }
    } catch (PyThrow&) {
      std::memcpy(static_cast<void*>(a_ + d), tmp_ + i, size_t(len_a - i) * sizeof(T));
      throw;
    }
    if (i < len_a) std::memcpy(static_cast<void*>(a_ + d), tmp_ + i, size_t(len_a - i) * sizeof(T));
  }

  void merge_hi(int64_t base_a, int64_t len_a, int64_t base_b, int64_t len_b) {
    std::memcpy(static_cast<void*>(tmp_), a_ + base_b, size_t(len_b) * sizeof(T));
    int64_t i = base_a + len_a - 1, j = len_b - 1, d = base_b + len_b - 1;
    try {
      while (i >= base_a && j >= 0) {
        if (lt(tmp_[j], a_[i])) a_[d--] = a_[i--];
        else a_[d--] = tmp_[j--];
      }
    } catch (PyThrow&) {
      std::memcpy(static_cast<void*>(a_ + d - j), tmp_, size_t(j + 1) * sizeof(T));
      throw;
    }
    if (j >= 0) std::memcpy(static_cast<void*>(a_ + d - j), tmp_, size_t(j + 1) * sizeof(T));
  }

  void merge_collapse() {
    while (nruns_ > 1) {
      int n = nruns_ - 2;
      if ((n > 0 && runs_[n - 1].len <= runs_[n].len + runs_[n + 1].len) ||
          (n > 1 && runs_[n - 2].len <= runs_[n - 1].len + runs_[n].len)) {
        if (runs_[n - 1].len < runs_[n + 1].len) n--;
        merge_at(n);
      } else if (runs_[n].len <= runs_[n + 1].len) {
        merge_at(n);
      } else {
        break;
      }
    }
  }

  void merge_force_collapse() {
    while (nruns_ > 1) {
      int n = nruns_ - 2;
      if (n > 0 && runs_[n - 1].len < runs_[n + 1].len) n--;
      merge_at(n);
    }
  }

 public:
  MergeSorter(T* a, int64_t n, Cmp cmp) : a_(a), n_(n), cmp_(cmp) {}

  void sort() {
    if (n_ < 2) return;
    int64_t mr = minrun(n_);
    if (n_ <= mr) {
      int64_t r = count_run(0, n_);
      binary_insertion(0, n_, r);
      return;
    }
    tmp_ = static_cast<T*>(gc_alloc(size_t(n_ / 2 + 1) * sizeof(T)));
    if (!tmp_) raise_no_memory();
    int64_t lo = 0, remaining = n_;
    while (remaining) {
      int64_t r = count_run(lo, lo + remaining);
      if (r < mr) {
        int64_t force = remaining <= mr ? remaining : mr;
        binary_insertion(lo, lo + force, lo + r);
        r = force;
      }
      runs_[nruns_++] = Run{lo, r};
      merge_collapse();
      lo += r;
      remaining -= r;
    }
    merge_force_collapse();
  }
};

// The cheapest comparison that is exact for every key: 0 small ints, 1 floats, 2 strs
// (these three never run Python code), 3 generic.
template <class T>
int sort_kind(const T* a, int64_t n) {
  bool all_small = true, all_float = true, all_str = true;
  for (int64_t i = 0; i < n && (all_small || all_float || all_str); i++) {
    Value k = key_of(a[i]);
    if (!k.is_small()) all_small = false;
    if (!is_type(k, &float_type)) all_float = false;
    if (!is_type(k, &str_type)) all_str = false;
  }
  return all_small ? 0 : all_float ? 1 : all_str ? 2 : 3;
}

template <class T>
void sort_array(T* a, int64_t n, int kind = -1) {
  if (kind < 0) kind = sort_kind(a, n);
  if (kind == 0) MergeSorter<T, LtSmall>(a, n, LtSmall{}).sort();
  else if (kind == 1) MergeSorter<T, LtFloat>(a, n, LtFloat{}).sort();
  else if (kind == 2) MergeSorter<T, LtStr>(a, n, LtStr{}).sort();
  else MergeSorter<T, LtGeneric>(a, n, LtGeneric{}).sort();
}

}  // namespace

void list_sort(List* l, Value key, bool reverse) {
  if (key && is_none(key)) key = Value::null();
  Value* items;
  int64_t n, cap;
  {
    ObjLock lk(l);
    items = l->items;
    n = l->size;
    cap = l->cap;
    if (free_threaded() && items) {
      // Sort a private copy: a lock-free reader may still hold the old buffer, and
      // must not see it rearranged word by word under it.
      Value* copy = list_items_alloc(cap);
      std::memcpy(copy, items, size_t(n) * sizeof(Value));
      items = copy;
      int kind;
      if (!key && (kind = sort_kind(items, n)) < 3) {
        // No Python code can run (native compares): sort under the lock, so that other
        // threads see one atomic operation, as under the GIL (no concurrent append lost
        // to the restore below, no "list modified during sort").
        if (reverse && n > 1) std::reverse(items, items + n);
        sort_array(items, n, kind);
        if (reverse && n > 1) std::reverse(items, items + n);
        st_rel(&l->items, items);
        return;
      }
    }
    set_size(l, 0);
    st_rel(&l->items, static_cast<Value*>(nullptr));
    l->cap = -1;
  }
  bool modified = false;
  auto restore = [&] {
    ObjLock lk(l);
    modified = l->cap != -1 || l->size != 0;
    l->cap = cap;
    st_rel(&l->items, items);
    set_size(l, n);
  };
  try {
    if (reverse && n > 1) std::reverse(items, items + n);
    if (key) {
      KV* kv = static_cast<KV*>(gc_alloc(size_t(n ? n : 1) * sizeof(KV)));
      if (!kv) raise_no_memory();
      for (int64_t i = 0; i < n; i++) {
        kv[i].v = items[i];
        kv[i].k = call(key, &items[i], 1, nullptr);
      }
      try {
        sort_array(kv, n);
      } catch (PyThrow&) {
        for (int64_t i = 0; i < n; i++) items[i] = kv[i].v;
        throw;
      }
      for (int64_t i = 0; i < n; i++) items[i] = kv[i].v;
    } else {
      sort_array(items, n);
    }
    if (reverse && n > 1) std::reverse(items, items + n);
  } catch (PyThrow&) {
    restore();
    throw;
  }
  restore();
  if (modified) raise(&exc_ValueError, "list modified during sort");
}

// ---- methods ----------------------------------------------------------------------

static Value list_m_append(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 2 || has_kw(kwnames)) {
    check_no_kwargs("append", kwnames);
    raise(&exc_TypeError, "list.append() takes exactly one argument (%zu given)", nargs - 1);
  }
  list_append(args[0].as<List>(), args[1]);
  return None();
}

static Value list_m_extend(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 2 || has_kw(kwnames)) {
    check_no_kwargs("extend", kwnames);
    raise(&exc_TypeError, "list.extend() takes exactly one argument (%zu given)", nargs - 1);
  }
  list_extend(args[0].as<List>(), args[1]);
  return None();
}

static Value list_m_insert(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("insert", kwnames);
  if (nargs != 3)
    raise(&exc_TypeError, "insert expected 2 arguments, got %zu", nargs - 1);
  list_insert(args[0].as<List>(), as_index(args[1]), args[2]);
  return None();
}

static Value list_m_remove(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 2 || has_kw(kwnames)) {
    check_no_kwargs("remove", kwnames);
    raise(&exc_TypeError, "list.remove() takes exactly one argument (%zu given)", nargs - 1);
  }
  List* l = args[0].as<List>();
  for (int64_t i = 0; i < list_size(l); i++) {
    Value x = list_load(l, i);
    if (!x) break;
    if (item_eq(x, args[1])) {
      // __eq__ ran unlocked: remove the matching object itself, wherever another
      // thread may have moved it meanwhile (it is at or before i unless inserted into).
      ObjLock lk(l);
      int64_t j = (i < l->size && l->items[i] == x) ? i : -1;
      for (int64_t k = 0; j < 0 && k < l->size; k++)
        if (l->items[k] == x) j = k;
      if (j >= 0) list_pop_locked(l, j);
      return None();
    }
  }
  raise(&exc_ValueError, "list.remove(x): x not in list");
}

static Value list_m_pop(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("pop", kwnames);
  if (nargs > 2) raise(&exc_TypeError, "pop expected at most 1 argument, got %zu", nargs - 1);
  List* l = args[0].as<List>();
  int64_t i = -1;
  if (nargs == 2) i = args[1].is_small() ? args[1].small() : as_index(args[1]);
  ObjLock lk(l);
  if (i == -1 && l->size > 0) {
    int64_t n = l->size - 1;
    Value v = l->items[n];
    set_size(l, n);
    slot_store(&l->items[n], Value::null());
    return v;
  }
  return list_pop_locked(l, i);
}

static Value list_m_clear(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("clear", kwnames);
  if (nargs != 1) raise(&exc_TypeError, "list.clear() takes no arguments (%zu given)", nargs - 1);
  list_clear(args[0].as<List>());
  return None();
}

static Value list_m_copy(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("copy", kwnames);
  if (nargs != 1) raise(&exc_TypeError, "list.copy() takes no arguments (%zu given)", nargs - 1);
  List* l = args[0].as<List>();
  ObjLock lk(l);
  return vlist(list_from(l->items, l->size));
}

static Value list_m_count(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 2 || has_kw(kwnames)) {
    check_no_kwargs("count", kwnames);
    raise(&exc_TypeError, "list.count() takes exactly one argument (%zu given)", nargs - 1);
  }
  List* l = args[0].as<List>();
  int64_t c = 0;
  for (int64_t i = 0; i < list_size(l); i++) {
    Value x = list_load(l, i);
    if (!x) break;
    if (item_eq(x, args[1])) c++;
  }
  return Value::from_small(c);
}

static Value list_m_index(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("index", kwnames);
  if (nargs < 2) raise(&exc_TypeError, "index expected at least 1 argument, got %zu", nargs - 1);
  if (nargs > 4) raise(&exc_TypeError, "index expected at most 3 arguments, got %zu", nargs - 1);
  List* l = args[0].as<List>();
  int64_t start, stop;
  seq_index_bounds(args + 2, nargs - 2, list_size(l), &start, &stop);
  for (int64_t i = start; i < stop && i < list_size(l); i++) {
    Value x = list_load(l, i);
    if (!x) break;
    if (item_eq(x, args[1])) return Value::from_small(i);
  }
  raise(&exc_ValueError, "%s is not in list", repr(args[1])->data());
}

static Value list_m_reverse(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("reverse", kwnames);
  if (nargs != 1) raise(&exc_TypeError, "list.reverse() takes no arguments (%zu given)", nargs - 1);
  list_reverse(args[0].as<List>());
  return None();
}

static Value list_m_sort(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs > 1) raise(&exc_TypeError, "sort() takes no positional arguments");
  static const char* const kw[] = {"$key", "$reverse", nullptr};
  Value a[2];
  parse_args("sort", args + 1, nargs - 1, kwnames, kw, 0, a);
  bool rev = a[1] ? truthy(a[1]) : false;
  list_sort(args[0].as<List>(), a[0], rev);
  return None();
}

static Value list_m_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("__reversed__", kwnames);
  return list_reversed_iter(args[0].as<List>());
}

void init_list_type() {
  Type* t = &list_type;
  t->type = &type_type;
  t->name = "list";
  t->basic_size = sizeof(List);
  t->flags = TF_BASETYPE | TF_LIST_SUBCLASS;
  t->repr = list_repr;
  t->richcompare = list_richcompare;
  t->len = list_len;
  t->nb_bool = list_bool;
  t->getitem = list_getitem;
  t->setitem = list_setitem;
  t->contains = list_contains;
  t->iter = list_iter;
  t->nb[size_t(BinOp::Add)] = list_add;
  t->nb[size_t(BinOp::Mul)] = list_mul;
  t->nb_inplace[size_t(BinOp::Add)] = list_iadd;
  t->nb_inplace[size_t(BinOp::Mul)] = list_imul;
  t->tp_new = list_tp_new;
  t->tp_init = list_tp_init;
  type_ready(t);
  type_add_method(t, "append", list_m_append);
  type_add_method(t, "extend", list_m_extend);
  type_add_method(t, "insert", list_m_insert);
  type_add_method(t, "remove", list_m_remove);
  type_add_method(t, "pop", list_m_pop);
  type_add_method(t, "clear", list_m_clear);
  type_add_method(t, "copy", list_m_copy);
  type_add_method(t, "count", list_m_count);
  type_add_method(t, "index", list_m_index);
  type_add_method(t, "reverse", list_m_reverse);
  type_add_method(t, "sort", list_m_sort);
  type_add_method(t, "__reversed__", list_m_reversed);

  Type* it = &list_iterator_type;
  it->type = &type_type;
  it->name = "list_iterator";
  it->basic_size = sizeof(ListIter);
  it->iter = iter_self;
  it->iternext = listiter_next;
  type_ready(it);
  type_add_method(it, "__length_hint__", listiter_length_hint);

  Type* rt = &list_reverseiterator_type;
  rt->type = &type_type;
  rt->name = "list_reverseiterator";
  rt->basic_size = sizeof(ListIter);
  rt->iter = iter_self;
  rt->iternext = listreviter_next;
  type_ready(rt);
  type_add_method(rt, "__length_hint__", listreviter_length_hint);
}

}  // namespace gp
