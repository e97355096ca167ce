// test_numbers.cpp — unit tests of int, bool, float and math (expected values are
// CPython 3.11's). Invariant: runs against the real runtime (init_types), one thread.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/runtime.h"
#include "core/threadstate.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {
Module* init_module_math();
}

using namespace gp;

namespace {
struct Runtime : ::testing::Environment {
  void SetUp() override {
    GC_INIT();
    if (!tstate()) tstate_new();
    init_types();
  }
};
const auto* env = ::testing::AddGlobalTestEnvironment(new Runtime);

Value I(const char* s) { return int_from_string(s, 10); }
Value F(double d) { return float_new(d); }
std::string R(Value v) { return std::string(repr(v)->view()); }
template <class F>
std::string err(F f) {
  try {
    f();
  } catch (PyThrow&) {
    Value e = take_exception();
    return type_name(e) + ": " + std::string(str(e)->view());
  }
  return "";
}
std::string Fmt(Value v, const char* spec) {
  return std::string(format(v, str_from_cstr(spec)).as<Str>()->view());
}
Value math_call(const char* name, std::initializer_list<Value> args) {
  static Module* m = init_module_math();
  return call(dict_get_str(m->dict, str_intern(name)), args);
}
}  // namespace

TEST(Int, SmallAndBigCanonical) {
  Value a = Value::from_small(Value::SMALL_MAX);
  Value b = int_add(a, Value::from_small(1));
  EXPECT_FALSE(b.is_small());
  EXPECT_EQ(R(b), "4611686018427387904");
  Value c = int_sub(b, Value::from_small(1));
  EXPECT_TRUE(c.is_small());
  EXPECT_EQ(R(int_mul(I("12345678901234567890"), I("98765432109876543210"))),
            "1219326311370217952237463801111263526900");
}

TEST(Int, DivisionSigns) {
  EXPECT_EQ(R(int_floordiv(I("-7"), I("2"))), "-4");
  EXPECT_EQ(R(int_mod(I("-7"), I("2"))), "1");
  EXPECT_EQ(R(int_mod(I("7"), I("-2"))), "-1");
  EXPECT_EQ(R(int_divmod(I("-100000000000000000000000"), I("7"))),
            "(-14285714285714285714286, 2)");
  EXPECT_EQ(err([] { int_floordiv(I("1"), I("0")); }),
            "ZeroDivisionError: integer division or modulo by zero");
  EXPECT_EQ(err([] { int_mod(I("1"), I("0")); }), "ZeroDivisionError: integer modulo by zero");
  EXPECT_EQ(err([] { int_truediv(I("1"), I("0")); }), "ZeroDivisionError: division by zero");
}

TEST(Int, TrueDivCorrectlyRounded) {
  EXPECT_EQ(R(int_truediv(I("1"), I("3"))), "0.3333333333333333");
  EXPECT_EQ(R(int_truediv(int_pow(I("10"), I("400"), Value::null()), int_pow(I("10"), I("399"), Value::null()))), "10.0");
  EXPECT_EQ(err([] { int_truediv(int_pow(I("10"), I("400"), Value::null()), I("1")); }),
            "OverflowError: integer division result too large for a float");
  EXPECT_EQ(R(int_truediv(I("9007199254740993"), I("1"))), "9007199254740992.0");
}

TEST(Int, Pow) {
  EXPECT_EQ(R(int_pow(I("2"), I("100"), Value::null())), "1267650600228229401496703205376");
  EXPECT_EQ(R(int_pow(I("2"), I("-1"), Value::null())), "0.5");
  EXPECT_EQ(R(int_pow(I("3"), I("-1"), I("7"))), "5");
  EXPECT_EQ(R(int_pow(I("3"), I("5"), I("-7"))), "-2");
  EXPECT_EQ(err([] { int_pow(I("2"), I("-1"), I("4")); }),
            "ValueError: base is not invertible for the given modulus");
  EXPECT_EQ(err([] { int_pow(I("0"), I("-1"), Value::null()); }),
            "ZeroDivisionError: 0.0 cannot be raised to a negative power");
}

TEST(Int, Shifts) {
  EXPECT_EQ(R(int_lshift(I("1"), I("100"))), "1267650600228229401496703205376");
  EXPECT_EQ(R(int_rshift(I("-1"), I("1000"))), "-1");
  EXPECT_EQ(err([] { int_lshift(I("1"), I("-1")); }), "ValueError: negative shift count");
}

