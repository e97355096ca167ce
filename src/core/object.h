// object.h — the object header, type objects and their slots, allocation.
//
// Invariants:
//  * Every heap object begins with `Type* type`. Small ints and immediate floats
//    (value.h) are not objects: type_of(v) is the one way to get any value's type.
//    All objects live on the Boehm GC heap (gc_alloc / gc_alloc_atomic) or in static
//    storage; nothing that holds a Value lives in malloc'd memory (use gp::GcVector /
//    gc_allocator), because the collector only scans its own heap, static data and
//    thread stacks. (A tagged word the conservative collector mistakes for a pointer
//    only keeps something alive; nothing walks Values assuming they are pointers.)
//  * Objects are never freed by hand and have no C++ destructors that matter.
//  * Variable-size objects (tuple, str, bytes) keep their element count in the
//    int64_t right after the header (offset 8), as `VarObject` shows.
//  * Slots on Type are the fast path. A NULL slot means "not supported" and the
//    abstract operations in runtime.h raise CPython's TypeError. For heap types
//    (classes made by `class`), type_ready() fills the slots with dispatchers that look
//    the dunder method up along the MRO, so Python code and C++ see one protocol.
//  * Binary number slots get (a, b) in source order and return NotImplemented when
//    they cannot handle the pair; runtime.h's binary_op does the reflected dance.
#pragma once
#include "gc/gcapi.h"

#include <atomic>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace gp {

struct Type;
struct Str;
struct Tuple;
struct Dict;
struct List;

struct Object {
  Type* type;
};

struct VarObject : Object {
  int64_t size;  // element count (tuple items, str bytes, bytes bytes)
};

// ---- allocation -----------------------------------------------------------------
// The collector returns NULL when the heap cannot grow (GC_MAXIMUM_HEAP_SIZE, or the
// machine is out of memory); that must surface as Python's MemoryError, never as a
// write through NULL. raise_no_memory (objects/exceptions.cpp) throws the preallocated
// instance, so it needs no allocation itself.
[[noreturn]] void raise_no_memory();
// The largest single object a native routine may try to build: the machine's physical
// memory, or less when set_max_alloc_bytes lowered it (the fuzz harness matches its
// heap cap). check_alloc_size raises MemoryError for a request over it (or a negative
// or overflowed one) before any std::string or buffer of that size is asked for, as
// CPython's failed malloc would: asking for it could otherwise abort (std::length_error,
// or ASan's allocator) or commit swap for minutes.
uint64_t max_alloc_bytes();
void set_max_alloc_bytes(uint64_t n);
inline void check_alloc_size(int64_t n) {
  if (__builtin_expect(n < 0 || uint64_t(n) > max_alloc_bytes(), 0)) raise_no_memory();
}
// The same for base + count * each bytes (padding: count fill characters of `each`
// bytes), where the product may overflow.
inline void check_alloc_size(int64_t base, int64_t count, int64_t each) {
  int64_t n;
  if (__builtin_mul_overflow(count, each, &n) || __builtin_add_overflow(base, n, &n)) n = -1;
  check_alloc_size(n);
}
// Scanned objects up to kFastAllocGranules 16-byte granules come from this thread's own
// free lists (t_gc_freelists), one list per granule count, refilled by gc_alloc_refill
// (core/gcalloc.cpp). With gilpy's own collector these are the collector's per-thread
// lists themselves (docs/gc.md). With libgc they live in the ThreadState, which the
// collector scans, and are refilled a block at a time by GC_generic_malloc_many; the
// rest of this comment is about that case. Why not GC_MALLOC: its thread-local path costs a call, a TLS lookup
// through the dynamic loader and a stubborn-change call per object, and with interior
// pointers on (our list buffers use them) it adds one byte to every request, so a
// 32-byte list or 2-tuple took 48 bytes. These objects are of an own kind
// (gc_exact_kind) whose blocks are scanned over their full length; GC_MALLOC's kind
// skips an object's last word, assuming the extra byte is there. The objects are
// handed out zeroed except the link word, which is cleared here. A one-past-the-end
// pointer does not keep such an object alive (it points into the next one): nothing
// holds only that (list and dict buffers are referenced by their start or interior).
constexpr size_t kFastAllocGranules = 32;  // up to 512 bytes
extern thread_local void** t_gc_freelists;  // [kFastAllocGranules + 1] heads, or null
void* gc_alloc_refill(size_t granules);      // refills heads[granules], returns one object

