// ast.h — the abstract syntax tree: the contract between parser and compiler.
//
// Invariants:
//  * Mirrors CPython's `ast` module (3.11) node for node, minus async/await and type
//    annotations' evaluation. Field names follow ast's; the eight pattern nodes of a
//    `match` statement share one struct (Pattern, by kind).
//  * Nodes are allocated on the GC heap (`new Node` via gc_cpp's `gc` base) because
//    Constant nodes hold Values (str, int, float, bytes) that must stay reachable;
//    vectors use gc_allocator. Nothing frees an AST by hand.
//  * Every node has 1-based line and 0-based col (UTF-8 byte offset, as CPython's
//    col_offset), plus end_line/end_col.
//  * The parser produces only valid trees (targets checked, `ctx` set): the compiler
//    may assume Store/Del contexts are on assignable nodes.
#pragma once
#include "gc/gcapi.h"

#include "core/runtime.h"

namespace gp::ast {

template <class T>
using Vec = std::vector<T, gc_allocator<T>>;

enum class Ctx : uint8_t { Load, Store, Del };
enum class BoolOpKind : uint8_t { And, Or };
enum class UnaryOpKind : uint8_t { Invert, Not, UAdd, USub };
enum class CmpKind : uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };

struct Node : public gc {
  int line = 0, col = 0, end_line = 0, end_col = 0;
};

// ---------------------------------------------------------------- expressions
enum class EK : uint8_t {
  BoolOp, NamedExpr, BinOp, UnaryOp, Lambda, IfExp, Dict, Set, ListComp, SetComp,
  DictComp, GeneratorExp, Yield, YieldFrom, Compare, Call, FormattedValue, JoinedStr,
  Constant, Attribute, Subscript, Starred, Name, List, Tuple, Slice
};

struct Expr : Node {
  EK kind;
  explicit Expr(EK k) : kind(k) {}
};
using ExprVec = Vec<Expr*>;

struct Arg : Node {        // one parameter
  Str* arg;                // interned
  Expr* annotation = nullptr;
};
struct Arguments : public gc {  // a parameter list
  Vec<Arg*> posonlyargs, args;
  Arg* vararg = nullptr;         // *args
  Vec<Arg*> kwonlyargs;
  ExprVec kw_defaults;           // parallel to kwonlyargs; nullptr = no default
  Arg* kwarg = nullptr;          // **kwargs
  ExprVec defaults;              // for the last len(defaults) of posonlyargs+args
};
struct Keyword : Node {    // name=value in a call; arg nullptr for **value
  Str* arg = nullptr;
  Expr* value = nullptr;
};
struct Comprehension : public gc {  // for target in iter if ifs...
  Expr* target = nullptr;
  Expr* iter = nullptr;
  ExprVec ifs;
};
using CompVec = Vec<Comprehension*>;