TEST(Int, Hash) {
  EXPECT_EQ(int_hash(I("-1")), -2);
  EXPECT_EQ(int_hash(I("2305843009213693951")), 0);  // 2**61 - 1
  EXPECT_EQ(int_hash(I("1267650600228229401496703205376")), 549755813888);
  EXPECT_EQ(float_hash(1.5), 1152921504606846977);
  EXPECT_EQ(float_hash(3.0), 3);
  EXPECT_EQ(float_hash(INFINITY), 314159);
  EXPECT_EQ(hash(True()), 1);
}

TEST(Int, Parse) {
  EXPECT_EQ(R(int_from_string(" 42 ", 10)), "42");
  EXPECT_EQ(R(int_from_string("0x1f", 16)), "31");
  EXPECT_EQ(R(int_from_string("0x1f", 0)), "31");
  EXPECT_EQ(R(int_from_string("1_000", 10)), "1000");
  EXPECT_EQ(err([] { int_from_string("abc", 10); }),
            "ValueError: invalid literal for int() with base 10: 'abc'");
  EXPECT_EQ(err([] { int_from_string("010", 0); }),
            "ValueError: invalid literal for int() with base 0: '010'");
  EXPECT_EQ(err([] { int_from_string(std::string(5000, '1'), 10); }),
            "ValueError: Exceeds the limit (4300 digits) for integer string conversion: value "
            "has 5000 digits; use sys.set_int_max_str_digits() to increase the limit");
}

TEST(Int, Format) {
  EXPECT_EQ(Fmt(I("255"), "#010x"), "0x000000ff");
  EXPECT_EQ(Fmt(I("1234567"), ","), "1,234,567");
  EXPECT_EQ(Fmt(I("1234"), "010,"), "00,001,234");
  EXPECT_EQ(Fmt(I("-5"), "+d"), "-5");
  EXPECT_EQ(Fmt(I("65"), "c"), "A");
  EXPECT_EQ(Fmt(I("12345678"), "_x"), "bc_614e");
  EXPECT_EQ(err([] { Fmt(I("5"), "q"); }),
            "ValueError: Unknown format code 'q' for object of type 'int'");
}

TEST(Bool, Basics) {
  EXPECT_EQ(R(True()), "True");
  EXPECT_EQ(R(int_add(True(), True())), "2");
  EXPECT_EQ(binary_op(True(), False(), BinOp::Or), True());
  EXPECT_EQ(R(binary_op(True(), Value::from_small(2), BinOp::Or)), "3");
  EXPECT_EQ(Fmt(True(), ""), "True");
  EXPECT_EQ(Fmt(True(), "d"), "1");
}

