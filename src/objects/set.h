// set.h — set and frozenset: hash sets of Values. Fields private to set.cpp.
#pragma once
#include "core/runtime.h"

namespace gp {

struct Set;  // layout in set.cpp; set and frozenset share it

Value set_new(Type* t /*&set_type or &frozenset_type*/);
Value set_from_iterable(Type* t, Value iterable);
void set_add(Value s, Value item);
bool set_contains(Value s, Value item);
bool set_discard(Value s, Value item);
int64_t set_size(Value s);
bool set_next(Value s, int64_t* pos, Value* item);

// ---- additions (containers) -----------------------------------------------------
inline bool is_anyset(Value v) {
  return v.is_obj() && (v.obj()->type == &set_type || v.obj()->type == &frozenset_type ||
                        isinstance(v, &set_type) || isinstance(v, &frozenset_type));
}
void set_update(Value s, Value iterable);      // s |= iterable (s must be a set)
void set_clear(Value s);
bool set_remove(Value s, Value item);          // KeyError when missing
Value set_pop(Value s);                        // KeyError "pop from an empty set"
extern Type set_iterator_type;

}  // namespace gp
