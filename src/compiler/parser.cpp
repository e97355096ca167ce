// parser.cpp — recursive-descent parser for Python 3.11 (minus async, match, type
// params), producing ast.h nodes with CPython's positions and error messages.
//
// Invariants:
//  * One token of lookahead almost everywhere; the few places that need more
//    (keyword arguments, with-items, error diagnosis) look ahead a bounded amount or
//    re-parse a bounded region, so parsing stays linear.
//  * Binary operators are parsed by precedence climbing with loops, so long chains
//    (1+1+...+1) use no C++ stack; nesting that does recurse goes through DepthGuard.
//  * Errors follow pegen's choice of message and location (see parser_impl.h); the
//    final choice between a parser error and a tokenizer error is made in parse().
#include "compiler/parser.h"

#include <cstdarg>
#include <cstring>

#include "compiler/parser_impl.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/str.h"
#include "vm/frame.h"

namespace gp::front {
using namespace gp::ast;

Parser::Parser(Tokenizer& t, Str* fn, bool fmode) : tz(t), T(t.toks), filename(fn), fstring_mode(fmode) {
  shared_depth = &depth;
}

// ------------------------------------------------------------------ tokens & errors
const Token& Parser::tok(size_t i) {
  if (i >= T.size()) i = T.size() - 1;
  if (i > maxp) maxp = i;
  const Token& t = T[i];
  if (t.type == Tok::ERRORTOKEN) tokenizer_error();
  return t;
}

Str* Parser::name_str(const Token& t) { return str_intern(tz.token_text(t)); }

std::string Parser::error_text(int line) {
  std::string s(tz.line_text(line));
  size_t k = maxp < T.size() ? maxp : T.size() - 1;
  if (line >= T[k].end_line || line >= T[k].line) s += '\n';
  return s;
}

void Parser::tokenizer_error() {
  if (tz.err_kind == TokErr::EOF_ERR && tz.eof_paren_line) {
    err = tz.eof_paren_err;
    err.text = std::string(tz.line_text(err.lineno));
    if (err.lineno >= tz.last_line() - 1) err.text += '\n';
  } else {
    err = tz.err;
  }
  err_from_tokenizer = true;
  throw ParseFail{};
}

void Parser::fail(Type* type, int line, int col, int end_line, int end_col, std::string msg, bool raw) {
  err = SyntaxErr{};
  err.type = type ? type : &exc_SyntaxError;
  err.lineno = line;
  err.end_lineno = end_line;
  if (raw) {
    err.offset = col;
    err.end_offset = end_col;
  } else {
    err.offset = tz.chars_in_line(line, col + 1);
    err.end_offset = end_col < 0 ? end_col + 1 : tz.chars_in_line(end_line, end_col + 1);
  }
  err.text = error_text(line);
  err.msg = std::move(msg);
  throw ParseFail{};
}

void Parser::fail_node(const Node* n, const std::string& msg) {
  fail(nullptr, n->line, n->col, n->end_line, n->end_col, msg);
}
void Parser::fail_range(const Node* a, const Node* b, const std::string& msg) {
  fail(nullptr, a->line, a->col, b->end_line, b->end_col, msg);
}
void Parser::fail_tok(const Token& t, const std::string& msg, Type* type) {
  if (t.type == Tok::INDENT || t.type == Tok::DEDENT) {
    // pegen: no token position; the tokenizer cursor (after the indentation)
    fail(type, t.line, tz.chars_in_line(t.line, t.col), t.line, -1, msg, true);
  }
  if (t.end_col < 0)  // ENDMARKER
    fail(type, t.line, tz.chars_in_line(t.line, t.col + 1), t.line, -1, msg, true);
  fail(type, t.line, t.col, t.end_line, t.end_col, msg);
}
void Parser::fail_last(const std::string& msg, Type* type) {
  size_t k = maxp < T.size() ? maxp : T.size() - 1;
  fail_tok(T[k], msg, type);
}

bool Parser::c_stack_exhausted() {
  ThreadState* ts = tstate();
  return ts && static_cast<char*>(__builtin_frame_address(0)) < vmts(ts)->c_stack_limit;
}

void Parser::too_deep(bool memory) {
  if (memory) raise_no_memory();
  raise(&exc_RecursionError, "maximum recursion depth exceeded during compilation");
}

static bool is_legacy_name(std::string_view s) { return s == "print" || s == "exec"; }

void Parser::fail_generic() {
  size_t k = p < T.size() ? p : T.size() - 1;
  const Token& t = tok(k);
  if (t.type == Tok::INDENT) { err_overridable = false; fail_tok(t, "unexpected indent", &exc_IndentationError); }
  if (t.type == Tok::DEDENT) { err_overridable = false; fail_tok(t, "unexpected unindent", &exc_IndentationError); }
  if (k == named_eq_pos && t.type == Tok::EQUAL) {
    if (named_eq_b) fail_range(named_eq_a, named_eq_b, named_eq_msg);
    fail_node(named_eq_a, named_eq_msg);
  }
  // invalid_legacy_expression / invalid_expression: a disjunction ended right here and
  // another expression starts
  if (last_disj && last_disj_end == k && last_disj_start < k) {
    Expr* a = last_disj;
    const Token& first = T[last_disj_start];
    bool legacy = a->kind == EK::Name && is_legacy_name(as_str(Value::from_obj(static_cast<Name*>(a)->id))->view());
    size_t save = p;
    int save_depth = *shared_depth;
    SyntaxErr save_err = err;
    Expr* b = nullptr;
    size_t bend = 0;
    if (legacy && t.type != Tok::LPAR) {
      p = k;
      // Cleared so that a failure inside this re-parse, at the same token, does not
      // diagnose again from here: `print!x)` recursed until the C stack ran out (fuzzing).
      last_disj = nullptr;
      try { b = star_expressions(); bend = p; } catch (ParseFail&) { b = nullptr; }
      if (b && b->kind == EK::Tuple && !static_cast<TupleE*>(b)->elts.empty()) {}
      p = save;
      *shared_depth = save_depth;
      err = save_err;
      if (b) {
        std::string nm(static_cast<Name*>(a)->id->view());
        fail_range(a, b, "Missing parentheses in call to '" + nm + "'. Did you mean " + nm + "(...)?");
      }
    }
    bool name_string = first.type == Tok::NAME && last_disj_start + 1 < T.size() &&
                       T[last_disj_start + 1].type == Tok::STRING;
    std::string_view ftext = tz.token_text(first);
    bool soft_kw = first.type == Tok::NAME && (ftext == "match" || ftext == "case" || ftext == "_");
    if (!legacy && !name_string && !soft_kw) {
      p = k;
      b = nullptr;
      try {
        last_disj = nullptr;
        b = expression();
        bend = p;
      } catch (ParseFail&) { b = nullptr; } catch (PyThrow&) { throw; }
      p = save;
      *shared_depth = save_depth;
      err = save_err;
      if (b && bend > 0 && T[bend - 1].level > 0 && !(b->kind == EK::Lambda && false))
        fail_range(a, b, "invalid syntax. Perhaps you forgot a comma?");
    }
  }
  fail_tok(t, "invalid syntax");
}

void Parser::expect(Tok t) {
  if (ty() != t) fail_generic();
  p++;
}

void Parser::expect_forced(Tok t, const char* what) {
  if (ty() != t) fail_tok(cur(), std::string("expected '") + what + "'");
  p++;
}

// ------------------------------------------------------------------ module entry points
Module* Parser::parse_file() {
  Module* m = new Module();
  while (!at(Tok::ENDMARKER)) statement(m->body);
  return m;
}

Module* Parser::parse_eval() {
  Module* m = new Module();
  const Token& first = cur();
  Expr* e;
  // eval: expressions NEWLINE* ENDMARKER
  e = expression();
  if (at(Tok::COMMA)) {
    TupleE* tup = node<TupleE>(first);
    tup->elts.push_back(e);
    while (accept(Tok::COMMA)) {
      if (at(Tok::NEWLINE) || at(Tok::ENDMARKER)) break;
      tup->elts.push_back(expression());
    }
    e = finish(tup);
  }
  while (accept(Tok::NEWLINE)) {}
  if (!at(Tok::ENDMARKER)) fail_generic();
  ExprStmt* s = new ExprStmt();
  s->value = e;
  span(s, e, e);
  m->body.push_back(s);
  return m;
}

Module* Parser::parse_single() {
  Module* m = new Module();
  if (at(Tok::NEWLINE)) {
    // an empty line: Pass (statement_newline)
    const Token& t = cur();
    Pass* ps = node<Pass>(t);
    p++;
    finish(ps);
    m->body.push_back(ps);
    return m;
  }
  if (at(Tok::ENDMARKER)) return m;
  Tok t = ty();
  bool compound = t == Tok::KW_IF || t == Tok::KW_WHILE || t == Tok::KW_FOR || t == Tok::KW_TRY ||
                  t == Tok::KW_WITH || t == Tok::KW_DEF || t == Tok::KW_CLASS || t == Tok::AT;
  if (compound) {
    m->body.push_back(compound_stmt());
    accept(Tok::NEWLINE);
  } else {
    simple_stmts(m->body);
  }
  size_t nl = p - 1;
  while (accept(Tok::NEWLINE)) {}
  if (!at(Tok::ENDMARKER)) {
    // CPython reports it at the NEWLINE that ended the first statement
    const Token& x = T[nl].type == Tok::NEWLINE ? T[nl] : cur();
    fail(nullptr, x.line, x.col, x.end_line, x.end_col, "multiple statements found while compiling a single statement");
  }
  return m;
}

Expr* Parser::parse_fstring_expr() {
  // fstring: star_expressions, parsed as the contents of "(...)"
  const Token& first = cur();
  Expr* e;
  if (at(Tok::KW_YIELD)) {
    e = yield_expr();
  } else {
    e = star_named_expression();
    if (at(Tok::COMMA)) {
      TupleE* tup = node<TupleE>(first);
      tup->elts.push_back(e);
      while (accept(Tok::COMMA)) {
        if (at(Tok::ENDMARKER)) break;
        tup->elts.push_back(star_named_expression());
      }
      e = finish(tup);
    } else if (at(Tok::KW_FOR)) {
      GeneratorExp* g = node<GeneratorExp>(first);
      g->elt = e;
      comprehension_clauses(g->generators);
      e = finish(g);
    }
  }
  if (!at(Tok::ENDMARKER)) fail_generic();
  if (e->kind == EK::Tuple || e->kind == EK::GeneratorExp) {
    // CPython parses "(expr)": these nodes include the invisible parentheses
    e->line = tz.first_line();
    e->col = tz.first_col() - 1;
    e->end_line = cur().end_line;
    e->end_col = cur().end_col;
  }
  return e;
}

// ------------------------------------------------------------------ statements
void Parser::statement(StmtVec& out) {
  Tok t = ty();
  switch (t) {
    case Tok::KW_IF: case Tok::KW_WHILE: case Tok::KW_FOR: case Tok::KW_TRY: case Tok::KW_WITH:
    case Tok::KW_DEF: case Tok::KW_CLASS: case Tok::AT:
      out.push_back(compound_stmt());
      return;
    case Tok::INDENT:
      err_overridable = false;
      fail_tok(cur(), "unexpected indent", &exc_IndentationError);
    case Tok::NAME:
      if (tz.token_text(cur()) == "match" && match_ahead()) {
        out.push_back(match_stmt());
        return;
      }
      simple_stmts(out);
      return;
    default:
      simple_stmts(out);
  }
}

void Parser::simple_stmts(StmtVec& out) {
  while (true) {
    out.push_back(simple_stmt());
    if (accept(Tok::SEMI)) {
      if (at(Tok::NEWLINE)) break;
      continue;
    }
    break;
  }
  if (!at(Tok::NEWLINE)) fail_generic();
  p++;
}

Stmt* Parser::simple_stmt() {
  const Token& first = cur();
  switch (first.type) {
    case Tok::KW_PASS: { p++; return finish(node<Pass>(first)); }
    case Tok::KW_BREAK: { p++; return finish(node<Break>(first)); }
    case Tok::KW_CONTINUE: { p++; return finish(node<Continue>(first)); }
    case Tok::KW_RETURN: {
      p++;
      Return* r = node<Return>(first);
      if (!at(Tok::NEWLINE) && !at(Tok::SEMI)) r->value = star_expressions();
      return finish(r);
    }
    case Tok::KW_RAISE: {
      p++;
      Raise* r = node<Raise>(first);
      if (!at(Tok::NEWLINE) && !at(Tok::SEMI)) {
        r->exc = expression();
        if (accept(Tok::KW_FROM)) r->cause = expression();
      }
      return finish(r);
    }
    case Tok::KW_GLOBAL:
    case Tok::KW_NONLOCAL: {
      p++;
      Vec<Str*> names;
      do {
        if (!at(Tok::NAME)) fail_generic();
        names.push_back(name_str(cur()));
        p++;
      } while (accept(Tok::COMMA));
      if (first.type == Tok::KW_GLOBAL) {
        Global* g = node<Global>(first);
        g->names = std::move(names);
        return finish(g);
      }
      Nonlocal* g = node<Nonlocal>(first);
      g->names = std::move(names);
      return finish(g);
    }
    case Tok::KW_ASSERT: {
      p++;
      Assert* a = node<Assert>(first);
      a->test = expression();
      if (accept(Tok::COMMA)) a->msg = expression();
      return finish(a);
    }
    case Tok::KW_DEL: return del_stmt();
    case Tok::KW_IMPORT: return import_name();
    case Tok::KW_FROM: return import_from();
    default: return expr_stmt();
  }
}

static bool is_augassign(Tok t, BinOp* op) {
  switch (t) {
    case Tok::PLUSEQUAL: *op = BinOp::Add; return true;
    case Tok::MINEQUAL: *op = BinOp::Sub; return true;
    case Tok::STAREQUAL: *op = BinOp::Mul; return true;
    case Tok::ATEQUAL: *op = BinOp::MatMul; return true;
    case Tok::SLASHEQUAL: *op = BinOp::TrueDiv; return true;
    case Tok::PERCENTEQUAL: *op = BinOp::Mod; return true;
    case Tok::AMPEREQUAL: *op = BinOp::And; return true;
    case Tok::VBAREQUAL: *op = BinOp::Or; return true;
    case Tok::CIRCUMFLEXEQUAL: *op = BinOp::Xor; return true;
    case Tok::LEFTSHIFTEQUAL: *op = BinOp::LShift; return true;
    case Tok::RIGHTSHIFTEQUAL: *op = BinOp::RShift; return true;
    case Tok::DOUBLESTAREQUAL: *op = BinOp::Pow; return true;
    case Tok::DOUBLESLASHEQUAL: *op = BinOp::FloorDiv; return true;
    default: return false;
  }
}

static const char* expr_name(Expr* e) {
  switch (e->kind) {
    case EK::Attribute: return "attribute";
    case EK::Subscript: return "subscript";
    case EK::Starred: return "starred";
    case EK::Name: return "name";
    case EK::List: return "list";
    case EK::Tuple: return "tuple";
    case EK::Lambda: return "lambda";
    case EK::Call: return "function call";
    case EK::BoolOp: case EK::BinOp: case EK::UnaryOp: return "expression";
    case EK::GeneratorExp: return "generator expression";
    case EK::Yield: case EK::YieldFrom: return "yield expression";
    case EK::ListComp: return "list comprehension";
    case EK::SetComp: return "set comprehension";
    case EK::DictComp: return "dict comprehension";
    case EK::Dict: return "dict literal";
    case EK::Set: return "set display";
    case EK::JoinedStr: case EK::FormattedValue: return "f-string expression";
    case EK::Constant: {
      Value v = static_cast<Constant*>(e)->value;
      if (v == None()) return "None";
      if (v == False()) return "False";
      if (v == True()) return "True";
      if (v == Ellipsis()) return "ellipsis";
      return "literal";
    }
    case EK::Compare: return "comparison";
    case EK::IfExp: return "conditional expression";
    case EK::NamedExpr: return "named expression";
    default: return "expression";
  }
}

// _PyPegen_get_invalid_target. kind: 0 star targets, 1 del targets, 2 for targets
Expr* Parser::invalid_target(Expr* e, int kind) {
  while (true) {
    switch (e->kind) {
      case EK::List:
        for (Expr* x : static_cast<ListE*>(e)->elts)
          if (Expr* r = invalid_target(x, kind)) return r;
        return nullptr;
      case EK::Tuple:
        for (Expr* x : static_cast<TupleE*>(e)->elts)
          if (Expr* r = invalid_target(x, kind)) return r;
        return nullptr;
      case EK::Starred:
        if (kind == 1) return e;
        e = static_cast<Starred*>(e)->value;
        continue;
      case EK::Compare:
        if (kind == 2) {
          Compare* c = static_cast<Compare*>(e);
          if (c->ops[0] == CmpKind::In) { e = c->left; continue; }
          return nullptr;
        }
        return e;
      case EK::Name: case EK::Subscript: case EK::Attribute:
        return nullptr;
      default:
        return e;
    }
  }
}

void Parser::set_ctx(Expr* e, Ctx ctx) {
  switch (e->kind) {
    case EK::Name: static_cast<Name*>(e)->ctx = ctx; break;
    case EK::Attribute: static_cast<Attribute*>(e)->ctx = ctx; break;
    case EK::Subscript: static_cast<Subscript*>(e)->ctx = ctx; break;
    case EK::Starred:
      static_cast<Starred*>(e)->ctx = ctx;
      set_ctx(static_cast<Starred*>(e)->value, ctx);
      break;
    case EK::List:
      static_cast<ListE*>(e)->ctx = ctx;
      for (Expr* x : static_cast<ListE*>(e)->elts) set_ctx(x, ctx);
      break;
    case EK::Tuple:
      static_cast<TupleE*>(e)->ctx = ctx;
      for (Expr* x : static_cast<TupleE*>(e)->elts) set_ctx(x, ctx);
      break;
    default: break;
  }
}

// Validates a target (raising CPython's "cannot assign to"/"cannot delete") and sets ctx.
void Parser::check_store(Expr* e, int kind) {
  if (Expr* bad = invalid_target(e, kind)) {
    fail_node(bad, std::string(kind == 1 ? "cannot delete " : "cannot assign to ") + expr_name(bad));
  }
  // starred inside starred (`*(*a)`), and starred in del were caught above
  set_ctx(e, kind == 1 ? Ctx::Del : Ctx::Store);
}

// An expression is parenthesised when its first token is not the token at start_tok.
bool Parser::parenthesized(const Expr* e, size_t start_tok) {
  const Token& t = T[start_tok];
  return !(e->line == t.line && e->col == t.col);
}

static bool is_bitwise_or_level(Expr* e) {
  switch (e->kind) {
    case EK::Compare: case EK::BoolOp: case EK::IfExp: case EK::Lambda: case EK::NamedExpr:
    case EK::Yield: case EK::YieldFrom: case EK::Starred:
      return false;
    case EK::UnaryOp: return static_cast<UnaryOp*>(e)->op != UnaryOpKind::Not;
    default: return true;
  }
}

Stmt* Parser::expr_stmt() {
  size_t start = p;
  const Token& first = cur();
  Expr* e;
  bool first_is_yield = at(Tok::KW_YIELD);
  bare_tuple = nullptr;
  e = first_is_yield ? yield_expr() : star_expressions();
  Expr* first_bare = bare_tuple;
  Tok t = ty();
  BinOp op;
  if (t == Tok::COLON && !first_is_yield) {
    // annotated assignment
    bool paren = e->kind == EK::Tuple ? e != bare_tuple : parenthesized(e, start);
    Expr* bad = nullptr;
    if (e->kind == EK::Tuple && !paren) {
      fail_node(static_cast<TupleE*>(e)->elts[0], "only single target (not tuple) can be annotated");
    }
    if (e->kind == EK::Tuple || e->kind == EK::List) {
      fail_node(e, std::string("only single target (not ") + expr_name(e) + ") can be annotated");
    }
    if (e->kind != EK::Name && e->kind != EK::Attribute && e->kind != EK::Subscript) bad = e;
    p++;
    if (bad) {
      // pegen only reports this once an annotation expression follows
      size_t save = p;
      bool ok = true;
      try { expression(); } catch (ParseFail&) { ok = false; }
      p = save;
      if (ok) fail_node(bad, "illegal target for annotation");
      fail_generic();
    }
    AnnAssign* a = node<AnnAssign>(first);
    set_ctx(e, Ctx::Store);
    a->target = e;
    a->annotation = expression();
    a->simple = e->kind == EK::Name && !paren;
    if (accept(Tok::EQUAL)) a->value = at(Tok::KW_YIELD) ? yield_expr() : star_expressions();
    return finish(a);
  }
  if (is_augassign(t, &op)) {
    if (first_is_yield || (e->kind != EK::Name && e->kind != EK::Attribute && e->kind != EK::Subscript))
      fail_node(e, std::string("'") + expr_name(e) + "' is an illegal expression for augmented assignment");
    p++;
    AugAssign* a = node<AugAssign>(first);
    set_ctx(e, Ctx::Store);
    a->target = e;
    a->op = op;
    a->value = at(Tok::KW_YIELD) ? yield_expr() : star_expressions();
    return finish(a);
  }
  if (t == Tok::EQUAL) {
    Assign* a = node<Assign>(first);
    ExprVec items;
    std::vector<size_t> starts;
    std::vector<bool> yields;
    items.push_back(e);
    starts.push_back(start);
    yields.push_back(first_is_yield);
    size_t first_eq = p;
    while (accept(Tok::EQUAL)) {
      starts.push_back(p);
      yields.push_back(at(Tok::KW_YIELD));
      items.push_back(at(Tok::KW_YIELD) ? yield_expr() : star_expressions());
    }
    // validate targets as pegen's second pass would
    for (size_t i = 0; i + 1 < items.size(); i++) {
      Expr* tgt = items[i];
      if (i == 0) {
        // invalid_named_expression on the element right before the first '='
        Expr* last = tgt;
        size_t last_start = starts[0];
        if (tgt->kind == EK::Tuple && tgt == first_bare && !static_cast<TupleE*>(tgt)->elts.empty()) {
          last = static_cast<TupleE*>(tgt)->elts.back();
          // find the token where the last element starts
          last_start = first_eq;
          while (last_start > starts[0] && !(T[last_start].line == last->line && T[last_start].col == last->col))
            last_start--;
        }
        if (!yields[0] && invalid_target(last, 0) != nullptr) {
          // RHS: a bitwise_or not followed by '=' or ':='
          size_t save = p;
          bool rhs_ok = false;
          Expr* b = nullptr;
          p = first_eq + 1;
          try {
            b = bitwise_or();
            rhs_ok = !at(Tok::EQUAL) && !at(Tok::COLONEQUAL);
          } catch (ParseFail&) { rhs_ok = false; }
          p = save;
          Tok lt = T[last_start].type;
          bool excluded = lt == Tok::LSQB || lt == Tok::LPAR || lt == Tok::KW_TRUE || lt == Tok::KW_NONE ||
                          lt == Tok::KW_FALSE;
          if (lt == Tok::LPAR) {
            // only tuples/genexps are excluded, not a parenthesised group
            excluded = false;
            size_t q = last_start;
            Expr* inner = nullptr;
            size_t save2 = p;
            p = q;
            try { inner = paren_atom(); } catch (ParseFail&) { inner = nullptr; }
            if (inner && (inner->kind == EK::Tuple || inner->kind == EK::GeneratorExp) &&
                inner->col == T[q].col && inner->line == T[q].line)
              excluded = true;
            p = save2;
          }
          if (rhs_ok && !excluded && is_bitwise_or_level(last) && last->kind != EK::Starred)
            fail_node(last, std::string("cannot assign to ") + expr_name(last) +
                                " here. Maybe you meant '==' instead of '='?");
          (void)b;
        }
      }
      if (yields[i]) fail_node(tgt, "assignment to yield expression not possible");
      check_store(tgt, 0);
      a->targets.push_back(tgt);
    }
    a->value = items.back();
    return finish(a);
  }
  ExprStmt* s = node<ExprStmt>(first);
  s->value = e;
  if (!at(Tok::NEWLINE) && !at(Tok::SEMI)) fail_generic();
  return finish(s);
}

Stmt* Parser::del_stmt() {
  const Token& first = cur();
  p++;
  Delete* d = node<Delete>(first);
  bare_tuple = nullptr;
  Expr* e = star_expressions();
  Expr* bare = bare_tuple;
  if (!at(Tok::NEWLINE) && !at(Tok::SEMI)) {
    if (Expr* bad = invalid_target(e, 1)) fail_node(bad, std::string("cannot delete ") + expr_name(bad));
    fail_generic();
  }
  if (e->kind == EK::Tuple && e == bare) {
    for (Expr* x : static_cast<TupleE*>(e)->elts) {
      check_store(x, 1);
      d->targets.push_back(x);
    }
  } else {
    check_store(e, 1);
    d->targets.push_back(e);
  }
  return finish(d);
}

Alias* Parser::dotted_as_name() {
  const Token& first = cur();
  if (!at(Tok::NAME)) fail_generic();
  std::string name(tz.token_text(cur()));
  p++;
  while (at(Tok::DOT)) {
    p++;
    if (!at(Tok::NAME)) fail_generic();
    name += '.';
    name += tz.token_text(cur());
    p++;
  }
  Alias* a = node<Alias>(first);
  a->name = str_intern(name);
  if (accept(Tok::KW_AS)) {
    if (!at(Tok::NAME)) fail_generic();
    a->asname = name_str(cur());
    p++;
  }
  return finish(a);
}

Stmt* Parser::import_name() {
  const Token& first = cur();
  p++;
  Import* im = node<Import>(first);
  do im->names.push_back(dotted_as_name());
  while (accept(Tok::COMMA));
  return finish(im);
}

Stmt* Parser::import_from() {
  const Token& first = cur();
  p++;
  ImportFrom* im = node<ImportFrom>(first);
  int level = 0;
  while (at(Tok::DOT) || at(Tok::ELLIPSIS)) {
    level += at(Tok::DOT) ? 1 : 3;
    p++;
  }
  if (at(Tok::NAME)) {
    std::string name(tz.token_text(cur()));
    p++;
    while (at(Tok::DOT)) {
      p++;
      if (!at(Tok::NAME)) fail_generic();
      name += '.';
      name += tz.token_text(cur());
      p++;
    }
    im->module = str_intern(name);
  } else if (level == 0) {
    fail_generic();
  }
  im->level = level;
  if (!at(Tok::KW_IMPORT)) fail_generic();
  p++;
  if (at(Tok::STAR)) {
    Alias* a = node<Alias>(cur());
    p++;
    a->name = GP_STR("*");
    finish(a);
    im->names.push_back(a);
    return finish(im);
  }
  bool paren = accept(Tok::LPAR);
  while (true) {
    if (!at(Tok::NAME)) fail_generic();
    Alias* a = node<Alias>(cur());
    a->name = name_str(cur());
    p++;
    if (accept(Tok::KW_AS)) {
      if (!at(Tok::NAME)) fail_generic();
      a->asname = name_str(cur());
      p++;
    }
    im->names.push_back(finish(a));
    if (!accept(Tok::COMMA)) break;
    if (paren && at(Tok::RPAR)) break;
    if (!paren && at(Tok::NEWLINE)) fail_last("trailing comma not allowed without surrounding parentheses");
  }
  if (paren) expect(Tok::RPAR);
  return finish(im);
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts. `what` names the statement
// for "expected an indented block after ...".
StmtVec Parser::block(const char* what, int line, bool forced_colon) {
  StmtVec body;
  if (at(Tok::NEWLINE)) {
    p++;
    if (!at(Tok::INDENT)) {
      char buf[160];
      snprintf(buf, sizeof buf, "expected an indented block after %s on line %d", what, line);
      fail_last(buf, &exc_IndentationError);
    }
    p++;
    while (!at(Tok::DEDENT) && !at(Tok::ENDMARKER)) statement(body);
    accept(Tok::DEDENT);
    return body;
  }
  simple_stmts(body);
  return body;
}

// Statement parts that end in ':' before a block; "expected ':'" when a NEWLINE comes.
static inline bool colon_or_newline(Parser* ps) {
  if (ps->at(Tok::COLON)) { ps->p++; return true; }
  if (ps->at(Tok::NEWLINE)) ps->fail_last("expected ':'");
  ps->fail_generic();
}

Stmt* Parser::compound_stmt() {
  switch (ty()) {
    case Tok::KW_IF: return if_stmt(false);
    case Tok::KW_WHILE: return while_stmt();
    case Tok::KW_FOR: return for_stmt();
    case Tok::KW_TRY: return try_stmt();
    case Tok::KW_WITH: return with_stmt();
    case Tok::KW_DEF: return funcdef(nullptr, nullptr);
    case Tok::KW_CLASS: return classdef(nullptr, nullptr);
    case Tok::AT: {
      const Token& first = cur();
      ExprVec decos;
      while (accept(Tok::AT)) {
        decos.push_back(named_expression());
        if (!at(Tok::NEWLINE)) fail_generic();
        p++;
      }
      if (at(Tok::KW_DEF)) return funcdef(&decos, &first);
      if (at(Tok::KW_CLASS)) return classdef(&decos, &first);
      fail_generic();
    }
    default: fail_generic();
  }
}

Stmt* Parser::if_stmt(bool is_elif) {
  const Token& first = cur();
  p++;
  If* s = node<If>(first);
  s->test = named_expression();
  colon_or_newline(this);
  s->body = block(is_elif ? "'elif' statement" : "'if' statement", first.line, false);
  if (at(Tok::KW_ELIF)) {
    Stmt* e = if_stmt(true);
    s->orelse.push_back(e);
    s->end_line = e->end_line;
    s->end_col = e->end_col;
    return s;
  }
  if (at(Tok::KW_ELSE)) {
    const Token& et = cur();
    p++;
    expect_forced(Tok::COLON, ":");
    s->orelse = block("'else' statement", et.line, true);
  }
  return finish(s);
}

Stmt* Parser::while_stmt() {
  const Token& first = cur();
  p++;
  While* s = node<While>(first);
  s->test = named_expression();
  colon_or_newline(this);
  s->body = block("'while' statement", first.line, false);
  if (at(Tok::KW_ELSE)) {
    const Token& et = cur();
    p++;
    expect_forced(Tok::COLON, ":");
    s->orelse = block("'else' statement", et.line, true);
  }
  return finish(s);
}

// ------------------------------------------------------------------ match
// `match` is a soft keyword: it starts a match statement when its logical line ends in
// ':' (outside brackets) and the next line is an indented block whose first token is
// the name `case`; otherwise it is an ordinary name (match(x), match = 1, match.x).
bool Parser::match_ahead() {
  int nest = 0;
  for (size_t k = p + 1;; k++) {
    Tok t = tok(k).type;
    if (t == Tok::ENDMARKER) return false;
    if (t == Tok::LPAR || t == Tok::LSQB || t == Tok::LBRACE) nest++;
    else if (t == Tok::RPAR || t == Tok::RSQB || t == Tok::RBRACE) nest--;
    else if (t == Tok::NEWLINE && nest <= 0) {
      if (k == p + 1 || tok(k - 1).type != Tok::COLON || k - 1 == p + 1) return false;
      return tok(k + 1).type == Tok::INDENT && tok(k + 2).type == Tok::NAME &&
             tz.token_text(tok(k + 2)) == "case";
    }
  }
}

Pattern* Parser::pattern_node(PK kind, const Token& first) {
  Pattern* n = new Pattern(kind);
  n->line = first.line;
  n->col = first.col;
  return n;
}

Stmt* Parser::match_stmt() {
  const Token& first = cur();
  p++;  // 'match'
  Match* m = node<Match>(first);
  // subject: star_named_expression ',' star_named_expressions? | named_expression
  const Token& sfirst = cur();
  Expr* subject = star_named_expression();
  if (at(Tok::COMMA)) {
    TupleE* t = node<TupleE>(sfirst);
    t->elts.push_back(subject);
    while (accept(Tok::COMMA)) {
      if (at(Tok::COLON)) break;
      t->elts.push_back(star_named_expression());
    }
    subject = finish(t);
  } else if (subject->kind == EK::Starred) {
    fail_generic();
  }
  m->subject = subject;
  expect(Tok::COLON);
  expect(Tok::NEWLINE);
  expect(Tok::INDENT);
  while (at(Tok::NAME) && tz.token_text(cur()) == "case") {
    const Token& ct = cur();
    p++;
    MatchCase* c = new MatchCase();
    c->pattern = patterns();
    if (accept(Tok::KW_IF)) c->guard = named_expression();
    colon_or_newline(this);
    c->body = block("'case' statement", ct.line, false);
    m->cases.push_back(c);
  }
  if (!at(Tok::DEDENT)) fail_generic();
  p++;
  return finish(m);
}

// patterns: open_sequence_pattern | pattern
Pattern* Parser::patterns() {
  const Token& first = cur();
  Pattern* pat = star_or_pattern();
  if (!at(Tok::COMMA)) {
    if (pat->kind == PK::Star) fail_generic();
    return pat;
  }
  Pattern* seq = pattern_node(PK::Sequence, first);
  seq->patterns.push_back(pat);
  while (accept(Tok::COMMA)) {
    if (at(Tok::COLON) || at(Tok::KW_IF)) break;
    seq->patterns.push_back(star_or_pattern());
  }
  return finish(seq);
}

// maybe_star_pattern: '*' NAME | pattern
Pattern* Parser::star_or_pattern() {
  if (at(Tok::STAR)) {
    const Token& st = cur();
    p++;
    if (!at(Tok::NAME)) fail_generic();
    Pattern* s = pattern_node(PK::Star, st);
    std::string_view nm = tz.token_text(cur());
    if (nm != "_") s->name = name_str(cur());
    p++;
    return finish(s);
  }
  return pattern();
}

// as_pattern: or_pattern 'as' NAME | or_pattern ('|' closed_pattern)*
Pattern* Parser::pattern() {
  DepthGuard g(this, false);
  const Token& first = cur();
  Pattern* alt = closed_pattern();
  if (at(Tok::VBAR)) {
    Pattern* o = pattern_node(PK::Or, first);
    o->patterns.push_back(alt);
    while (accept(Tok::VBAR)) o->patterns.push_back(closed_pattern());
    alt = finish(o);
  }
  if (accept(Tok::KW_AS)) {
    if (!at(Tok::NAME)) {
      if (is_keyword(ty())) fail_tok(cur(), "invalid pattern target");
      fail_generic();
    }
    if (tz.token_text(cur()) == "_") fail_tok(cur(), "cannot use '_' as a target");
    Pattern* as = pattern_node(PK::As, first);
    as->pattern = alt;
    as->name = name_str(cur());
    p++;
    return finish(as);
  }
  return alt;
}

// signed_number | strings (the value of a literal pattern or a mapping key)
Expr* Parser::literal_expr() {
  const Token& t = cur();
  if (at(Tok::MINUS)) {
    p++;
    if (!at(Tok::NUMBER)) fail_generic();
    UnaryOp* u = node<UnaryOp>(t);
    u->op = UnaryOpKind::USub;
    u->operand = number(cur());
    return finish(u);
  }
  if (at(Tok::NUMBER)) return number(t);
  if (at(Tok::STRING)) {
    Expr* e = atom();
    if (e->kind == EK::JoinedStr) fail_node(e, "patterns may only match literals and attribute lookups");
    return e;
  }
  fail_generic();
}

// NAME ('.' NAME)*, as a Name or an Attribute chain in Load context
Expr* Parser::name_or_attr() {
  const Token& t = cur();
  Name* n = node<Name>(t);
  n->id = name_str(t);
  p++;
  Expr* e = finish(n);
  while (at(Tok::DOT)) {
    p++;
    if (!at(Tok::NAME)) fail_generic();
    Attribute* a = node<Attribute>(t);
    a->value = e;
    a->attr = name_str(cur());
    p++;
    e = finish(a);
  }
  return e;
}

Pattern* Parser::closed_pattern() {
  const Token& first = cur();
  switch (ty()) {
    case Tok::MINUS: case Tok::NUMBER: case Tok::STRING: {
      Pattern* v = pattern_node(PK::Value, first);
      v->value = literal_expr();
      return finish(v);
    }
    case Tok::KW_NONE: case Tok::KW_TRUE: case Tok::KW_FALSE: {
      Pattern* v = pattern_node(PK::Singleton, first);
      v->constant = ty() == Tok::KW_NONE ? None() : ty() == Tok::KW_TRUE ? True() : False();
      p++;
      return finish(v);
    }
    case Tok::NAME: {
      bool dotted = ty_at(1) == Tok::DOT;
      if (!dotted && ty_at(1) != Tok::LPAR) {  // a capture, or the wildcard
        Pattern* c = pattern_node(PK::As, first);
        if (tz.token_text(cur()) != "_") c->name = name_str(cur());
        p++;
        return finish(c);
      }
      Expr* target = name_or_attr();
      if (!at(Tok::LPAR)) {
        Pattern* v = pattern_node(PK::Value, first);
        v->value = target;
        return finish(v);
      }
      // class pattern: name_or_attr '(' [patterns] [keyword patterns] ')'
      p++;
      Pattern* c = pattern_node(PK::Class, first);
      c->value = target;
      while (!at(Tok::RPAR)) {
        if (at(Tok::NAME) && ty_at(1) == Tok::EQUAL) {
          c->kwd_attrs.push_back(name_str(cur()));
          p += 2;
          c->kwd_patterns.push_back(pattern());
        } else {
          const Token& pt = cur();
          Pattern* pos = pattern();
          if (!c->kwd_attrs.empty())
            fail_tok(pt, "positional patterns follow keyword patterns");
          c->patterns.push_back(pos);
        }
        if (!accept(Tok::COMMA)) break;
      }
      expect(Tok::RPAR);
      return finish(c);
    }
    case Tok::LPAR: case Tok::LSQB: {
      bool paren = at(Tok::LPAR);
      Tok close = paren ? Tok::RPAR : Tok::RSQB;
      p++;
      Pattern* seq = pattern_node(PK::Sequence, first);
      if (accept(close)) return finish(seq);
      Pattern* one = star_or_pattern();
      if (paren && at(Tok::RPAR) && one->kind != PK::Star) {  // a group: (pattern)
        p++;
        return one;
      }
      seq->patterns.push_back(one);
      while (accept(Tok::COMMA)) {
        if (at(close)) break;
        seq->patterns.push_back(star_or_pattern());
      }
      expect(close);
      return finish(seq);
    }
    case Tok::LBRACE: {
      p++;
      Pattern* m = pattern_node(PK::Mapping, first);
      while (!at(Tok::RBRACE)) {
        if (accept(Tok::DOUBLESTAR)) {
          if (!at(Tok::NAME)) fail_generic();
          m->name = name_str(cur());
          p++;
          accept(Tok::COMMA);
          if (!at(Tok::RBRACE)) fail_generic();
          break;
        }
        Expr* key;
        if (at(Tok::KW_NONE) || at(Tok::KW_TRUE) || at(Tok::KW_FALSE)) {
          key = atom();
        } else if (at(Tok::NAME)) {
          key = name_or_attr();
          if (key->kind == EK::Name) fail_generic();  // keys are literals or dotted names
        } else {
          key = literal_expr();
        }
        expect(Tok::COLON);
        m->keys.push_back(key);
        m->patterns.push_back(pattern());
        if (!accept(Tok::COMMA)) break;
      }
      expect(Tok::RBRACE);
      return finish(m);
    }
    default: fail_generic();
  }
}

// star_targets for 'for' loops and comprehensions: elements at bitwise_or level so
// that 'in' is not taken as a comparison.
Expr* Parser::target_list(Tok stop) {
  const Token& first = cur();
  auto one = [&]() -> Expr* {
    if (at(Tok::STAR)) {
      const Token& st = cur();
      p++;
      Starred* s = node<Starred>(st);
      s->value = bitwise_or();
      return finish(s);
    }
    return bitwise_or();
  };
  Expr* e = one();
  if (at(Tok::COMMA)) {
    TupleE* t = node<TupleE>(first);
    t->elts.push_back(e);
    while (accept(Tok::COMMA)) {
      if (at(stop)) break;
      t->elts.push_back(one());
    }
    e = finish(t);
  }
  return e;
}

Stmt* Parser::for_stmt() {
  const Token& first = cur();
  p++;
  For* s = node<For>(first);
  size_t tstart = p;
  Expr* target = target_list(Tok::KW_IN);
  if (!at(Tok::KW_IN)) {
    // invalid_for_target: 'for' star_expressions
    size_t save = p;
    p = tstart;
    Expr* e = nullptr;
    try { e = star_expressions(); } catch (ParseFail&) { e = nullptr; }
    if (e) {
      if (Expr* bad = invalid_target(e, 2)) fail_node(bad, std::string("cannot assign to ") + expr_name(bad));
    }
    p = save;
    fail_generic();
  }
  check_store(target, 2);
  s->target = target;
  p++;
  s->iter = star_expressions();
  colon_or_newline(this);
  s->body = block("'for' statement", first.line, false);
  if (at(Tok::KW_ELSE)) {
    const Token& et = cur();
    p++;
    expect_forced(Tok::COLON, ":");
    s->orelse = block("'else' statement", et.line, true);
  }
  return finish(s);
}

Stmt* Parser::with_stmt() {
  const Token& first = cur();
  p++;
  With* s = node<With>(first);
  auto item = [&](bool in_parens) -> WithItem* {
    WithItem* w = new WithItem();
    w->context_expr = expression();
    if (accept(Tok::KW_AS)) {
      size_t tstart = p;
      Expr* t;
      if (at(Tok::STAR)) {
        const Token& st = cur();
        p++;
        Starred* sv = node<Starred>(st);
        sv->value = bitwise_or();
        t = finish(sv);
      } else {
        t = bitwise_or();
      }
      if (!(at(Tok::COMMA) || at(Tok::COLON) || (in_parens && at(Tok::RPAR)))) {
        // invalid_with_item: expression 'as' expression &(',' | ')' | ':')
        size_t save = p;
        p = tstart;
        Expr* e = nullptr;
        try { e = expression(); } catch (ParseFail&) { e = nullptr; }
        if (e && (at(Tok::COMMA) || at(Tok::COLON) || at(Tok::RPAR)))
          if (Expr* bad = invalid_target(e, 0)) fail_node(bad, std::string("cannot assign to ") + expr_name(bad));
        p = save;
        fail_generic();
      }
      check_store(t, 0);
      w->optional_vars = t;
    }
    return w;
  };
  bool done = false;
  if (at(Tok::LPAR)) {
    // parenthesised with-items: '(' with_item (',' with_item)* [','] ')' ':'
    size_t save = p;
    SyntaxErr save_err = err;
    int save_depth = *shared_depth;
    try {
      p++;
      Vec<WithItem*> items;
      while (true) {
        items.push_back(item(true));
        if (!accept(Tok::COMMA)) break;
        if (at(Tok::RPAR)) break;
      }
      if (accept(Tok::RPAR) && at(Tok::COLON)) {
        s->items = std::move(items);
        done = true;
      }
    } catch (ParseFail&) {
    }
    if (!done) {
      p = save;
      err = save_err;
      *shared_depth = save_depth;
    }
  }
  if (!done) {
    do s->items.push_back(item(false));
    while (accept(Tok::COMMA));
  }
  colon_or_newline(this);
  s->body = block("'with' statement", first.line, false);
  return finish(s);
}

Stmt* Parser::try_stmt() {
  const Token& first = cur();
  p++;
  Try* s = node<Try>(first);
  expect_forced(Tok::COLON, ":");
  s->body = block("'try' statement", first.line, true);
  while (at(Tok::KW_EXCEPT)) {
    const Token& et = cur();
    p++;
    ExceptHandler* h = node<ExceptHandler>(et);
    if (at(Tok::STAR)) fail_tok(cur(), "invalid syntax");  // except* (exception groups): unsupported
    if (!at(Tok::COLON)) {
      if (at(Tok::NEWLINE)) fail_last("expected ':'");
      h->type = expression();
      if (at(Tok::COMMA)) {
        // invalid_except_stmt: multiple exception types must be parenthesized
        Expr* a = h->type;
        size_t save = p;
        bool ok = true;
        try {
          p++;
          expression();
          while (accept(Tok::COMMA)) expression();
          if (accept(Tok::KW_AS)) { if (!at(Tok::NAME)) ok = false; else p++; }
          ok = ok && at(Tok::COLON);
        } catch (ParseFail&) { ok = false; }
        if (ok) {
          const Token& c = T[p];
          fail(nullptr, a->line, a->col, c.line, c.col, "multiple exception types must be parenthesized");
        }
        p = save;
        fail_generic();
      }
      if (accept(Tok::KW_AS)) {
        if (!at(Tok::NAME)) fail_generic();
        h->name = name_str(cur());
        p++;
      }
    }
    colon_or_newline(this);
    h->body = block("'except' statement", et.line, false);
    finish(h);
    s->handlers.push_back(h);
  }
  if (!s->handlers.empty() && at(Tok::KW_ELSE)) {
    const Token& et = cur();
    p++;
    expect_forced(Tok::COLON, ":");
    s->orelse = block("'else' statement", et.line, true);
  }
  if (at(Tok::KW_FINALLY)) {
    const Token& ft = cur();
    p++;
    expect_forced(Tok::COLON, ":");
    s->finalbody = block("'finally' statement", ft.line, true);
  }
  if (s->handlers.empty() && s->finalbody.empty()) fail_last("expected 'except' or 'finally' block");
  return finish(s);
}

Stmt* Parser::funcdef(ExprVec* decorators, const Token* first) {
  const Token& def = cur();
  p++;
  FunctionDef* f = node<FunctionDef>(def);
  if (decorators) f->decorator_list = std::move(*decorators);
  if (!at(Tok::NAME)) fail_generic();
  f->name = name_str(cur());
  p++;
  expect_forced(Tok::LPAR, "(");
  f->args = parameters(false);
  expect(Tok::RPAR);
  if (accept(Tok::RARROW)) f->returns = expression();
  expect_forced(Tok::COLON, ":");
  f->body = block("function definition", def.line, true);
  return finish(f);
}

Stmt* Parser::classdef(ExprVec* decorators, const Token* first) {
  const Token& kw = cur();
  p++;
  ClassDef* c = node<ClassDef>(kw);
  if (decorators) c->decorator_list = std::move(*decorators);
  if (!at(Tok::NAME)) fail_generic();
  c->name = name_str(cur());
  p++;
  if (at(Tok::LPAR)) {
    Call tmp;
    const Token& lpar = cur();
    p++;
    sole_genexp_for = SIZE_MAX;
    call_args(&tmp);
    // (a call among the bases, `class A(f(x for x in y))`, records its own deeper 'for')
    if (sole_genexp_for != SIZE_MAX && T[sole_genexp_for].level == lpar.level) {
      // class bases take no bare generator expression: pegen fails at its 'for'.
      // call_args records that token itself: searching forward from the argument's first
      // token for a 'for' at its nesting level ran off the token array when the argument
      // began with a bracket (`class A((x) for x in y)`: a heap overflow the CI fuzzer
      // found) and, with the bound, pointed at the wrong token.
      fail_tok(T[sole_genexp_for], "invalid syntax");
    }
    c->bases = std::move(tmp.args);
    c->keywords = std::move(tmp.keywords);
  }
  colon_or_newline(this);
  c->body = block("class definition", kw.line, false);
  return finish(c);
}

// Parameters of def (closer ')') or lambda (closer ':').
Arguments* Parser::parameters(bool lambda) {
  Arguments* a = new Arguments();
  Tok closer = lambda ? Tok::COLON : Tok::RPAR;
  bool seen_default = false, seen_slash = false, seen_star = false;
  const Token* star_tok = nullptr;
  Vec<Arg*> plain;
  auto param = [&]() -> Arg* {
    const Token& t = cur();
    if (t.type != Tok::NAME) fail_generic();
    Arg* g = node<Arg>(t);
    g->arg = name_str(t);
    p++;
    finish(g);
    if (!lambda && accept(Tok::COLON)) {
      g->annotation = expression();
      finish(g);
    }
    return g;
  };
  while (!at(closer)) {
    const Token& t = cur();
    if (t.type == Tok::SLASH) {
      if (seen_star) fail_tok(t, "/ must be ahead of *");
      if (seen_slash) fail_tok(t, "/ may appear only once");
      if (plain.empty()) fail_tok(t, "at least one argument must precede /");
      seen_slash = true;
      a->posonlyargs = std::move(plain);
      plain.clear();
      p++;
    } else if (t.type == Tok::STAR) {
      if (seen_star) {
        fail_tok(t, "* argument may appear only once");
      }
      seen_star = true;
      star_tok = &t;
      p++;
      if (at(Tok::COMMA)) {
        Tok nx = ty_at(1);
        if (nx == closer || nx == Tok::DOUBLESTAR) {
          if (lambda) fail_last("named arguments must follow bare *");
          fail_tok(t, "named arguments must follow bare *");
        }
      } else if (at(closer)) {
        if (lambda) fail_tok(cur(), "named arguments must follow bare *");
        fail_tok(t, "named arguments must follow bare *");
      } else {
        const Token& nt = cur();
        if (nt.type != Tok::NAME) fail_generic();
        Arg* g = node<Arg>(nt);
        g->arg = name_str(nt);
        p++;
        finish(g);
        if (!lambda && accept(Tok::COLON)) {
          if (at(Tok::STAR)) {
            // param_star_annotation: *args: *Ts
            const Token& st = cur();
            p++;
            Starred* sv = node<Starred>(st);
            sv->value = bitwise_or();
            g->annotation = finish(sv);
          } else {
            g->annotation = expression();
          }
          finish(g);
        }
        if (at(Tok::EQUAL)) fail_tok(cur(), "var-positional argument cannot have default value");
        a->vararg = g;
      }
    } else if (t.type == Tok::DOUBLESTAR) {
      p++;
      Arg* g = param();
      if (at(Tok::EQUAL)) fail_tok(cur(), "var-keyword argument cannot have default value");
      a->kwarg = g;
      if (accept(Tok::COMMA)) {
        if (at(Tok::NAME)) {
          const Token& nt = cur();
          // arguments cannot follow var-keyword argument (points at the param)
          size_t save = p;
          Arg* x = param();
          (void)x;
          p = save;
          fail(nullptr, nt.line, nt.col, T[save].end_line, T[save].end_col,
               "arguments cannot follow var-keyword argument");
        }
        if (at(Tok::STAR) || at(Tok::DOUBLESTAR) || at(Tok::SLASH))
          fail_tok(cur(), "arguments cannot follow var-keyword argument");
      }
      if (!at(closer)) fail_generic();
      break;
    } else {
      Arg* g = param();
      Expr* dflt = nullptr;
      if (at(Tok::EQUAL)) {
        const Token& eq = cur();
        p++;
        if (at(Tok::COMMA) || at(closer)) {
          if (!lambda || at(Tok::COMMA)) fail_tok(eq, "expected default value expression");
        }
        dflt = expression();
      }
      if (seen_star) {
        a->kwonlyargs.push_back(g);
        a->kw_defaults.push_back(dflt);
      } else {
        if (dflt) {
          seen_default = true;
          a->defaults.push_back(dflt);
        } else if (seen_default) {
          fail_node(g, "non-default argument follows default argument");
        }
        plain.push_back(g);
      }
    }
    if (!accept(Tok::COMMA)) break;
  }
  (void)star_tok;
  a->args = std::move(plain);
  if (!at(closer)) {
    if (!lambda && at(Tok::LPAR)) {
      // Function parameters cannot be parenthesized
      fail_generic();
    }
    fail_generic();
  }
  return a;
}

// ------------------------------------------------------------------ expressions
Expr* Parser::star_expressions() {
  const Token& first = cur();
  Expr* e = star_expression();
  if (!at(Tok::COMMA)) return e;
  TupleE* t = node<TupleE>(first);
  bare_tuple = t;
  t->elts.push_back(e);
  while (accept(Tok::COMMA)) {
    Tok k = ty();
    // an expression can start here?
    BinOp dummy;
    if (k == Tok::NEWLINE || k == Tok::SEMI || k == Tok::EQUAL || k == Tok::RPAR || k == Tok::RSQB ||
        k == Tok::RBRACE || k == Tok::COLON || k == Tok::ENDMARKER || k == Tok::COLONEQUAL ||
        k == Tok::KW_IN || k == Tok::KW_FOR || is_augassign(k, &dummy))
      break;
    t->elts.push_back(star_expression());
  }
  return finish(t);
}

Expr* Parser::star_expression() {
  if (at(Tok::STAR)) {
    const Token& st = cur();
    p++;
    Starred* s = node<Starred>(st);
    s->value = bitwise_or();
    return finish(s);
  }
  return expression();
}

Expr* Parser::star_named_expression() {
  if (at(Tok::STAR)) {
    const Token& st = cur();
    p++;
    Starred* s = node<Starred>(st);
    s->value = bitwise_or();
    return finish(s);
  }
  return named_expression();
}

Expr* Parser::named_expression() {
  if (at(Tok::NAME) && ty_at(1) == Tok::COLONEQUAL) {
    const Token& nt = cur();
    Name* n = node<Name>(nt);
    n->id = name_str(nt);
    n->ctx = Ctx::Store;
    p++;
    finish(n);
    p++;
    NamedExpr* ne = node<NamedExpr>(nt);
    ne->target = n;
    ne->value = expression();
    return finish(ne);
  }
  size_t start = p;
  Expr* e = expression();
  if (at(Tok::COLONEQUAL)) {
    // invalid_named_expression: a=expression ':=' expression
    size_t save = p;
    p++;
    bool ok = true;
    try { expression(); } catch (ParseFail&) { ok = false; }
    p = save;
    if (ok) fail_node(e, std::string("cannot use assignment expressions with ") + expr_name(e));
    fail_generic();
  }
  if (at(Tok::EQUAL) && T[start].type == Tok::NAME && e->kind == EK::Name && !parenthesized(e, start)) {
    // a=NAME '=' b=bitwise_or !('='|':='): only reported when parsing fails here,
    // which callers signal by not accepting '='; pegen reports it eagerly in the
    // contexts that reach named_expression (if/while/elif/call args/...)
    size_t save = p;
    p++;
    Expr* b = nullptr;
    try { b = bitwise_or(); } catch (ParseFail&) { b = nullptr; }
    bool ok = b && !at(Tok::EQUAL) && !at(Tok::COLONEQUAL);
    p = save;
    if (ok) {
      // reported only if parsing then fails at this '=' (see fail_generic)
      named_eq_pos = p;
      named_eq_msg = "invalid syntax. Maybe you meant '==' or ':=' instead of '='?";
      named_eq_a = e;
      named_eq_b = b;
    }
  } else if (at(Tok::EQUAL) && is_bitwise_or_level(e)) {
    Tok ft = T[start].type;
    bool excluded = ft == Tok::LSQB || ft == Tok::KW_TRUE || ft == Tok::KW_NONE || ft == Tok::KW_FALSE;
    if (ft == Tok::LPAR) {
      // (tuple) or (genexp) at the start excludes it; a plain group does not
      size_t save = p;
      p = start;
      Expr* inner = nullptr;
      try { inner = paren_atom(); } catch (ParseFail&) { inner = nullptr; }
      if (inner && (inner->kind == EK::Tuple || inner->kind == EK::GeneratorExp) &&
          inner->line == T[start].line && inner->col == T[start].col)
        excluded = true;
      p = save;
    }
    if (!excluded) {
      size_t save = p;
      p++;
      Expr* b = nullptr;
      try { b = bitwise_or(); } catch (ParseFail&) { b = nullptr; }
      bool ok = b && !at(Tok::EQUAL) && !at(Tok::COLONEQUAL);
      p = save;
      if (ok) {
        named_eq_pos = p;
        named_eq_msg = std::string("cannot assign to ") + expr_name(e) + " here. Maybe you meant '==' instead of '='?";
        named_eq_a = e;
        named_eq_b = nullptr;
      }
    }
  }
  return e;
}

Expr* Parser::expression() {
  DepthGuard g(this, false);
  if (at(Tok::KW_LAMBDA)) return lambdef();
  size_t start = p;
  Expr* a = disjunction();
  if (!at(Tok::KW_IF)) return a;
  p++;
  Expr* test = disjunction();
  if (!at(Tok::KW_ELSE)) {
    if (!at(Tok::COLON)) fail_range(a, test, "expected 'else' after 'if' expression");
    fail_generic();
  }
  p++;
  IfExp* e = node<IfExp>(T[start]);
  e->test = test;
  e->body = a;
  e->orelse = expression();
  return finish(e);
}

Expr* Parser::lambdef() {
  if (*shared_depth > 2984) too_deep(true);  // pegen's stack limit (MemoryError)
  const Token& first = cur();
  p++;
  Lambda* l = node<Lambda>(first);
  l->args = parameters(true);
  expect(Tok::COLON);
  l->body = expression();
  return finish(l);
}

Expr* Parser::disjunction() {
  size_t start = p;
  Expr* a = conjunction();
  if (at(Tok::KW_OR)) {
    BoolOp* b = node<BoolOp>(T[start]);
    b->op = BoolOpKind::Or;
    b->values.push_back(a);
    while (accept(Tok::KW_OR)) b->values.push_back(conjunction());
    a = finish(b);
  }
  last_disj = a;
  last_disj_start = start;
  last_disj_end = p;
  return a;
}

Expr* Parser::conjunction() {
  size_t start = p;
  Expr* a = inversion();
  if (at(Tok::KW_AND)) {
    BoolOp* b = new BoolOp();
    start_at(b, start);
    b->op = BoolOpKind::And;
    b->values.push_back(a);
    while (accept(Tok::KW_AND)) b->values.push_back(inversion());
    a = finish(b);
  }
  return a;
}

Expr* Parser::inversion() {
  if (at(Tok::KW_NOT)) {
    DepthGuard g(this, false);
    const Token& t = cur();
    p++;
    UnaryOp* u = node<UnaryOp>(t);
    u->op = UnaryOpKind::Not;
    u->operand = inversion();
    return finish(u);
  }
  return comparison();
}

static bool cmp_op(Parser* ps, CmpKind* k) {
  switch (ps->ty()) {
    case Tok::EQEQUAL: *k = CmpKind::Eq; ps->p++; return true;
    case Tok::NOTEQUAL: *k = CmpKind::NotEq; ps->p++; return true;
    case Tok::LESS: *k = CmpKind::Lt; ps->p++; return true;
    case Tok::LESSEQUAL: *k = CmpKind::LtE; ps->p++; return true;
    case Tok::GREATER: *k = CmpKind::Gt; ps->p++; return true;
    case Tok::GREATEREQUAL: *k = CmpKind::GtE; ps->p++; return true;
    case Tok::KW_IN: *k = CmpKind::In; ps->p++; return true;
    case Tok::KW_NOT:
      if (ps->ty_at(1) == Tok::KW_IN) { *k = CmpKind::NotIn; ps->p += 2; return true; }
      return false;
    case Tok::KW_IS:
      if (ps->ty_at(1) == Tok::KW_NOT) { *k = CmpKind::IsNot; ps->p += 2; return true; }
      *k = CmpKind::Is;
      ps->p++;
      return true;
    default: return false;
  }
}

Expr* Parser::comparison() {
  size_t start = p;
  Expr* a = bitwise_or();
  CmpKind k;
  if (!cmp_op(this, &k)) return a;
  Compare* c = new Compare();
  start_at(c, start);
  c->left = a;
  do {
    c->ops.push_back(k);
    c->comparators.push_back(bitwise_or());
  } while (cmp_op(this, &k));
  return finish(c);
}

static int binprec(Tok t, BinOp* op) {
  switch (t) {
    case Tok::VBAR: *op = BinOp::Or; return 1;
    case Tok::CIRCUMFLEX: *op = BinOp::Xor; return 2;
    case Tok::AMPER: *op = BinOp::And; return 3;
    case Tok::LEFTSHIFT: *op = BinOp::LShift; return 4;
    case Tok::RIGHTSHIFT: *op = BinOp::RShift; return 4;
    case Tok::PLUS: *op = BinOp::Add; return 5;
    case Tok::MINUS: *op = BinOp::Sub; return 5;
    case Tok::STAR: *op = BinOp::Mul; return 6;
    case Tok::SLASH: *op = BinOp::TrueDiv; return 6;
    case Tok::DOUBLESLASH: *op = BinOp::FloorDiv; return 6;
    case Tok::PERCENT: *op = BinOp::Mod; return 6;
    case Tok::AT: *op = BinOp::MatMul; return 6;
    default: return 0;
  }
}

// Operator-precedence parsing of the left-associative binary levels (| ^ & << >> + -
// * / // % @) with two small fixed stacks: no recursion, no allocation. A node spans
// from its left operand's first token (a '(' included) to the last token consumed.
Expr* Parser::binary(int minprec) {
  struct Val { Expr* e; size_t start; };
  struct Op { BinOp op; int prec; };
  Val vals[16];
  Op ops[16];
  int nv = 0, no = 0;
  vals[nv++] = {nullptr, p};
  vals[0].e = factor();
  auto reduce = [&]() {
    Val r = vals[--nv];
    Val l = vals[--nv];
    Op o = ops[--no];
    BinOpE* b = new BinOpE();
    b->left = l.e;
    b->op = o.op;
    b->right = r.e;
    start_at(b, l.start);
    finish(b);
    vals[nv++] = {b, l.start};
  };
  BinOp op = BinOp::Add;
  int prec;
  while ((prec = binprec(ty(), &op)) > minprec) {
    while (no > 0 && ops[no - 1].prec >= prec) reduce();
    ops[no++] = {op, prec};
    p++;
    size_t st = p;
    Expr* f = factor();
    vals[nv++] = {f, st};
  }
  while (no > 0) reduce();
  return vals[0].e;
}

Expr* Parser::factor() {
  Tok t = ty();
  if (t == Tok::PLUS || t == Tok::MINUS || t == Tok::TILDE) {
    DepthGuard g(this, false);
    const Token& ft = cur();
    p++;
    UnaryOp* u = node<UnaryOp>(ft);
    u->op = t == Tok::PLUS ? UnaryOpKind::UAdd : t == Tok::MINUS ? UnaryOpKind::USub : UnaryOpKind::Invert;
    u->operand = factor();
    return finish(u);
  }
  return power();
}

Expr* Parser::power() {
  size_t start = p;
  Expr* a = primary();
  if (at(Tok::DOUBLESTAR)) {
    DepthGuard g(this, true);
    p++;
    BinOpE* b = new BinOpE();
    b->left = a;
    b->op = BinOp::Pow;
    b->right = factor();
    start_at(b, start);
    return finish(b);
  }
  return a;
}

Expr* Parser::primary() {
  if (at(Tok::KW_AWAIT)) fail_generic();  // async/await are not supported
  size_t start = p;
  Expr* a = atom();
  while (true) {
    Tok t = ty();
    if (t == Tok::DOT) {
      p++;
      if (!at(Tok::NAME)) fail_generic();
      Attribute* at_ = new Attribute();
      start_at(at_, start);
      at_->value = a;
      at_->attr = name_str(cur());
      p++;
      a = finish(at_);
    } else if (t == Tok::LPAR) {
      Call* c = new Call();
      start_at(c, start);
      c->func = a;
      p++;
      call_args(c);
      a = finish(c);
    } else if (t == Tok::LSQB) {
      p++;
      Subscript* s = new Subscript();
      start_at(s, start);
      s->value = a;
      s->slice = slices();
      expect(Tok::RSQB);
      a = finish(s);
    } else {
      return a;
    }
  }
}

// After '(' of a call: arguments and the closing ')'.
void Parser::call_args(Call* c) {
  const Token& lpar = T[p - 1];
  bool seen_kw = false, seen_kw_unpack = false;
  size_t nitems = 0;
  while (!at(Tok::RPAR)) {
    const Token& t = cur();
    nitems++;
    if (t.type == Tok::STAR) {
      p++;
      Starred* s = node<Starred>(t);
      s->value = expression();
      finish(s);
      if (seen_kw_unpack) fail_tok(t, "iterable argument unpacking follows keyword argument unpacking");
      c->args.push_back(s);
    } else if (t.type == Tok::DOUBLESTAR) {
      p++;
      Keyword* k = node<Keyword>(t);
      k->value = expression();
      finish(k);
      c->keywords.push_back(k);
      seen_kw = seen_kw_unpack = true;
    } else if ((t.type == Tok::NAME) && ty_at(1) == Tok::EQUAL) {
      p += 2;
      Keyword* k = node<Keyword>(t);
      k->arg = name_str(t);
      k->value = expression();
      if (at(Tok::KW_FOR)) {
        // a=NAME b='=' expression for_if_clauses
        const Token& eq = T[&t - &T[0] + 1];
        fail(nullptr, t.line, t.col, eq.end_line, eq.end_col,
             "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
      }
      finish(k);
      c->keywords.push_back(k);
      seen_kw = true;
    } else if ((t.type == Tok::KW_TRUE || t.type == Tok::KW_FALSE || t.type == Tok::KW_NONE) &&
               ty_at(1) == Tok::EQUAL) {
      const Token& eq = tok(p + 1);
      fail(nullptr, t.line, t.col, eq.end_line, eq.end_col,
           std::string("cannot assign to ") + std::string(tz.token_text(t)));
    } else {
      size_t start = p;
      Expr* e = named_expression();
      if (at(Tok::KW_FOR)) {
        size_t for_at = p;
        GeneratorExp* g = new GeneratorExp();
        g->elt = e;
        comprehension_clauses(g->generators);
        if (nitems == 1 && at(Tok::RPAR)) {
          sole_genexp_for = for_at;
          // sole generator argument: the genexp spans the call's parentheses
          g->line = lpar.line;
          g->col = lpar.col;
          const Token& rp = cur();
          g->end_line = rp.end_line;
          g->end_col = rp.end_col;
          c->args.push_back(g);
          continue;
        }
        Comprehension* lc = g->generators.back();
        Expr* lastitem = lc->ifs.empty() ? lc->iter : lc->ifs.back();
        fail_range(e, lastitem, "Generator expression must be parenthesized");
      }
      if (at(Tok::EQUAL)) {
        const Token& eq = cur();
        fail(nullptr, e->line, e->col, eq.end_line, eq.end_col,
             "expression cannot contain assignment, perhaps you meant \"==\"?");
      }
      (void)start;
      if (seen_kw) {
        // positional after keyword: reported at the token after the argument
        while (accept(Tok::COMMA)) {
          if (at(Tok::RPAR)) break;
          try { named_expression(); } catch (ParseFail&) { break; }
        }
        fail_last(seen_kw_unpack ? "positional argument follows keyword argument unpacking"
                                 : "positional argument follows keyword argument");
      }
      c->args.push_back(e);
    }
    if (!accept(Tok::COMMA)) break;
    if (at(Tok::KW_FOR)) fail_generic();
  }
  if (!at(Tok::RPAR)) {
    // f(a, b for b in c): a later generator argument
    fail_generic();
  }
  p++;
  // "Generator expression must be parenthesized" for a genexp that is not alone
  if (c->args.size() + c->keywords.size() > 1) {
    for (Expr* x : c->args) {
      if (x->kind == EK::GeneratorExp && x->col == lpar.col && x->line == lpar.line) {
        GeneratorExp* g = static_cast<GeneratorExp*>(x);
        Comprehension* lc = g->generators.back();
        Expr* lastitem = lc->ifs.empty() ? lc->iter : lc->ifs.back();
        fail_range(g->elt, lastitem, "Generator expression must be parenthesized");
      }
    }
  }
}

void Parser::comprehension_clauses(CompVec& out) {
  while (at(Tok::KW_FOR)) {
    p++;
    Comprehension* c = new Comprehension();
    size_t tstart = p;
    Expr* target = target_list(Tok::KW_IN);
    if (!at(Tok::KW_IN)) {
      size_t save = p;
      p = tstart;
      Expr* e = nullptr;
      try { e = star_expressions(); } catch (ParseFail&) { e = nullptr; }
      if (e) {
        if (Expr* bad = invalid_target(e, 2)) fail_node(bad, std::string("cannot assign to ") + expr_name(bad));
      }
      p = save;
      fail_generic();
    }
    check_store(target, 2);
    c->target = target;
    p++;
    c->iter = disjunction();
    while (at(Tok::KW_IF)) {
      p++;
      c->ifs.push_back(disjunction());
    }
    out.push_back(c);
  }
  if (at(Tok::KW_ASYNC)) fail_generic();
}

Expr* Parser::yield_expr() {
  const Token& first = cur();
  p++;
  if (accept(Tok::KW_FROM)) {
    YieldFrom* y = node<YieldFrom>(first);
    y->value = expression();
    return finish(y);
  }
  Yield* y = node<Yield>(first);
  Tok k = ty();
  if (!(k == Tok::RPAR || k == Tok::NEWLINE || k == Tok::SEMI || k == Tok::EQUAL || k == Tok::RSQB ||
        k == Tok::RBRACE || k == Tok::ENDMARKER || k == Tok::COLON))
    y->value = star_expressions();
  return finish(y);
}

Expr* Parser::slice_item() {
  const Token& first = cur();
  if (at(Tok::STAR)) {
    p++;
    Starred* s = node<Starred>(first);
    s->value = expression();
    return finish(s);
  }
  Expr* lower = nullptr;
  if (!at(Tok::COLON)) {
    lower = named_expression();
    if (!at(Tok::COLON)) return lower;
  }
  Slice* s = node<Slice>(first);
  s->lower = lower;
  p++;  // ':'
  if (!at(Tok::COLON) && !at(Tok::COMMA) && !at(Tok::RSQB)) s->upper = expression();
  if (accept(Tok::COLON)) {
    if (!at(Tok::COMMA) && !at(Tok::RSQB)) s->step = expression();
  }
  return finish(s);
}

Expr* Parser::slices() {
  const Token& first = cur();
  Expr* e = slice_item();
  if (!at(Tok::COMMA) && e->kind != EK::Starred) return e;
  TupleE* t = node<TupleE>(first);
  t->elts.push_back(e);
  while (accept(Tok::COMMA)) {
    if (at(Tok::RSQB)) break;
    t->elts.push_back(slice_item());
  }
  return finish(t);
}

Expr* Parser::number(const Token& t) {
  std::string_view s = tz.token_text(t);
  Constant* c = node<Constant>(t);
  char last = s.back();
  if (last == 'j' || last == 'J') {
    fail_tok(t, "complex numbers are not supported");
  }
  bool is_float = false;
  bool has_prefix = s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'o' || s[1] == 'O' ||
                                                     s[1] == 'b' || s[1] == 'B');
  if (!has_prefix)
    for (char ch : s)
      if (ch == '.' || ch == 'e' || ch == 'E') { is_float = true; break; }
  if (is_float) {
    std::string clean;
    clean.reserve(s.size());
    for (char ch : s)
      if (ch != '_') clean += ch;
    c->value = float_new(strtod(clean.c_str(), nullptr));
  } else if (!has_prefix && s.size() <= 18) {
    int64_t v = 0;
    for (char ch : s)
      if (ch != '_') v = v * 10 + (ch - '0');
    c->value = Value::from_small(v);
  } else {
    try {
      c->value = int_from_string(s, 0);
    } catch (PyThrow&) {
      // Over sys.get_int_max_str_digits(): CPython reports it as a SyntaxError at the
      // literal, with a hint appended.
      Value e = take_exception();
      if (!exc_matches(e, Value::from_obj(&exc_ValueError))) throw_exc(e);
      fail_tok(t, std::string(str(e)->view()) +
                      " - Consider hexadecimal for huge integer literals to avoid decimal "
                      "conversion limits.", &exc_SyntaxError);
    }
  }
  p++;
  return finish(c);
}

Expr* Parser::atom() {
  const Token& t = cur();
  switch (t.type) {
    case Tok::NAME: {
      Name* n = node<Name>(t);
      n->id = name_str(t);
      p++;
      return finish(n);
    }
    case Tok::NUMBER: return number(t);
    case Tok::STRING: {
      size_t first = p;
      while (ty_at(1) == Tok::STRING) p++;
      size_t last = p;
      p++;
      tok(p);  // the parser looks at the token after the strings (error positions)
      return concat_strings(first, last);
    }
    case Tok::KW_TRUE: case Tok::KW_FALSE: case Tok::KW_NONE: case Tok::ELLIPSIS: {
      Constant* c = node<Constant>(t);
      c->value = t.type == Tok::KW_TRUE ? True() : t.type == Tok::KW_FALSE ? False()
                 : t.type == Tok::KW_NONE ? None() : Ellipsis();
      p++;
      return finish(c);
    }
    case Tok::LPAR: return paren_atom();
    case Tok::LSQB: return list_atom();
    case Tok::LBRACE: return brace_atom();
    default: fail_generic();
  }
}

Expr* Parser::paren_atom() {
  DepthGuard g(this, false);
  const Token& lp = cur();
  p++;
  if (at(Tok::RPAR)) {
    p++;
    return finish(node<TupleE>(lp));
  }
  if (at(Tok::KW_YIELD)) {
    Expr* y = yield_expr();
    expect(Tok::RPAR);
    return y;
  }
  if (at(Tok::DOUBLESTAR)) {
    const Token& ds = cur();
    size_t save = p;
    p++;
    bool ok = true;
    try { expression(); ok = at(Tok::RPAR); } catch (ParseFail&) { ok = false; }
    p = save;
    if (ok) fail_tok(ds, "cannot use double starred expression here");
    fail_generic();
  }
  Expr* e = star_named_expression();
  if (at(Tok::RPAR)) {
    p++;
    if (e->kind == EK::Starred) fail_node(e, "cannot use starred expression here");
    return e;
  }
  if (at(Tok::KW_FOR)) {
    if (e->kind == EK::Starred) fail_node(e, "iterable unpacking cannot be used in comprehension");
    GeneratorExp* gx = node<GeneratorExp>(lp);
    gx->elt = e;
    comprehension_clauses(gx->generators);
    expect(Tok::RPAR);
    return finish(gx);
  }
  if (!at(Tok::COMMA)) fail_generic();
  TupleE* t = node<TupleE>(lp);
  t->elts.push_back(e);
  while (accept(Tok::COMMA)) {
    if (at(Tok::RPAR)) break;
    t->elts.push_back(star_named_expression());
  }
  expect(Tok::RPAR);
  return finish(t);
}

Expr* Parser::list_atom() {
  DepthGuard g(this, false);
  const Token& lb = cur();
  p++;
  ListE* l = node<ListE>(lb);
  if (accept(Tok::RSQB)) return finish(l);
  Expr* e = star_named_expression();
  if (at(Tok::KW_FOR)) {
    if (e->kind == EK::Starred) fail_node(e, "iterable unpacking cannot be used in comprehension");
    ListComp* lc = node<ListComp>(lb);
    lc->elt = e;
    comprehension_clauses(lc->generators);
    expect(Tok::RSQB);
    return finish(lc);
  }
  l->elts.push_back(e);
  while (accept(Tok::COMMA)) {
    if (at(Tok::RSQB)) break;
    l->elts.push_back(star_named_expression());
    if (at(Tok::KW_FOR)) fail_range(l->elts[0], l->elts.back(), "did you forget parentheses around the comprehension target?");
  }
  if (at(Tok::KW_FOR) && T[p - 1].type == Tok::COMMA) {
    const Token& cm = T[p - 1];
    fail(nullptr, l->elts[0]->line, l->elts[0]->col, cm.end_line, cm.end_col,
         "did you forget parentheses around the comprehension target?");
  }
  expect(Tok::RSQB);
  return finish(l);
}

Expr* Parser::brace_atom() {
  DepthGuard g(this, false);
  const Token& lb = cur();
  p++;
  if (accept(Tok::RBRACE)) return finish(node<DictE>(lb));
  // first item decides dict or set
  if (at(Tok::DOUBLESTAR)) {
    const Token& ds = cur();
    p++;
    Expr* v = bitwise_or();
    if (at(Tok::KW_FOR)) fail_tok(ds, "dict unpacking cannot be used in dict comprehension");
    DictE* d = node<DictE>(lb);
    d->keys.push_back(nullptr);
    d->values.push_back(v);
    goto dict_rest;
  dict_rest:
    while (accept(Tok::COMMA)) {
      if (at(Tok::RBRACE)) break;
      if (accept(Tok::DOUBLESTAR)) {
        d->keys.push_back(nullptr);
        d->values.push_back(bitwise_or());
        continue;
      }
      Expr* k = expression();
      if (!at(Tok::COLON)) {
        // invalid_kvpair: ':' expected after dictionary key
        if (at(Tok::RBRACE) || at(Tok::COMMA))
          fail(nullptr, k->line, k->end_col - 1, k->end_line, -1, "':' expected after dictionary key");
        fail_generic();
      }
      const Token& colon = cur();
      p++;
      if (at(Tok::RBRACE) || at(Tok::COMMA)) fail_tok(colon, "expression expected after dictionary key and ':'");
      if (at(Tok::STAR)) {
        const Token& st = cur();
        p++;
        bitwise_or();
        fail(nullptr, st.line, st.col, T[p - 1].end_line, T[p - 1].end_col,
             "cannot use a starred expression in a dictionary value");
      }
      d->keys.push_back(k);
      d->values.push_back(expression());
    }
    expect(Tok::RBRACE);
    return finish(d);
  }
  {
    Expr* e = star_named_expression();
    if (at(Tok::COLON) && e->kind != EK::Starred) {
      const Token& colon = cur();
      p++;
      if (at(Tok::RBRACE) || at(Tok::COMMA)) fail_tok(colon, "expression expected after dictionary key and ':'");
      if (at(Tok::STAR)) {
        const Token& st = cur();
        p++;
        bitwise_or();
        fail(nullptr, st.line, st.col, T[p - 1].end_line, T[p - 1].end_col,
             "cannot use a starred expression in a dictionary value");
      }
      Expr* v = expression();
      if (at(Tok::KW_FOR)) {
        DictComp* dc = node<DictComp>(lb);
        dc->key = e;
        dc->value = v;
        comprehension_clauses(dc->generators);
        expect(Tok::RBRACE);
        return finish(dc);
      }
      DictE* d2 = node<DictE>(lb);
      d2->keys.push_back(e);
      d2->values.push_back(v);
      // continue as dict
      DictE* d = d2;
      while (accept(Tok::COMMA)) {
        if (at(Tok::RBRACE)) break;
        if (accept(Tok::DOUBLESTAR)) {
          d->keys.push_back(nullptr);
          d->values.push_back(bitwise_or());
          continue;
        }
        Expr* k = expression();
        if (!at(Tok::COLON)) {
          if (at(Tok::RBRACE) || at(Tok::COMMA))
            fail(nullptr, k->line, k->end_col - 1, k->end_line, -1, "':' expected after dictionary key");
          fail_generic();
        }
        const Token& c2 = cur();
        p++;
        if (at(Tok::RBRACE) || at(Tok::COMMA)) fail_tok(c2, "expression expected after dictionary key and ':'");
        d->keys.push_back(k);
        d->values.push_back(expression());
      }
      expect(Tok::RBRACE);
      return finish(d);
    }
    if (at(Tok::KW_FOR)) {
      if (e->kind == EK::Starred) fail_node(e, "iterable unpacking cannot be used in comprehension");
      SetComp* sc = node<SetComp>(lb);
      sc->elt = e;
      comprehension_clauses(sc->generators);
      expect(Tok::RBRACE);
      return finish(sc);
    }
    SetE* s = node<SetE>(lb);
    s->elts.push_back(e);
    while (accept(Tok::COMMA)) {
      if (at(Tok::RBRACE)) break;
      s->elts.push_back(star_named_expression());
      if (at(Tok::KW_FOR)) fail_range(s->elts[0], s->elts.back(), "did you forget parentheses around the comprehension target?");
    }
    expect(Tok::RBRACE);
    return finish(s);
  }
}

}  // namespace gp::front

// ------------------------------------------------------------------ public entry point
namespace gp {

using front::Parser;
using front::SyntaxErr;
using front::Tokenizer;
using front::TokErr;

[[noreturn]] static void raise_err(const SyntaxErr& e, Str* filename) {
  if (e.no_location) raise_msg(&exc_SyntaxError, str_new(e.msg));
  raise_syntax_error(e.type, e.msg, filename, e.lineno, e.offset, e.text, e.end_lineno, e.end_offset);
}

ast::Module* parse(std::string_view source, Str* filename, ParseMode mode) {
  std::string src;
  SyntaxErr nerr;
  std::string_view fname = filename ? filename->view() : std::string_view("<string>");
  bool is_file = fname != "<string>" && !(fname.size() > 2 && fname.front() == '<' && fname.back() == '>');
  if (!front::normalize_source(source, &src, is_file, fname, &nerr)) raise_err(nerr, filename);
  Tokenizer tz(src);
  tz.run();
  Parser ps(tz, filename);
  try {
    switch (mode) {
      case ParseMode::Exec: return ps.parse_file();
      case ParseMode::Eval: return ps.parse_eval();
      case ParseMode::Single: return ps.parse_single();
    }
  } catch (front::ParseFail&) {
    if (!ps.err_from_tokenizer && ps.err_overridable) {
      // CPython tokenizes the rest of the input: tokenizer errors win
      if (tz.err_kind == TokErr::HARD) raise_err(tz.err, filename);
      if (tz.err_kind == TokErr::EOF_ERR && tz.eof_paren_line) {
        size_t k = ps.maxp < tz.toks.size() ? ps.maxp : tz.toks.size() - 1;
        if (tz.toks[k].line > tz.eof_paren_line) {
          SyntaxErr e = tz.eof_paren_err;
          e.text = std::string(tz.line_text(e.lineno));
          raise_err(e, filename);
        }
      }
    }
    raise_err(ps.err, filename);
  }
  return nullptr;
}

}  // namespace gp
