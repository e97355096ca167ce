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

// ---- additions (containers) -----------------------------------------------------
Tuple* tuple_pack2(Value a, Value b);          // (a, b), the common pair case
int64_t tuple_hash_items(const Value* items, int64_t n);  // CPython's xxHash-based tuplehash
// Lexicographic rich comparison of two arrays (tuple/list semantics); returns a bool
// Value or whatever the deciding element comparison returned.
Value seq_richcompare(const Value* a, int64_t na, const Value* b, int64_t nb, CmpOp op);
struct TupleIter : Object {
  Tuple* seq;      // nullptr once exhausted
  int64_t index;
};
extern Type tuple_iterator_type;

}  // namespace gp
