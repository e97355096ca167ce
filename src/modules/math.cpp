// math.cpp — the math module, following CPython 3.11's mathmodule.c.
//
// Invariants: every function converts its arguments the way CPython does (floats
// exactly, ints through correctly rounded int_to_double, other objects through
// __float__ then __index__; integer functions through __index__) and reports libm
// failures as CPython does: a nan from non-nan input or an infinity from finite input
// is ValueError "math domain error", unless the function can overflow, in which case
// an infinity is OverflowError "math range error". Integer functions (factorial, gcd,
// comb, perm, isqrt, lcm) are exact, via GMP. fsum is Shewchuk's exact summation.
#include <cfloat>
#include <cmath>
#include <vector>

#include "core/args.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

[[noreturn]] void domain_error() { raise(&exc_ValueError, "math domain error"); }
[[noreturn]] void range_error() { raise(&exc_OverflowError, "math range error"); }

// float(x) as math functions take it: "must be real number, not str".
double to_double(Value v) {
  if (v.is_imm_float()) return v.imm_float();
  if (v.is_small()) return double(v.small());
  Type* t = v.obj()->type;
  if (t == &float_type) return v.as<Float>()->v;  // a boxed exact float
  if (t->flags & TF_INT_SUBCLASS) return int_to_double(v);
  if (t->flags & TF_HEAPTYPE) {
    Value r = call_dunder_opt(v, GP_STR("__float__"), {});
    if (!r.is_null()) {
      if (!is_float(r))
        raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", type_name_c(v),
              type_name_c(r));
      return float_val(r);
    }
    r = call_dunder_opt(v, GP_STR("__index__"), {});
    if (!r.is_null()) {
      if (!is_int(r)) raise(&exc_TypeError, "__index__ returned non-int (type %s)", type_name_c(r));
      return int_to_double(r);
    }
    if (t->flags & TF_FLOAT_SUBCLASS) return float_val(v);
  } else if (t->nb_float) {
    Value r = t->nb_float(v);
    if (!is_float(r))
      raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", type_name_c(v),
            type_name_c(r));
    return float_val(r);
  } else if (t->nb_index) {
    return int_to_double(t->nb_index(v));
  }
  raise(&exc_TypeError, "must be real number, not %s", type_name_c(v));
}

// operator.index(v), with CPython's message.
Value to_index(Value v) {
  if (is_int(v)) return int_exact(v);
  Type* t = type_of(v);
  Value r = Value::null();
  if (t->flags & TF_HEAPTYPE) r = call_dunder_opt(v, GP_STR("__index__"), {});
  else if (t->nb_index) r = t->nb_index(v);
  if (r.is_null())
    raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(v));
  if (!is_int(r)) raise(&exc_TypeError, "__index__ returned non-int (type %s)", type_name_c(r));
  return int_exact(r);
}

void one_arg(const char* name, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.%s() takes no keyword arguments", name);
  if (nargs != 1)
    raise(&exc_TypeError, "math.%s() takes exactly one argument (%zu given)", name, nargs);
}

void two_args(const char* name, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.%s() takes no keyword arguments", name);
  if (nargs != 2) raise(&exc_TypeError, "%s expected 2 arguments, got %zu", name, nargs);
}

Value math_1(Value arg, double (*f)(double), bool can_overflow) {
  double x = to_double(arg);
  double r = f(x);
  if (std::isnan(r) && !std::isnan(x)) domain_error();
  if (std::isinf(r) && std::isfinite(x)) {
    if (can_overflow) range_error();
    domain_error();
  }
  return float_new(r);
}

double m_log(double x) {
  if (std::isfinite(x)) {
    if (x > 0.0) return std::log(x);
    if (x == 0.0) return -HUGE_VAL;
    return NAN;
  }
  if (std::isnan(x) || x > 0) return x;
  return NAN;
}
double m_log2(double x) {
  if (std::isfinite(x) && x <= 0.0) return x == 0.0 ? -HUGE_VAL : NAN;
  if (!std::isfinite(x) && !std::isnan(x) && x < 0) return NAN;
  return std::log2(x);
}
double m_log10(double x) {
  if (std::isfinite(x) && x <= 0.0) return x == 0.0 ? -HUGE_VAL : NAN;
  if (!std::isfinite(x) && !std::isnan(x) && x < 0) return NAN;
  return std::log10(x);
}

