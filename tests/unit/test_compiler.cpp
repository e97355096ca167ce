// test_compiler.cpp — unit tests of the compiler: code shapes, constants, scoping and
// the SyntaxErrors the symbol table and code generator raise.
// Invariant: each test compiles source text through compile_source (parser included)
// on a runtime initialised once per process.
#include "gc/gcapi.h"
#include <gtest/gtest.h>

#include <string>

#include "compiler/ast.h"
#include "compiler/compiler.h"
#include "core/runtime.h"
#include "core/threadstate.h"
#include "gil/gil.h"
#include "objects/code.h"
#include "objects/str.h"
#include "objects/tuple.h"

using namespace gp;

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
}

Code* compile(const std::string& src) {
  return compile_source(src, str_intern("<test>"), ParseMode::Exec);
}

// The SyntaxError message for `src`, or "" if it compiles.
std::string syntax_error(const std::string& src) {
  try {
    compile(src);
  } catch (PyThrow&) {
    Value e = take_exception();
    EXPECT_TRUE(exc_matches(e, Value::from_obj(&exc_SyntaxError)));
    Str* s = str(e);
    return std::string(s->view());
  }
  return "";
}

Code* nested_code(Code* co, const char* name) {
  for (int64_t i = 0; i < co->consts->size; i++) {
    Value v = co->consts->items()[i];
    if (v.is_obj() && v.obj()->type == &code_type && v.as<Code>()->name->view() == name)
      return v.as<Code>();
  }
  return nullptr;
}

bool has_op(Code* co, Opcode op) {
  for (int i = 0; i < co->ninstrs; i++)
    if (instr_op(co->instrs[i]) == op) return true;
  return false;
}

class CompilerTest : public ::testing::Test {
 protected:
  void SetUp() override { ensure_runtime(); }
};

TEST_F(CompilerTest, SimpleAssignmentShape) {
  Code* co = compile("x = 1\n");
  ASSERT_EQ(co->ninstrs, 4);
  EXPECT_EQ(instr_op(co->instrs[0]), OP_LOAD_CONST);
  EXPECT_EQ(instr_op(co->instrs[1]), OP_STORE_NAME);
  EXPECT_EQ(instr_op(co->instrs[2]), OP_LOAD_CONST);
  EXPECT_EQ(instr_op(co->instrs[3]), OP_RETURN_VALUE);
  EXPECT_EQ(co->stacksize, 1);
  std::string d = disassemble(co);
  EXPECT_NE(d.find("STORE_NAME"), std::string::npos);
  EXPECT_NE(d.find("(x)"), std::string::npos);
}

TEST_F(CompilerTest, ConstantsStayDistinctByType) {
  Code* co = compile("a = 1\nb = 1.0\nc = True\nd = 1\ne = 1.0\n");
  // 1, 1.0, True, None
  EXPECT_EQ(co->consts->size, 4);
}

TEST_F(CompilerTest, FunctionLocalsAndFlags) {
  Code* co = compile("def f(a, b, *args, c, **kw):\n    d = a\n    return d\n");
  Code* f = nested_code(co, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->argcount, 2);
  EXPECT_EQ(f->kwonlyargcount, 1);
  EXPECT_TRUE(f->flags & CO_OPTIMIZED);
  EXPECT_TRUE(f->flags & CO_VARARGS);
  EXPECT_TRUE(f->flags & CO_VARKEYWORDS);
  EXPECT_TRUE(f->flags & CO_NOFREE);
  ASSERT_EQ(f->nlocals, 6);
  EXPECT_EQ(as_str(f->varnames->items()[2])->view(), "args");
  EXPECT_EQ(as_str(f->varnames->items()[3])->view(), "c");
  EXPECT_EQ(as_str(f->varnames->items()[4])->view(), "kw");
  EXPECT_TRUE(has_op(f, OP_LOAD_FAST));
  EXPECT_FALSE(has_op(f, OP_LOAD_NAME));
}

TEST_F(CompilerTest, GeneratorStartsWithGenStart) {
  Code* co = compile("def g():\n    yield 1\n");
  Code* g = nested_code(co, "g");
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->flags & CO_GENERATOR);
  EXPECT_EQ(instr_op(g->instrs[0]), OP_GEN_START);
}

TEST_F(CompilerTest, ClosuresAndCell2Arg) {
  Code* co = compile("def f(x):\n    def g():\n        return x\n    return g\n");
  Code* f = nested_code(co, "f");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->cellvars->size, 1);
  ASSERT_NE(f->cell2arg, nullptr);
  EXPECT_EQ(f->cell2arg[0], 0);
  Code* g = nested_code(f, "g");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->freevars->size, 1);
  EXPECT_TRUE(has_op(g, OP_LOAD_DEREF));
  EXPECT_EQ(g->qualname->view(), "f.<locals>.g");
}

