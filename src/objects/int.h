// int.h — int (small in the value word, big through GMP) and bool.
// Invariants: canonical form — a result that fits Value::fits_small is always small;
// BigInt objects hold only values outside that range, except instances of int
// subclasses (heap types), which always use BigInt layout. True/False are the two
// bool objects (object.h) and count as 1/0 everywhere an int is accepted.
// GMP allocates through the GC (mp_set_memory_functions in init_int_type).
// GMP cannot survive a failed allocation (its manual: the allocation functions must return
// memory; leaving GMP by longjmp or throw is undefined), so every GMP call that may need
// much memory is sized first: see "GMP memory" below.
#pragma once
#include <gmp.h>

#include <atomic>
#include <string>

#include "core/runtime.h"

namespace gp {

struct BigInt : Object {
  mpz_t z;
};

Value int_from_i64(int64_t v);
Value int_from_u64(uint64_t v);
Value int_from_mpz(const mpz_t z);            // copies, canonicalises
Value int_from_double(double d);              // trunc; OverflowError/ValueError for inf/nan
// Parses Python int literal / int(str, base) text (underscores, sign, whitespace, prefixes
// when base is 0). Throws ValueError "invalid literal for int() with base 10: '...'".
Value int_from_string(std::string_view s, int base);
bool int_to_i64(Value v, int64_t* out);       // false if it does not fit; v must be an int
double int_to_double(Value v);                // OverflowError "int too large to convert to float"
void int_to_mpz(Value v, mpz_t out);          // out must be mpz_init'ed
Str* int_repr(Value v);                       // decimal
std::string int_to_string(Value v, int base); // "ff" etc, with '-' sign, no prefix
int int_sign(Value v);
Value int_add(Value a, Value b);              // all ints (small, big, bool)
Value int_sub(Value a, Value b);
Value int_mul(Value a, Value b);
Value int_floordiv(Value a, Value b);         // ZeroDivisionError
Value int_mod(Value a, Value b);
Value int_pow(Value a, Value b, Value mod);   // mod null = none; negative exp gives float
int int_compare(Value a, Value b);            // -1, 0, 1
int64_t int_hash(Value v);                    // CPython's modular hash (mod 2**61-1)

// ---- more of the int API [numbers: src/objects/int.cpp] ------------------------------
// Any int value (small, bool, BigInt of int or of a subclass) as int64 when it fits.
bool int_as_i64(Value v, int64_t* out);
Value int_exact(Value v);                     // bool / int-subclass instance -> plain int
Value int_truediv(Value a, Value b);          // int / int: a correctly rounded float
Value int_divmod(Value a, Value b);           // (a // b, a % b) tuple
Value int_neg(Value a);
Value int_abs(Value a);
Value int_invert(Value a);
Value int_and(Value a, Value b);
Value int_or(Value a, Value b);
Value int_xor(Value a, Value b);
Value int_lshift(Value a, Value b);           // ValueError "negative shift count"
Value int_rshift(Value a, Value b);
int64_t int_bit_length(Value v);
bool int_is_zero(Value v);
// m * 2**exp correctly rounded (half-even, subnormals) to a double; *overflow set (and
// +-inf returned) when the magnitude is too large. m may be negative.
double mpz_ldexp_double(mpz_srcptr m, int64_t exp, bool* overflow);
// frexp for any int: v == mant * 2**exp with 0.5 <= |mant| < 1 (rounded); for math.log.
double int_frexp(Value v, int64_t* exp);
// int.__format__ / format(int, spec).
Str* int_format(Value v, std::string_view spec);
// sys.get_int_max_str_digits / set_int_max_str_digits (0 = no limit). The setter does
// not validate; sys raises "maxdigits must be 0 or larger than 640".
int int_max_str_digits();
void set_int_max_str_digits(int n);
// A numeric string with non-ASCII Unicode whitespace mapped to ' ' and decimal digits of
// any script mapped to '0'..'9' (other non-ASCII characters become '?'), as CPython does
// before parsing int() and float() arguments. Returns the input unchanged if ASCII.
std::string numeric_to_ascii(std::string_view s);
// int(x) / int(x, base) with CPython's rules (str, bytes, __int__, __index__, __trunc__).
Value int_from_object(Value x);
Value int_from_object_base(Value x, Value base);

// ---- GMP memory [src/objects/int.cpp] ------------------------------------------------
// Before calling GMP, code that may build a large number either allocates the result's
// limbs itself (gmp_init_limbs: MemoryError on refusal, and GMP then allocates nothing for
// the result) and/or reserves GMP's estimated peak scratch (gmp_reserve: at or above
// kGmpProbeLimbs it allocates that much from the collector and frees it at once, raising
// MemoryError on refusal; below, it is one comparison). The estimates (the factors beside
// mul_scratch in int.cpp, gmp_div_scratch below, and at each call) are peak allocations
// measured with GMP 6.2 on operands of 10^5 to 1.6*10^7 limbs, rounded up.
// Whatever still fails inside GMP is served from an emergency block; gmp_check (called by
// int_from_mpz and the int operations after GMP returns) then raises MemoryError.
constexpr double kGmpProbeLimbs = 8192;  // 64 KiB
void gmp_reserve_slow(double limbs);
inline void gmp_reserve(double limbs) {
  if (__builtin_expect(!(limbs < kGmpProbeLimbs), 0)) gmp_reserve_slow(limbs);
}
void gmp_init_limbs(mpz_t z, double limbs);   // an empty mpz with room for `limbs` limbs
// A bound on the size of any int result, MemoryError past it (set once before threads
// start). Only the fuzz harness sets it: there a chain of 10-million-bit products is a
// long computation, not a bug, and would run into libFuzzer's per-input timeout.
void set_max_int_bits(uint64_t bits);
extern __thread bool t_gmp_emergency;         // set when the emergency block was used
extern std::atomic<bool> g_gmp_emergency_empty;  // the block is to be re-allocated
void gmp_check_slow();
inline void gmp_check() {
  if (__builtin_expect(t_gmp_emergency || g_gmp_emergency_empty.load(std::memory_order_relaxed), 0))
    gmp_check_slow();
}
inline double gmp_limbs(mpz_srcptr z) { return double(mpz_size(z)); }
// Peak limbs GMP needs beyond the result for a quotient/remainder of an n-limb dividend
// by an m-limb divisor (measured: 2n for small divisors, up to 5.7n for m near n).
inline double gmp_div_scratch(double n, double m) {
  return (m < 1000 || m * 32 <= n) ? n + m + 16 : 6 * n + 16;
}

}  // namespace gp
