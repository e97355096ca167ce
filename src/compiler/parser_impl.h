// parser_impl.h — the recursive-descent parser's internals (parser.cpp, strings.cpp).
//
// Invariants:
//  * The parser walks the token vector of one Tokenizer by index; it never backtracks
//    more than a bounded speculative parse (with-items, error diagnosis), so parsing
//    is linear in the number of tokens.
//  * A syntax error is recorded in `err` and thrown as the C++ exception ParseFail
//    (not PyThrow): creating Python exceptions happens once, in parse(), after
//    deciding between the parser's and the tokenizer's error as CPython does.
//  * Every node gets CPython's positions; a parenthesised expression keeps the
//    position of its contents (only tuples and generator expressions include parens).
//  * Recursion is bounded by `depth` (see DepthGuard), so deep nesting raises
//    MemoryError/RecursionError like CPython instead of overflowing the C++ stack.
#pragma once
#include <string>
#include <string_view>

#include "compiler/ast.h"
#include "compiler/tokenizer.h"

namespace gp::front {

struct ParseFail {};

class Parser {
 public:
  Parser(Tokenizer& tz, Str* filename, bool fstring_mode = false);

  ast::Module* parse_file();
  ast::Module* parse_eval();
  ast::Module* parse_single();
  ast::Expr* parse_fstring_expr();   // the contents of "{...}" (wrapped as "(...)" in CPython)

  Tokenizer& tz;
  const std::vector<Token>& T;
  Str* filename;
  size_t p = 0;                // current token index
  size_t maxp = 0;             // furthest token looked at
  int depth = 0;
  bool fstring_mode;
  int* shared_depth = nullptr; // f-string sub-parsers share the outer depth counter

  SyntaxErr err;
  bool err_overridable = true;  // a later tokenizer error may replace it (CPython)
  bool err_from_tokenizer = false;

  // ---- tokens
  const Token& tok(size_t i);
  const Token& cur() { return tok(p); }
  Tok ty() { return cur().type; }
  Tok ty_at(size_t k) { return tok(p + k).type; }
  bool at(Tok t) { return ty() == t; }
  bool accept(Tok t) {
    if (ty() == t) { p++; return true; }
    return false;
  }
  const Token& prev() { return T[p - 1]; }
  void expect(Tok t);                       // generic "invalid syntax" on mismatch
  void expect_forced(Tok t, const char* what);  // "expected 'x'" (pegen's &&)
  Str* name_str(const Token& t);

  // ---- errors
  [[noreturn]] void tokenizer_error();
  [[noreturn]] void fail(Type* type, int line, int col, int end_line, int end_col, std::string msg,
                         bool raw_offsets = false);
  [[noreturn]] void fail_node(const ast::Node* n, const std::string& msg);
  [[noreturn]] void fail_range(const ast::Node* a, const ast::Node* b, const std::string& msg);
  [[noreturn]] void fail_tok(const Token& t, const std::string& msg, Type* type = nullptr);
  [[noreturn]] void fail_last(const std::string& msg, Type* type = nullptr);  // RAISE_SYNTAX_ERROR
  [[noreturn]] void fail_generic();        // "invalid syntax" at the current token, with diagnosis
  [[noreturn]] void too_deep(bool memory);
  std::string error_text(int line);

  // Also below the thread's C stack reserve (sanitizer builds have frames several times
  // bigger, so pegen's depth limit alone does not keep the stack safe).
  static bool c_stack_exhausted();
  struct DepthGuard {
    Parser* ps;
    DepthGuard(Parser* p, bool memory_kind) : ps(p) {
      if (++*ps->shared_depth > (memory_kind ? 2985 : 2990) || c_stack_exhausted())
        ps->too_deep(memory_kind);
    }
    ~DepthGuard() { --*ps->shared_depth; }
  };

  // diagnosis for generic errors: the last disjunction that ended, as CPython's
  // invalid_expression / invalid_legacy_expression see it
  size_t last_disj_start = SIZE_MAX, last_disj_end = SIZE_MAX;
  ast::Expr* last_disj = nullptr;
  size_t sole_genexp_for = SIZE_MAX;     // call_args: the 'for' token of a sole genexp argument
  ast::TupleE* bare_tuple = nullptr;  // the last tuple star_expressions built without parens
  // invalid_named_expression: `a = b` where a named expression was expected
  size_t named_eq_pos = SIZE_MAX;
  std::string named_eq_msg;
  ast::Expr* named_eq_a = nullptr;
  ast::Expr* named_eq_b = nullptr;

