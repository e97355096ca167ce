// tuple.h — tuple: fixed-size immutable array of Values, items inline.
#pragma once
#include "core/runtime.h"

namespace gp {

struct Tuple : VarObject {
  Value* items() { return reinterpret_cast<Value*>(this + 1); }
  const Value* items() const { return reinterpret_cast<const Value*>(this + 1); }
  Value& operator[](int64_t i) { return items()[i]; }
};

Tuple* tuple_new(int64_t n);                  // items null-initialised; fill before use
Tuple* tuple_from(const Value* items, int64_t n);
Tuple* tuple_of(std::initializer_list<Value> items);
Tuple* tuple_empty();
Tuple* tuple_from_iterable(Value iterable);
inline Value vtuple(Tuple* t) { return Value::from_obj(t); }

}  // namespace gp