// log of a float or of an int of any size (ints too big for a double use frexp).
double loghelper(Value arg, double (*f)(double), int which) {
  if (is_int(arg)) {
    if (int_sign(arg) <= 0) domain_error();
    if (int_bit_length(arg) < 1000) return float_val(math_1(arg, f, false));
    int64_t e;
    double m = int_frexp(arg, &e);
    double le = which == 0 ? std::log(m) + double(e) * M_LN2
              : which == 1 ? std::log2(m) + double(e)
                           : std::log10(m) + double(e) * std::log10(2.0);
    return le;
  }
  return float_val(math_1(arg, f, false));
}

#define GP_MATH1(NAME, FN, OVF)                                     \
  Value NAME(const Value* args, size_t nargs, Tuple* kwnames) {     \
    one_arg(#NAME + 5, nargs, kwnames);                             \
    return math_1(args[0], FN, OVF);                                \
  }

double d_sqrt(double x) { return std::sqrt(x); }
double d_exp(double x) { return std::exp(x); }
double d_exp2(double x) { return std::exp2(x); }
double d_expm1(double x) { return std::expm1(x); }
double d_log1p(double x) { return std::log1p(x); }
double d_sin(double x) { return std::sin(x); }
double d_cos(double x) { return std::cos(x); }
double d_tan(double x) { return std::tan(x); }
double d_asin(double x) { return std::asin(x); }
double d_acos(double x) { return std::acos(x); }
double d_atan(double x) { return std::atan(x); }
double d_sinh(double x) { return std::sinh(x); }
double d_cosh(double x) { return std::cosh(x); }
double d_tanh(double x) { return std::tanh(x); }
double d_asinh(double x) { return std::asinh(x); }
double d_acosh(double x) { return std::acosh(x); }
double d_atanh(double x) { return std::atanh(x); }
double d_erf(double x) { return std::erf(x); }
double d_erfc(double x) { return std::erfc(x); }
double d_fabs(double x) { return std::fabs(x); }
double d_cbrt(double x) { return std::cbrt(x); }
double d_degrees(double x) { return x * (180.0 / M_PI); }
double d_radians(double x) { return x * (M_PI / 180.0); }

GP_MATH1(math_sqrt, d_sqrt, false)
GP_MATH1(math_exp, d_exp, true)
GP_MATH1(math_exp2, d_exp2, true)
GP_MATH1(math_expm1, d_expm1, true)
GP_MATH1(math_log1p, d_log1p, false)
GP_MATH1(math_sin, d_sin, false)
GP_MATH1(math_cos, d_cos, false)
GP_MATH1(math_tan, d_tan, false)
GP_MATH1(math_asin, d_asin, false)
GP_MATH1(math_acos, d_acos, false)
GP_MATH1(math_atan, d_atan, false)
GP_MATH1(math_sinh, d_sinh, true)
GP_MATH1(math_cosh, d_cosh, true)
GP_MATH1(math_tanh, d_tanh, false)
GP_MATH1(math_asinh, d_asinh, false)
GP_MATH1(math_acosh, d_acosh, false)
GP_MATH1(math_atanh, d_atanh, false)
GP_MATH1(math_erf, d_erf, false)
GP_MATH1(math_erfc, d_erfc, false)
GP_MATH1(math_fabs, d_fabs, false)
GP_MATH1(math_cbrt, d_cbrt, false)
#undef GP_MATH1

Value math_degrees(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("degrees", nargs, kwnames);
  return float_new(d_degrees(to_double(args[0])));
}
Value math_radians(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("radians", nargs, kwnames);
  return float_new(d_radians(to_double(args[0])));
}

// CPython's own gamma and lgamma (Lanczos approximation), so results match it to the
// last bit rather than depending on the platform libm.
constexpr int LANCZOS_N = 13;
constexpr double lanczos_g = 6.024680040776729583740234375;
constexpr double lanczos_g_minus_half = 5.524680040776729583740234375;
constexpr double lanczos_num_coeffs[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408};
constexpr double lanczos_den_coeffs[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
    2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0};
constexpr int NGAMMA_INTEGRAL = 23;
constexpr double gamma_integral[NGAMMA_INTEGRAL] = {
    1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0,
    39916800.0, 479001600.0, 6227020800.0, 87178291200.0, 1307674368000.0,
    20922789888000.0, 355687428096000.0, 6402373705728000.0, 121645100408832000.0,
    2432902008176640000.0, 51090942171709440000.0, 1124000727777607680000.0};
constexpr double kPi = 3.141592653589793238462643383279502884197;
constexpr double kLogPi = 1.144729885849400174143427351353058711647;

enum MathErr { ME_NONE, ME_DOM, ME_RANGE };

double lanczos_sum(double x) {
  double num = 0.0, den = 0.0;
  if (x < 5.0) {
    for (int i = LANCZOS_N; --i >= 0;) {
      num = num * x + lanczos_num_coeffs[i];
      den = den * x + lanczos_den_coeffs[i];
    }
  } else {
    for (int i = 0; i < LANCZOS_N; i++) {
      num = num / x + lanczos_num_coeffs[i];
      den = den / x + lanczos_den_coeffs[i];
    }
  }
  return num / den;
}

double m_sinpi(double x) {
  double y = std::fmod(std::fabs(x), 2.0), r = 0;
  int n = int(std::round(2.0 * y));
  switch (n) {
    case 0: r = std::sin(kPi * y); break;
    case 1: r = std::cos(kPi * (y - 0.5)); break;
    case 2: r = std::sin(kPi * (1.0 - y)); break;
    case 3: r = -std::cos(kPi * (y - 1.5)); break;
    case 4: r = std::sin(kPi * (y - 2.0)); break;
  }
  return std::copysign(1.0, x) * r;
}

double m_tgamma(double x, MathErr& err) {
  if (!std::isfinite(x)) {
    if (std::isnan(x) || x > 0.0) return x;
    err = ME_DOM;
    return NAN;
  }
  if (x == 0.0) {
    err = ME_DOM;
    return std::copysign(HUGE_VAL, x);
  }
  if (x == std::floor(x)) {
    if (x < 0.0) {
      err = ME_DOM;
      return NAN;
    }
    if (x <= NGAMMA_INTEGRAL) return gamma_integral[int(x) - 1];
  }
  double absx = std::fabs(x);
  if (absx < 1e-20) {
    double r = 1.0 / x;
    if (std::isinf(r)) err = ME_RANGE;
    return r;
  }
  if (absx > 200.0) {
    if (x < 0.0) return 0.0 / m_sinpi(x);
    err = ME_RANGE;
    return HUGE_VAL;
  }
  double y = absx + lanczos_g_minus_half, z;
  if (absx > lanczos_g_minus_half) {
    volatile double q = y - absx;
    z = q - lanczos_g_minus_half;
  } else {
    volatile double q = y - lanczos_g_minus_half;
    z = q - absx;
  }
  z = z * lanczos_g / y;
  double r;
  if (x < 0.0) {
    r = -kPi / m_sinpi(absx) / absx * std::exp(y) / lanczos_sum(absx);
    r -= z * r;
    if (absx < 140.0) {
      r /= std::pow(y, absx - 0.5);
    } else {
      double sqrtpow = std::pow(y, absx / 2.0 - 0.25);
      r /= sqrtpow;
      r /= sqrtpow;
    }
  } else {
    r = lanczos_sum(absx) / std::exp(y);
    r += z * r;
    if (absx < 140.0) {
      r *= std::pow(y, absx - 0.5);
    } else {
      double sqrtpow = std::pow(y, absx / 2.0 - 0.25);
      r *= sqrtpow;
      r *= sqrtpow;
    }
  }
  if (std::isinf(r)) err = ME_RANGE;
  return r;
}

double m_lgamma(double x, MathErr& err) {
  if (!std::isfinite(x)) return std::isnan(x) ? x : HUGE_VAL;
  if (x == std::floor(x) && x <= 2.0) {
    if (x <= 0.0) {
      err = ME_DOM;
      return HUGE_VAL;
    }
    return 0.0;
  }
  double absx = std::fabs(x);
  if (absx < 1e-20) return -std::log(absx);
  double r = std::log(lanczos_sum(absx)) - lanczos_g;
  r += (absx - 0.5) * (std::log(absx + lanczos_g - 0.5) - 1);
  if (x < 0.0) r = kLogPi - std::log(std::fabs(m_sinpi(absx))) - std::log(absx) - r;
  if (std::isinf(r)) err = ME_RANGE;
  return r;
}

Value check_err(double r, MathErr err) {
  if (err == ME_DOM) domain_error();
  if (err == ME_RANGE && std::fabs(r) >= 1.5) range_error();
  return float_new(r);
}

Value math_gamma(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("gamma", nargs, kwnames);
  MathErr err = ME_NONE;
  double r = m_tgamma(to_double(args[0]), err);
  return check_err(r, err);
}

Value math_lgamma(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("lgamma", nargs, kwnames);
  MathErr err = ME_NONE;
  double r = m_lgamma(to_double(args[0]), err);
  return check_err(r, err);
}

Value math_log(const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.log() takes no keyword arguments");
  if (nargs < 1 || nargs > 2) raise(&exc_TypeError, "math.log requires 1 to 2 arguments");
  double num = loghelper(args[0], m_log, 0);
  if (nargs == 1) return float_new(num);
  double den = loghelper(args[1], m_log, 0);
  if (den == 0.0) raise(&exc_ZeroDivisionError, "float division by zero");
  return float_new(num / den);
}

Value math_log2(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("log2", nargs, kwnames);
  return float_new(loghelper(args[0], m_log2, 1));
}

Value math_log10(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("log10", nargs, kwnames);
  return float_new(loghelper(args[0], m_log10, 2));
}

Value math_pow(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("pow", nargs, kwnames);
  double x = to_double(args[0]), y = to_double(args[1]);
  double r;
  if (!std::isfinite(x) || !std::isfinite(y)) {
    if (std::isnan(x)) r = y == 0.0 ? 1.0 : x;
    else if (std::isnan(y)) r = x == 1.0 ? 1.0 : y;
    else if (std::isinf(x)) {
      bool odd_y = std::isfinite(y) && std::fmod(std::fabs(y), 2.0) == 1.0;
      if (y > 0.) r = odd_y ? x : std::fabs(x);
      else if (y == 0.) r = 1.;
      else r = odd_y ? std::copysign(0., x) : 0.;
    } else {
      if (std::fabs(x) == 1.0) r = 1.;
      else if (y > 0. && std::fabs(x) > 1.0) r = y;
      else if (y < 0. && std::fabs(x) < 1.0) r = -y;
      else r = 0.;
    }
    return float_new(r);
  }
  r = std::pow(x, y);
  if (!std::isfinite(r)) {
    if (std::isnan(r)) domain_error();
    if (x == 0.) domain_error();
    range_error();
  }
  return float_new(r);
}

Value math_atan2(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("atan2", nargs, kwnames);
  double y = to_double(args[0]), x = to_double(args[1]);
  return float_new(std::atan2(y, x));
}

Value math_copysign(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("copysign", nargs, kwnames);
  double x = to_double(args[0]), y = to_double(args[1]);
  return float_new(std::copysign(x, y));
}

Value math_fmod(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("fmod", nargs, kwnames);
  double x = to_double(args[0]), y = to_double(args[1]);
  if (std::isinf(y) && std::isfinite(x)) return float_new(x);
  double r = std::fmod(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) domain_error();
  return float_new(r);
}

Value math_remainder(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("remainder", nargs, kwnames);
  double x = to_double(args[0]), y = to_double(args[1]);
  if (std::isnan(x)) return float_new(x);
  if (std::isnan(y)) return float_new(y);
  if (std::isinf(x) || y == 0.0) domain_error();
  if (std::isinf(y)) return float_new(x);
  return float_new(std::remainder(x, y));
}

Value math_nextafter(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("nextafter", nargs, kwnames);
  return float_new(std::nextafter(to_double(args[0]), to_double(args[1])));
}

Value math_ulp(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("ulp", nargs, kwnames);
  double x = to_double(args[0]);
  if (std::isnan(x)) return float_new(x);
  x = std::fabs(x);
  if (std::isinf(x)) return float_new(x);
  double x2 = std::nextafter(x, HUGE_VAL);
  if (std::isinf(x2)) {
    x2 = std::nextafter(x, -HUGE_VAL);
    return float_new(x - x2);
  }
  return float_new(x2 - x);
}

Value math_floor(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("floor", nargs, kwnames);
  Value v = args[0];
  if (is_type(v, &float_type)) return int_from_double(std::floor(float_val(v)));
  if (v.is_small() || is_type(v, &int_type)) return v;
  Value r = call_dunder_opt(v, GP_STR("__floor__"), {});
  if (!r.is_null()) return r;
  return int_from_double(std::floor(to_double(v)));
}

Value math_ceil(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("ceil", nargs, kwnames);
  Value v = args[0];
  if (is_type(v, &float_type)) return int_from_double(std::ceil(float_val(v)));
  if (v.is_small() || is_type(v, &int_type)) return v;
  Value r = call_dunder_opt(v, GP_STR("__ceil__"), {});
  if (!r.is_null()) return r;
  return int_from_double(std::ceil(to_double(v)));
}

Value math_trunc(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("trunc", nargs, kwnames);
  Value v = args[0];
  if (is_type(v, &float_type)) return int_from_double(float_val(v));
  if (v.is_small() || is_type(v, &int_type)) return v;
  Value r = call_dunder_opt(v, GP_STR("__trunc__"), {});
  if (r.is_null())
    raise(&exc_TypeError, "type %s doesn't define __trunc__ method", type_name_c(v));
  return r;
}

Value math_isfinite(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("isfinite", nargs, kwnames);
  return Bool(std::isfinite(to_double(args[0])));
}
Value math_isinf(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("isinf", nargs, kwnames);
  return Bool(std::isinf(to_double(args[0])));
}
Value math_isnan(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("isnan", nargs, kwnames);
  return Bool(std::isnan(to_double(args[0])));
}

Value math_isclose(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"a", "b", "$rel_tol", "$abs_tol", nullptr};
  Value a[4];
  parse_args("isclose", args, nargs, kwnames, kw, 2, a);
  double x = to_double(a[0]), y = to_double(a[1]);
  double rel = a[2].is_null() ? 1e-09 : to_double(a[2]);
  double abs_tol = a[3].is_null() ? 0.0 : to_double(a[3]);
  if (rel < 0.0 || abs_tol < 0.0) raise(&exc_ValueError, "tolerances must be non-negative");
  if (x == y) return True();
  if (std::isinf(x) || std::isinf(y)) return False();
  double diff = std::fabs(y - x);
  return Bool(diff <= std::fabs(rel * y) || diff <= std::fabs(rel * x) || diff <= abs_tol);
}

