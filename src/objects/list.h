// list.h — list: a growable array of Values.
// Invariant: items[0..size) are valid; items is GC-allocated with room for cap, by
// list_items_alloc, which stores the capacity in the word before items[0].
// Free threading (--gil=none): every change to size/items/slots happens under the
// list's ObjLock (core/objlock.h); a grown buffer is a fresh allocation published with
// a release store. A lock-free reader of one slot (list_load) loads items then size
// with acquire, bounds-checks against both and the buffer's own capacity, and treats
// a null slot as "not there any more" — it never reads outside a live buffer.
#pragma once
#include "core/objlock.h"
#include "core/runtime.h"

namespace gp {

struct List : Object {
  int64_t size;
  int64_t cap;
  Value* items;
};

List* list_new(int64_t n = 0);                // size n, items None-filled? no: null; fill them
List* list_from(const Value* items, int64_t n);
List* list_from_iterable(Value iterable);
void list_append(List* l, Value v);
void list_extend(List* l, Value iterable);
Value list_pop(List* l, int64_t i);           // IndexError
void list_sort(List* l, Value key, bool reverse);  // stable; exceptions from compares propagate
inline Value vlist(List* l) { return Value::from_obj(l); }

// ---- additions (containers) -----------------------------------------------------
void list_insert(List* l, int64_t i, Value v);   // clamps i like list.insert
void list_clear(List* l);
void list_reverse(List* l);
Tuple* list_as_tuple(List* l);
Value list_getitem_index(List* l, int64_t i);   // negative ok; IndexError "list index out of range"

// A zeroed item buffer for `cap` values (cap > 0), its capacity in items[-1]. Every
// List::items buffer comes from here (list.cpp, str.split).
Value* list_items_alloc(int64_t cap);
inline int64_t list_items_cap(const Value* items) { return reinterpret_cast<const int64_t*>(items)[-1]; }
inline int64_t list_size(const List* l) { return ld_rlx(&l->size); }
// Slot i without the lock: null when i is out of range now (or the slot is being
// vacated by a concurrent pop). Safe against any concurrent resize (see top).
inline Value list_load(const List* l, int64_t i) {
  Value* items = ld_acq(&l->items);
  int64_t n = ld_acq(&l->size);
  if (uint64_t(i) >= uint64_t(n) || !items || i >= list_items_cap(items)) return Value::null();
  return Value::from_bits(ld_rlx(reinterpret_cast<const uint64_t*>(items + i)));
}

// The list iterator, exposed so the VM's FOR_ITER can step it inline.
struct ListIter : Object {
  List* list;      // nullptr once exhausted
  int64_t index;
};
extern Type list_iterator_type, list_reverseiterator_type;
Value list_iter_new(List* l);
Value list_reversed_iter(List* l);             // reversed(l)
inline Value list_iter_next(ListIter* it) {
  List* l = it->list;
  if (l) {
    Value v = list_load(l, it->index);
    if (v) {
      it->index++;
      return v;
    }
  }
  it->list = nullptr;
  return Value::null();
}

// Recursion guard for repr of containers (CPython's Py_ReprEnter / Py_ReprLeave): a
// thread-local stack of the objects being repr'd on this thread.
bool repr_enter(Value v);   // false if v is already being repr'd (print "[...]")
void repr_leave(Value v);
class ReprGuard {
  Value v_;
  bool entered_;
 public:
  explicit ReprGuard(Value v) : v_(v), entered_(repr_enter(v)) {}
  ~ReprGuard() { if (entered_) repr_leave(v_); }
  bool recursive() const { return !entered_; }
  ReprGuard(const ReprGuard&) = delete;
  ReprGuard& operator=(const ReprGuard&) = delete;
};

}  // namespace gp
