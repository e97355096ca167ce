// value.h — the one-word value every slot, stack cell and container holds.
//
// Invariants:
//  * A Value is exactly 64 bits, trivially copyable, so a list or dict slot can be
//    read and written with one atomic machine store when no lock protects it.
//  * bits == 0 is "null": no value (unbound local, exhausted iterator, empty slot).
//    It is never visible to Python code.
//  * Low bit 1: a small int, 63-bit signed, stored as (v << 1) | 1.  Ints outside
//    [SMALL_MIN, SMALL_MAX] are heap Int objects backed by GMP, never small.
//    Every int operation returns the small form whenever the result fits (canonical
//    form), so two equal ints are either both small or both big.
//  * Low bits 000 and non-zero: a pointer to a GC-allocated (or static) Object.
//    Pointers are 8-aligned, so the tag never collides.
#pragma once
#include <cstdint>
#include <cstddef>

namespace gp {

struct Object;
struct Type;

class Value {
  uint64_t bits_;
  constexpr explicit Value(uint64_t b) : bits_(b) {}

 public:
  static constexpr int64_t SMALL_MAX = (int64_t(1) << 62) - 1;
  static constexpr int64_t SMALL_MIN = -(int64_t(1) << 62);

  constexpr Value() : bits_(0) {}
  constexpr static Value null() { return Value(uint64_t(0)); }
  constexpr static Value from_bits(uint64_t b) { return Value(b); }
  constexpr uint64_t bits() const { return bits_; }

  // Small ints. from_small requires SMALL_MIN <= v <= SMALL_MAX; use gp::int_from_i64
  // (runtime.h) when the range is not known.
  constexpr static Value from_small(int64_t v) { return Value((uint64_t(v) << 1) | 1); }
  static constexpr bool fits_small(int64_t v) { return v >= SMALL_MIN && v <= SMALL_MAX; }
  constexpr bool is_small() const { return bits_ & 1; }
  constexpr int64_t small() const { return int64_t(bits_) >> 1; }

  // Objects.
  static Value from_obj(const Object* o) { return Value(reinterpret_cast<uint64_t>(o)); }
  constexpr bool is_null() const { return bits_ == 0; }
  constexpr bool is_obj() const { return bits_ != 0 && !(bits_ & 1); }
  Object* obj() const { return reinterpret_cast<Object*>(bits_); }
  template <class T> T* as() const { return reinterpret_cast<T*>(bits_); }

  // Identity (Python `is`).
  constexpr bool operator==(Value o) const { return bits_ == o.bits_; }
  constexpr bool operator!=(Value o) const { return bits_ != o.bits_; }
  explicit constexpr operator bool() const { return bits_ != 0; }
};

static_assert(sizeof(Value) == 8, "a Value is one machine word");

}  // namespace gp
