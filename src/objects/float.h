// float.h — float: an IEEE double, immediate in the value word when its exponent
// allows, else in a small immutable object.
// Invariants:
//  * An exact float is an immediate (Value::is_imm_float, core/value.h) whenever the
//    double is encodable — |x| in [2^-255, 2^257) except +-2^-255, and +-0.0 — and a
//    heap Float of type float otherwise (nan, +-inf, denormals, huge and tiny
//    magnitudes). float_new is the only maker of exact floats, so the form is canonical.
//  * Instances of float subclasses are heap Floats with their own type; float_val reads
//    either form, so code never touches Float::v directly.
//  * repr is the shortest string that round-trips (std::to_chars), in CPython's
//    spelling ('1e+16', '1.5', 'inf', 'nan', '-0.0').
#pragma once
#include "core/runtime.h"

namespace gp {

struct Float : Object {
  double v;
};

Value float_box(double d);  // out of line: the heap form of a non-encodable double
inline Value float_new(double d) {
  Value v;
  if (__builtin_expect(Value::try_imm_float(d, &v), 1)) return v;
  return float_box(d);
}
// v must be a float (is_float): an immediate, a boxed float or a subclass instance.
inline double float_val(Value v) {
  return __builtin_expect(v.is_imm_float(), 1) ? v.imm_float() : v.as<Float>()->v;
}
Str* float_repr(double d);
std::string float_repr_string(double d);
int64_t float_hash(double d);                 // equal to int_hash for integral values
// Python's float % and // semantics (sign of divisor); ZeroDivisionError.
double float_mod(double a, double b);
double float_floordiv(double a, double b);
Value float_pow(double a, double b);          // ZeroDivisionError / ValueError as CPython
// format(d, spec) for the spec mini-language types e, E, f, F, g, G, n, %, and none.
std::string float_format(double d, char type, int precision, bool alt);

// ---- more of the float API [numbers: src/objects/float.cpp] --------------------------
// float('...'): whitespace, sign, inf/infinity/nan, underscores between digits, Unicode
// digits. ValueError "could not convert string to float: '...'".
Value float_from_string(std::string_view s);
Value float_from_object(Value x);             // float(x)
// float_hash(nan) returns 0; the hash slot hashes a nan by identity, as CPython 3.10+.
// Compare a double with an int exactly: -1, 0, 1, or 2 when d is a nan.
int float_int_compare(double d, Value i);
Value float_divmod(double a, double b);       // (a // b, a % b); ZeroDivisionError "float divmod()"
Str* float_format_spec(double d, std::string_view spec);  // float.__format__
// Shared by int and float __format__: apply sign, prefix ("0x"), grouping of `intpart`
// (every `group` digits with spec.grouping), then `rest` (fraction/exponent/'%'), then
// fill/align/width (numbers align right by default; '0' flag pads between sign and digits,
// grouping the padding zeros as CPython does).
struct FormatSpec;
std::string format_number(const FormatSpec& spec, bool negative, std::string_view prefix,
                          std::string_view intpart, std::string_view rest, int group);
double float_round_ndigits(double x, int64_t ndigits);  // round(x, n), correctly rounded

}  // namespace gp