inline void* gc_alloc(size_t n) {  // zeroed, scanned
  size_t g = (n + 15) >> 4;
  void** fl = t_gc_freelists;
  if (__builtin_expect(g - 1 < kFastAllocGranules && fl != nullptr, 1)) {
    void* p = fl[g];
    if (__builtin_expect(p != nullptr, 1)) {
      fl[g] = *static_cast<void**>(p);
      *static_cast<void**>(p) = nullptr;
      return p;
    }
    return gc_alloc_refill(g);
  }
  void* p = GC_MALLOC(n);
  if (__builtin_expect(p == nullptr, 0)) raise_no_memory();
  return p;
}
inline void* gc_alloc_atomic(size_t n) {  // not scanned, not zeroed
  void* p = GC_MALLOC_ATOMIC(n);
  if (__builtin_expect(p == nullptr, 0)) raise_no_memory();
  return p;
}

template <class T>
T* gc_new_obj(Type* type, size_t bytes = sizeof(T)) {
  T* o = static_cast<T*>(gc_alloc(bytes));
  o->type = type;
  return o;
}

template <class T>
using GcVector = std::vector<T, gc_allocator<T>>;
using ValueVec = GcVector<Value>;

// ---- operator codes -----------------------------------------------------------
enum class BinOp : uint8_t {
  Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul,
  COUNT
};
enum class CmpOp : uint8_t { Lt, Le, Eq, Ne, Gt, Ge };

// The vectorcall convention: positional args in args[0..nargs), then one value per
// name in kwnames (a tuple of str, or nullptr when there are none).
// For methods of builtin types, args[0] is self and nargs counts it.
using NativeFn = Value (*)(const Value* args, size_t nargs, Tuple* kwnames);

using UnaryFn = Value (*)(Value a);
using BinaryFn = Value (*)(Value a, Value b);           // may return NotImplemented
using CompareFn = Value (*)(Value a, Value b, CmpOp op);  // may return NotImplemented
using HashFn = int64_t (*)(Value a);                     // never returns -1
using BoolFn = bool (*)(Value a);
using LenFn = int64_t (*)(Value a);
using GetItemFn = Value (*)(Value self, Value key);
using SetItemFn = void (*)(Value self, Value key, Value v);  // v null = delete
using ContainsFn = bool (*)(Value self, Value item);
using IterNextFn = Value (*)(Value it);                  // null = exhausted (no StopIteration)
using GetAttrFn = Value (*)(Value self, Str* name);      // null = not found (no exception)
using SetAttrFn = void (*)(Value self, Str* name, Value v);  // v null = delete
using CallFn = Value (*)(Value callable, const Value* args, size_t nargs, Tuple* kwnames);
using NewFn = Value (*)(Type* type, const Value* args, size_t nargs, Tuple* kwnames);
using InitFn = void (*)(Value self, const Value* args, size_t nargs, Tuple* kwnames);
using DescrGetFn = Value (*)(Value descr, Value obj /*null: class access*/, Type* owner);
using DescrSetFn = void (*)(Value descr, Value obj, Value v);  // v null = delete

enum TypeFlags : uint32_t {
  TF_HEAPTYPE = 1u << 0,   // made by a class statement or type(name, bases, dict)
  TF_BASETYPE = 1u << 1,   // may be subclassed
  TF_READY = 1u << 2,
  // instances have only the attributes their __slots__ name (every base too, up to
  // object): generic_setattr refuses other names (type.cpp, member descriptors)
  TF_SLOTS_ONLY = 1u << 3,
  // fast subclass tests, set by type_ready from the MRO
  TF_INT_SUBCLASS = 1u << 8,
  TF_STR_SUBCLASS = 1u << 9,
  TF_TUPLE_SUBCLASS = 1u << 10,
  TF_LIST_SUBCLASS = 1u << 11,
  TF_DICT_SUBCLASS = 1u << 12,
  TF_EXC_SUBCLASS = 1u << 13,   // BaseException
  TF_TYPE_SUBCLASS = 1u << 14,
  TF_BYTES_SUBCLASS = 1u << 15,
  TF_FLOAT_SUBCLASS = 1u << 16,
};

struct Type : Object {
  const char* name;      // tp_name for builtins, e.g. "int"; heap types: utf8 of name_str
  Str* name_str;         // __name__
  Str* qualname;         // __qualname__
  Str* module;           // __module__ ("builtins" for builtins)
  Type* base;            // __base__ (nullptr only for object)
  Tuple* bases;          // __bases__
  Tuple* mro;            // __mro__, computed by C3 in type_ready
  Dict* dict;            // __dict__ (type_ready creates it)
  int64_t basic_size;    // bytes of a fixed-size instance / header of a var-size one
  int64_t itemsize;      // bytes per element of a var-size instance (0 = fixed)
  int64_t dict_offset;   // >0: offset of Dict* in instances; -1: after the items; 0: none
  uint32_t flags;
  std::atomic<uint32_t> version;  // bumped whenever the dict of this type or a base changes
  const char* doc;

