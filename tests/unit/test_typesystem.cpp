// test_typesystem.cpp — unit tests of the type system and the abstract object protocol:
// class creation, MRO, slot dispatch for heap types, descriptors, super, isinstance,
// operator reflection and CPython's error messages.
// Invariant: the runtime is initialised once per process by the first test that needs it.
#include <gtest/gtest.h>

#include <string>

#include "compiler/ast.h"
#include "core/args.h"
#include "core/runtime.h"
#include "gil/gil.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/int.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "vm/eval.h"

namespace gp {
namespace {

void ensure_runtime() {
  static bool done = false;
  if (done) return;
  done = true;
  GC_INIT();
  GC_allow_register_threads();
  gil_init("");
  init_types();
  ThreadState* ts = tstate_new();
  gil_acquire(ts);
  static char arg0[] = "test_typesystem";
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

std::string get_repr(Dict* g, const char* name) {
  Value v = dict_get_str(g, str_intern(name));
  EXPECT_FALSE(v.is_null()) << name;
  if (v.is_null()) return "<missing>";
  return std::string(repr(v)->view());
}

std::string run_error(const std::string& src) {
  try {
    run(src);
  } catch (PyThrow&) {
    Value e = take_exception();
    return type_name(e) + ": " + std::string(str(e)->view());
  }
  return "<no exception>";
}

std::string eval_repr(const std::string& prelude, const std::string& expr) {
  Dict* g = run(prelude + "\n__r = " + expr + "\n");
  return get_repr(g, "__r");
}

TEST(TypeSystem, ObjectBasics) {
  EXPECT_EQ(run_error("object(1)"), "TypeError: object() takes no arguments");
  EXPECT_EQ(run_error("class A:\n  pass\nA(1)"), "TypeError: A() takes no arguments");
  EXPECT_EQ(run_error("class A:\n  def __init__(self): pass\nobject.__init__(A(), 1)"),
            "TypeError: object.__init__() takes exactly one argument (the instance to initialize)");
  EXPECT_EQ(run_error("format(object(), 'x')"),
            "TypeError: unsupported format string passed to object.__format__");
  EXPECT_EQ(eval_repr("class A: pass", "repr(A()).startswith('<__main__.A object at 0x')"), "True");
  EXPECT_EQ(eval_repr("class A: pass", "repr(A)"), "\"<class '__main__.A'>\"");
  EXPECT_EQ(eval_repr("", "repr(int)"), "\"<class 'int'>\"");
  EXPECT_EQ(eval_repr("class A: pass\na = A()", "a == a, a != a, a == 1"), "(True, False, False)");
}

TEST(TypeSystem, AttributeErrors) {
  EXPECT_EQ(run_error("class A: pass\nA().x"), "AttributeError: 'A' object has no attribute 'x'");
  EXPECT_EQ(run_error("class A: pass\nA.x"), "AttributeError: type object 'A' has no attribute 'x'");
  EXPECT_EQ(run_error("(1).x = 2"), "AttributeError: 'int' object has no attribute 'x'");
  EXPECT_EQ(run_error("[].append = 2"),
            "AttributeError: 'list' object attribute 'append' is read-only");
  EXPECT_EQ(run_error("int.x = 1"), "TypeError: cannot set 'x' attribute of immutable type 'int'");
  EXPECT_EQ(run_error("class A: pass\ndel A().x"),
            "AttributeError: 'A' object has no attribute 'x'");
}

TEST(TypeSystem, MroAndLayout) {
  EXPECT_EQ(eval_repr("class A: pass\nclass B(A): pass\nclass C(A): pass\nclass D(B, C): pass",
                      "[k.__name__ for k in D.__mro__]"),
            "['D', 'B', 'C', 'A', 'object']");
  EXPECT_EQ(run_error("class A: pass\nclass B(A): pass\nclass C(A, B): pass"),
            "TypeError: Cannot create a consistent method resolution\norder (MRO) for bases A, B");
  EXPECT_EQ(run_error("class A(bool): pass"),
            "TypeError: type 'bool' is not an acceptable base type");
  EXPECT_EQ(run_error("class A(int, str): pass"),
            "TypeError: multiple bases have instance lay-out conflict");
  EXPECT_EQ(run_error("class A: pass\nclass B(A, A): pass"), "TypeError: duplicate base class A");
  EXPECT_EQ(eval_repr("class A: pass\nclass B(A): pass", "A.__subclasses__() == [B]"), "True");
}

TEST(TypeSystem, TypeCall) {
  EXPECT_EQ(eval_repr("X = type('X', (), {'a': 1})", "(X.a, X.__name__, type(3) is int)"),
            "(1, 'X', True)");
  EXPECT_EQ(run_error("type(1, 2)"), "TypeError: type() takes 1 or 3 arguments");
  EXPECT_EQ(run_error("type(1, (), {})"),
            "TypeError: type.__new__() argument 1 must be str, not int");
}

TEST(TypeSystem, HeapSlots) {
  const char* cls =
      "class V:\n"
      "  def __init__(self, x): self.x = x\n"
      "  def __add__(self, o): return V(self.x + (o.x if isinstance(o, V) else o))\n"
      "  def __radd__(self, o): return V(o + self.x)\n"
      "  def __eq__(self, o): return isinstance(o, V) and self.x == o.x\n"
      "  def __lt__(self, o): return self.x < o.x\n"
      "  def __repr__(self): return f'V({self.x})'\n"
      "  def __len__(self): return self.x\n"
      "  def __getitem__(self, i): return i * 2\n"
      "  def __call__(self, *a, **k): return (a, k)\n"
      "  def __neg__(self): return V(-self.x)\n";
  EXPECT_EQ(eval_repr(cls, "(V(1) + V(2), 3 + V(1), V(1) + 4, -V(5))"), "(V(3), V(4), V(5), V(-5))");
  EXPECT_EQ(eval_repr(cls, "(V(1) == V(1), V(1) != V(2), V(1) < V(2), V(3) > V(2))"),
            "(True, True, True, True)");
  EXPECT_EQ(eval_repr(cls, "(len(V(3)), bool(V(0)), V(1)[5], V(1)(1, k=2))"),
            "(3, False, 10, ((1,), {'k': 2}))");
  EXPECT_EQ(run_error(std::string(cls) + "hash(V(1))"), "TypeError: unhashable type: 'V'");
  EXPECT_EQ(eval_repr(cls + std::string("V.__sub__ = lambda s, o: 'sub'"), "V(1) - 2"), "'sub'");
}

TEST(TypeSystem, GetattrHooks) {
  EXPECT_EQ(eval_repr("class A:\n  y = 1\n  def __getattr__(self, n): return n * 2",
                      "(A().y, A().ab)"),
            "(1, 'abab')");
  EXPECT_EQ(eval_repr("class A:\n  def __getattribute__(self, n): return 7", "A().zz"), "7");
  EXPECT_EQ(eval_repr("class A:\n  def __setattr__(self, n, v): object.__setattr__(self, n, v * 2)\n"
                      "a = A()\na.q = 4",
                      "a.q"),
            "8");
}

TEST(TypeSystem, Descriptors) {
  const char* cls =
      "class A:\n"
      "  def __init__(self): self._x = 1\n"
      "  @property\n"
      "  def x(self): return self._x\n"
      "  @x.setter\n"
      "  def x(self, v): self._x = v\n"
      "  @property\n"
      "  def ro(self): return 5\n"
      "  @staticmethod\n"
      "  def s(a): return a\n"
      "  @classmethod\n"
      "  def c(cls): return cls.__name__\n";
  EXPECT_EQ(eval_repr(cls + std::string("a = A()\na.x = 9"), "(a.x, A.s(3), a.s(4), A.c(), a.c())"),
            "(9, 3, 4, 'A', 'A')");
  EXPECT_EQ(run_error(cls + std::string("A().ro = 1")),
            "AttributeError: property 'ro' of 'A' object has no setter");
  EXPECT_EQ(eval_repr("", "(int.__add__(1, 2), (1).__add__(2), list.append.__name__)"),
            "(3, 3, 'append')");
  EXPECT_EQ(run_error("list.append(1, 2)"),
            "TypeError: descriptor 'append' for 'list' objects doesn't apply to a 'int' object");
  EXPECT_EQ(eval_repr("", "repr(int.__add__)"), "\"<slot wrapper '__add__' of 'int' objects>\"");
  EXPECT_EQ(eval_repr("", "repr(list.append)"), "\"<method 'append' of 'list' objects>\"");
  EXPECT_EQ(eval_repr("", "repr(len)"), "'<built-in function len>'");
}

TEST(TypeSystem, Super) {
  const char* cls =
      "class A:\n"
      "  def f(self): return 'A'\n"
      "  def __init__(self): self.v = 1\n"
      "class B(A):\n"
      "  def f(self): return 'B' + super().f()\n"
      "  def __init__(self):\n"
      "    super().__init__()\n"
      "    self.w = 2\n"
      "class L(list):\n"
      "  def __init__(self, x):\n"
      "    super().__init__(x)\n";
  EXPECT_EQ(eval_repr(cls, "(B().f(), B().v, B().w, super(B, B()).f(), L([1, 2]))"),
            "('BA', 1, 2, 'A', [1, 2])");
  EXPECT_EQ(run_error("super(1)"), "TypeError: super() argument 1 must be a type, not int");
}

TEST(TypeSystem, InitSubclassAndSetName) {
  const char* src =
      "log = []\n"
      "class D:\n"
      "  def __set_name__(self, owner, name): log.append((owner.__name__, name))\n"
      "class Base:\n"
      "  def __init_subclass__(cls, tag=None, **kw):\n"
      "    super().__init_subclass__(**kw)\n"
      "    log.append(tag)\n"
      "class C(Base, tag='t'):\n"
      "  d = D()\n";
  EXPECT_EQ(eval_repr(src, "log"), "[('C', 'd'), 't']");
  EXPECT_EQ(run_error("class B(x=1): pass"),
            "TypeError: B.__init_subclass__() takes no keyword arguments");
}

TEST(TypeSystem, Metaclass) {
  const char* src =
      "class M(type):\n"
      "  def __call__(cls, *a): return ('called', a)\n"
      "  def __instancecheck__(cls, x): return x == 42\n"
      "class C(metaclass=M): pass\n";
  EXPECT_EQ(eval_repr(src, "(C(1), isinstance(42, C), isinstance(1, C), type(C) is M)"),
            "(('called', (1,)), True, False, True)");
}

TEST(TypeSystem, ProtocolErrors) {
  EXPECT_EQ(run_error("1 + 'a'"), "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  EXPECT_EQ(run_error("'a' < 1"), "TypeError: '<' not supported between instances of 'str' and 'int'");
  EXPECT_EQ(run_error("hash([])"), "TypeError: unhashable type: 'list'");
  EXPECT_EQ(run_error("len(1)"), "TypeError: object of type 'int' has no len()");
  EXPECT_EQ(run_error("iter(1)"), "TypeError: 'int' object is not iterable");
  EXPECT_EQ(run_error("next(1)"), "TypeError: 'int' object is not an iterator");
  EXPECT_EQ(run_error("1 in 1"), "TypeError: argument of type 'int' is not iterable");
  EXPECT_EQ(run_error("x = 1\nx[0]"), "TypeError: 'int' object is not subscriptable");
  EXPECT_EQ(run_error("x = (1,)\nx[0] = 2"),
            "TypeError: 'tuple' object does not support item assignment");
  EXPECT_EQ(run_error("-'a'"), "TypeError: bad operand type for unary -: 'str'");
  EXPECT_EQ(run_error("isinstance(1, 1)"),
            "TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union");
  EXPECT_EQ(run_error("class A:\n  def __bool__(self): return 1\nbool(A())"),
            "TypeError: __bool__ should return bool, returned int");
  EXPECT_EQ(run_error("class A:\n  def __str__(self): return 1\nstr(A())"),
            "TypeError: __str__ returned non-string (type int)");
  EXPECT_EQ(run_error("[1] * 1.5"), "TypeError: can't multiply sequence by non-int of type 'float'");
}

TEST(TypeSystem, Iteration) {
  const char* src =
      "class It:\n"
      "  def __init__(self): self.i = 0\n"
      "  def __iter__(self): return self\n"
      "  def __next__(self):\n"
      "    self.i += 1\n"
      "    if self.i > 3: raise StopIteration\n"
      "    return self.i\n"
      "class S:\n"
      "  def __getitem__(self, i):\n"
      "    if i > 2: raise IndexError\n"
      "    return i\n";
  EXPECT_EQ(eval_repr(src, "(list(It()), list(S()), 2 in S(), 5 in It())"),
            "([1, 2, 3], [0, 1, 2], True, False)");
}

TEST(TypeSystem, ParseArgs) {
  ensure_runtime();
  static const char* const kw[] = {"sep", "maxsplit", nullptr};
  Value out[2];
  Value args[3] = {Value::from_small(1), Value::from_small(2), Value::from_small(3)};
  try {
    parse_args("split", args, 3, nullptr, kw, 0, out);
    FAIL();
  } catch (PyThrow&) {
    Value e = take_exception();
    EXPECT_EQ(std::string(str(e)->view()), "split() takes at most 2 arguments (3 given)");
  }
  parse_args("split", args, 1, nullptr, kw, 0, out);
  EXPECT_EQ(out[0], Value::from_small(1));
  EXPECT_TRUE(out[1].is_null());
}

TEST(TypeSystem, CApi) {
  ensure_runtime();
  EXPECT_TRUE(issubclass(&bool_type, &int_type));
  EXPECT_TRUE(isinstance(True(), &int_type));
  EXPECT_EQ(hash(Value::from_small(-1)), -2);
  EXPECT_TRUE(eq(vstr(str_new("ab")), vstr(str_intern("ab"))));
  EXPECT_FALSE(truthy(None()));
  EXPECT_EQ(std::string(repr(None())->view()), "None");
  EXPECT_EQ(std::string(repr(NotImplemented())->view()), "NotImplemented");
  EXPECT_EQ(std::string(repr(Ellipsis())->view()), "Ellipsis");
  Value r = binary_op(Value::from_small(Value::SMALL_MAX), Value::from_small(1), BinOp::Add);
  EXPECT_FALSE(r.is_small());
  EXPECT_NE(type_lookup(&int_type, str_intern("__add__")), Value::null());
}

}  // namespace
}  // namespace gp