struct BoolOp : Expr { BoolOp() : Expr(EK::BoolOp) {} BoolOpKind op; ExprVec values; };
struct NamedExpr : Expr { NamedExpr() : Expr(EK::NamedExpr) {} Expr* target; Expr* value; };
struct BinOpE : Expr { BinOpE() : Expr(EK::BinOp) {} Expr* left; BinOp op; Expr* right; };
struct UnaryOp : Expr { UnaryOp() : Expr(EK::UnaryOp) {} UnaryOpKind op; Expr* operand; };
struct Lambda : Expr { Lambda() : Expr(EK::Lambda) {} Arguments* args; Expr* body; };
struct IfExp : Expr { IfExp() : Expr(EK::IfExp) {} Expr* test; Expr* body; Expr* orelse; };
struct DictE : Expr { DictE() : Expr(EK::Dict) {} ExprVec keys /* nullptr = **value */; ExprVec values; };
struct SetE : Expr { SetE() : Expr(EK::Set) {} ExprVec elts; };
struct ListComp : Expr { ListComp() : Expr(EK::ListComp) {} Expr* elt; CompVec generators; };
struct SetComp : Expr { SetComp() : Expr(EK::SetComp) {} Expr* elt; CompVec generators; };
struct DictComp : Expr { DictComp() : Expr(EK::DictComp) {} Expr* key; Expr* value; CompVec generators; };
struct GeneratorExp : Expr { GeneratorExp() : Expr(EK::GeneratorExp) {} Expr* elt; CompVec generators; };
struct Yield : Expr { Yield() : Expr(EK::Yield) {} Expr* value = nullptr; };
struct YieldFrom : Expr { YieldFrom() : Expr(EK::YieldFrom) {} Expr* value; };
struct Compare : Expr { Compare() : Expr(EK::Compare) {} Expr* left; Vec<CmpKind> ops; ExprVec comparators; };
struct Call : Expr { Call() : Expr(EK::Call) {} Expr* func; ExprVec args; Vec<Keyword*> keywords; };
// f"{value!r:spec}": conversion -1 none, 's', 'r', 'a'; format_spec a JoinedStr or nullptr
struct FormattedValue : Expr { FormattedValue() : Expr(EK::FormattedValue) {} Expr* value; int conversion = -1; Expr* format_spec = nullptr; };
struct JoinedStr : Expr { JoinedStr() : Expr(EK::JoinedStr) {} ExprVec values; /* Constant(str) or FormattedValue */ };
// value: int, float, complex(unsupported), str, bytes, True/False/None, Ellipsis
struct Constant : Expr { Constant() : Expr(EK::Constant) {} Value value; };
struct Attribute : Expr { Attribute() : Expr(EK::Attribute) {} Expr* value; Str* attr; Ctx ctx = Ctx::Load; };
struct Subscript : Expr { Subscript() : Expr(EK::Subscript) {} Expr* value; Expr* slice; Ctx ctx = Ctx::Load; };
struct Starred : Expr { Starred() : Expr(EK::Starred) {} Expr* value; Ctx ctx = Ctx::Load; };
struct Name : Expr { Name() : Expr(EK::Name) {} Str* id; Ctx ctx = Ctx::Load; };
struct ListE : Expr { ListE() : Expr(EK::List) {} ExprVec elts; Ctx ctx = Ctx::Load; };
struct TupleE : Expr { TupleE() : Expr(EK::Tuple) {} ExprVec elts; Ctx ctx = Ctx::Load; };
struct Slice : Expr { Slice() : Expr(EK::Slice) {} Expr* lower = nullptr; Expr* upper = nullptr; Expr* step = nullptr; };

// ---------------------------------------------------------------- statements
enum class SK : uint8_t {
  FunctionDef, ClassDef, Return, Delete, Assign, AugAssign, AnnAssign, For, While, If,
  With, Raise, Try, Assert, Import, ImportFrom, Global, Nonlocal, Expr, Pass, Break, Continue,
  Match
};

struct Stmt : Node {
  SK kind;
  explicit Stmt(SK k) : kind(k) {}
};
using StmtVec = Vec<Stmt*>;

struct Alias : Node { Str* name; Str* asname = nullptr; };   // name may be dotted "a.b"
struct WithItem : public gc { Expr* context_expr; Expr* optional_vars = nullptr; };
struct ExceptHandler : Node { Expr* type = nullptr; Str* name = nullptr; StmtVec body; };