Value math_modf(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("modf", nargs, kwnames);
  double x = to_double(args[0]);
  if (std::isinf(x)) return vtuple(tuple_of({float_new(std::copysign(0.0, x)), float_new(x)}));
  double ip;
  double fp = std::modf(x, &ip);
  return vtuple(tuple_of({float_new(fp), float_new(ip)}));
}

Value math_frexp(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("frexp", nargs, kwnames);
  double x = to_double(args[0]);
  int e = 0;
  double m = x;
  if (std::isfinite(x) && x != 0.0) m = std::frexp(x, &e);
  return vtuple(tuple_of({float_new(m), Value::from_small(e)}));
}

Value math_ldexp(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("ldexp", nargs, kwnames);
  double x = to_double(args[0]);
  if (!is_int(args[1]))
    raise(&exc_TypeError, "Expected an int as second argument to ldexp.");
  if (x == 0.0 || !std::isfinite(x)) return float_new(x);
  int64_t e;
  if (!int_as_i64(args[1], &e)) e = int_sign(args[1]) > 0 ? INT64_MAX : INT64_MIN;
  if (e > 100000) range_error();
  if (e < -100000) return float_new(std::copysign(0.0, x));
  double r = std::ldexp(x, int(e));
  if (std::isinf(r)) range_error();
  return float_new(r);
}

