// iterobject.h — the builtin iterator types: enumerate, zip, map, filter, reversed,
// the generic sequence iterator (iter(obj) on __getitem__ objects) and the callable
// iterator (iter(callable, sentinel)).
// Invariants: each iterator keeps all its state in its own object (no shared
// scratch), and once exhausted stays exhausted (its source references are dropped).
#pragma once
#include "core/runtime.h"

namespace gp {

extern Type enumerate_type, zip_type, map_type, filter_type, reversed_type, seqiter_type,
    callable_iter_type;

Value seqiter_new(Value seq);                          // iter(seq) via __getitem__(0, 1, ...)
Value callable_iter_new(Value callable, Value sentinel);  // iter(callable, sentinel)
Value reversed_of(Value seq);                          // reversed(seq)

}  // namespace gp
