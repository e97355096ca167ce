// list.h — list: a growable array of Values.
// Invariant: items[0..size) are valid; items is GC-allocated with room for cap.
// (Free threading — a later issue — replaces the buffer on growth and publishes it
// with a release store so readers never see a torn array.)
#pragma once
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
  if (l && it->index < l->size) return l->items[it->index++];
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