// Accurate Euclidean norm (CPython's vector_norm): lossless scaling and squaring,
// compensated summation, one correction step after the square root.
double vector_norm(std::vector<double>& vec, double max, bool found_nan) {
  if (std::isinf(max)) return max;
  if (found_nan) return NAN;
  size_t n = vec.size();
  if (max == 0.0 || n <= 1) return max;
  int max_e;
  std::frexp(max, &max_e);
  if (max_e < -1023) {
    for (double& x : vec) x /= DBL_MIN;
    return DBL_MIN * vector_norm(vec, max / DBL_MIN, found_nan);
  }
  double scale = std::ldexp(1.0, -max_e);
  double csum = 1.0, frac1 = 0.0, frac2 = 0.0;
  for (double x : vec) {
    x *= scale;
    double hi = x * x, lo = std::fma(x, x, -hi);
    double s = csum + hi;
    double slo = (csum - s) + hi;
    csum = s;
    frac1 += lo;
    frac2 += slo;
  }
  double h = std::sqrt(csum - 1.0 + (frac1 + frac2));
  double phi = -h * h, plo = std::fma(-h, h, -phi);
  double s = csum + phi;
  double slo = (csum - s) + phi;
  csum = s;
  frac1 += plo;
  frac2 += slo;
  double x = csum - 1.0 + (frac1 + frac2);
  h += x / (2.0 * h);
  return h / scale;
}

