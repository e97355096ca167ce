// test_vm.cpp — unit tests of the virtual machine: small programs compiled with
// compile_source and run with run_code; results are read back from the globals.
// Invariant: the runtime is initialised once per process (types, this thread's state,
// the lock, sys) by the first test that needs it.
#include <gtest/gtest.h>

#include <string>

#include "compiler/ast.h"
#include "core/runtime.h"
#include "gil/gil.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/eval.h"

namespace gp {
namespace {

void ensure_runtime() {
  static bool done = false;
  if (done) return;
  done = true;
  GC_INIT();
  GC_allow_register_threads();
  if (!tstate()) {
    ThreadState* ts = tstate_new();
    gil_acquire(ts);
  }
  if (!(int_type.flags & TF_READY)) init_types();
  static char arg0[] = "test_vm";
  static char* argv[] = {arg0, nullptr};
  sys_init(1, argv, ".");
}

Dict* run(const std::string& src) {
  ensure_runtime();
  Dict* g = dict_new();
  dict_set_str(g, str_intern("__name__"), vstr(str_intern("__main__")));
  Code* co = compile_source(src, str_intern("<test>"), ParseMode::Exec);
  run_code(co, g, g);
  return g;
}

Value get(Dict* g, const char* name) { return dict_get_str(g, str_intern(name)); }

int64_t get_int(Dict* g, const char* name) {
  Value v = get(g, name);
  EXPECT_FALSE(v.is_null()) << name;
  int64_t out = 0;
  EXPECT_TRUE(is_int(v) && int_to_i64(v, &out)) << name;
  return out;
}

std::string get_repr(Dict* g, const char* name) {
  Value v = get(g, name);
  EXPECT_FALSE(v.is_null()) << name;
  return std::string(repr(v)->view());
}

// Runs src, expecting it to raise; returns "TypeName: message".
std::string run_error(const std::string& src) {
  try {
    run(src);
  } catch (PyThrow&) {
    Value e = take_exception();
    return std::string(type_name(e)) + ": " + std::string(str(e)->view());
  }
  return "<no exception>";
}

TEST(VM, Arithmetic) {
  Dict* g = run("a = 2 + 3 * 4\nb = 7 // -2\nc = 7 % -3\nd = (1 << 70) >> 68\ne = 2**10\n");
  EXPECT_EQ(get_int(g, "a"), 14);
  EXPECT_EQ(get_int(g, "b"), -4);
  EXPECT_EQ(get_int(g, "c"), -2);
  EXPECT_EQ(get_int(g, "d"), 4);
  EXPECT_EQ(get_int(g, "e"), 1024);
}

TEST(VM, SmallIntOverflowPromotes) {
  Dict* g = run("x = 4611686018427387903\ny = x + 1\nz = y - 1\nok = z == x\nm = x * x\n");
  EXPECT_EQ(get_repr(g, "y"), "4611686018427387904");
  EXPECT_EQ(get_repr(g, "ok"), "True");
  EXPECT_EQ(get_repr(g, "m"), "21267647932558653957237540927630737409");
}

TEST(VM, Recursion) {
  Dict* g = run("def fib(n):\n    return n if n < 2 else fib(n-1) + fib(n-2)\nr = fib(20)\n");
  EXPECT_EQ(get_int(g, "r"), 6765);
}

TEST(VM, ArgumentBinding) {
  Dict* g = run(
      "def f(a, b=2, *args, c, d=4, **kw):\n"
      "    return (a, b, args, c, d, sorted(kw.items()))\n"
      "r = f(1, c=3)\n"
      "s = f(1, 2, 3, 4, c=5, e=6)\n");
  EXPECT_EQ(get_repr(g, "r"), "(1, 2, (), 3, 4, [])");
  EXPECT_EQ(get_repr(g, "s"), "(1, 2, (3, 4), 5, 4, [('e', 6)])");
}

TEST(VM, ArgumentErrors) {
  EXPECT_EQ(run_error("def f(a, b): pass\nf(1, 2, 3)\n"),
            "TypeError: f() takes 2 positional arguments but 3 were given");
  EXPECT_EQ(run_error("def f(x): pass\nf()\n"),
            "TypeError: f() missing 1 required positional argument: 'x'");
  EXPECT_EQ(run_error("def f(a, b): pass\nf()\n"),
            "TypeError: f() missing 2 required positional arguments: 'a' and 'b'");
  EXPECT_EQ(run_error("def f(a): pass\nf(1, z=2)\n"),
            "TypeError: f() got an unexpected keyword argument 'z'");
  EXPECT_EQ(run_error("def f(x): pass\nf(1, x=2)\n"),
            "TypeError: f() got multiple values for argument 'x'");
  EXPECT_EQ(run_error("def f(a, /): pass\nf(a=1)\n"),
            "TypeError: f() got some positional-only arguments passed as keyword arguments: 'a'");
  EXPECT_EQ(run_error("def f(*, k): pass\nf()\n"),
            "TypeError: f() missing 1 required keyword-only argument: 'k'");
  EXPECT_EQ(run_error("def f(a=1): pass\nf(1, 2)\n"),
            "TypeError: f() takes from 0 to 1 positional arguments but 2 were given");
}

TEST(VM, Closures) {
  Dict* g = run(
      "def counter():\n"
      "    n = 0\n"
      "    def inc():\n"
      "        nonlocal n\n"
      "        n += 1\n"
      "        return n\n"
      "    return inc\n"
      "c = counter()\n"
      "c(); c()\n"
      "r = c()\n");
  EXPECT_EQ(get_int(g, "r"), 3);
}

TEST(VM, Exceptions) {
  Dict* g = run(
      "r = []\n"
      "try:\n"
      "    try:\n"
      "        1/0\n"
      "    finally:\n"
      "        r.append('f')\n"
      "except ZeroDivisionError as e:\n"
      "    r.append(type(e).__name__)\n"
      "else:\n"
      "    r.append('else')\n"
      "try:\n"
      "    raise KeyError('k')\n"
      "except KeyError:\n"
      "    try:\n"
      "        raise ValueError('v')\n"
      "    except ValueError as e2:\n"
      "        ctx = type(e2.__context__).__name__\n");
  EXPECT_EQ(get_repr(g, "r"), "['f', 'ZeroDivisionError']");
  EXPECT_EQ(get_repr(g, "ctx"), "'KeyError'");
}

TEST(VM, ErrorMessages) {
  EXPECT_EQ(run_error("x\n"), "NameError: name 'x' is not defined");
  EXPECT_EQ(run_error("def f():\n    y = y\nf()\n"),
            "UnboundLocalError: cannot access local variable 'y' where it is not associated with a value");
  EXPECT_EQ(run_error("a, b, c = 1, 2\n"),
            "ValueError: not enough values to unpack (expected 3, got 2)");
  EXPECT_EQ(run_error("a, b = [1, 2, 3]\n"), "ValueError: too many values to unpack (expected 2)");
  EXPECT_EQ(run_error("a, b = 1\n"), "TypeError: cannot unpack non-iterable int object");
  EXPECT_EQ(run_error("1()\n"), "TypeError: 'int' object is not callable");
  EXPECT_EQ(run_error("raise\n"), "RuntimeError: No active exception to reraise");
  EXPECT_EQ(run_error("def f(): f()\nf()\n"), "RecursionError: maximum recursion depth exceeded");
}

TEST(VM, Generators) {
  Dict* g = run(
      "def gen(n):\n"
      "    for i in range(n):\n"
      "        x = yield i\n"
      "        if x: yield x\n"
      "    return 'done'\n"
      "r = list(gen(3))\n"
      "g = gen(2)\n"
      "a = next(g)\n"
      "b = g.send(10)\n"
      "def outer():\n"
      "    v = yield from gen(2)\n"
      "    yield v\n"
      "o = list(outer())\n"
      "def bad():\n"
      "    raise StopIteration\n"
      "    yield 1\n"
      "try:\n"
      "    next(bad())\n"
      "except RuntimeError as e:\n"
      "    msg = str(e)\n");
  EXPECT_EQ(get_repr(g, "r"), "[0, 1, 2]");
  EXPECT_EQ(get_int(g, "a"), 0);
  EXPECT_EQ(get_int(g, "b"), 10);
  EXPECT_EQ(get_repr(g, "o"), "[0, 1, 'done']");
  EXPECT_EQ(get_repr(g, "msg"), "'generator raised StopIteration'");
}

TEST(VM, GeneratorClose) {
  Dict* g = run(
      "log = []\n"
      "def gen():\n"
      "    try:\n"
      "        yield 1\n"
      "    finally:\n"
      "        log.append('closed')\n"
      "g = gen()\n"
      "next(g)\n"
      "g.close()\n"
      "def stubborn():\n"
      "    while True:\n"
      "        try:\n"
      "            yield 1\n"
      "        except GeneratorExit:\n"
      "            pass\n"
      "s = stubborn()\n"
      "next(s)\n"
      "try:\n"
      "    s.close()\n"
      "except RuntimeError as e:\n"
      "    msg = str(e)\n");
  EXPECT_EQ(get_repr(g, "log"), "['closed']");
  EXPECT_EQ(get_repr(g, "msg"), "'generator ignored GeneratorExit'");
}

TEST(VM, Classes) {
  Dict* g = run(
      "class A:\n"
      "    x = 1\n"
      "    def __init__(self, v):\n"
      "        self.v = v\n"
      "    def get(self):\n"
      "        return self.v + self.x\n"
      "class B(A):\n"
      "    def get(self):\n"
      "        return super().get() * 10\n"
      "r = B(4).get()\n"
      "n = B.__name__\n");
  EXPECT_EQ(get_int(g, "r"), 50);
  EXPECT_EQ(get_repr(g, "n"), "'B'");
}

TEST(VM, WithStatement) {
  Dict* g = run(
      "log = []\n"
      "class CM:\n"
      "    def __enter__(self):\n"
      "        log.append('enter')\n"
      "        return 5\n"
      "    def __exit__(self, t, v, tb):\n"
      "        log.append(t.__name__ if t else None)\n"
      "        return True\n"
      "with CM() as x:\n"
      "    log.append(x)\n"
      "with CM():\n"
      "    raise ValueError\n");
  EXPECT_EQ(get_repr(g, "log"), "['enter', 5, None, 'enter', 'ValueError']");
}

TEST(VM, Comprehensions) {
  Dict* g = run(
      "a = [x * x for x in range(5) if x % 2 == 0]\n"
      "b = {k: v for k, v in zip('ab', (1, 2))}\n"
      "c = sum(x for x in range(10))\n"
      "first, *mid, last = range(5)\n");
  EXPECT_EQ(get_repr(g, "a"), "[0, 4, 16]");
  EXPECT_EQ(get_repr(g, "b"), "{'a': 1, 'b': 2}");
  EXPECT_EQ(get_int(g, "c"), 45);
  EXPECT_EQ(get_repr(g, "mid"), "[1, 2, 3]");
}

}  // namespace
}  // namespace gp