struct FunctionDef : Stmt { FunctionDef() : Stmt(SK::FunctionDef) {} Str* name; Arguments* args; StmtVec body; ExprVec decorator_list; Expr* returns = nullptr; };
struct ClassDef : Stmt { ClassDef() : Stmt(SK::ClassDef) {} Str* name; ExprVec bases; Vec<Keyword*> keywords; StmtVec body; ExprVec decorator_list; };
struct Return : Stmt { Return() : Stmt(SK::Return) {} Expr* value = nullptr; };
struct Delete : Stmt { Delete() : Stmt(SK::Delete) {} ExprVec targets; };
struct Assign : Stmt { Assign() : Stmt(SK::Assign) {} ExprVec targets; Expr* value; };
struct AugAssign : Stmt { AugAssign() : Stmt(SK::AugAssign) {} Expr* target; BinOp op; Expr* value; };
struct AnnAssign : Stmt { AnnAssign() : Stmt(SK::AnnAssign) {} Expr* target; Expr* annotation; Expr* value = nullptr; bool simple; };
struct For : Stmt { For() : Stmt(SK::For) {} Expr* target; Expr* iter; StmtVec body; StmtVec orelse; };
struct While : Stmt { While() : Stmt(SK::While) {} Expr* test; StmtVec body; StmtVec orelse; };
struct If : Stmt { If() : Stmt(SK::If) {} Expr* test; StmtVec body; StmtVec orelse; };
struct With : Stmt { With() : Stmt(SK::With) {} Vec<WithItem*> items; StmtVec body; };
struct Raise : Stmt { Raise() : Stmt(SK::Raise) {} Expr* exc = nullptr; Expr* cause = nullptr; };
struct Try : Stmt { Try() : Stmt(SK::Try) {} StmtVec body; Vec<ExceptHandler*> handlers; StmtVec orelse; StmtVec finalbody; };
struct Assert : Stmt { Assert() : Stmt(SK::Assert) {} Expr* test; Expr* msg = nullptr; };
struct Import : Stmt { Import() : Stmt(SK::Import) {} Vec<Alias*> names; };
struct ImportFrom : Stmt { ImportFrom() : Stmt(SK::ImportFrom) {} Str* module = nullptr; Vec<Alias*> names; int level = 0; };  // names[0].name == "*" for star
struct Global : Stmt { Global() : Stmt(SK::Global) {} Vec<Str*> names; };
struct Nonlocal : Stmt { Nonlocal() : Stmt(SK::Nonlocal) {} Vec<Str*> names; };
struct ExprStmt : Stmt { ExprStmt() : Stmt(SK::Expr) {} Expr* value; };
struct Pass : Stmt { Pass() : Stmt(SK::Pass) {} };
struct Break : Stmt { Break() : Stmt(SK::Break) {} };
struct Continue : Stmt { Continue() : Stmt(SK::Continue) {} };

// match statement patterns (ast.MatchValue ... ast.MatchOr), one struct:
//   Value: value (an expression compared with ==)    Singleton: constant (None/True/False, `is`)
//   Sequence: patterns (at most one Star)            Star: name (nullptr for *_)
//   Mapping: keys, patterns, name (**rest or nullptr)
//   Class: value (the class expression), patterns, kwd_attrs, kwd_patterns
//   As: pattern (nullptr: a capture or, with name nullptr too, the wildcard), name
//   Or: patterns
enum class PK : uint8_t { Value, Singleton, Sequence, Mapping, Class, Star, As, Or };
struct Pattern : Node {
  PK kind;
  Expr* value = nullptr;
  Value constant;
  Vec<Pattern*> patterns;
  ExprVec keys;
  Vec<Str*> kwd_attrs;
  Vec<Pattern*> kwd_patterns;
  Str* name = nullptr;
  Pattern* pattern = nullptr;
  explicit Pattern(PK k) : kind(k) {}
};
struct MatchCase : public gc { Pattern* pattern; Expr* guard = nullptr; StmtVec body; };
struct Match : Stmt { Match() : Stmt(SK::Match) {} Expr* subject; Vec<MatchCase*> cases; };

struct Module : public gc { StmtVec body; };

}  // namespace gp::ast

namespace gp {

struct Code;

enum class ParseMode { Exec, Eval, Single };   // compile()'s modes

// [frontend: src/compiler/tokenizer.cpp, parser.cpp]
// Parse source text. On error raises SyntaxError / IndentationError / TabError with
// CPython's message and (filename, lineno, offset, text, end_lineno, end_offset) set
// on the exception (BaseException::extra, see exceptions.cpp), offset 1-based.
// Eval mode returns a Module whose body is one ExprStmt.
ast::Module* parse(std::string_view source, Str* filename, ParseMode mode);

// [compiler: src/compiler/symtable.cpp, compiler.cpp]
// Compile a parsed module to a code object; raises SyntaxError for semantic errors
// ('return' outside function, nonlocal at module level, ...). Single mode wraps
// expression statements in PRINT_EXPR.
Code* compile_ast(ast::Module* mod, Str* filename, ParseMode mode);

// parse + compile + register_source (for tracebacks). [compiler]
Code* compile_source(std::string_view source, Str* filename, ParseMode mode);

}  // namespace gp