Value math_hypot(const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.hypot() takes no keyword arguments");
  std::vector<double> v(nargs);
  double max = 0.0;
  bool nan = false;
  for (size_t i = 0; i < nargs; i++) {
    double x = std::fabs(to_double(args[i]));
    v[i] = x;
    nan |= std::isnan(x);
    if (x > max) max = x;
  }
  return float_new(vector_norm(v, max, nan));
}

Value math_dist(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("dist", nargs, kwnames);
  Tuple* p = is_type(args[0], &tuple_type) ? args[0].as<Tuple>() : tuple_from_iterable(args[0]);
  Tuple* q = is_type(args[1], &tuple_type) ? args[1].as<Tuple>() : tuple_from_iterable(args[1]);
  if (p->size != q->size)
    raise(&exc_ValueError, "both points must have the same number of dimensions");
  std::vector<double> v(size_t(p->size));
  double max = 0.0;
  bool nan = false;
  for (int64_t i = 0; i < p->size; i++) {
    double x = std::fabs(to_double((*p)[i]) - to_double((*q)[i]));
    v[size_t(i)] = x;
    nan |= std::isnan(x);
    if (x > max) max = x;
  }
  return float_new(vector_norm(v, max, nan));
}

Value math_fsum(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("fsum", nargs, kwnames);
  Value it = iter(args[0]);
  std::vector<double> p;
  double special_sum = 0.0, inf_sum = 0.0;
  for (;;) {
    Value item = next(it);
    if (item.is_null()) break;
    double x = to_double(item);
    double xsave = x;
    size_t i = 0;
    for (size_t j = 0; j < p.size(); j++) {
      double y = p[j];
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      double hi = x + y;
      double yr = hi - x;
      double lo = y - yr;
      if (lo != 0.0) p[i++] = lo;
      x = hi;
    }
    p.resize(i);
    if (x != 0.0) {
      if (!std::isfinite(x)) {
        if (std::isfinite(xsave)) raise(&exc_OverflowError, "intermediate overflow in fsum");
        if (std::isinf(xsave)) inf_sum += xsave;
        special_sum += xsave;
        p.clear();
      } else {
        p.push_back(x);
      }
    }
  }
  if (special_sum != 0.0) {
    if (std::isnan(inf_sum)) raise(&exc_ValueError, "-inf + inf in fsum");
    return float_new(special_sum);
  }
  double hi = 0.0;
  size_t n = p.size();
  if (n > 0) {
    double lo = 0.0;
    hi = p[--n];
    while (n > 0) {
      double x = hi;
      double y = p[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return float_new(hi);
}

Value math_prod(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"", "$start", nullptr};
  Value a[2];
  parse_args("prod", args, nargs, kwnames, kw, 1, a);
  Value acc = a[1].is_null() ? Value::from_small(1) : a[1];
  Value it = iter(a[0]);
  for (;;) {
    Value item = next(it);
    if (item.is_null()) break;
    if (is_int(acc) && is_int(item) && !has_flag(acc, TF_HEAPTYPE)) {
      acc = int_mul(acc, item);
    } else if (is_type(acc, &float_type) && is_type(item, &float_type)) {
      acc = float_new(float_val(acc) * float_val(item));
    } else {
      acc = binary_op(acc, item, BinOp::Mul);
    }
  }
  return acc;
}

Value math_factorial(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("factorial", nargs, kwnames);
  Value n = to_index(args[0]);
  if (int_sign(n) < 0) raise(&exc_ValueError, "factorial() not defined for negative values");
  int64_t k;
  if (!int_as_i64(n, &k))
    raise(&exc_OverflowError, "factorial() argument should not exceed %ld", long(INT64_MAX));
  if (k < 21) {
    int64_t r = 1;
    for (int64_t i = 2; i <= k; i++) r *= i;
    return int_from_i64(r);
  }
  // k! has lgamma(k+1)/ln 2 bits; GMP peaks at 3.8 x that (measured), and the copy
  // int_from_mpz makes is one more
  double rlimbs = std::lgamma(double(k) + 1) / std::log(2.0) / GMP_NUMB_BITS + 2;
  gmp_reserve(6 * rlimbs);
  mpz_t r;
  mpz_init(r);
  mpz_fac_ui(r, (unsigned long)k);
  return int_from_mpz(r);
}

Value math_gcd(const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.gcd() takes no keyword arguments");
  if (nargs == 0) return Value::from_small(0);
  Value first = to_index(args[0]);
  if (nargs == 1) return int_abs(first);
  mpz_t g, t;
  mpz_init(g);
  mpz_init(t);
  int_to_mpz(first, g);
  mpz_abs(g, g);
  for (size_t i = 1; i < nargs; i++) {
    Value v = to_index(args[i]);
    if (mpz_cmp_ui(g, 1) == 0) continue;
    int_to_mpz(v, t);
    gmp_reserve(8 * (gmp_limbs(g) + gmp_limbs(t)));  // measured: 7.3 x
    mpz_gcd(g, g, t);
  }
  return int_from_mpz(g);
}

Value math_lcm(const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.lcm() takes no keyword arguments");
  if (nargs == 0) return Value::from_small(1);
  Value first = to_index(args[0]);
  if (nargs == 1) return int_abs(first);
  mpz_t l, t;
  mpz_init(l);
  mpz_init(t);
  int_to_mpz(first, l);
  mpz_abs(l, l);
  for (size_t i = 1; i < nargs; i++) {
    Value v = to_index(args[i]);
    if (mpz_sgn(l) == 0) continue;
    int_to_mpz(v, t);
    gmp_reserve(9 * (gmp_limbs(l) + gmp_limbs(t)));  // measured: 8.3 x
    mpz_lcm(l, l, t);
  }
  return int_from_mpz(l);
}

Value math_isqrt(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("isqrt", nargs, kwnames);
  Value n = to_index(args[0]);
  if (int_sign(n) < 0) raise(&exc_ValueError, "isqrt() argument must be nonnegative");
  int64_t k;
  if (int_as_i64(n, &k) && k < (int64_t(1) << 52)) {
    int64_t r = int64_t(std::sqrt(double(k)));
    while (r * r > k) r--;
    while ((r + 1) * (r + 1) <= k) r++;
    return Value::from_small(r);
  }
  mpz_t z;
  mpz_init(z);
  int_to_mpz(n, z);
  gmp_reserve(4 * gmp_limbs(z));  // measured: 3.6 x the argument
  mpz_sqrt(z, z);
  return int_from_mpz(z);
}

// n! / (n-k)! or n! / (k! (n-k)!) with CPython's argument checks.
Value comb_perm(const char* fname, Value nv, Value kv, bool perm) {
  Value n = to_index(nv);
  if (kv.is_null() || is_none(kv)) {
    if (int_sign(n) < 0) raise(&exc_ValueError, "n must be a non-negative integer");
    Value a[1] = {n};
    return math_factorial(a, 1, nullptr);
  }
  Value k = to_index(kv);
  if (int_sign(n) < 0) raise(&exc_ValueError, "n must be a non-negative integer");
  if (int_sign(k) < 0) raise(&exc_ValueError, "k must be a non-negative integer");
  if (int_compare(k, n) > 0) return Value::from_small(0);
  mpz_t zn, zk, r;
  mpz_init(zn);
  mpz_init(zk);
  mpz_init(r);
  int_to_mpz(n, zn);
  int_to_mpz(k, zk);
  if (!perm) {
    mpz_t nk;
    mpz_init(nk);
    mpz_sub(nk, zn, zk);
    if (mpz_cmp(nk, zk) < 0) mpz_set(zk, nk);  // min(k, n-k)
  }
  if (!mpz_fits_ulong_p(zk))
    raise(&exc_OverflowError, "%s must not exceed %ld", perm ? "k" : "min(n - k, k)", long(INT64_MAX));
  unsigned long kk = mpz_get_ui(zk);
  {
    // C(n, k) < (e n / k)**k and n!/(n-k)! <= n**k; mpz_bin_ui peaks at about 2 limbs per
    // unit of k plus a few times the result (measured), k! at 3.8 x its size
    double lg = double(mpz_sizeinbase(zn, 2)), kd = double(kk);
    double bits = kk == 0 ? 1 : perm ? kd * lg : kd * std::max(1.0, lg - std::log2(kd) + 1.45);
    double rlimbs = bits / GMP_NUMB_BITS + 2;
    double flimbs = perm ? std::lgamma(kd + 1) / std::log(2.0) / GMP_NUMB_BITS + 2 : 0;
    gmp_reserve(3 * kd + 8 * rlimbs + 5 * flimbs);
  }
  mpz_bin_ui(r, zn, kk);
  if (perm) {
    mpz_t f;
    mpz_init(f);
    mpz_fac_ui(f, kk);
    mpz_mul(r, r, f);
  }
  return int_from_mpz(r);
}

Value math_comb(const Value* args, size_t nargs, Tuple* kwnames) {
  two_args("comb", nargs, kwnames);
  return comb_perm("comb", args[0], args[1], false);
}

Value math_perm(const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "math.perm() takes no keyword arguments");
  if (nargs < 1 || nargs > 2)
    raise(&exc_TypeError, nargs < 1 ? "perm expected at least 1 argument, got %zu"
                                    : "perm expected at most 2 arguments, got %zu", nargs);
  return comb_perm("perm", args[0], nargs > 1 ? args[1] : Value::null(), true);
}

}  // namespace

