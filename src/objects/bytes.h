// bytes.h — bytes (immutable) and bytearray (mutable).
// Invariants: Bytes keeps its data inline after the header, NUL-terminated for C
// calls; ByteArray keeps a GC-allocated buffer that may move when it grows.
#pragma once
#include <string>
#include <string_view>

#include "core/objlock.h"
#include "core/runtime.h"

namespace gp {

struct Bytes : VarObject {
  std::atomic<int64_t> hash_;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
  std::string_view view() const { return {reinterpret_cast<const char*>(this + 1), size_t(size)}; }
};

struct ByteArray : Object {
  int64_t size;
  int64_t cap;
  uint8_t* data;   // gc_alloc_atomic
};

Bytes* bytes_new(std::string_view data);
Value bytearray_new(std::string_view data);
Str* bytes_repr(std::string_view data);       // b'...' with CPython's escaping
// Any bytes-like (bytes, bytearray) -> view; false if v is not bytes-like. For a
// bytearray the view is bytearray_snapshot's: read it, never write through it.
bool bytes_like_view(Value v, std::string_view* out);

// Free threading (--gil=none; the rules are at the top of bytearray.cpp).
// The bytes as one consistent value: the live buffer under a GIL policy, a private copy
// made under the bytearray's lock under --gil=none (stable while Python code runs).
std::string_view bytearray_snapshot(ByteArray* a);
// The live buffer and its size, read together under the lock, for writers into it (an
// MPI receive). The memory stays valid while the pointer is held; another thread may
// meanwhile install a new buffer (writes then land in the old one, as with a race).
uint8_t* bytearray_live(ByteArray* a, int64_t* size);
// The size alone, without the lock (writers store it with release).
inline int64_t bytearray_size(const ByteArray* a) { return ld_rlx(&a->size); }

// ---- additions (strings engineer): shared by bytes.cpp and bytearray.cpp ------------------
bool is_bytearray(Value v);                   // bytearray or a subclass
// The bytes/bytearray methods common to both types (results take the type of self:
// bytearray methods return bytearray). Registered by init_bytes_types on both types.
void bytes_add_common_methods(Type* t);
Value bytes_format_percent(std::string_view fmt, Value args, bool as_bytearray);  // b'..' % args
Str* bytearray_repr(std::string_view data);   // bytearray(b'...')
void init_bytearray_type();                   // called by init_bytes_types
// bytes(x) / bytearray(x) source conversion: str+encoding, int count, buffer, __bytes__,
// iterable of ints. `tname` names the target type in error messages.
Value byteslike_richcompare_shared(Value a, Value b, CmpOp op);
bool byteslike_contains_shared(Value self, Value item);
std::string bytes_from_source(Value src, Value encoding, Value errors, const char* tname);

}  // namespace gp