TEST_F(CompilerTest, ClassCellForSuper) {
  Code* co = compile("class A:\n    def m(self):\n        return super().m()\n");
  Code* a = nested_code(co, "A");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->cellvars->size, 1);
  EXPECT_EQ(as_str(a->cellvars->items()[0])->view(), "__class__");
  Code* m = nested_code(a, "m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(as_str(m->freevars->items()[0])->view(), "__class__");
  EXPECT_EQ(m->qualname->view(), "A.m");
}

TEST_F(CompilerTest, ComprehensionIsNestedFunction) {
  Code* co = compile("def f(n):\n    return [i * n for i in range(n)]\n");
  Code* f = nested_code(co, "f");
  ASSERT_NE(f, nullptr);
  Code* lc = nested_code(f, "<listcomp>");
  ASSERT_NE(lc, nullptr);
  EXPECT_EQ(lc->argcount, 1);
  EXPECT_EQ(as_str(lc->varnames->items()[0])->view(), ".0");
  EXPECT_EQ(lc->qualname->view(), "f.<locals>.<listcomp>");
}

TEST_F(CompilerTest, ExceptionTableIsOrderedAndDisjoint) {
  Code* co = compile(
      "def f():\n    try:\n        with a:\n            return g()\n    except E as e:\n"
      "        pass\n    finally:\n        h()\n");
  Code* f = nested_code(co, "f");
  ASSERT_NE(f, nullptr);
  ASSERT_GT(f->nexc, 0);
  for (int i = 0; i < f->nexc; i++) {
    EXPECT_LT(f->exc_table[i].start, f->exc_table[i].end);
    EXPECT_GE(f->exc_table[i].depth, 0);
    EXPECT_LT(f->exc_table[i].depth, f->stacksize);
    if (i > 0) {
      EXPECT_LE(f->exc_table[i - 1].end, f->exc_table[i].start);
    }
  }
}

TEST_F(CompilerTest, NoBackwardConditionalJumps) {
  Code* co = compile("def f(n):\n    while n:\n        n -= 1\n    return [x for x in n if x]\n");
  Code* f = nested_code(co, "f");
  ASSERT_NE(f, nullptr);
  auto check = [](Code* c) {
    for (int i = 0; i < c->ninstrs; i++) {
      Opcode op = instr_op(c->instrs[i]);
      uint32_t arg = instr_arg(c->instrs[i]);
      if (op == OP_JUMP_BACKWARD) {
        EXPECT_LE(arg, uint32_t(i));
      }
      if (op == OP_POP_JUMP_IF_FALSE || op == OP_POP_JUMP_IF_TRUE || op == OP_JUMP_FORWARD ||
          op == OP_FOR_ITER) {
        EXPECT_GT(arg, uint32_t(i));
      }
    }
  };
  check(f);
  check(nested_code(f, "<listcomp>"));
}

TEST_F(CompilerTest, ScopingErrors) {
  EXPECT_NE(syntax_error("def f():\n    x = 1\n    global x\n")
                .find("name 'x' is assigned to before global declaration"),
            std::string::npos);
  EXPECT_NE(syntax_error("def f():\n    print(x)\n    global x\n")
                .find("name 'x' is used prior to global declaration"),
            std::string::npos);
  EXPECT_NE(syntax_error("def f(x):\n    global x\n").find("name 'x' is parameter and global"),
            std::string::npos);
  EXPECT_NE(syntax_error("nonlocal x\n").find("nonlocal declaration not allowed at module level"),
            std::string::npos);
  EXPECT_NE(syntax_error("def f():\n    nonlocal x\n").find("no binding for nonlocal 'x' found"),
            std::string::npos);
  EXPECT_NE(syntax_error("def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x\n")
                .find("name 'x' is assigned to before nonlocal declaration"),
            std::string::npos);
  EXPECT_NE(syntax_error("def f(a, a):\n    pass\n")
                .find("duplicate argument 'a' in function definition"),
            std::string::npos);
  EXPECT_NE(syntax_error("def f():\n    from os import *\n")
                .find("import * only allowed at module level"),
            std::string::npos);
}

TEST_F(CompilerTest, ControlFlowErrors) {
  EXPECT_NE(syntax_error("return 1\n").find("'return' outside function"), std::string::npos);
  EXPECT_NE(syntax_error("class A:\n    return\n").find("'return' outside function"), std::string::npos);
  EXPECT_NE(syntax_error("yield 1\n").find("'yield' outside function"), std::string::npos);
  EXPECT_NE(syntax_error("break\n").find("'break' outside loop"), std::string::npos);
  EXPECT_NE(syntax_error("for x in y:\n    pass\nelse:\n    continue\n")
                .find("'continue' not properly in loop"),
            std::string::npos);
  EXPECT_NE(syntax_error("a, *b, *c = d\n").find("multiple starred expressions in assignment"),
            std::string::npos);
  EXPECT_EQ(syntax_error("def f():\n    for x in y:\n        try:\n            break\n"
                         "        finally:\n            continue\n"),
            "");
}

TEST_F(CompilerTest, ErrorLineNumbers) {
  EXPECT_NE(syntax_error("x = 1\n\nbreak\n").find("line 3"), std::string::npos);
}

}  // namespace
