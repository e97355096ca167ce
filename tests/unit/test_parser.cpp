// test_parser.cpp — unit tests of the front end (tokenizer + parser): ast_dump output
// compared with CPython 3.11's ast.dump() and SyntaxError messages/positions.
// Invariant: every expected string below was produced by CPython 3.11.7.
#include "gc/gcapi.h"
#include <gtest/gtest.h>

#include <string>

#include "compiler/ast.h"
#include "compiler/parser.h"
#include "core/runtime.h"
#include "core/threadstate.h"
#include "gil/gil.h"
#include "objects/str.h"

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

std::string dump(const std::string& src, bool attrs = false, ParseMode mode = ParseMode::Exec) {
  ensure_runtime();
  return ast_dump(parse(src, str_intern("<string>"), mode), attrs);
}

struct SynErr {
  std::string type, msg, text;
  int64_t lineno = 0, offset = 0, end_lineno = 0, end_offset = 0;
};

int64_t int_attr(Value e, const char* name) {
  Value v = getattr(e, str_intern(name));
  return v.is_small() ? v.small() : -999;
}

// The SyntaxError (or subclass) parse() raises for `src`; type "" if none.
SynErr error_of(const std::string& src) {
  ensure_runtime();
  SynErr r;
  try {
    parse(src, str_intern("<string>"), ParseMode::Exec);
  } catch (PyThrow&) {
    Value e = take_exception();
    r.type = type_name(e);
    r.msg = std::string(str(getattr(e, str_intern("msg")))->view());
    r.lineno = int_attr(e, "lineno");
    r.offset = int_attr(e, "offset");
    r.text = std::string(str(getattr(e, str_intern("text")))->view());
    r.end_lineno = int_attr(e, "end_lineno");
    r.end_offset = int_attr(e, "end_offset");
  }
  return r;
}

}  // namespace

TEST(Parser, MatchStatement) {
  EXPECT_EQ(dump("match p:\n    case 0 | -1:\n        pass\n    case [a, *rest] if a:\n        pass\n"
                 "    case {'k': v, **kw}:\n        pass\n    case Point(1, y=None) as q:\n        pass\n"
                 "    case (x, *_):\n        pass\n    case _:\n        pass\n"),
            "Module(body=[Match(subject=Name(id='p', ctx=Load()), cases=[match_case(pattern=MatchOr(patterns=["
            "MatchValue(value=Constant(value=0)), MatchValue(value=UnaryOp(op=USub(), operand=Constant(value=1)))]), "
            "body=[Pass()]), match_case(pattern=MatchSequence(patterns=[MatchAs(name='a'), MatchStar(name='rest')]), "
            "guard=Name(id='a', ctx=Load()), body=[Pass()]), match_case(pattern=MatchMapping(keys=[Constant(value='k')], "
            "patterns=[MatchAs(name='v')], rest='kw'), body=[Pass()]), match_case(pattern=MatchAs(pattern=MatchClass("
            "cls=Name(id='Point', ctx=Load()), patterns=[MatchValue(value=Constant(value=1))], kwd_attrs=['y'], "
            "kwd_patterns=[MatchSingleton(value=None)]), name='q'), body=[Pass()]), match_case(pattern=MatchSequence("
            "patterns=[MatchAs(name='x'), MatchStar()]), body=[Pass()]), match_case(pattern=MatchAs(), body=[Pass()])])], "
            "type_ignores=[])");
  EXPECT_EQ(dump("match x:\n    case a.b:\n        pass\n", true),
            "Module(body=[Match(subject=Name(id='x', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7), "
            "cases=[match_case(pattern=MatchValue(value=Attribute(value=Name(id='a', ctx=Load(), lineno=2, col_offset=9, "
            "end_lineno=2, end_col_offset=10), attr='b', ctx=Load(), lineno=2, col_offset=9, end_lineno=2, end_col_offset=12), "
            "lineno=2, col_offset=9, end_lineno=2, end_col_offset=12), body=[Pass(lineno=3, col_offset=8, end_lineno=3, "
            "end_col_offset=12)])], lineno=1, col_offset=0, end_lineno=3, end_col_offset=12)], type_ignores=[])");
  // `match` and `case` stay names where no match statement can start
  EXPECT_EQ(dump("match(x)\nmatch = 1\n"),
            "Module(body=[Expr(value=Call(func=Name(id='match', ctx=Load()), args=[Name(id='x', ctx=Load())], "
            "keywords=[])), Assign(targets=[Name(id='match', ctx=Store())], value=Constant(value=1))], type_ignores=[])");
}

