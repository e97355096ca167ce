// test_builtins.cpp — unit tests of exceptions, builtins, sys, io and _random.
// Invariant: one runtime per test binary, started once by the environment below (main
// thread attached and holding the lock) before any test touches a Value.
#include "gc/gcapi.h"
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "core/runtime.h"
#include "core/threadstate.h"
#include "gil/gil.h"
#include "modules/builtins.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

using namespace gp;

namespace gp {
Module* init_module__random();
}

namespace {

class RuntimeEnv : public ::testing::Environment {
 public:
  void SetUp() override {
    GC_INIT();
    GC_allow_register_threads();
    gil_init("");
    ThreadState* ts = tstate_new();
    gil_acquire(ts);
    init_types();
    static char arg0[] = "test";
    char* argv[] = {arg0};
    sys_init(1, argv, "");
    init_module_builtins();
  }
};
const ::testing::Environment* const env = ::testing::AddGlobalTestEnvironment(new RuntimeEnv);

Value S(const char* s) { return vstr(str_new(s)); }
std::string sv(Value v) { return std::string(str(v)->view()); }
std::string rv(Value v) { return std::string(repr(v)->view()); }

Value builtin(const char* name) {
  Value v = dict_get_str(builtins_dict(), str_intern(name));
  EXPECT_FALSE(v.is_null()) << name;
  return v;
}

// Run f, expecting a Python exception of type t; returns str(exc).
template <class F>
std::string expect_raise(Type* t, F f) {
  try {
    f();
  } catch (PyThrow&) {
    Value e = take_exception();
    EXPECT_TRUE(exc_matches(e, Value::from_obj(t))) << type_name(e) << ": " << sv(e);
    return sv(e);
  }
  ADD_FAILURE() << "no exception raised";
  return "";
}

}  // namespace

TEST(Exceptions, StrAndRepr) {
  Value e = exc_new(&exc_ValueError, {S("x")});
  EXPECT_EQ(sv(e), "x");
  EXPECT_EQ(rv(e), "ValueError('x')");
  EXPECT_EQ(sv(exc_new(&exc_ValueError, {})), "");
  EXPECT_EQ(rv(exc_new(&exc_ValueError, {})), "ValueError()");
  EXPECT_EQ(rv(exc_new(&exc_ValueError, {Value::from_small(1), Value::from_small(2)})),
            "ValueError(1, 2)");
  EXPECT_EQ(sv(exc_new(&exc_KeyError, {S("a")})), "'a'");
  EXPECT_EQ(sv(exc_new(&exc_KeyError, {})), "");
}

TEST(Exceptions, Hierarchy) {
  Value e = exc_new(&exc_ZeroDivisionError, {});
  EXPECT_TRUE(exc_matches(e, Value::from_obj(&exc_ArithmeticError)));
  EXPECT_TRUE(exc_matches(e, Value::from_obj(&exc_Exception)));
  EXPECT_FALSE(exc_matches(e, Value::from_obj(&exc_LookupError)));
  Value tup = vtuple(tuple_of({Value::from_obj(&exc_KeyError), Value::from_obj(&exc_ArithmeticError)}));
  EXPECT_TRUE(exc_matches(e, tup));
  EXPECT_TRUE(exc_matches(exc_new(&exc_ModuleNotFoundError, {}), Value::from_obj(&exc_ImportError)));
  EXPECT_TRUE(exc_matches(exc_new(&exc_TabError, {}), Value::from_obj(&exc_SyntaxError)));
}

TEST(Exceptions, Attributes) {
  Value si = exc_new(&exc_StopIteration, {Value::from_small(5)});
  EXPECT_EQ(stop_iteration_value(si), Value::from_small(5));
  Value se = exc_new(&exc_SystemExit, {Value::from_small(3)});
  EXPECT_EQ(system_exit_code(se), Value::from_small(3));
  EXPECT_TRUE(is_none(system_exit_code(exc_new(&exc_SystemExit, {}))));
  Value ie = exc_new(&exc_ImportError, {S("m")});
  EXPECT_EQ(sv(ie), "m");
}

