// float.h — float: an IEEE double in a small immutable object.
// Invariant: repr is the shortest string that round-trips (std::to_chars), in
// CPython's spelling ('1e+16', '1.5', 'inf', 'nan', '-0.0').
#pragma once
#include "core/runtime.h"

namespace gp {

struct Float : Object {
  double v;
};

Value float_new(double d);
inline double float_val(Value v) { return v.as<Float>()->v; }  // v must be a float
Str* float_repr(double d);
std::string float_repr_string(double d);
int64_t float_hash(double d);                 // equal to int_hash for integral values
// Python's float % and // semantics (sign of divisor); ZeroDivisionError.
double float_mod(double a, double b);
double float_floordiv(double a, double b);
Value float_pow(double a, double b);          // ZeroDivisionError / ValueError as CPython
// format(d, spec) for the spec mini-language types e, E, f, F, g, G, n, %, and none.
std::string float_format(double d, char type, int precision, bool alt);

}  // namespace gp