TEST(Parser, SimpleAssignAndCall) {
  EXPECT_EQ(dump("x = 1\nprint(x + 2 * 3)\n"),
            "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1)), "
            "Expr(value=Call(func=Name(id='print', ctx=Load()), args=[BinOp(left=Name(id='x', ctx=Load()), "
            "op=Add(), right=BinOp(left=Constant(value=2), op=Mult(), right=Constant(value=3)))], "
            "keywords=[]))], type_ignores=[])");
}

TEST(Parser, FunctionParameters) {
  EXPECT_EQ(dump("def f(a, /, b=1, *c, d, e=2, **f) -> int: pass"),
            "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[arg(arg='a')], args=[arg(arg='b')], "
            "vararg=arg(arg='c'), kwonlyargs=[arg(arg='d'), arg(arg='e')], kw_defaults=[None, Constant(value=2)], "
            "kwarg=arg(arg='f'), defaults=[Constant(value=1)]), body=[Pass()], decorator_list=[], "
            "returns=Name(id='int', ctx=Load()))], type_ignores=[])");
}

TEST(Parser, StarredTargetsAndSlices) {
  EXPECT_EQ(dump("a, *b = c[1:2, ::3]"),
            "Module(body=[Assign(targets=[Tuple(elts=[Name(id='a', ctx=Store()), Starred(value=Name(id='b', "
            "ctx=Store()), ctx=Store())], ctx=Store())], value=Subscript(value=Name(id='c', ctx=Load()), "
            "slice=Tuple(elts=[Slice(lower=Constant(value=1), upper=Constant(value=2)), "
            "Slice(step=Constant(value=3))], ctx=Load()), ctx=Load()))], type_ignores=[])");
}

TEST(Parser, ComprehensionsAndWalrus) {
  EXPECT_EQ(dump("[y for x in z if (y := x) for w in y]"),
            "Module(body=[Expr(value=ListComp(elt=Name(id='y', ctx=Load()), generators=[comprehension("
            "target=Name(id='x', ctx=Store()), iter=Name(id='z', ctx=Load()), ifs=[NamedExpr(target="
            "Name(id='y', ctx=Store()), value=Name(id='x', ctx=Load()))], is_async=0), comprehension("
            "target=Name(id='w', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)]))], "
            "type_ignores=[])");
}

TEST(Parser, ChainedComparisonAndBoolOps) {
  EXPECT_EQ(dump("a < b <= c and not d or e is not f"),
            "Module(body=[Expr(value=BoolOp(op=Or(), values=[BoolOp(op=And(), values=[Compare(left=Name(id='a', "
            "ctx=Load()), ops=[Lt(), LtE()], comparators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load())]), "
            "UnaryOp(op=Not(), operand=Name(id='d', ctx=Load()))]), Compare(left=Name(id='e', ctx=Load()), "
            "ops=[IsNot()], comparators=[Name(id='f', ctx=Load())])]))], type_ignores=[])");
}

TEST(Parser, FStrings) {
  EXPECT_EQ(dump("f'a{x!r:>{w}}b' 'c'"),
            "Module(body=[Expr(value=JoinedStr(values=[Constant(value='a'), FormattedValue(value=Name(id='x', "
            "ctx=Load()), conversion=114, format_spec=JoinedStr(values=[Constant(value='>'), FormattedValue("
            "value=Name(id='w', ctx=Load()), conversion=-1)])), Constant(value='bc')]))], type_ignores=[])");
  EXPECT_EQ(dump("f'{x=}'"),
            "Module(body=[Expr(value=JoinedStr(values=[Constant(value='x='), FormattedValue(value=Name(id='x', "
            "ctx=Load()), conversion=114)]))], type_ignores=[])");
}