TEST(Exceptions, OSErrorMapping) {
  Value e = exc_new(&exc_OSError, {Value::from_small(2), S("No such file or directory"), S("x")});
  EXPECT_EQ(type_of(e), &exc_FileNotFoundError);
  EXPECT_EQ(sv(e), "[Errno 2] No such file or directory: 'x'");
  EXPECT_EQ(rv(getattr(e, str_intern("args"))), "(2, 'No such file or directory')");
  EXPECT_EQ(getattr(e, str_intern("errno")), Value::from_small(2));
  Value p = exc_new(&exc_OSError, {Value::from_small(13), S("Permission denied")});
  EXPECT_EQ(type_of(p), &exc_PermissionError);
  EXPECT_EQ(sv(p), "[Errno 13] Permission denied");
  EXPECT_EQ(sv(exc_new(&exc_OSError, {Value::from_small(2)})), "2");
}

TEST(Exceptions, SyntaxErrorFormat) {
  Value info = vtuple(tuple_of({S("dir/x.py"), Value::from_small(3), Value::from_small(5),
                                S("x = = 1\n"), Value::from_small(3), Value::from_small(6)}));
  Value e = exc_new(&exc_SyntaxError, {S("invalid syntax"), info});
  EXPECT_EQ(sv(e), "invalid syntax (x.py, line 3)");
  EXPECT_EQ(format_exception_only(e),
            "  File \"dir/x.py\", line 3\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n");
  EXPECT_EQ(sv(exc_new(&exc_SyntaxError, {})), "None");
}

TEST(Exceptions, RaiseAndChain) {
  std::string msg = expect_raise(&exc_TypeError, [] { raise(&exc_TypeError, "bad %d", 7); });
  EXPECT_EQ(msg, "bad 7");
  ThreadState* ts = tstate();
  Value handled = exc_new(&exc_KeyError, {S("k")});
  ts->exc_info = handled;
  try {
    raise(&exc_ValueError, "inner");
  } catch (PyThrow&) {
    Value e = take_exception();
    EXPECT_EQ(getattr(e, str_intern("__context__")), handled);
    std::string out = format_exception(e);
    EXPECT_NE(out.find("KeyError: 'k'\n\nDuring handling of the above exception, another "
                       "exception occurred:\n\nValueError: inner\n"),
              std::string::npos)
        << out;
  }
  ts->exc_info = Value::null();
}

TEST(Builtins, Numbers) {
  EXPECT_EQ(call(builtin("abs"), {Value::from_small(-5)}), Value::from_small(5));
  EXPECT_EQ(sv(call(builtin("hex"), {Value::from_small(255)})), "0xff");
  EXPECT_EQ(sv(call(builtin("bin"), {Value::from_small(-5)})), "-0b101");
  EXPECT_EQ(sv(call(builtin("oct"), {Value::from_small(8)})), "0o10");
  EXPECT_EQ(sv(call(builtin("chr"), {Value::from_small(65)})), "A");
  EXPECT_EQ(call(builtin("ord"), {S("A")}), Value::from_small(65));
  EXPECT_EQ(expect_raise(&exc_ValueError, [] { call(builtin("chr"), {Value::from_small(-1)}); }),
            "chr() arg not in range(0x110000)");
  EXPECT_EQ(expect_raise(&exc_TypeError, [] { call(builtin("ord"), {S("ab")}); }),
            "ord() expected a character, but string of length 2 found");
  EXPECT_EQ(rv(call(builtin("divmod"), {Value::from_small(7), Value::from_small(-2)})), "(-4, -1)");
  EXPECT_EQ(call(builtin("round"), {float_new(2.5)}), Value::from_small(2));
  EXPECT_EQ(call(builtin("pow"), {Value::from_small(3), Value::from_small(4), Value::from_small(5)}),
            Value::from_small(1));
}

TEST(Builtins, Sequences) {
  List* l = list_new(0);
  for (int i : {3, 1, 2}) list_append(l, Value::from_small(i));
  EXPECT_EQ(rv(call(builtin("sorted"), {vlist(l)})), "[1, 2, 3]");
  EXPECT_EQ(call(builtin("sum"), {vlist(l)}), Value::from_small(6));
  EXPECT_EQ(call(builtin("max"), {vlist(l)}), Value::from_small(3));
  EXPECT_EQ(call(builtin("min"), {Value::from_small(4), Value::from_small(-1)}), Value::from_small(-1));
  EXPECT_EQ(call(builtin("len"), {vlist(l)}), Value::from_small(3));
  EXPECT_EQ(call(builtin("any"), {vlist(l)}), True());
  EXPECT_EQ(expect_raise(&exc_ValueError, [] { call(builtin("max"), {vlist(list_new(0))}); }),
            "max() arg is an empty sequence");
  EXPECT_EQ(expect_raise(&exc_TypeError, [] {
              call(builtin("sum"), {vlist(list_new(0)), S("")});
            }),
            "sum() can't sum strings [use ''.join(seq) instead]");
}