  // ---- statements
  void statements_until(Tok end, ast::StmtVec& out);
  void statement(ast::StmtVec& out);
  void simple_stmts(ast::StmtVec& out);
  ast::Stmt* simple_stmt();
  ast::Stmt* expr_stmt();
  ast::Stmt* compound_stmt();
  ast::StmtVec block(const char* what, int line, bool forced_colon);
  ast::Stmt* if_stmt(bool is_elif);
  ast::Stmt* while_stmt();
  ast::Stmt* for_stmt();
  ast::Stmt* with_stmt();
  ast::Stmt* try_stmt();
  bool match_ahead();                      // `match` here starts a match statement
  ast::Stmt* match_stmt();
  ast::Pattern* patterns();                // a case's pattern (an open sequence allowed)
  ast::Pattern* pattern();                 // as_pattern | or_pattern
  ast::Pattern* closed_pattern();
  ast::Pattern* star_or_pattern();         // maybe_star_pattern
  ast::Pattern* pattern_node(ast::PK kind, const Token& first);
  ast::Expr* literal_expr();               // a literal pattern's value (signed number, strings)
  ast::Expr* name_or_attr();               // NAME ('.' NAME)*
  ast::Stmt* funcdef(ast::ExprVec* decorators, const Token* first);
  ast::Stmt* classdef(ast::ExprVec* decorators, const Token* first);
  ast::Stmt* import_name();
  ast::Stmt* import_from();
  ast::Stmt* del_stmt();
  ast::Arguments* parameters(bool lambda);
  ast::Alias* dotted_as_name();

  // ---- expressions
  ast::Expr* star_expressions();           // a, *b, c  (tuple without parens)
  ast::Expr* star_expression();
  ast::Expr* star_named_expression();
  ast::Expr* named_expression();
  ast::Expr* expression();
  ast::Expr* lambdef();
  ast::Expr* disjunction();
  ast::Expr* conjunction();
  ast::Expr* inversion();
  ast::Expr* comparison();
  ast::Expr* bitwise_or() { return binary(0); }
  ast::Expr* binary(int minprec);
  ast::Expr* factor();
  ast::Expr* power();
  ast::Expr* primary();
  ast::Expr* atom();
  ast::Expr* paren_atom();
  ast::Expr* list_atom();
  ast::Expr* brace_atom();
  ast::Expr* yield_expr();
  ast::Expr* slices();
  ast::Expr* slice_item();
  void call_args(ast::Call* call);
  void comprehension_clauses(ast::CompVec& out);
  ast::Expr* target_list(Tok stop);        // for-loop / comprehension targets
  ast::Expr* strings();
  ast::Expr* number(const Token& t);

  // ---- targets
  void set_ctx(ast::Expr* e, ast::Ctx ctx);
  ast::Expr* invalid_target(ast::Expr* e, int kind);  // 0 star, 1 del, 2 for
  void check_store(ast::Expr* e, int kind);

  // ---- node helpers
  template <class N>
  N* node(const Token& start) {
    N* n = new N();
    n->line = start.line;
    n->col = start.col;
    return n;
  }
  // The end of a node is the last token that is not NEWLINE/INDENT/DEDENT (pegen's
  // _PyPegen_get_last_nonnwhitespace_token).
  template <class N>
  N* finish(N* n) {
    size_t k = p - 1;
    while (k > 0 && (T[k].type == Tok::NEWLINE || T[k].type == Tok::INDENT || T[k].type == Tok::DEDENT)) k--;
    const Token& e = T[k];
    n->end_line = e.end_line;
    n->end_col = e.end_col;
    return n;
  }
  void start_at(ast::Node* n, size_t tokidx) {
    n->line = T[tokidx].line;
    n->col = T[tokidx].col;
  }
  static void span(ast::Node* n, const ast::Node* a, const ast::Node* b) {
    n->line = a->line; n->col = a->col; n->end_line = b->end_line; n->end_col = b->end_col;
  }
  bool parenthesized(const ast::Expr* e, size_t start_tok);

  // ---- strings (strings.cpp)
  ast::Expr* concat_strings(size_t first, size_t last);
  ast::Expr* fstring_expr(std::string_view text, int line, int col, const Token& t);
  std::string decode_str(std::string_view body, bool raw, bool bytes, const Token& t, size_t body_off);
};

}  // namespace gp::front