TEST(Parser, StringEscapesAndBytes) {
  EXPECT_EQ(dump("('\\x41\\101\\u00e9', b'\\xff\\n', r'\\n')"),
            "Module(body=[Expr(value=Tuple(elts=[Constant(value='AA\xc3\xa9'), Constant(value=b'\\xff\\n'), "
            "Constant(value='\\\\n')], ctx=Load()))], type_ignores=[])");
}

TEST(Parser, NumbersAndConstants) {
  EXPECT_EQ(dump("(0x1F, 0o17, 0b101, 1_000, 1.5, .5, 1e3, None, True, ..., 123456789012345678901234567890)"),
            "Module(body=[Expr(value=Tuple(elts=[Constant(value=31), Constant(value=15), Constant(value=5), "
            "Constant(value=1000), Constant(value=1.5), Constant(value=0.5), Constant(value=1000.0), "
            "Constant(value=None), Constant(value=True), Constant(value=Ellipsis), "
            "Constant(value=123456789012345678901234567890)], ctx=Load()))], type_ignores=[])");
}

TEST(Parser, CompoundStatements) {
  EXPECT_EQ(dump("try:\n  pass\nexcept (A, B) as e:\n  pass\nelse:\n  pass\nfinally:\n  pass\n"
                 "with (a as b, c):\n  pass\n"),
            "Module(body=[Try(body=[Pass()], handlers=[ExceptHandler(type=Tuple(elts=[Name(id='A', ctx=Load()), "
            "Name(id='B', ctx=Load())], ctx=Load()), name='e', body=[Pass()])], orelse=[Pass()], "
            "finalbody=[Pass()]), With(items=[withitem(context_expr=Name(id='a', ctx=Load()), "
            "optional_vars=Name(id='b', ctx=Store())), withitem(context_expr=Name(id='c', ctx=Load()))], "
            "body=[Pass()])], type_ignores=[])");
}

TEST(Parser, ImportsAndDecorators) {
  EXPECT_EQ(dump("from ..a.b import (c as d, e)\n@dec(1)\nclass K(B, metaclass=M): x: int = 1"),
            "Module(body=[ImportFrom(module='a.b', names=[alias(name='c', asname='d'), alias(name='e')], level=2), "
            "ClassDef(name='K', bases=[Name(id='B', ctx=Load())], keywords=[keyword(arg='metaclass', "
            "value=Name(id='M', ctx=Load()))], body=[AnnAssign(target=Name(id='x', ctx=Store()), "
            "annotation=Name(id='int', ctx=Load()), value=Constant(value=1), simple=1)], "
            "decorator_list=[Call(func=Name(id='dec', ctx=Load()), args=[Constant(value=1)], keywords=[])])], "
            "type_ignores=[])");
}

TEST(Parser, Positions) {
  EXPECT_EQ(dump("(a + b) * c", true),
            "Module(body=[Expr(value=BinOp(left=BinOp(left=Name(id='a', ctx=Load(), lineno=1, col_offset=1, "
            "end_lineno=1, end_col_offset=2), op=Add(), right=Name(id='b', ctx=Load(), lineno=1, col_offset=5, "
            "end_lineno=1, end_col_offset=6), lineno=1, col_offset=1, end_lineno=1, end_col_offset=6), op=Mult(), "
            "right=Name(id='c', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, end_col_offset=11), lineno=1, "
            "col_offset=0, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_lineno=1, "
            "end_col_offset=11)], type_ignores=[])");
}

TEST(Parser, EvalMode) {
  EXPECT_EQ(dump("a if b else c", false, ParseMode::Eval),
            "Module(body=[Expr(value=IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), "
            "orelse=Name(id='c', ctx=Load())))], type_ignores=[])");
}

TEST(Parser, IndentationWithTabsAndContinuations) {
  EXPECT_EQ(dump("\xef\xbb\xbfif x:\n\ty = [1,\n  2] + \\\n 3\n\tz = 1; w = 2"),
            "Module(body=[If(test=Name(id='x', ctx=Load()), body=[Assign(targets=[Name(id='y', ctx=Store())], "
            "value=BinOp(left=List(elts=[Constant(value=1), Constant(value=2)], ctx=Load()), op=Add(), "
            "right=Constant(value=3))), Assign(targets=[Name(id='z', ctx=Store())], value=Constant(value=1)), "
            "Assign(targets=[Name(id='w', ctx=Store())], value=Constant(value=2))], orelse=[])], type_ignores=[])");
}