Module* init_module_math() {
  Module* m = module_new("math");
  module_add(m, "pi", float_new(M_PI));
  module_add(m, "e", float_new(M_E));
  module_add(m, "tau", float_new(2 * M_PI));
  module_add(m, "inf", float_new(HUGE_VAL));
  module_add(m, "nan", float_new(NAN));
  struct {
    const char* name;
    NativeFn fn;
  } fns[] = {
      {"sqrt", math_sqrt},       {"exp", math_exp},         {"exp2", math_exp2},
      {"expm1", math_expm1},     {"log1p", math_log1p},     {"sin", math_sin},
      {"cos", math_cos},         {"tan", math_tan},         {"asin", math_asin},
      {"acos", math_acos},       {"atan", math_atan},       {"sinh", math_sinh},
      {"cosh", math_cosh},       {"tanh", math_tanh},       {"asinh", math_asinh},
      {"acosh", math_acosh},     {"atanh", math_atanh},     {"erf", math_erf},
      {"erfc", math_erfc},       {"fabs", math_fabs},       {"cbrt", math_cbrt},
      {"degrees", math_degrees}, {"radians", math_radians}, {"gamma", math_gamma},
      {"lgamma", math_lgamma},   {"log", math_log},         {"log2", math_log2},
      {"log10", math_log10},     {"pow", math_pow},         {"atan2", math_atan2},
      {"copysign", math_copysign}, {"fmod", math_fmod},     {"remainder", math_remainder},
      {"nextafter", math_nextafter}, {"ulp", math_ulp},     {"floor", math_floor},
      {"ceil", math_ceil},       {"trunc", math_trunc},     {"isfinite", math_isfinite},
      {"isinf", math_isinf},     {"isnan", math_isnan},     {"isclose", math_isclose},
      {"modf", math_modf},       {"frexp", math_frexp},     {"ldexp", math_ldexp},
      {"hypot", math_hypot},     {"dist", math_dist},       {"fsum", math_fsum},
      {"prod", math_prod},       {"factorial", math_factorial}, {"gcd", math_gcd},
      {"lcm", math_lcm},         {"isqrt", math_isqrt},     {"comb", math_comb},
      {"perm", math_perm},
  };
  for (auto& f : fns) module_add_fn(m, f.name, f.fn);
  return m;
}

}  // namespace gp