  // slots (nullptr = unsupported)
  UnaryFn repr, str;
  HashFn hash;
  CompareFn richcompare;
  BoolFn nb_bool;
  LenFn len;
  GetItemFn getitem;
  SetItemFn setitem;
  ContainsFn contains;
  UnaryFn iter;
  IterNextFn iternext;
  GetAttrFn getattr;
  SetAttrFn setattr;
  CallFn call;
  NewFn tp_new;
  InitFn tp_init;
  DescrGetFn descr_get;
  DescrSetFn descr_set;
  BinaryFn nb[size_t(BinOp::COUNT)];          // a op b
  BinaryFn nb_inplace[size_t(BinOp::COUNT)];  // a op= b (null: fall back to nb)
  UnaryFn nb_neg, nb_pos, nb_invert, nb_abs;
  UnaryFn nb_int, nb_float, nb_index;
};

// ---- types of the core -----------------------------------------------------------
// Statically allocated builtin type objects; each is defined in the .cpp of its type
// and made ready by gp::init_types() (runtime.h) before any Python code runs.
extern Type type_type, object_type, none_type, notimpl_type, ellipsis_type;
extern Type int_type, bool_type, float_type;
extern Type str_type, bytes_type, bytearray_type;
extern Type tuple_type, list_type, dict_type, set_type, frozenset_type;
extern Type range_type, slice_type;
extern Type function_type, builtin_function_type, method_type, method_descr_type;
extern Type code_type, cell_type, generator_type, module_type;
extern Type property_type, staticmethod_type, classmethod_type, super_type;

// Singletons. None/True/False/NotImplemented/Ellipsis are static objects.
extern Object None_obj, NotImplemented_obj, Ellipsis_obj;
extern Object True_obj, False_obj;  // layout-compatible with a bool; see int.h
inline Value None() { return Value::from_obj(&None_obj); }
inline Value NotImplemented() { return Value::from_obj(&NotImplemented_obj); }
inline Value Ellipsis() { return Value::from_obj(&Ellipsis_obj); }
inline Value True() { return Value::from_obj(&True_obj); }
inline Value False() { return Value::from_obj(&False_obj); }
inline Value Bool(bool b) { return b ? True() : False(); }

// The type of any non-null value: small ints are int, immediate floats are float.
inline Type* type_of(Value v) {
  if (__builtin_expect(v.is_obj(), 1)) return v.obj()->type;
  return v.is_small() ? &int_type : &float_type;
}
inline bool is_none(Value v) { return v == None(); }

// exact type tests. is_type(v, &float_type) is true for immediate floats; a small int
// is never is_type(v, &int_type) nor has_flag(v, TF_INT_SUBCLASS) (test is_small()
// first, or use is_int).
inline bool is_type(Value v, const Type* t) {
  if (__builtin_expect(v.is_obj(), 1)) return v.obj()->type == t;
  return v.is_imm_float() && t == &float_type;
}
inline bool has_flag(Value v, uint32_t f) {
  if (__builtin_expect(v.is_obj(), 1)) return v.obj()->type->flags & f;
  return v.is_imm_float() && (float_type.flags & f);
}
// int includes bool and int subclasses (and small ints)
inline bool is_int(Value v) { return v.is_small() || has_flag(v, TF_INT_SUBCLASS); }
inline bool is_str(Value v) { return has_flag(v, TF_STR_SUBCLASS); }
inline bool is_tuple(Value v) { return has_flag(v, TF_TUPLE_SUBCLASS); }
inline bool is_list(Value v) { return has_flag(v, TF_LIST_SUBCLASS); }
inline bool is_dict(Value v) { return has_flag(v, TF_DICT_SUBCLASS); }
inline bool is_float(Value v) { return v.is_imm_float() || has_flag(v, TF_FLOAT_SUBCLASS); }
inline bool is_bytes(Value v) { return has_flag(v, TF_BYTES_SUBCLASS); }
inline bool is_exception(Value v) { return has_flag(v, TF_EXC_SUBCLASS); }
inline bool is_typeobj(Value v) { return has_flag(v, TF_TYPE_SUBCLASS); }

}  // namespace gp