// The immediate encoding (core/value.h): which doubles are immediate, exact round trips
// of every form, the type tests, and that the tags never collide with ints or pointers.
TEST(Float, Immediate) {
  auto imm = [](double d) { return float_new(d).is_imm_float(); };
  auto same = [](double a, double b) { return std::memcmp(&a, &b, 8) == 0; };
  EXPECT_TRUE(imm(0.0));
  EXPECT_TRUE(imm(-0.0));
  EXPECT_TRUE(imm(1.0));
  EXPECT_TRUE(imm(-1.5));
  EXPECT_TRUE(imm(std::ldexp(1.0, -254)));
  EXPECT_TRUE(imm(std::nextafter(std::ldexp(1.0, -255), 1.0)));
  EXPECT_TRUE(imm(std::ldexp(1.0, 256)));
  EXPECT_TRUE(imm(std::nextafter(std::ldexp(1.0, 257), 0.0)));
  EXPECT_FALSE(imm(std::ldexp(1.0, -255)));   // payload taken by +-0.0
  EXPECT_FALSE(imm(-std::ldexp(1.0, -255)));
  EXPECT_FALSE(imm(std::nextafter(std::ldexp(1.0, -255), 0.0)));
  EXPECT_FALSE(imm(std::ldexp(1.0, 257)));
  EXPECT_FALSE(imm(1e-300));
  EXPECT_FALSE(imm(5e-324));
  EXPECT_FALSE(imm(1.7976931348623157e308));
  EXPECT_FALSE(imm(INFINITY));
  EXPECT_FALSE(imm(-INFINITY));
  EXPECT_FALSE(imm(NAN));
  // round trips: immediates and boxes alike, bit for bit (signed zeros included)
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 200000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double d;
    std::memcpy(&d, &x, 8);
    if (std::isnan(d)) continue;
    Value v = float_new(d);
    ASSERT_TRUE(same(float_val(v), d)) << std::hex << x;
    ASSERT_TRUE(is_float(v) && is_type(v, &float_type) && type_of(v) == &float_type);
    ASSERT_FALSE(v.is_small());
    ASSERT_EQ(v.is_obj(), !v.is_imm_float());
    int e = int((x >> 52) & 0x7ff);
    bool in_range = (e >= 0x300 && e < 0x500 && !(e == 0x300 && (x & ((1ull << 52) - 1)) == 0));
    ASSERT_EQ(v.is_imm_float(), in_range || d == 0.0) << std::hex << x;
    if (v.is_imm_float()) ASSERT_TRUE(v.imm_float_neg() == float_new(-d)) << std::hex << x;
  }
  for (double d : {0.0, -0.0, 1.0, 0.1, std::ldexp(1.0, -254), std::nextafter(std::ldexp(1.0, 257), 0.0),
                   -std::nextafter(std::ldexp(1.0, 257), 0.0), std::ldexp(1.0, -255), 1e300, 5e-324}) {
    EXPECT_TRUE(same(float_val(float_new(d)), d)) << d;
    EXPECT_EQ(hash(float_new(d)), float_hash(d));
  }
  Value a = F(2.5), b = F(2.5);
  EXPECT_TRUE(a == b);  // canonical: equal immediates are identical
  EXPECT_FALSE(F(0.0) == F(-0.0));
  EXPECT_TRUE(eq(F(0.0), F(-0.0)));
  EXPECT_FALSE(is_int(a));
  EXPECT_FALSE(has_flag(a, TF_INT_SUBCLASS));
  EXPECT_TRUE(has_flag(a, TF_FLOAT_SUBCLASS));
  EXPECT_FALSE(is_type(a, &int_type));
  EXPECT_FALSE(is_str(a));
  EXPECT_EQ(type_name(a), "float");
  EXPECT_TRUE(truthy(F(1e-77)));
  EXPECT_FALSE(truthy(F(-0.0)));
  EXPECT_EQ(R(a), "2.5");
  EXPECT_EQ(R(F(-0.0)), "-0.0");
}

