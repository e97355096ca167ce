// test_embed.cpp — tests of the embedding API (include/gilpy/gilpy.h), through the
// public header and the shared library only, as a host program sees them.
//
// Invariants: one runtime per process (the API allows no more), created by main() on
// the main thread, which stays attached between tests; its lock policy comes from
// GILPY_GIL, and CTest runs this binary once per policy (ticks, switch, fair, none).
// Tests that start host threads give the lock up (gilpy::Release) while they join them.
#include <gilpy/gilpy.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

gilpy::Runtime* rt = nullptr;

// The error a callable throws, or an empty Error type if it does not.
template <class F>
std::optional<gilpy::Error> error_of(F&& f) {
  try {
    f();
  } catch (const gilpy::Error& e) {
    return e;
  }
  return std::nullopt;
}

// ---- conversions -----------------------------------------------------------------------

TEST(Convert, Integers) {
  for (int64_t v : {int64_t(0), int64_t(-1), int64_t(42), INT64_MAX, INT64_MIN, int64_t(1) << 62,
                    -(int64_t(1) << 62) - 1}) {
    gilpy::Object o = gilpy::Object::from(v);
    EXPECT_TRUE(o.is_int());
    EXPECT_EQ(o.as<int64_t>(), v);
    EXPECT_EQ(o.repr(), std::to_string(v));
  }
  EXPECT_EQ(gilpy::Object::from(UINT64_MAX).as<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(gilpy::Object::from(UINT64_MAX).repr(), "18446744073709551615");
  EXPECT_EQ(gilpy::Object::from(7).as<int>(), 7);
  auto e = error_of([] { gilpy::Object::from(int64_t(1) << 40).as<int32_t>(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "OverflowError");
  e = error_of([] { rt->eval("2 ** 64").as<int64_t>(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "OverflowError");
  e = error_of([] { gilpy::Object::from(-1).as<uint64_t>(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "OverflowError");
  e = error_of([] { gilpy::Object::from("12").as<int64_t>(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "TypeError");
}

TEST(Convert, BigInts) {
  std::string big = "-123456789012345678901234567890123456789";
  gilpy::Object o = gilpy::Object::from(gilpy::BigInt{big});
  EXPECT_EQ(o.type_name(), "int");
  EXPECT_EQ(o.as<gilpy::BigInt>().digits, big);
  EXPECT_EQ(rt->eval("2 ** 100").as<gilpy::BigInt>().digits, "1267650600228229401496703205376");
  EXPECT_EQ(gilpy::Object::from(42).as<gilpy::BigInt>().digits, "42");
  rt->set_global("big", o);
  EXPECT_TRUE(rt->eval("big == -123456789012345678901234567890123456789").as<bool>());
  auto e = error_of([] { gilpy::Object::from(gilpy::BigInt{"12x"}); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "ValueError");
}

TEST(Convert, FloatsBoolsNone) {
  gilpy::Object f = gilpy::Object::from(2.5);
  EXPECT_TRUE(f.is_float());
  EXPECT_DOUBLE_EQ(f.as<double>(), 2.5);
  EXPECT_DOUBLE_EQ(gilpy::Object::from(3).as<double>(), 3.0);  // ints convert to double
  EXPECT_FLOAT_EQ(rt->eval("1 / 4").as<float>(), 0.25f);
  EXPECT_EQ(gilpy::Object::from(true).repr(), "True");
  EXPECT_EQ(gilpy::Object::from(false).type_name(), "bool");
  EXPECT_TRUE(rt->eval("[1]").as<bool>());
  EXPECT_FALSE(rt->eval("''").as<bool>());
  gilpy::Object none;
  EXPECT_TRUE(none.is_none());
  EXPECT_EQ(none.repr(), "None");
  EXPECT_TRUE(rt->eval("None").is_none());
  EXPECT_TRUE(gilpy::Object::from(nullptr).is_none());
  EXPECT_EQ(gilpy::Object::from(std::optional<int>()).repr(), "None");
  EXPECT_EQ(rt->eval("5").as<std::optional<int>>(), std::optional<int>(5));
  EXPECT_EQ(rt->eval("None").as<std::optional<int>>(), std::nullopt);
}

TEST(Convert, StringsAndBytes) {
  std::string s = "h\xc3\xa9llo \xe2\x82\xac";  // héllo €
  gilpy::Object o = gilpy::Object::from(s);
  EXPECT_TRUE(o.is_str());
  EXPECT_EQ(o.size(), 7);
  EXPECT_EQ(o.as<std::string>(), s);
  EXPECT_EQ(gilpy::Object::from("lit").as<std::string>(), "lit");
  EXPECT_EQ(gilpy::Object::from(std::string_view("sv")).as<std::string>(), "sv");
  auto e = error_of([] { gilpy::Object::from(std::string("\xff\xfe")); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "UnicodeDecodeError");
  std::string raw("a\0b\xff", 4);
  gilpy::Object b = gilpy::Object::from(gilpy::Bytes{raw});
  EXPECT_TRUE(b.is_bytes());
  EXPECT_EQ(b.repr(), "b'a\\x00b\\xff'");
  EXPECT_EQ(b.as<gilpy::Bytes>().data, raw);
  EXPECT_EQ(rt->eval("bytearray(b'xy')").as<gilpy::Bytes>().data, "xy");
  e = error_of([] { gilpy::Object::from(1).as<std::string>(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "TypeError");
}

TEST(Convert, Containers) {
  std::vector<int64_t> v{1, 2, 3};
  gilpy::Object l = gilpy::Object::from(v);
  EXPECT_TRUE(l.is_list());
  EXPECT_EQ(l.repr(), "[1, 2, 3]");
  EXPECT_EQ(l.as<std::vector<int64_t>>(), v);
  EXPECT_EQ(rt->eval("(1.5, 2)").as<std::vector<double>>(), (std::vector<double>{1.5, 2.0}));
  EXPECT_EQ(rt->eval("range(4)").as<std::vector<int>>(), (std::vector<int>{0, 1, 2, 3}));
  std::vector<std::vector<std::string>> nested{{"a"}, {"b", "c"}};
  EXPECT_EQ(gilpy::Object::from(nested).repr(), "[['a'], ['b', 'c']]");
  EXPECT_EQ(gilpy::Object::from(nested).as<decltype(nested)>(), nested);

  std::map<std::string, int64_t> m{{"x", 1}, {"y", 2}};
  gilpy::Object d = gilpy::Object::from(m);
  EXPECT_TRUE(d.is_dict());
  EXPECT_EQ(d.repr(), "{'x': 1, 'y': 2}");
  EXPECT_EQ(d.as<decltype(m)>(), m);
  std::unordered_map<int64_t, double> um{{1, 0.5}, {2, 1.5}};
  EXPECT_EQ(gilpy::Object::from(um).as<decltype(um)>(), um);
  auto fromdict = rt->eval("{'k': [1, 2], 'j': []}").as<std::map<std::string, std::vector<int>>>();
  EXPECT_EQ(fromdict["k"], (std::vector<int>{1, 2}));
  EXPECT_TRUE(fromdict["j"].empty());
  // a mapping that is not a dict converts through .items()
  rt->exec("import collections\nod = collections.OrderedDict(a=1, b=2)");
  EXPECT_EQ((rt->global("od").as<std::map<std::string, int>>()),
            (std::map<std::string, int>{{"a", 1}, {"b", 2}}));
  gilpy::Object t = gilpy::Object::tuple({gilpy::Object::from(1), gilpy::Object::from("a")});
  EXPECT_TRUE(t.is_tuple());
  EXPECT_EQ(t.repr(), "(1, 'a')");
  auto e = error_of([] { rt->eval("[1, 'a']").as<std::vector<int64_t>>(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "TypeError");
}

// ---- running code, globals, imports ------------------------------------------------------

TEST(Run, ExecEvalGlobals) {
  EXPECT_TRUE(rt->exec("x = 6 * 7\ndef twice(v):\n    return v * 2\n").is_none());
  EXPECT_EQ(rt->global("x").as<int>(), 42);
  EXPECT_EQ(rt->eval("twice(x)").as<int>(), 84);
  rt->set_global("name", std::string("gilpy"));
  rt->set_global("vals", std::vector<int>{3, 4});
  EXPECT_EQ(rt->eval("name.upper() + str(sum(vals))").as<std::string>(), "GILPY7");
  EXPECT_EQ(rt->main_module().attr("x").as<int>(), 42);
  EXPECT_EQ(rt->eval("__name__").as<std::string>(), "__main__");
  auto e = error_of([] { rt->global("no_such_name"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "NameError");
  EXPECT_EQ(e->message(), "name 'no_such_name' is not defined");
  e = error_of([] { rt->exec("def f(:\n  pass\n", "bad.py"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "SyntaxError");
  EXPECT_NE(e->traceback().find("bad.py"), std::string::npos);
}

TEST(Run, RunFileAndPath) {
  char dir[] = "/tmp/gilpy_embed_XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  std::string d = dir;
  std::ofstream(d + "/script.py") << "import helper_mod\nfile_result = helper_mod.triple(5)\n";
  std::ofstream(d + "/helper_mod.py") << "def triple(v):\n    return 3 * v\n";
  rt->add_path(d);
  rt->run_file(d + "/script.py");
  EXPECT_EQ(rt->global("file_result").as<int>(), 15);
  EXPECT_EQ(rt->global("__file__").as<std::string>(), d + "/script.py");
  EXPECT_EQ(rt->import_("helper_mod").attr("triple")(2).as<int>(), 6);
  auto e = error_of([&] { rt->run_file(d + "/missing.py"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "FileNotFoundError");
  EXPECT_TRUE(e->matches("OSError"));
  std::remove((d + "/script.py").c_str());
  std::remove((d + "/helper_mod.py").c_str());
  EXPECT_EQ(rmdir(dir), 0) << "a file was left in " << d;
}

TEST(Run, Imports) {
  gilpy::Object math = rt->import_("math");
  EXPECT_DOUBLE_EQ(math.attr("sqrt")(16).as<double>(), 4.0);
  EXPECT_TRUE(math.has_attr("pi"));
  EXPECT_FALSE(math.has_attr("nope"));
  gilpy::Object coll = rt->import_("collections");
  gilpy::Object counter = coll.attr("Counter")(std::string("abracadabra"));
  EXPECT_EQ(counter.get_item(gilpy::Object::from("a")).as<int>(), 5);
  auto e = error_of([] { rt->import_("no_such_module_xyz"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "ModuleNotFoundError");
  EXPECT_TRUE(e->matches("ImportError"));
}

TEST(Run, ObjectOperations) {
  rt->exec(
      "class Box:\n"
      "    def __init__(self, v):\n"
      "        self.v = v\n"
      "    def add(self, a, b=0, *, scale=1):\n"
      "        return (self.v + a + b) * scale\n");
  gilpy::Object box = rt->global("Box")(10);
  EXPECT_EQ(box.attr("v").as<int>(), 10);
  box.set_attr("v", gilpy::Object::from(20));
  EXPECT_EQ(box.call_method("add", 1).as<int>(), 21);
  gilpy::Object add = box.attr("add");
  EXPECT_EQ(add.call({gilpy::Object::from(1), gilpy::Object::from(2)}, {{"scale", gilpy::Object::from(3)}})
                .as<int>(),
            69);
  EXPECT_TRUE(add.is_callable());
  EXPECT_TRUE(box.isinstance(rt->global("Box")));
  EXPECT_FALSE(box.isinstance(rt->import_("builtins").attr("int")));
  gilpy::Object l = gilpy::Object::list({});
  l.call_method("append", "a");
  l.call_method("append", 2);
  EXPECT_EQ(l.size(), 2);
  EXPECT_TRUE(l.contains(gilpy::Object::from(2)));
  l.set_item(gilpy::Object::from(0), gilpy::Object::from("z"));
  EXPECT_EQ(l.str(), "['z', 2]");
  gilpy::Object d = gilpy::Object::dict({{gilpy::Object::from("k"), gilpy::Object::from(1)}});
  d.del_item(gilpy::Object::from("k"));
  EXPECT_EQ(d.size(), 0);
  auto e = error_of([&] { d.get_item(gilpy::Object::from("k")); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "KeyError");
  EXPECT_TRUE(gilpy::Object::from(3).equals(rt->eval("1 + 2")));
  gilpy::Object same = box;
  EXPECT_TRUE(same.is(box));
  EXPECT_FALSE(same.is(l));
  EXPECT_TRUE(gilpy::Object().is(rt->eval("None")));
}

// ---- exceptions both ways ------------------------------------------------------------------

TEST(Errors, PythonToCpp) {
  rt->exec(
      "class AppError(Exception):\n"
      "    pass\n"
      "def inner(v):\n"
      "    return 1 // v\n"
      "def outer(v):\n"
      "    return inner(v)\n"
      "def app():\n"
      "    raise AppError('custom failure')\n",
      "errmod.py");
  try {
    rt->global("outer")(0);
    FAIL() << "no exception";
  } catch (const gilpy::Error& e) {
    EXPECT_EQ(e.type_name(), "ZeroDivisionError");
    EXPECT_EQ(e.message(), "integer division or modulo by zero");
    EXPECT_STREQ(e.what(), "ZeroDivisionError: integer division or modulo by zero");
    const std::string& tb = e.traceback();
    EXPECT_EQ(tb.rfind("Traceback (most recent call last):\n", 0), 0u) << tb;
    EXPECT_NE(tb.find("File \"errmod.py\", line 6, in outer"), std::string::npos) << tb;
    EXPECT_NE(tb.find("File \"errmod.py\", line 4, in inner"), std::string::npos) << tb;
    EXPECT_NE(tb.find("ZeroDivisionError: integer division or modulo by zero\n"), std::string::npos);
    EXPECT_TRUE(e.matches("ArithmeticError"));
    EXPECT_FALSE(e.matches("KeyError"));
    EXPECT_EQ(e.exception().type_name(), "ZeroDivisionError");
  }
  auto e = error_of([] { rt->global("app")(); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "AppError");
  EXPECT_EQ(e->message(), "custom failure");
  EXPECT_TRUE(e->matches("Exception"));
  EXPECT_TRUE(e->exception().isinstance(rt->global("AppError")));
}

TEST(Errors, CppToPython) {
  rt->set_global("std_fail", gilpy::function("std_fail", [](int64_t) -> int64_t {
                   throw std::runtime_error("boom from C++");
                 }));
  rt->set_global("raise_key", gilpy::function("raise_key", [](std::string k) {
                   gilpy::Raise("KeyError", k);
                 }));
  rt->set_global("raise_custom", gilpy::function("raise_custom", [](gilpy::Object cls) {
                   gilpy::Raise(cls, "from a class object");
                 }));
  rt->set_global("odd_fail", gilpy::function("odd_fail", [] { throw 42; }));
  rt->exec(
      "def catch(f, *a):\n"
      "    try:\n"
      "        f(*a)\n"
      "    except BaseException as e:\n"
      "        return type(e).__name__ + ': ' + str(e)\n"
      "    return 'no error'\n"
      "class Custom(Exception):\n"
      "    pass\n");
  gilpy::Object c = rt->global("catch");
  EXPECT_EQ(c(rt->global("std_fail"), 1).as<std::string>(), "RuntimeError: boom from C++");
  EXPECT_EQ(c(rt->global("raise_key"), "kk").as<std::string>(), "KeyError: 'kk'");
  EXPECT_EQ(c(rt->global("raise_custom"), rt->global("Custom")).as<std::string>(),
            "Custom: from a class object");
  EXPECT_EQ(c(rt->global("odd_fail")).as<std::string>(),
            "SystemError: unknown C++ exception in odd_fail");
  // argument conversion and arity errors are TypeErrors
  EXPECT_EQ(c(rt->global("std_fail"), "x").as<std::string>(),
            "TypeError: 'str' object cannot be interpreted as an integer");
  EXPECT_EQ(c(rt->global("std_fail")).as<std::string>(),
            "TypeError: std_fail() takes 1 positional argument but 0 were given");
  EXPECT_EQ(rt->eval("catch(lambda: std_fail(x=1))").as<std::string>(),
            "TypeError: std_fail() takes no keyword arguments");
  // the exception thrown from C++ surfaces in C++ again with its type
  auto e = error_of([] { rt->global("raise_key")("k2"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "KeyError");
  // a Python exception raised inside a callback passes through C++ unchanged
  rt->set_global("call_back", gilpy::function("call_back", [](gilpy::Object f) { return f(); }));
  rt->exec("def bad():\n    raise IndexError('deep')\n");
  EXPECT_EQ(c(rt->global("call_back"), rt->global("bad")).as<std::string>(), "IndexError: deep");
  e = error_of([] { rt->global("call_back")(rt->global("bad")); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "IndexError");
  EXPECT_NE(e->traceback().find("in bad"), std::string::npos) << e->traceback();
}

// ---- native functions and modules -------------------------------------------------------

TEST(Native, FunctionsAndClosures) {
  auto counter = std::make_shared<int>(0);
  gilpy::Object inc = gilpy::function("inc", [counter](int by) { return *counter += by; });
  EXPECT_EQ(inc.repr(), "<built-in function inc>");
  EXPECT_EQ(inc.attr("__name__").as<std::string>(), "inc");
  EXPECT_EQ(inc(5).as<int>(), 5);
  EXPECT_EQ(inc(2).as<int>(), 7);
  // the general form: any arguments and keywords
  gilpy::Object describe = gilpy::make_function("describe", [](const gilpy::Args& a) {
    std::string s = std::to_string(a.size());
    for (const auto& [k, v] : a.keywords) s += " " + k + "=" + v.repr();
    return gilpy::Object::from(s);
  });
  rt->set_global("describe", describe);
  EXPECT_EQ(rt->eval("describe(1, 2, x=[3], y='z')").as<std::string>(), "2 x=[3] y='z'");
  // a function returning containers and None
  gilpy::Object split = gilpy::function("split", [](std::string s) {
    std::vector<std::string> out;
    size_t p = 0, q;
    while ((q = s.find(',', p)) != std::string::npos) {
      out.push_back(s.substr(p, q - p));
      p = q + 1;
    }
    out.push_back(s.substr(p));
    return out;
  });
  EXPECT_EQ(split("a,b,,c").repr(), "['a', 'b', '', 'c']");
  gilpy::Object nothing = gilpy::function("nothing", [](gilpy::Object) {});
  EXPECT_TRUE(nothing(1).is_none());
}

TEST(Native, Modules) {
  std::atomic<int> inits{0};
  gilpy::ModuleDef def("embedmod");
  def.def("add", [](int64_t a, int64_t b) { return a + b; })
      .def("greet", [](std::string who) { return "hello " + who; })
      .add("VERSION", std::string("1.2"))
      .add("LIMITS", std::vector<int>{1, 2})
      .on_init([&inits](gilpy::Object m) {
        inits++;
        m.set_attr("ready", gilpy::Object::from(true));
      });
  rt->add_module(def);
  EXPECT_THROW(rt->add_module(def), std::invalid_argument);
  EXPECT_THROW(rt->add_module(gilpy::ModuleDef("math")), std::invalid_argument);
  EXPECT_EQ(inits.load(), 0);  // built on first import
  rt->exec(
      "import embedmod\n"
      "from embedmod import add, greet\n"
      "mod_result = (add(2, 3), greet('py'), embedmod.VERSION, embedmod.LIMITS, embedmod.ready)\n");
  EXPECT_EQ(rt->global("mod_result").repr(), "(5, 'hello py', '1.2', [1, 2], True)");
  EXPECT_EQ(rt->eval("repr(embedmod)").as<std::string>(), "<module 'embedmod' (built-in)>");
  // importing again, even after dropping it from sys.modules, gives the same module
  rt->exec("import sys\nm1 = sys.modules.pop('embedmod')\nimport embedmod as m2\n");
  EXPECT_TRUE(rt->eval("m1 is m2").as<bool>());
  EXPECT_EQ(inits.load(), 1);
  EXPECT_EQ(rt->import_("embedmod").attr("add")(40, 2).as<int>(), 42);

  gilpy::ModuleDef broken("brokenmod");
  broken.on_init([](gilpy::Object) { throw std::runtime_error("init failed"); });
  rt->add_module(broken);
  auto e = error_of([] { rt->import_("brokenmod"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type_name(), "RuntimeError");
  EXPECT_EQ(e->message(), "init failed");
}

// ---- handles and the collector ------------------------------------------------------------

TEST(Handles, SurviveCollections) {
  gilpy::Object strs = rt->eval("[str(i) * 3 for i in range(2000)]");
  gilpy::Object big = rt->eval("7 ** 200");
  gilpy::Object flt = gilpy::Object::from(0.125);
  // handles in malloc'd memory and inside a std::function are roots too
  auto* heap = new std::vector<gilpy::Object>;
  for (int i = 0; i < 100; i++) heap->push_back(rt->eval("{'k': [" + std::to_string(i) + "] * 3}"));
  gilpy::Object captured = rt->eval("'captured-' * 2");
  std::function<std::string()> fn = [captured] { return captured.as<std::string>(); };
  gilpy::Object dict_copy = (*heap)[50];
  rt->exec("junk = None");
  for (int round = 0; round < 3; round++) {
    gilpy::collect();
    rt->exec("junk = [[i] * 10 for i in range(20000)]\njunk = None");
  }
  gilpy::collect();
  EXPECT_EQ(strs.size(), 2000);
  EXPECT_EQ(strs.get_item(gilpy::Object::from(1234)).as<std::string>(), "123412341234");
  EXPECT_EQ(big.str(), rt->eval("str(7 ** 200)").as<std::string>());
  EXPECT_DOUBLE_EQ(flt.as<double>(), 0.125);
  for (int i = 0; i < 100; i++)
    EXPECT_EQ((*heap)[size_t(i)].repr(), "{'k': [" + std::to_string(i) + ", " + std::to_string(i) +
                                             ", " + std::to_string(i) + "]}");
  delete heap;
  gilpy::collect();
  EXPECT_EQ(dict_copy.get_item(gilpy::Object::from("k")).size(), 3);  // a copy outlives the vector
  EXPECT_EQ(fn(), "captured-captured-");
  // moved-from handles are None; self-assignment keeps the object
  gilpy::Object moved = std::move(dict_copy);
  EXPECT_TRUE(dict_copy.is_none());
  moved = moved;
  EXPECT_EQ(moved.size(), 1);
}

// ---- threads -------------------------------------------------------------------------------

TEST(Threads, AttachedState) {
  EXPECT_TRUE(gilpy::attached());
  bool in_thread = true, after = true;
  {
    gilpy::Release unlocked;
    EXPECT_FALSE(gilpy::attached());
    {
      gilpy::Release nested;  // nested release: a no-op
      EXPECT_FALSE(gilpy::attached());
    }
    {
      gilpy::Attach again;  // attach inside a release takes the lock back
      EXPECT_TRUE(gilpy::attached());
      EXPECT_EQ(rt->eval("1 + 1").as<int>(), 2);
    }
    EXPECT_FALSE(gilpy::attached());
    std::thread([&] {
      in_thread = gilpy::attached();
      {
        gilpy::Attach a;
        gilpy::Attach nested;  // depth 2: no-op
        EXPECT_TRUE(gilpy::attached());
        EXPECT_EQ(rt->eval("6 * 7").as<int>(), 42);
      }
      after = gilpy::attached();
    }).join();
  }
  EXPECT_TRUE(gilpy::attached());
  EXPECT_FALSE(in_thread);
  EXPECT_FALSE(after);
  // An Error caught outside the thread's Attach scope (so destroyed after the detach):
  // its strings stay readable and dropping its handle is safe.
  std::string caught;
  {
    gilpy::Release unlocked;
    std::thread([&] {
      try {
        gilpy::Attach a;
        rt->eval("[][1]");
      } catch (const gilpy::Error& e) {
        caught = e.type_name() + ": " + e.message();
      }
    }).join();
  }
  EXPECT_EQ(caught, "IndexError: list index out of range");
  {
    gilpy::Attach nested_on_main;
    EXPECT_TRUE(gilpy::attached());
  }
  EXPECT_TRUE(gilpy::attached());
}

#ifdef NDEBUG
TEST(Threads, UnattachedCallsThrow) {
  std::string type;
  gilpy::Object o = gilpy::Object::from(1);
  {
    gilpy::Release unlocked;
    std::thread([&] {
      try {
        o.repr();
      } catch (const gilpy::Error& e) {
        type = e.type_name();
      }
    }).join();
  }
  EXPECT_EQ(type, "RuntimeError");
}
#endif

TEST(Threads, ManyHostThreadsAttachAndDetach) {
  rt->exec(
      "import threading\n"
      "tally_lock = threading.Lock()\n"
      "tally = {}\n"
      "def work(tid, i):\n"
      "    s = 0\n"
      "    for k in range(50):\n"
      "        s += (k * tid + i) % 7\n"
      "    with tally_lock:\n"
      "        tally[tid] = tally.get(tid, 0) + 1\n"
      "    return s\n");
  gilpy::Object work = rt->global("work");
  auto expect_of = [](int64_t tid, int64_t i) {
    int64_t s = 0;
    for (int64_t k = 0; k < 50; k++) s += (k * tid + i) % 7;
    return s;
  };
  constexpr int kThreads = 8, kRounds = 10, kCalls = 30;
  std::atomic<int> mismatches{0}, errors{0};
  {
    gilpy::Release unlocked;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
      threads.emplace_back([&, t] {
        for (int r = 0; r < kRounds; r++) {  // attach and detach again and again
          gilpy::Attach attach;
          try {
            for (int i = 0; i < kCalls; i++) {
              gilpy::Attach nested;
              if (work(t, i).as<int64_t>() != expect_of(t, i)) mismatches++;
              if (i % 10 == 0) {
                gilpy::Release give_up;  // native work without the lock
                std::this_thread::yield();
              }
            }
          } catch (const gilpy::Error& e) {
            ADD_FAILURE() << e.traceback();
            errors++;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  auto tally = rt->global("tally").as<std::map<int, int>>();
  ASSERT_EQ(tally.size(), size_t(kThreads));
  for (auto& [tid, n] : tally) EXPECT_EQ(n, kRounds * kCalls) << tid;
}

// A native function that releases the lock really lets others run: thread A waits (lock
// released) for a flag that only Python code on thread B can set.
TEST(Threads, NativeFunctionReleasesTheLock) {
  auto flag = std::make_shared<std::atomic<bool>>(false);
  rt->set_global("wait_flag", gilpy::function("wait_flag", [flag](double timeout) {
                   gilpy::Release unlocked;
                   auto until = std::chrono::steady_clock::now() +
                                std::chrono::duration<double>(timeout);
                   while (!*flag && std::chrono::steady_clock::now() < until)
                     std::this_thread::sleep_for(std::chrono::milliseconds(1));
                   return flag->load();
                 }));
  rt->set_global("set_flag", gilpy::function("set_flag", [flag] { *flag = true; }));
  bool seen = false;
  {
    gilpy::Release unlocked;
    std::thread a([&] {
      gilpy::Attach at;
      seen = rt->eval("wait_flag(20.0)").as<bool>();
    });
    std::thread b([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      gilpy::Attach at;
      rt->exec("set_flag()");
    });
    a.join();
    b.join();
  }
  EXPECT_TRUE(seen);
}

// Python threads (threading) and host threads share the runtime.
TEST(Threads, PythonThreadsAlongsideHostThreads) {
  rt->exec(
      "import threading\n"
      "py_done = []\n"
      "def py_worker(n):\n"
      "    s = sum(range(n))\n"
      "    py_done.append(s)\n"
      "py_threads = [threading.Thread(target=py_worker, args=(1000 * (k + 1),)) for k in range(4)]\n"
      "for t in py_threads:\n"
      "    t.start()\n");
  {
    gilpy::Release unlocked;
    std::vector<std::thread> host;
    for (int t = 0; t < 4; t++)
      host.emplace_back([] {
        gilpy::Attach at;
        for (int i = 0; i < 50; i++) rt->eval("sum(range(100))");
      });
    for (auto& h : host) h.join();
  }
  rt->exec("for t in py_threads:\n    t.join()\n");
  EXPECT_EQ(rt->eval("sorted(py_done)").repr(), "[499500, 1999000, 4498500, 7998000]");
}

TEST(Runtime, PolicyAndStats) {
  const char* env = getenv("GILPY_GIL");
  std::string want = env && *env ? env : "fair";
  EXPECT_EQ(rt->gil_policy(), want);
  EXPECT_EQ(rt->gil_exclusive(), want != "none");
  EXPECT_EQ(rt->import_("sys").attr("getswitchinterval")().as<double>(), 0.001);
  rt->set_switch_interval(0.002);
  EXPECT_EQ(rt->import_("sys").attr("getswitchinterval")().as<double>(), 0.002);
  EXPECT_THROW(rt->set_switch_interval(0), std::invalid_argument);
  std::string report = rt->gil_stats_report();
  EXPECT_NE(report.find(want), std::string::npos) << report;
  EXPECT_THROW(gilpy::Runtime second, std::logic_error);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  gilpy::Config config;  // the policy: GILPY_GIL
  config.switch_interval = 0.001;
  config.argv = {"test_embed"};
  gilpy::Runtime runtime(config);
  rt = &runtime;
  int rc = RUN_ALL_TESTS();
  rt = nullptr;
  return rc;
}
