// ast_dump.cpp — CPython's ast.dump() for our AST (the parser's test oracle).
//
// Invariants: output is byte-identical to ast.dump(tree) of CPython 3.11 for the same
// source (fields in ASDL order, optional fields that are None omitted, lists always
// printed), except that Constant.kind ('u' prefixes) is not represented. Constant
// values print through repr(). Deep trees are walked with an explicit depth check.
#include <string>

#include "compiler/parser.h"
#include "objects/str.h"

namespace gp {
namespace {

using namespace ast;

struct Dumper {
  std::string out;
  bool attrs;

  void s(const char* x) { out += x; }
  void str(Str* x) {
    if (!x) { out += "None"; return; }
    out += str_repr(x)->view();
  }
  void attr(const Node* n) {
    if (!attrs) return;
    out += ", lineno=" + std::to_string(n->line) + ", col_offset=" + std::to_string(n->col) +
           ", end_lineno=" + std::to_string(n->end_line) + ", end_col_offset=" + std::to_string(n->end_col);
  }
  template <class V, class F>
  void list(const V& v, F f) {
    out += '[';
    bool first = true;
    for (auto& x : v) {
      if (!first) out += ", ";
      first = false;
      f(x);
    }
    out += ']';
  }
  void exprs(const ExprVec& v) {
    list(v, [&](Expr* e) { if (e) expr(e); else out += "None"; });
  }
  void stmts(const StmtVec& v) { list(v, [&](Stmt* x) { stmt(x); }); }
  void patterns(const Vec<Pattern*>& v) { list(v, [&](Pattern* x) { pattern(x); }); }

  // ast.MatchValue ... ast.MatchOr; optional fields that are None are left out, as
  // ast.dump does (MatchAs() is the wildcard)
  void pattern(Pattern* pt) {
    bool any = true;
    switch (pt->kind) {
      case PK::Value: s("MatchValue(value="); expr(pt->value); break;
      case PK::Singleton: s("MatchSingleton(value="); out += repr(pt->constant)->view(); break;
      case PK::Sequence: s("MatchSequence(patterns="); patterns(pt->patterns); break;
      case PK::Mapping:
        s("MatchMapping(keys="); exprs(pt->keys);
        s(", patterns="); patterns(pt->patterns);
        if (pt->name) { s(", rest="); str(pt->name); }
        break;
      case PK::Class:
        s("MatchClass(cls="); expr(pt->value);
        s(", patterns="); patterns(pt->patterns);
        s(", kwd_attrs="); list(pt->kwd_attrs, [&](Str* n) { str(n); });
        s(", kwd_patterns="); patterns(pt->kwd_patterns);
        break;
      case PK::Star:
        s("MatchStar(");
        if (pt->name) { s("name="); str(pt->name); } else any = false;
        break;
      case PK::As:
        s("MatchAs(");
        any = false;
        if (pt->pattern) { s("pattern="); pattern(pt->pattern); any = true; }
        if (pt->name) { if (any) s(", "); s("name="); str(pt->name); any = true; }
        break;
      case PK::Or: s("MatchOr(patterns="); patterns(pt->patterns); break;
    }
    if (any) {
      attr(pt);
    } else if (attrs) {
      size_t at = out.size();
      attr(pt);
      out.erase(at, 2);  // no field before: no ", "
    }
    s(")");
  }

