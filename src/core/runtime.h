// runtime.h — the abstract object protocol: what the VM, the builtins and every
// type use to act on a Value without knowing its type (CPython's "abstract.c").
//
// Invariants:
//  * Errors are C++ exceptions of type gp::PyThrow carrying nothing; the Python
//    exception object itself lives in ThreadState::curexc (GC-visible) — see
//    core/error.h. Every function here may throw unless it says otherwise.
//  * "null" return values (Value::null()) mean "absent" only where documented
//    (iterator exhaustion, optional lookups); they never escape to Python code.
//  * Fast paths for small ints and exact builtin types sit in these functions or
//    in the VM; everything else goes through the Type slots (object.h).
//
// Owner of each group in [brackets]; the owner's .cpp defines it.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/object.h"

namespace gp {

// ---- attributes [typesystem: src/objects/object.cpp, type.cpp] ---------------------
Value getattr(Value o, Str* name);          // raises AttributeError
Value getattr_opt(Value o, Str* name);      // null if missing (AttributeError swallowed)
Value getattr_default(Value o, Str* name, Value dflt);
bool hasattr(Value o, Str* name);
void setattr(Value o, Str* name, Value v);
void delattr(Value o, Str* name);
// object.__getattribute__: data descriptors on the type, instance dict, non-data
// descriptors and plain class attributes; null when missing. No __getattr__ hook.
Value generic_getattr(Value o, Str* name);
void generic_setattr(Value o, Str* name, Value v);  // v null = delete
// generic_setattr under another name, for TF_SLOTS_ONLY types (object.cpp): the eval
// loop's STORE_ATTR fast path writes straight into the instance dict of types whose
// setattr is generic_setattr, and must leave these to the check.
void slots_setattr(Value o, Str* name, Value v);
Value type_lookup(Type* t, Str* name);     // along the MRO, raw (no descriptor call); null if missing
Dict** instance_dictptr(Value o);          // where o keeps its __dict__, or nullptr
Dict* instance_dict(Value o, bool create); // o.__dict__ (created on demand), or nullptr

// ---- calls [typesystem] ---------------------------------------------------------------
Value call(Value f, const Value* args, size_t nargs, Tuple* kwnames = nullptr);
Value call(Value f, std::initializer_list<Value> args);
// Look `name` up on type(self) (along the MRO, as the interpreter does for dunders)
// and call it bound to self; null if the type has no such attribute.
Value call_dunder_opt(Value self, Str* name, std::initializer_list<Value> args);
Value call_method(Value self, Str* name, std::initializer_list<Value> args);  // getattr + call
bool is_callable(Value f);

// ---- protocols [typesystem: src/objects/abstract.cpp] ----------------------------------
Str* repr(Value v);
Str* str(Value v);                 // str(v)
Str* ascii(Value v);
int64_t hash(Value v);             // TypeError for unhashable
bool truthy(Value v);
bool eq(Value a, Value b);         // a == b as bool (identity first, as containers do)
Value compare(Value a, Value b, CmpOp op);   // rich comparison with reflection
bool compare_bool(Value a, Value b, CmpOp op);
Value binary_op(Value a, Value b, BinOp op);
Value inplace_op(Value a, Value b, BinOp op);
Value unary_neg(Value a);
Value unary_pos(Value a);
Value unary_invert(Value a);
Value getitem(Value o, Value key);
void setitem(Value o, Value key, Value v);
void delitem(Value o, Value key);
bool contains(Value container, Value item);   // `item in container`
int64_t len(Value o);
Value iter(Value o);               // iter(o)
Value next(Value it);              // next item or null when exhausted
// A check point for native loops over an iterator that may run for long (sum() of a
// huge range, any() over a long generator's output, `x in iterator`): every 1024 turns
// it does what the eval loop does at a backward jump when the thread's eval breaker is
// set — park for a collection (no fallback signal needed), switch the lock, run signal
// handlers (Ctrl-C interrupts the loop), count the fuzz harness's budget. Only where
// Python code could run anyway: the loop calls next() on an iterator that may be a
// generator, and holds no object lock.
void native_check_point_slow();
struct NativeLoop {  // one per loop: NativeLoop nl; ... nl.check();
  uint32_t left = 1024;
  void check() {
    if (__builtin_expect(--left == 0, 0)) {
      left = 1024;
      native_check_point_slow();
    }
  }
};
Value format(Value v, Str* spec);  // format(v, spec) via __format__
bool isinstance(Value v, Type* t);
bool isinstance_any(Value v, Value cls_or_tuple);  // isinstance() builtin semantics
bool issubclass(Type* sub, Type* base);
Value number_index(Value v);       // operator.index(v): an int
int64_t as_index(Value v);         // as ssize_t; IndexError/OverflowError as CPython
double as_double(Value v);         // float(v) for math functions; TypeError if not a number
Value to_int(Value v);             // int(v)
Value to_float(Value v);           // float(v)
std::string type_name(Value v);    // type(v).__name__ as UTF-8
const char* type_name_c(Value v);

// ---- types [typesystem: src/objects/type.cpp] ---------------------------------------
void type_ready(Type* t);          // C3 MRO, dict, slot wrappers, inherited slots, flags
// type(name, bases, ns) as the metaclass call does it (used by __build_class__)
Value type_call_new(Type* metatype, Str* name, Tuple* bases, Dict* ns);
enum MethFlags { METH_DEFAULT = 0, METH_STATIC = 1, METH_CLASS = 2 };
void type_add_method(Type* t, const char* name, NativeFn fn, int flags = METH_DEFAULT);
using Getter = Value (*)(Value self);
using Setter = void (*)(Value self, Value v);   // v null = delete
void type_add_getset(Type* t, const char* name, Getter get, Setter set = nullptr);
void type_set_attr(Type* t, const char* name, Value v);  // plain class attribute
void type_modified(Type* t);       // bump version tags of t and its subclasses
Value object_new_instance(Type* t); // allocate a bare instance of heap type t (dict slot)
// Builtin function objects (used by modules and the builtins module).
Value make_builtin_function(const char* name, NativeFn fn, Value self = Value::null());

// ---- start-up [runtime: src/vm/runtime.cpp] --------------------------------------------
void init_types();                 // make every builtin type ready (calls init_*_type)

}  // namespace gp
