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

}  // namespace gp