  static const char* binop(BinOp o) {
    switch (o) {
      case BinOp::Add: return "Add()";
      case BinOp::Sub: return "Sub()";
      case BinOp::Mul: return "Mult()";
      case BinOp::TrueDiv: return "Div()";
      case BinOp::FloorDiv: return "FloorDiv()";
      case BinOp::Mod: return "Mod()";
      case BinOp::Pow: return "Pow()";
      case BinOp::LShift: return "LShift()";
      case BinOp::RShift: return "RShift()";
      case BinOp::And: return "BitAnd()";
      case BinOp::Or: return "BitOr()";
      case BinOp::Xor: return "BitXor()";
      case BinOp::MatMul: return "MatMult()";
      default: return "?";
    }
  }
  static const char* ctx(Ctx c) { return c == Ctx::Load ? "Load()" : c == Ctx::Store ? "Store()" : "Del()"; }
  static const char* cmp(CmpKind k) {
    static const char* n[] = {"Eq()", "NotEq()", "Lt()", "LtE()", "Gt()", "GtE()", "Is()", "IsNot()", "In()", "NotIn()"};
    return n[int(k)];
  }

  void arg(Arg* a) {
    s("arg(arg=");
    str(a->arg);
    if (a->annotation) { s(", annotation="); expr(a->annotation); }
    attr(a);
    s(")");
  }
  void arguments(Arguments* a) {
    s("arguments(posonlyargs=");
    list(a->posonlyargs, [&](Arg* x) { arg(x); });
    s(", args=");
    list(a->args, [&](Arg* x) { arg(x); });
    if (a->vararg) { s(", vararg="); arg(a->vararg); }
    s(", kwonlyargs=");
    list(a->kwonlyargs, [&](Arg* x) { arg(x); });
    s(", kw_defaults=");
    exprs(a->kw_defaults);
    if (a->kwarg) { s(", kwarg="); arg(a->kwarg); }
    s(", defaults=");
    exprs(a->defaults);
    s(")");
  }
  void keyword(Keyword* k) {
    s("keyword(");
    if (k->arg) { s("arg="); str(k->arg); s(", "); }
    s("value=");
    expr(k->value);
    attr(k);
    s(")");
  }
  void comps(const CompVec& v) {
    list(v, [&](Comprehension* c) {
      s("comprehension(target=");
      expr(c->target);
      s(", iter=");
      expr(c->iter);
      s(", ifs=");
      exprs(c->ifs);
      s(", is_async=0)");
    });
  }