TEST(Float, Repr) {
  EXPECT_EQ(float_repr_string(1e16), "1e+16");
  EXPECT_EQ(float_repr_string(1e15), "1000000000000000.0");
  EXPECT_EQ(float_repr_string(1.5e-5), "1.5e-05");
  EXPECT_EQ(float_repr_string(0.0001), "0.0001");
  EXPECT_EQ(float_repr_string(100.0), "100.0");
  EXPECT_EQ(float_repr_string(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(float_repr_string(-0.0), "-0.0");
  EXPECT_EQ(float_repr_string(INFINITY), "inf");
  EXPECT_EQ(float_repr_string(-INFINITY), "-inf");
  EXPECT_EQ(float_repr_string(NAN), "nan");
  EXPECT_EQ(float_repr_string(5e-324), "5e-324");
}

TEST(Float, Parse) {
  EXPECT_EQ(R(float_from_string("1e3")), "1000.0");
  EXPECT_EQ(R(float_from_string("  inf ")), "inf");
  EXPECT_EQ(R(float_from_string("-0.0")), "-0.0");
  EXPECT_EQ(R(float_from_string("1_0.5")), "10.5");
  EXPECT_EQ(R(float_from_string("1e500")), "inf");
  EXPECT_EQ(err([] { float_from_string("x"); }),
            "ValueError: could not convert string to float: 'x'");
  EXPECT_EQ(err([] { float_from_string("1__0"); }),
            "ValueError: could not convert string to float: '1__0'");
}

TEST(Float, Arithmetic) {
  EXPECT_EQ(float_mod(-7.0, 2.0), 1.0);
  EXPECT_EQ(float_floordiv(-7.0, 2.0), -4.0);
  EXPECT_EQ(err([] { float_mod(1.0, 0.0); }), "ZeroDivisionError: float modulo");
  EXPECT_EQ(err([] { float_floordiv(1.0, 0.0); }),
            "ZeroDivisionError: float floor division by zero");
  EXPECT_EQ(err([] { float_divmod(1.0, 0.0); }), "ZeroDivisionError: float divmod()");
  EXPECT_EQ(err([] { binary_op(F(1.0), F(0.0), BinOp::TrueDiv); }),
            "ZeroDivisionError: float division by zero");
  EXPECT_EQ(err([] { float_pow(2.0, 10000.0); }),
            "OverflowError: (34, 'Numerical result out of range')");
  EXPECT_EQ(err([] { float_pow(0.0, -1.0); }),
            "ZeroDivisionError: 0.0 cannot be raised to a negative power");
}

TEST(Float, MixedCompareExact) {
  Value big = I("9007199254740993");  // 2**53 + 1
  EXPECT_FALSE(compare_bool(F(9007199254740992.0), big, CmpOp::Eq));
  EXPECT_TRUE(compare_bool(F(9007199254740992.0), big, CmpOp::Lt));
  EXPECT_TRUE(compare_bool(big, F(9007199254740992.0), CmpOp::Gt));
  EXPECT_TRUE(compare_bool(F(1e300), int_pow(I("10"), I("400"), Value::null()), CmpOp::Lt));
  EXPECT_FALSE(compare_bool(F(NAN), I("1"), CmpOp::Eq));
}

TEST(Float, Format) {
  EXPECT_EQ(Fmt(F(1234.5), ","), "1,234.5");
  EXPECT_EQ(Fmt(F(-1234.5), "012,.2f"), "-0,001,234.50");
  EXPECT_EQ(Fmt(F(10.0), ".2"), "1e+01");
  EXPECT_EQ(Fmt(F(1.0), ".3"), "1.0");
  EXPECT_EQ(Fmt(F(0.5), ".0%"), "50%");
  EXPECT_EQ(Fmt(F(123.0), "#.5g"), "123.00");
  EXPECT_EQ(Fmt(F(2.5), ".0f"), "2");
  EXPECT_EQ(Fmt(F(INFINITY), "010"), "0000000inf");
  EXPECT_EQ(err([] { Fmt(F(5.0), "d"); }),
            "ValueError: Unknown format code 'd' for object of type 'float'");
}

TEST(Float, Round) {
  EXPECT_EQ(float_round_ndigits(0.125, 2), 0.12);
  EXPECT_EQ(float_round_ndigits(2.675, 2), 2.67);
  EXPECT_EQ(float_round_ndigits(12345.0, -2), 12300.0);
  EXPECT_EQ(float_round_ndigits(1e300, -300), 1e300);
}

TEST(Math, Errors) {
  EXPECT_EQ(err([] { math_call("sqrt", {F(-1)}); }), "ValueError: math domain error");
  EXPECT_EQ(err([] { math_call("exp", {F(1000)}); }), "OverflowError: math range error");
  EXPECT_EQ(err([] { math_call("factorial", {I("-1")}); }),
            "ValueError: factorial() not defined for negative values");
  EXPECT_EQ(err([] { math_call("fsum", {vtuple(tuple_of({F(1e308), F(1e308)}))}); }),
            "OverflowError: intermediate overflow in fsum");
}

TEST(Math, Values) {
  EXPECT_EQ(R(math_call("fsum", {vtuple(tuple_of({F(0.1), F(0.1), F(0.1), F(0.1), F(0.1),
                                                   F(0.1), F(0.1), F(0.1), F(0.1), F(0.1)}))})),
            "1.0");
  EXPECT_EQ(R(math_call("hypot", {I("3"), I("4")})), "5.0");
  EXPECT_EQ(R(math_call("gcd", {I("12"), I("18"), I("24")})), "6");
  EXPECT_EQ(R(math_call("comb", {I("10"), I("3")})), "120");
  EXPECT_EQ(R(math_call("perm", {I("10"), I("3")})), "720");
  EXPECT_EQ(R(math_call("isqrt", {I("1000000000000000000000")})), "31622776601");
  EXPECT_EQ(R(math_call("floor", {F(-2.5)})), "-3");
  EXPECT_EQ(R(math_call("gamma", {F(0.5)})), "1.7724538509055159");
  EXPECT_EQ(R(math_call("log", {I("8"), I("2")})), "3.0");
  EXPECT_EQ(R(math_call("log10", {int_pow(I("10"), I("400"), Value::null())})), "400.0");
}
