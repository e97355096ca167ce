// int.h — int (small in the value word, big through GMP) and bool.
// Invariants: canonical form — a result that fits Value::fits_small is always small;
// BigInt objects hold only values outside that range, except instances of int
// subclasses (heap types), which always use BigInt layout. True/False are the two
// bool objects (object.h) and count as 1/0 everywhere an int is accepted.
// GMP allocates through the GC (mp_set_memory_functions in init_int_type).
#pragma once
#include <gmp.h>

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

}  // namespace gp