TEST(Builtins, Attributes) {
  Value e = exc_new(&exc_ValueError, {S("x")});
  EXPECT_EQ(call(builtin("hasattr"), {e, S("args")}), True());
  EXPECT_EQ(call(builtin("hasattr"), {e, S("nope")}), False());
  EXPECT_EQ(call(builtin("getattr"), {e, S("nope"), Value::from_small(1)}), Value::from_small(1));
  EXPECT_EQ(call(builtin("isinstance"), {e, Value::from_obj(&exc_Exception)}), True());
}

TEST(Sys, Basics) {
  EXPECT_EQ(sv(sys_get("platform")), "linux");
  EXPECT_EQ(rv(sys_get("version_info")),
            "sys.version_info(major=3, minor=11, micro=0, releaselevel='final', serial=0)");
  EXPECT_EQ(getattr(sys_get("version_info"), str_intern("minor")), Value::from_small(11));
  EXPECT_FALSE(dict_get_str(sys_modules(), str_intern("sys")).is_null());
}

TEST(Io, WriteReadFile) {
  std::string path = "/tmp/gilpy_unit_io_" + std::to_string(getpid()) + ".txt";
  Value p = S(path.c_str());
  Value f = io_open(std::initializer_list<Value>{p, S("w")}.begin(), 2, nullptr);
  EXPECT_EQ(call_method(f, str_intern("write"), {S("a\r\nb\nc")}), Value::from_small(6));
  call_method(f, str_intern("close"), {});
  Value g = io_open(std::initializer_list<Value>{p}.begin(), 1, nullptr);
  EXPECT_EQ(rv(call_method(g, str_intern("readlines"), {})), "['a\\n', 'b\\n', 'c']");
  call_method(g, str_intern("close"), {});
  Value h = io_open(std::initializer_list<Value>{p, S("rb")}.begin(), 2, nullptr);
  EXPECT_EQ(rv(call_method(h, str_intern("read"), {})), "b'a\\r\\nb\\nc'");
  call_method(h, str_intern("close"), {});
  std::remove(path.c_str());
  std::string msg = expect_raise(&exc_FileNotFoundError, [] {
    io_open(std::initializer_list<Value>{S("/nonexistent/zz")}.begin(), 1, nullptr);
  });
  EXPECT_EQ(msg, "[Errno 2] No such file or directory: '/nonexistent/zz'");
}

TEST(Io, StringIO) {
  Value s = call(Value::from_obj(&stringio_type), {});
  call_method(s, str_intern("write"), {S("héllo\nworld")});
  EXPECT_EQ(sv(call_method(s, str_intern("getvalue"), {})), "héllo\nworld");
  EXPECT_EQ(call_method(s, str_intern("tell"), {}), Value::from_small(11));
  call_method(s, str_intern("seek"), {Value::from_small(0)});
  EXPECT_EQ(sv(call_method(s, str_intern("readline"), {})), "héllo\n");
}

TEST(Random, MatchesCPython) {
  Module* m = init_module__random();
  Value R = dict_get_str(m->dict, str_intern("Random"));
  Value r = call(R, {Value::from_small(42)});
  EXPECT_EQ(float_val(call_method(r, str_intern("random"), {})), 0.6394267984578837);
  Value r5 = call(R, {Value::from_small(5)});
  EXPECT_EQ(float_val(call_method(r5, str_intern("random"), {})), 0.6229016948897019);
  Value st = call_method(r5, str_intern("getstate"), {});
  EXPECT_EQ(len(st), 625);
  Value sha = call(dict_get_str(m->dict, str_intern("_sha512")), {Value::from_obj(bytes_new("abc"))});
  std::string_view d = sha.as<Bytes>()->view();
  ASSERT_EQ(d.size(), 64u);
  EXPECT_EQ(static_cast<unsigned char>(d[0]), 0xdd);
  EXPECT_EQ(static_cast<unsigned char>(d[1]), 0xaf);
  EXPECT_EQ(static_cast<unsigned char>(d[63]), 0x9f);
}