  void expr(Expr* e) {
    switch (e->kind) {
      case EK::BoolOp: {
        auto* x = static_cast<BoolOp*>(e);
        s("BoolOp(op=");
        s(x->op == BoolOpKind::And ? "And()" : "Or()");
        s(", values=");
        exprs(x->values);
        break;
      }
      case EK::NamedExpr: {
        auto* x = static_cast<NamedExpr*>(e);
        s("NamedExpr(target="); expr(x->target); s(", value="); expr(x->value);
        break;
      }
      case EK::BinOp: {
        // left-deep chains (1+1+...+1) are walked iteratively
        std::vector<BinOpE*> chain;
        Expr* cur = e;
        while (cur->kind == EK::BinOp) {
          chain.push_back(static_cast<BinOpE*>(cur));
          cur = static_cast<BinOpE*>(cur)->left;
        }
        for (size_t i = 0; i < chain.size(); i++) s("BinOp(left=");
        expr(cur);
        for (size_t i = chain.size(); i-- > 0;) {
          s(", op=");
          s(binop(chain[i]->op));
          s(", right=");
          expr(chain[i]->right);
          attr(chain[i]);
          s(")");
        }
        return;
      }
      case EK::UnaryOp: {
        auto* x = static_cast<UnaryOp*>(e);
        static const char* n[] = {"Invert()", "Not()", "UAdd()", "USub()"};
        s("UnaryOp(op="); s(n[int(x->op)]); s(", operand="); expr(x->operand);
        break;
      }
      case EK::Lambda: {
        auto* x = static_cast<Lambda*>(e);
        s("Lambda(args="); arguments(x->args); s(", body="); expr(x->body);
        break;
      }
      case EK::IfExp: {
        auto* x = static_cast<IfExp*>(e);
        s("IfExp(test="); expr(x->test); s(", body="); expr(x->body); s(", orelse="); expr(x->orelse);
        break;
      }
      case EK::Dict: {
        auto* x = static_cast<DictE*>(e);
        s("Dict(keys="); exprs(x->keys); s(", values="); exprs(x->values);
        break;
      }
      case EK::Set: s("Set(elts="); exprs(static_cast<SetE*>(e)->elts); break;
      case EK::ListComp: {
        auto* x = static_cast<ListComp*>(e);
        s("ListComp(elt="); expr(x->elt); s(", generators="); comps(x->generators);
        break;
      }
      case EK::SetComp: {
        auto* x = static_cast<SetComp*>(e);
        s("SetComp(elt="); expr(x->elt); s(", generators="); comps(x->generators);
        break;
      }
      case EK::DictComp: {
        auto* x = static_cast<DictComp*>(e);
        s("DictComp(key="); expr(x->key); s(", value="); expr(x->value); s(", generators="); comps(x->generators);
        break;
      }
      case EK::GeneratorExp: {
        auto* x = static_cast<GeneratorExp*>(e);
        s("GeneratorExp(elt="); expr(x->elt); s(", generators="); comps(x->generators);
        break;
      }
      case EK::Yield: {
        auto* x = static_cast<Yield*>(e);
        s("Yield(");
        if (x->value) { s("value="); expr(x->value); }
        if (attrs) {
          if (!x->value) {
            out += "lineno=" + std::to_string(e->line) + ", col_offset=" + std::to_string(e->col) +
                   ", end_lineno=" + std::to_string(e->end_line) + ", end_col_offset=" + std::to_string(e->end_col);
            s(")");
            return;
          }
        }
        break;
      }
      case EK::YieldFrom: s("YieldFrom(value="); expr(static_cast<YieldFrom*>(e)->value); break;
      case EK::Compare: {
        auto* x = static_cast<Compare*>(e);
        s("Compare(left="); expr(x->left); s(", ops=");
        list(x->ops, [&](CmpKind k) { s(cmp(k)); });
        s(", comparators="); exprs(x->comparators);
        break;
      }
      case EK::Call: {
        auto* x = static_cast<Call*>(e);
        s("Call(func="); expr(x->func); s(", args="); exprs(x->args); s(", keywords=");
        list(x->keywords, [&](Keyword* k) { keyword(k); });
        break;
      }
      case EK::FormattedValue: {
        auto* x = static_cast<FormattedValue*>(e);
        s("FormattedValue(value="); expr(x->value);
        out += ", conversion=" + std::to_string(x->conversion);
        if (x->format_spec) { s(", format_spec="); expr(x->format_spec); }
        break;
      }
      case EK::JoinedStr: s("JoinedStr(values="); exprs(static_cast<JoinedStr*>(e)->values); break;
      case EK::Constant: {
        Value v = static_cast<Constant*>(e)->value;
        s("Constant(value=");
        if (v == Ellipsis()) s("Ellipsis");
        else out += repr(v)->view();
        break;
      }
      case EK::Attribute: {
        auto* x = static_cast<Attribute*>(e);
        s("Attribute(value="); expr(x->value); s(", attr="); str(x->attr); s(", ctx="); s(ctx(x->ctx));
        break;
      }
      case EK::Subscript: {
        auto* x = static_cast<Subscript*>(e);
        s("Subscript(value="); expr(x->value); s(", slice="); expr(x->slice); s(", ctx="); s(ctx(x->ctx));
        break;
      }
      case EK::Starred: {
        auto* x = static_cast<Starred*>(e);
        s("Starred(value="); expr(x->value); s(", ctx="); s(ctx(x->ctx));
        break;
      }
      case EK::Name: {
        auto* x = static_cast<Name*>(e);
        s("Name(id="); str(x->id); s(", ctx="); s(ctx(x->ctx));
        break;
      }
      case EK::List: {
        auto* x = static_cast<ListE*>(e);
        s("List(elts="); exprs(x->elts); s(", ctx="); s(ctx(x->ctx));
        break;
      }
      case EK::Tuple: {
        auto* x = static_cast<TupleE*>(e);
        s("Tuple(elts="); exprs(x->elts); s(", ctx="); s(ctx(x->ctx));
        break;
      }
      case EK::Slice: {
        auto* x = static_cast<Slice*>(e);
        s("Slice(");
        bool any = false;
        if (x->lower) { s("lower="); expr(x->lower); any = true; }
        if (x->upper) { if (any) s(", "); s("upper="); expr(x->upper); any = true; }
        if (x->step) { if (any) s(", "); s("step="); expr(x->step); any = true; }
        if (attrs) {
          if (any) s(", ");
          out += "lineno=" + std::to_string(e->line) + ", col_offset=" + std::to_string(e->col) +
                 ", end_lineno=" + std::to_string(e->end_line) + ", end_col_offset=" + std::to_string(e->end_col);
        }
        s(")");
        return;
      }
    }
    attr(e);
    s(")");
  }

