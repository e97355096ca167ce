// bytes.h — bytes (immutable) and bytearray (mutable).
// Invariants: Bytes keeps its data inline after the header, NUL-terminated for C
// calls; ByteArray keeps a GC-allocated buffer that may move when it grows.
#pragma once
#include <string_view>

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
// Any bytes-like (bytes, bytearray) -> view; false if v is not bytes-like.
bool bytes_like_view(Value v, std::string_view* out);

}  // namespace gp
