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
//  * Low bits 10: an immediate float ("SmallFloat", as in Spur). Let r be the
//    double's bits rotated left by one (sign in bit 0, exponent in bits 53..63). A
//    double whose exponent's top three bits are 011 or 100 (|x| in [2^-255, 2^257))
//    is stored as ((r - (3 << 61)) << 2) | 2; payloads 0 and 1 (which would be
//    +-2^-255) are taken by +0.0 and -0.0 instead, so those two doubles are boxed.
//    NaN, +-inf, denormals and magnitudes outside the range are heap Float objects.
//    float_new (objects/float.h) returns the immediate form whenever the double is
//    encodable (canonical form): an exact float is never sometimes boxed and
//    sometimes not. Instances of float subclasses are always heap objects.
//  * Low bits 00 and non-zero: a pointer to a GC-allocated (or static) Object.
//    Pointers are 8-aligned, so the tags never collide. Only is_obj() values may be
//    dereferenced (obj(), as<T>()); use type_of() (core/object.h) for the type of
//    any value, and float_val() for the double of any float.
#pragma once
#include <bit>
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

  // Immediate floats. try_imm_float returns false (and leaves *out alone) for a double
  // that must be boxed; use gp::float_new (objects/float.h) to make any float.
  static constexpr uint64_t IMM_FLOAT_BIAS = uint64_t(3) << 61;
  constexpr bool is_imm_float() const { return (bits_ & 3) == 2; }
  static constexpr bool try_imm_float(double d, Value* out) {
    uint64_t r = std::rotl(std::bit_cast<uint64_t>(d), 1);
    uint64_t p = r - IMM_FLOAT_BIAS;          // wraps around when out of range
    if (p - 2 < (uint64_t(1) << 62) - 2) {    // 2 <= p < 2^62: in range, not +-2^-255
      *out = Value((p << 2) | 2);
      return true;
    }
    if (r <= 1) {                             // +0.0 (r == 0) or -0.0 (r == 1)
      *out = Value((r << 2) | 2);
      return true;
    }
    return false;
  }
  // -x of an immediate: the sign is the payload's low bit (bit 2 of the word), and the
  // encodable set is symmetric in sign, so the result is an immediate too.
  constexpr Value imm_float_neg() const { return Value(bits_ ^ 4); }
  constexpr double imm_float() const {        // requires is_imm_float()
    uint64_t p = bits_ >> 2;
    uint64_t r = p <= 1 ? p : p + IMM_FLOAT_BIAS;
    return std::bit_cast<double>(std::rotr(r, 1));
  }

  // Objects.
  static Value from_obj(const Object* o) { return Value(reinterpret_cast<uint64_t>(o)); }
  constexpr bool is_null() const { return bits_ == 0; }
  constexpr bool is_obj() const { return bits_ != 0 && !(bits_ & 3); }
  Object* obj() const { return reinterpret_cast<Object*>(bits_); }
  template <class T> T* as() const { return reinterpret_cast<T*>(bits_); }

  // Identity (Python `is`).
  constexpr bool operator==(Value o) const { return bits_ == o.bits_; }
  constexpr bool operator!=(Value o) const { return bits_ != o.bits_; }
  explicit constexpr operator bool() const { return bits_ != 0; }
};

static_assert(sizeof(Value) == 8, "a Value is one machine word");

}  // namespace gp