TEST(ParserErrors, InvalidSyntax) {
  SynErr e = error_of("x = = 1");
  EXPECT_EQ(e.type, "SyntaxError");
  EXPECT_EQ(e.msg, "invalid syntax");
  EXPECT_EQ(e.lineno, 1);
  EXPECT_EQ(e.offset, 5);
  EXPECT_EQ(e.text, "x = = 1\n");
  EXPECT_EQ(e.end_offset, 6);
}

TEST(ParserErrors, SpecificMessages) {
  EXPECT_EQ(error_of("f() = 1").msg, "cannot assign to function call here. Maybe you meant '==' instead of '='?");
  EXPECT_EQ(error_of("1 = 2 = 3").msg, "cannot assign to literal");
  EXPECT_EQ(error_of("x = [1 2]").msg, "invalid syntax. Perhaps you forgot a comma?");
  EXPECT_EQ(error_of("print 'x'").msg, "Missing parentheses in call to 'print'. Did you mean print(...)?");
  EXPECT_EQ(error_of("f(a=1, b)").msg, "positional argument follows keyword argument");
  EXPECT_EQ(error_of("def f(a=1, b): pass").msg, "non-default argument follows default argument");
  EXPECT_EQ(error_of("x = f'{a'").msg, "f-string: expecting '}'");
  EXPECT_EQ(error_of("x = f'}'").msg, "f-string: single '}' is not allowed");
  EXPECT_EQ(error_of("x = 0777").msg,
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
  EXPECT_EQ(error_of("x = 'a' b'b'").msg, "cannot mix bytes and nonbytes literals");
}

TEST(ParserErrors, TokenizerErrorsAndPositions) {
  SynErr e = error_of("foo(1,\n  2");
  EXPECT_EQ(e.msg, "'(' was never closed");
  EXPECT_EQ(e.lineno, 1);
  EXPECT_EQ(e.offset, 4);
  e = error_of("x = 'abc\n");
  EXPECT_EQ(e.msg, "unterminated string literal (detected at line 1)");
  EXPECT_EQ(e.offset, 5);
  EXPECT_EQ(e.text, "x = 'abc");
  e = error_of("x = (1, 2]");
  EXPECT_EQ(e.msg, "closing parenthesis ']' does not match opening parenthesis '('");
  EXPECT_EQ(e.offset, 10);
  e = error_of("x = \xe2\x82\xac");
  EXPECT_EQ(e.msg, "invalid character '\xe2\x82\xac' (U+20AC)");
  EXPECT_EQ(e.offset, 5);
}

TEST(ParserErrors, Indentation) {
  SynErr e = error_of("if x:\npass");
  EXPECT_EQ(e.type, "IndentationError");
  EXPECT_EQ(e.msg, "expected an indented block after 'if' statement on line 1");
  EXPECT_EQ(e.lineno, 2);
  EXPECT_EQ(e.offset, 1);
  e = error_of("a = 1\n  b = 2");
  EXPECT_EQ(e.type, "IndentationError");
  EXPECT_EQ(e.msg, "unexpected indent");
  e = error_of("if x:\n  a\n b");
  EXPECT_EQ(e.msg, "unindent does not match any outer indentation level");
  e = error_of("if x:\n\ta = 1\n        b = 2");
  EXPECT_EQ(e.type, "TabError");
}

TEST(ParserErrors, DeepNestingDoesNotCrash) {
  ensure_runtime();
  std::string src;
  for (int i = 0; i < 10000; i++) src += "not ";
  src += "x";
  bool raised = false;
  try {
    parse(src, str_intern("<string>"), ParseMode::Exec);
  } catch (PyThrow&) {
    Value e = take_exception();
    raised = true;
    EXPECT_EQ(type_name(e), "RecursionError");
  }
  EXPECT_TRUE(raised);
  EXPECT_EQ(error_of(std::string(201, '(')).msg, "too many nested parentheses");
}