  void body_orelse(const StmtVec& b, const StmtVec& o) {
    s(", body="); stmts(b); s(", orelse="); stmts(o);
  }

  void stmt(Stmt* st) {
    switch (st->kind) {
      case SK::FunctionDef: {
        auto* x = static_cast<FunctionDef*>(st);
        s("FunctionDef(name="); str(x->name); s(", args="); arguments(x->args);
        s(", body="); stmts(x->body); s(", decorator_list="); exprs(x->decorator_list);
        if (x->returns) { s(", returns="); expr(x->returns); }
        break;
      }
      case SK::ClassDef: {
        auto* x = static_cast<ClassDef*>(st);
        s("ClassDef(name="); str(x->name); s(", bases="); exprs(x->bases); s(", keywords=");
        list(x->keywords, [&](Keyword* k) { keyword(k); });
        s(", body="); stmts(x->body); s(", decorator_list="); exprs(x->decorator_list);
        break;
      }
      case SK::Return: {
        auto* x = static_cast<Return*>(st);
        s("Return(");
        if (x->value) { s("value="); expr(x->value); }
        else if (attrs) {
          out += "lineno=" + std::to_string(st->line) + ", col_offset=" + std::to_string(st->col) +
                 ", end_lineno=" + std::to_string(st->end_line) + ", end_col_offset=" + std::to_string(st->end_col) + ")";
          return;
        }
        break;
      }
      case SK::Delete: s("Delete(targets="); exprs(static_cast<Delete*>(st)->targets); break;
      case SK::Assign: {
        auto* x = static_cast<Assign*>(st);
        s("Assign(targets="); exprs(x->targets); s(", value="); expr(x->value);
        break;
      }
      case SK::AugAssign: {
        auto* x = static_cast<AugAssign*>(st);
        s("AugAssign(target="); expr(x->target); s(", op="); s(binop(x->op)); s(", value="); expr(x->value);
        break;
      }
      case SK::AnnAssign: {
        auto* x = static_cast<AnnAssign*>(st);
        s("AnnAssign(target="); expr(x->target); s(", annotation="); expr(x->annotation);
        if (x->value) { s(", value="); expr(x->value); }
        s(x->simple ? ", simple=1" : ", simple=0");
        break;
      }
      case SK::For: {
        auto* x = static_cast<For*>(st);
        s("For(target="); expr(x->target); s(", iter="); expr(x->iter); body_orelse(x->body, x->orelse);
        break;
      }
      case SK::While: {
        auto* x = static_cast<While*>(st);
        s("While(test="); expr(x->test); body_orelse(x->body, x->orelse);
        break;
      }
      case SK::Match: {
        auto* x = static_cast<Match*>(st);
        s("Match(subject="); expr(x->subject);
        s(", cases=");
        list(x->cases, [&](MatchCase* c) {
          s("match_case(pattern="); pattern(c->pattern);
          if (c->guard) { s(", guard="); expr(c->guard); }
          s(", body="); stmts(c->body);
          s(")");
        });
        break;
      }
      case SK::If: {
        auto* x = static_cast<If*>(st);
        s("If(test="); expr(x->test); body_orelse(x->body, x->orelse);
        break;
      }
      case SK::With: {
        auto* x = static_cast<With*>(st);
        s("With(items=");
        list(x->items, [&](WithItem* w) {
          s("withitem(context_expr="); expr(w->context_expr);
          if (w->optional_vars) { s(", optional_vars="); expr(w->optional_vars); }
          s(")");
        });
        s(", body="); stmts(x->body);
        break;
      }
      case SK::Raise: {
        auto* x = static_cast<Raise*>(st);
        s("Raise(");
        bool any = false;
        if (x->exc) { s("exc="); expr(x->exc); any = true; }
        if (x->cause) { if (any) s(", "); s("cause="); expr(x->cause); any = true; }
        if (attrs) {
          if (any) s(", ");
          out += "lineno=" + std::to_string(st->line) + ", col_offset=" + std::to_string(st->col) +
                 ", end_lineno=" + std::to_string(st->end_line) + ", end_col_offset=" + std::to_string(st->end_col);
        }
        s(")");
        return;
      }
      case SK::Try: {
        auto* x = static_cast<Try*>(st);
        s("Try(body="); stmts(x->body); s(", handlers=");
        list(x->handlers, [&](ExceptHandler* h) {
          s("ExceptHandler(");
          if (h->type) { s("type="); expr(h->type); s(", "); }
          if (h->name) { s("name="); str(h->name); s(", "); }
          s("body="); stmts(h->body);
          attr(h);
          s(")");
        });
        s(", orelse="); stmts(x->orelse); s(", finalbody="); stmts(x->finalbody);
        break;
      }
      case SK::Assert: {
        auto* x = static_cast<Assert*>(st);
        s("Assert(test="); expr(x->test);
        if (x->msg) { s(", msg="); expr(x->msg); }
        break;
      }
      case SK::Import: {
        s("Import(names=");
        aliases(static_cast<Import*>(st)->names);
        break;
      }
      case SK::ImportFrom: {
        auto* x = static_cast<ImportFrom*>(st);
        s("ImportFrom(");
        if (x->module) { s("module="); str(x->module); s(", "); }
        s("names="); aliases(x->names);
        out += ", level=" + std::to_string(x->level);
        break;
      }
      case SK::Global: case SK::Nonlocal: {
        const Vec<Str*>& names = st->kind == SK::Global ? static_cast<Global*>(st)->names : static_cast<Nonlocal*>(st)->names;
        s(st->kind == SK::Global ? "Global(names=" : "Nonlocal(names=");
        list(names, [&](Str* n) { str(n); });
        break;
      }
      case SK::Expr: s("Expr(value="); expr(static_cast<ExprStmt*>(st)->value); break;
      case SK::Pass: case SK::Break: case SK::Continue: {
        s(st->kind == SK::Pass ? "Pass(" : st->kind == SK::Break ? "Break(" : "Continue(");
        if (attrs)
          out += "lineno=" + std::to_string(st->line) + ", col_offset=" + std::to_string(st->col) +
                 ", end_lineno=" + std::to_string(st->end_line) + ", end_col_offset=" + std::to_string(st->end_col);
        s(")");
        return;
      }
    }
    attr(st);
    s(")");
  }
  void aliases(const Vec<Alias*>& v) {
    list(v, [&](Alias* a) {
      s("alias(name="); str(a->name);
      if (a->asname) { s(", asname="); str(a->asname); }
      attr(a);
      s(")");
    });
  }
};

}  // namespace

std::string ast_dump(ast::Module* mod, bool include_attributes) {
  Dumper d;
  d.attrs = include_attributes;
  d.out = "Module(body=";
  d.stmts(mod->body);
  d.out += ", type_ignores=[])";
  return d.out;
}

}  // namespace gp
