// typesys.h — extras of the type system beyond core/runtime.h [typesystem].
//
// Invariants:
//  * Descriptor objects made here (slot wrappers, getset descriptors, properties,
//    static/class methods) are immutable after construction, except a property's
//    name (set once by __set_name__) and the staticmethod/classmethod __dict__.
//  * A builtin type's slot wrapper remembers the exact C++ function it wraps, so a
//    heap type whose dunders all resolve to wrappers of one function calls that
//    function directly (no Python-level dispatch).
//  * Instances of heap subclasses of var-size builtins (tuple, str, bytes) keep their
//    __dict__ pointer at var_dict_offset(); allocate them with var_instance_size().
#pragma once
#include "core/runtime.h"

namespace gp {

using AnyFn = void (*)();

// How a slot wrapper calls the slot it wraps (SlotWrapper::kind).
enum WrapperKind : uint8_t {
  WK_UNARY,     // UnaryFn: __repr__ __str__ __iter__ __neg__ __pos__ __invert__ __abs__ ...
  WK_HASH, WK_BOOL, WK_LEN,
  WK_RICHCMP,   // op = CmpOp
  WK_BINARY,    // BinaryFn(self, other): __add__ and __iadd__
  WK_RBINARY,   // BinaryFn(other, self): __radd__
  WK_GETITEM, WK_SETITEM, WK_DELITEM, WK_CONTAINS, WK_NEXT,
  WK_GETATTR, WK_SETATTR, WK_DELATTR,
  WK_CALL, WK_INIT, WK_GET, WK_SET, WK_DELETE,
};

// "wrapper_descriptor": a builtin type's slot exposed as a dunder (int.__add__).
struct SlotWrapper : Object {
  const char* name;  // dunder name
  Str* name_str;
  Type* owner;
  uint8_t kind;      // internal wrapper kind (typesys)
  uint8_t op;        // CmpOp / BinOp where relevant
  AnyFn fn;          // the wrapped slot function
};
// "method-wrapper": a slot wrapper bound to an instance ((1).__add__).
struct MethodWrapper : Object {
  SlotWrapper* descr;
  Value self;
};
// "getset_descriptor" made by type_add_getset.
struct GetSetDescr : Object {
  const char* name;
  Type* owner;
  Getter get;
  Setter set;
};
// A __slots__ name of a TF_SLOTS_ONLY class ("member_descriptor"): the value lives in
// the instance's own dict under `name`, which nothing else can write (generic_setattr).
struct MemberDescr : Object {
  Str* name;
  Type* owner;
};
struct Property : Object {
  Value fget, fset, fdel, doc;  // None when absent
  Str* name;                    // from __set_name__ (or fget.__name__), may be null
  bool getter_doc;              // doc was taken from fget
};
// staticmethod and classmethod share this layout.
struct FuncWrapper : Object {
  Dict* dict;                   // __dict__ (dict_offset = 8)
  Value func;
};
struct Super : Object {
  Type* thisclass;  // the class given (or __class__)
  Value obj;        // the instance / class bound to (null for unbound super)
  Type* obj_type;   // the type whose MRO is searched
};

extern Type wrapper_descr_type, method_wrapper_type, getset_descr_type, member_descr_type;

// Call a slot wrapper bound to self (type checks done by the caller).
Value slot_wrapper_call(SlotWrapper* w, Value self, const Value* args, size_t nargs,
                        Tuple* kwnames);
Value slot_wrapper_new(Type* owner, const char* name, uint8_t kind, uint8_t op, AnyFn fn);
// The __new__ entry of a builtin type's dict: a builtin method bound to the type.
Value tp_new_wrapper_new(Type* owner);
bool is_tp_new_wrapper(Value v);

// issubclass() builtin semantics (tuples, __subclasscheck__), with CPython's errors.
bool issubclass_any(Value sub, Value cls_or_tuple);
// isinstance/issubclass without hooks, for exact type objects.
inline bool type_is_subtype(Type* a, Type* b) { return issubclass(a, b); }

// Where a var-size instance (dict_offset -1) keeps its dict: the first 8-aligned word
// after its items (after the NUL byte when itemsize is 1: str/bytes).
inline int64_t var_dict_offset(Type* t, int64_t nitems) {
  int64_t n = nitems < 0 ? -nitems : nitems;
  int64_t end = t->basic_size + n * t->itemsize + (t->itemsize == 1 ? 1 : 0);
  return (end + 7) & ~int64_t(7);
}
// Bytes to allocate for an instance of t with nitems items (dict slot included).
inline size_t var_instance_size(Type* t, int64_t nitems) {
  if (t->itemsize == 0) return size_t(t->basic_size);
  return size_t(var_dict_offset(t, nitems)) + (t->dict_offset == -1 ? 8 : 0);
}

// AttributeError with CPython's wording for o (instance, class or module).
[[noreturn]] void raise_attribute_error(Value o, Str* name);
// abs(v) via nb_abs ("bad operand type for abs(): 'str'").
Value number_abs(Value v);
// Identity hash (object.__hash__), never -1.
int64_t object_hash_identity(Value v);
// object.__repr__: "<__main__.Foo object at 0x...>".
Str* object_default_repr(Value v);
// type.__repr__ text: "<class 'int'>".
Str* type_repr_str(Type* t);
// "__main__.Foo" or "int" (builtins omitted), as used in reprs.
std::string type_qualified_name(Type* t);
// Look `name` up along t's MRO; *owner receives the class whose dict holds it.
Value type_lookup_owner(Type* t, Str* name, Type** owner);
// dir(o) as object.__dir__ / type.__dir__ compute it (unsorted list of str).
List* object_dir(Value o);
// Bind and call a raw attribute found on type(self) (function, slot wrapper, method
// descriptor, or anything with __get__), without building a bound method when avoidable.
Value call_bound(Value descr, Value self, const Value* args, size_t nargs,
                 Tuple* kwnames = nullptr);
// Call a native function with `self` prepended to the arguments.
Value call_native_with_self(NativeFn fn, Value self, const Value* args, size_t nargs,
                            Tuple* kwnames);
// Full type.__new__ with class keywords (passed on to __init_subclass__).
Value type_new_full(Type* metatype, Str* name, Tuple* bases, Dict* ns, const Value* kwvals,
                    Tuple* kwnames);
// type.__call__: tp_new then tp_init when the result is an instance.
Value type_call(Value type, const Value* args, size_t nargs, Tuple* kwnames);
// Whether t has non-empty __abstractmethods__ (object.__new__ refuses it).
bool type_is_abstract(Type* t);
// Subclasses of t registered so far (type.__subclasses__()).
List* type_subclasses(Type* t);
// Recompute the slots of heap type t (and its subclasses) for dunder `name`.
void type_update_slot(Type* t, Str* name);
// Methods, properties and wrappers: constructors for C++ code.
Value property_new(Value fget, Value fset, Value fdel, Value doc);
Value staticmethod_new(Value func);
Value classmethod_new(Value func);
void init_super_type();   // super.cpp, called from init_descr_types

}  // namespace gp
