// symtable.cpp — builds the symbol table (CPython 3.11's symtable.c, minus async).
//
// Invariants:
//  * Pass 1 (visit) records, per block, the flags of every (mangled, interned) name and
//    the child blocks in source order; pass 2 (analyze) resolves every name exactly as
//    CPython's analyze_block does, so the compiler only asks `resolve(name)`.
//  * The outermost iterable of a comprehension is visited in the enclosing block; the
//    comprehension block receives it as its implicit parameter ".0".
//  * Errors are raised as SyntaxError with the node's range and CPython's wording.
#include "compiler/symtable.h"

#include <algorithm>
#include <unordered_set>

#include "core/error.h"
#include "objects/code.h"
#include "vm/frame.h"

namespace gp::symtable {

using namespace gp::ast;

WalkDepth::WalkDepth(int* depth) : d(depth) {
  ThreadState* ts = tstate();
  if (++*d > 3 * detail::g_recursion_limit.load(std::memory_order_relaxed) ||
      (ts && static_cast<char*>(__builtin_frame_address(0)) < vmts(ts)->c_stack_limit)) {
    --*d;
    raise(&exc_RecursionError, "maximum recursion depth exceeded during compilation");
  }
}

Str* intern(Str* s) { return s->interned ? s : str_intern(s); }

Str* mangle(Str* priv, Str* name) {
  if (!priv) return name;
  std::string_view n = name->view();
  if (n.size() < 2 || n[0] != '_' || n[1] != '_') return name;
  if (n[n.size() - 1] == '_' && n[n.size() - 2] == '_') return name;   // __x__ and __
  if (n.find('.') != std::string_view::npos) return name;
  std::string_view p = priv->view();
  size_t i = 0;
  while (i < p.size() && p[i] == '_') i++;
  if (i == p.size()) return name;
  std::string out;
  out.reserve(1 + p.size() - i + n.size());
  out += '_';
  out += p.substr(i);
  out += n;
  return str_intern(out);
}

static std::string line_of(std::string_view src, int lineno) {
  int cur = 1;
  size_t pos = 0;
  while (cur < lineno) {
    size_t nl = src.find('\n', pos);
    if (nl == std::string_view::npos) return std::string();
    pos = nl + 1;
    cur++;
  }
  size_t nl = src.find('\n', pos);
  std::string_view l = src.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return std::string(l);
}

void syntax_error_at(const SourceInfo& src, const std::string& msg, int line, int col,
                     int end_line, int end_col) {
  std::string text;
  if (!src.source.empty()) {
    text = line_of(src.source, line);
  } else if (src.filename) {
    text = source_line(src.filename, line);
  }
  raise_syntax_error(&exc_SyntaxError, msg, src.filename, line, col + 1, text,
                     end_line > 0 ? end_line : line, end_col >= 0 ? end_col + 1 : col + 1);
}

namespace {

struct Builder {
  const SourceInfo& src;
  SymTable* st;
  Scope* cur = nullptr;
  GcVector<Scope*> stack;
  Str* priv = nullptr;          // current class name for mangling
  Str* s_class;                 // "__class__"
  Str* s_super;
  Str* s_dot0;
  int walk_depth = 0;           // WalkDepth

  explicit Builder(const SourceInfo& s) : src(s) {
    st = new SymTable;
    s_class = str_intern("__class__");
    s_super = str_intern("super");
    s_dot0 = str_intern(".0");
  }

  [[noreturn]] void error(const std::string& msg, const Node* n) { syntax_error_at(src, msg, n); }

  static std::string fmt(const char* f, Str* name) {
    std::string m(f);
    size_t p = m.find("%U");
    if (p != std::string::npos) m.replace(p, 2, std::string(name->view()));
    return m;
  }

  Scope* enter(BlockKind kind, Str* name, const void* key, const Node* loc) {
    Scope* s = new Scope;
    s->kind = kind;
    s->name = name;
    s->parent = cur;
    if (loc) {
      s->line = loc->line;
      s->col = loc->col;
      s->end_line = loc->end_line;
      s->end_col = loc->end_col;
    }
    if (cur) {
      cur->children.push_back(s);
      if (cur->nested || cur->kind == BlockKind::Function) s->nested = true;
    }
    if (key) st->by_node[key] = s;
    stack.push_back(s);
    cur = s;
    return s;
  }
  void leave() {
    stack.pop_back();
    cur = stack.empty() ? nullptr : stack.back();
  }

  uint32_t add_def_in(Scope* s, Str* name, uint32_t flag, const Node* loc) {
    Str* m = intern(mangle(priv, name));
    auto it = s->flags.find(m);
    if (it != s->flags.end()) {
      uint32_t v = it->second;
      if ((flag & DEF_PARAM) && (v & DEF_PARAM))
        error(fmt("duplicate argument '%U' in function definition", name), loc);
      it->second = v | flag;
      return it->second;
    }
    s->flags.emplace(m, flag);
    s->order.push_back(m);
    return flag;
  }
  void add_def(Str* name, uint32_t flag, const Node* loc) {
    add_def_in(cur, name, flag, loc);
    // `global x` inside a function also makes x a module-level name (CPython does
    // the same so that the module block knows about it).
    if (flag & DEF_GLOBAL) {
      Scope* top = st->top;
      if (top != cur) add_def_in(top, name, DEF_GLOBAL, loc);
    }
  }
  uint32_t lookup(Str* name) { return cur->flags_of(intern(mangle(priv, name))); }
  void record_directive(Str* name, const Node* loc) {
    cur->directives.emplace(intern(mangle(priv, name)), loc);   // the first one wins
  }

  // ------------------------------------------------------------------ statements
  void visit_body(const StmtVec& body) {
    for (Stmt* s : body) visit_stmt(s);
  }

  void visit_params(const Vec<Arg*>& args) {
    for (Arg* a : args) add_def(a->arg, DEF_PARAM, a);
  }
  void visit_arguments(Arguments* a) {
    visit_params(a->posonlyargs);
    visit_params(a->args);
    if (a->vararg) add_def(a->vararg->arg, DEF_PARAM, a->vararg);
    visit_params(a->kwonlyargs);
    if (a->kwarg) add_def(a->kwarg->arg, DEF_PARAM, a->kwarg);
  }
  // evaluated at definition time, in the scope that defines the function
  void visit_annotations(FunctionDef* f) {
    Arguments* a = f->args;
    for (Arg* x : a->posonlyargs) if (x->annotation) visit_expr(x->annotation);
    for (Arg* x : a->args) if (x->annotation) visit_expr(x->annotation);
    if (a->vararg && a->vararg->annotation) visit_expr(a->vararg->annotation);
    for (Arg* x : a->kwonlyargs) if (x->annotation) visit_expr(x->annotation);
    if (a->kwarg && a->kwarg->annotation) visit_expr(a->kwarg->annotation);
    if (f->returns) visit_expr(f->returns);
  }
  void visit_defaults(Arguments* a) {
    for (Expr* e : a->defaults) visit_expr(e);
    for (Expr* e : a->kw_defaults)
      if (e) visit_expr(e);
  }

  // A pattern's captures are assignments; its values, classes and keys are loads.
  void visit_pattern(Pattern* pat) {
    WalkDepth guard(&walk_depth);
    if (pat->value) visit_expr(pat->value);
    for (Expr* k : pat->keys) visit_expr(k);
    for (Pattern* sub : pat->patterns) visit_pattern(sub);
    for (Pattern* sub : pat->kwd_patterns) visit_pattern(sub);
    if (pat->pattern) visit_pattern(pat->pattern);
    if (pat->name) add_def(pat->name, DEF_LOCAL, pat);
  }

  void visit_stmt(Stmt* s) {
    WalkDepth guard(&walk_depth);
    switch (s->kind) {
      case SK::FunctionDef: {
        auto* f = static_cast<FunctionDef*>(s);
        add_def(f->name, DEF_LOCAL, s);
        visit_defaults(f->args);
        visit_annotations(f);
        for (Expr* d : f->decorator_list) visit_expr(d);
        enter(BlockKind::Function, f->name, f, s);
        visit_arguments(f->args);
        visit_body(f->body);
        leave();
        break;
      }
      case SK::ClassDef: {
        auto* c = static_cast<ClassDef*>(s);
        add_def(c->name, DEF_LOCAL, s);
        for (Expr* b : c->bases) visit_expr(b);
        for (Keyword* k : c->keywords) visit_expr(k->value);
        for (Expr* d : c->decorator_list) visit_expr(d);
        enter(BlockKind::Class, c->name, c, s);
        Str* saved = priv;
        priv = c->name;
        visit_body(c->body);
        priv = saved;
        leave();
        break;
      }
      case SK::Return: {
        auto* r = static_cast<Return*>(s);
        if (r->value) visit_expr(r->value);
        break;
      }
      case SK::Delete:
        for (Expr* t : static_cast<Delete*>(s)->targets) visit_expr(t);
        break;
      case SK::Assign: {
        auto* a = static_cast<Assign*>(s);
        for (Expr* t : a->targets) visit_expr(t);
        visit_expr(a->value);
        break;
      }
      case SK::AugAssign: {
        auto* a = static_cast<AugAssign*>(s);
        visit_expr(a->target);
        visit_expr(a->value);
        break;
      }
      case SK::AnnAssign: {
        auto* a = static_cast<AnnAssign*>(s);
        if (a->target->kind == EK::Name) {
          auto* n = static_cast<Name*>(a->target);
          uint32_t cur_flags = lookup(n->id);
          if ((cur_flags & (DEF_GLOBAL | DEF_NONLOCAL)) && cur != st->top && a->simple) {
            error(fmt(cur_flags & DEF_GLOBAL ? "annotated name '%U' can't be global"
                                             : "annotated name '%U' can't be nonlocal",
                      n->id),
                  s);
          }
          if (a->simple) {
            add_def(n->id, DEF_ANNOT | DEF_LOCAL, n);
          } else if (a->value) {
            add_def(n->id, DEF_LOCAL, n);
          }
        } else {
          visit_expr(a->target);
        }
        visit_expr(a->annotation);
        if (a->value) visit_expr(a->value);
        break;
      }
      case SK::For: {
        auto* f = static_cast<For*>(s);
        visit_expr(f->target);
        visit_expr(f->iter);
        visit_body(f->body);
        visit_body(f->orelse);
        break;
      }
      case SK::Match: {
        auto* m = static_cast<Match*>(s);
        visit_expr(m->subject);
        for (MatchCase* c : m->cases) {
          visit_pattern(c->pattern);
          if (c->guard) visit_expr(c->guard);
          visit_body(c->body);
        }
        break;
      }
      case SK::While: {
        auto* w = static_cast<While*>(s);
        visit_expr(w->test);
        visit_body(w->body);
        visit_body(w->orelse);
        break;
      }
      case SK::If: {
        auto* i = static_cast<If*>(s);
        visit_expr(i->test);
        visit_body(i->body);
        visit_body(i->orelse);
        break;
      }
      case SK::With: {
        auto* w = static_cast<With*>(s);
        for (WithItem* it : w->items) {
          visit_expr(it->context_expr);
          if (it->optional_vars) visit_expr(it->optional_vars);
        }
        visit_body(w->body);
        break;
      }
      case SK::Raise: {
        auto* r = static_cast<Raise*>(s);
        if (r->exc) visit_expr(r->exc);
        if (r->cause) visit_expr(r->cause);
        break;
      }
      case SK::Try: {
        auto* t = static_cast<Try*>(s);
        visit_body(t->body);
        visit_body(t->orelse);
        for (ExceptHandler* h : t->handlers) {
          if (h->type) visit_expr(h->type);
          if (h->name) add_def(h->name, DEF_LOCAL, h);
          visit_body(h->body);
        }
        visit_body(t->finalbody);
        break;
      }
      case SK::Assert: {
        auto* a = static_cast<Assert*>(s);
        visit_expr(a->test);
        if (a->msg) visit_expr(a->msg);
        break;
      }
      case SK::Import:
        for (Alias* a : static_cast<Import*>(s)->names) visit_alias(a);
        break;
      case SK::ImportFrom:
        for (Alias* a : static_cast<ImportFrom*>(s)->names) visit_alias(a);
        break;
      case SK::Global: {
        for (Str* name : static_cast<Global*>(s)->names) {
          uint32_t f = lookup(name);
          if (f & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
            const char* msg;
            if (f & DEF_PARAM) msg = "name '%U' is parameter and global";
            else if (f & USE) msg = "name '%U' is used prior to global declaration";
            else if (f & DEF_ANNOT) msg = "annotated name '%U' can't be global";
            else msg = "name '%U' is assigned to before global declaration";
            error(fmt(msg, name), s);
          }
          add_def(name, DEF_GLOBAL, s);
          record_directive(name, s);
        }
        break;
      }
      case SK::Nonlocal: {
        if (cur->kind == BlockKind::Module)
          error("nonlocal declaration not allowed at module level", s);
        for (Str* name : static_cast<Nonlocal*>(s)->names) {
          uint32_t f = lookup(name);
          if (f & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
            const char* msg;
            if (f & DEF_PARAM) msg = "name '%U' is parameter and nonlocal";
            else if (f & USE) msg = "name '%U' is used prior to nonlocal declaration";
            else if (f & DEF_ANNOT) msg = "annotated name '%U' can't be nonlocal";
            else msg = "name '%U' is assigned to before nonlocal declaration";
            error(fmt(msg, name), s);
          }
          add_def(name, DEF_NONLOCAL, s);
          record_directive(name, s);
        }
        break;
      }
      case SK::Expr:
        visit_expr(static_cast<ExprStmt*>(s)->value);
        break;
      case SK::Pass:
      case SK::Break:
      case SK::Continue:
        break;
    }
  }

  void visit_alias(Alias* a) {
    std::string_view n = a->name->view();
    if (n == "*") {
      if (cur->kind != BlockKind::Module) error("import * only allowed at module level", a);
      return;
    }
    Str* store;
    if (a->asname) {
      store = a->asname;
    } else {
      size_t dot = n.find('.');
      store = dot == std::string_view::npos ? a->name : str_intern(n.substr(0, dot));
    }
    add_def(store, DEF_IMPORT, a);
  }

  // ------------------------------------------------------------------ expressions
  void visit_exprs(const ExprVec& v) {
    for (Expr* e : v)
      if (e) visit_expr(e);
  }

  void visit_expr(Expr* e) {
    WalkDepth guard(&walk_depth);
    switch (e->kind) {
      case EK::BoolOp: visit_exprs(static_cast<BoolOp*>(e)->values); break;
      case EK::NamedExpr: {
        auto* n = static_cast<NamedExpr*>(e);
        if (cur->comp_iter_expr > 0)
          error("assignment expression cannot be used in a comprehension iterable expression", e);
        if (cur->comp != CompKind::None) extend_namedexpr_scope(static_cast<Name*>(n->target), n->target);
        visit_expr(n->value);
        visit_expr(n->target);
        break;
      }
      case EK::BinOp: {
        auto* b = static_cast<BinOpE*>(e);
        visit_expr(b->left);
        visit_expr(b->right);
        break;
      }
      case EK::UnaryOp: visit_expr(static_cast<UnaryOp*>(e)->operand); break;
      case EK::Lambda: {
        auto* l = static_cast<Lambda*>(e);
        visit_defaults(l->args);
        Scope* s = enter(BlockKind::Function, str_intern("<lambda>"), l, e);
        s->is_lambda = true;
        visit_arguments(l->args);
        visit_expr(l->body);
        leave();
        break;
      }
      case EK::IfExp: {
        auto* i = static_cast<IfExp*>(e);
        visit_expr(i->test);
        visit_expr(i->body);
        visit_expr(i->orelse);
        break;
      }
      case EK::Dict: {
        auto* d = static_cast<DictE*>(e);
        visit_exprs(d->keys);
        visit_exprs(d->values);
        break;
      }
      case EK::Set: visit_exprs(static_cast<SetE*>(e)->elts); break;
      case EK::ListComp: {
        auto* c = static_cast<ListComp*>(e);
        comprehension(e, "<listcomp>", CompKind::List, c->generators, c->elt, nullptr);
        break;
      }
      case EK::SetComp: {
        auto* c = static_cast<SetComp*>(e);
        comprehension(e, "<setcomp>", CompKind::Set, c->generators, c->elt, nullptr);
        break;
      }
      case EK::DictComp: {
        auto* c = static_cast<DictComp*>(e);
        comprehension(e, "<dictcomp>", CompKind::Dict, c->generators, c->key, c->value);
        break;
      }
      case EK::GeneratorExp: {
        auto* c = static_cast<GeneratorExp*>(e);
        comprehension(e, "<genexpr>", CompKind::Gen, c->generators, c->elt, nullptr);
        break;
      }
      case EK::Yield:
      case EK::YieldFrom: {
        Expr* v = e->kind == EK::Yield ? static_cast<Yield*>(e)->value : static_cast<YieldFrom*>(e)->value;
        if (v) visit_expr(v);
        cur->is_generator = true;
        switch (cur->comp) {
          case CompKind::List: error("'yield' inside list comprehension", e);
          case CompKind::Set: error("'yield' inside set comprehension", e);
          case CompKind::Dict: error("'yield' inside dict comprehension", e);
          case CompKind::Gen: error("'yield' inside generator expression", e);
          case CompKind::None: break;
        }
        break;
      }
      case EK::Compare: {
        auto* c = static_cast<Compare*>(e);
        visit_expr(c->left);
        visit_exprs(c->comparators);
        break;
      }
      case EK::Call: {
        auto* c = static_cast<Call*>(e);
        visit_expr(c->func);
        visit_exprs(c->args);
        for (Keyword* k : c->keywords) visit_expr(k->value);
        break;
      }
      case EK::FormattedValue: {
        auto* f = static_cast<FormattedValue*>(e);
        visit_expr(f->value);
        if (f->format_spec) visit_expr(f->format_spec);
        break;
      }
      case EK::JoinedStr: visit_exprs(static_cast<JoinedStr*>(e)->values); break;
      case EK::Constant: break;
      case EK::Attribute: visit_expr(static_cast<Attribute*>(e)->value); break;
      case EK::Subscript: {
        auto* s = static_cast<Subscript*>(e);
        visit_expr(s->value);
        visit_expr(s->slice);
        break;
      }
      case EK::Starred: visit_expr(static_cast<Starred*>(e)->value); break;
      case EK::Name: {
        auto* n = static_cast<Name*>(e);
        uint32_t flag = n->ctx == Ctx::Load ? USE : DEF_LOCAL;
        if (flag == DEF_LOCAL && cur->comp_iter_target) flag |= DEF_COMP_ITER;
        add_def(n->id, flag, e);
        // super() implicitly uses __class__.
        if (n->ctx == Ctx::Load && cur->kind == BlockKind::Function && intern(n->id) == s_super)
          add_def(s_class, USE, e);
        break;
      }
      case EK::List: visit_exprs(static_cast<ListE*>(e)->elts); break;
      case EK::Tuple: visit_exprs(static_cast<TupleE*>(e)->elts); break;
      case EK::Slice: {
        auto* s = static_cast<Slice*>(e);
        if (s->lower) visit_expr(s->lower);
        if (s->upper) visit_expr(s->upper);
        if (s->step) visit_expr(s->step);
        break;
      }
    }
  }

  void comprehension(Expr* e, const char* name, CompKind kind, const CompVec& gens, Expr* elt,
                     Expr* value) {
    Comprehension* outer = gens[0];
    cur->comp_iter_expr++;
    visit_expr(outer->iter);
    cur->comp_iter_expr--;
    Scope* s = enter(BlockKind::Function, str_intern(name), e, e);
    s->comp = kind;
    add_def(s_dot0, DEF_PARAM, e);
    s->comp_iter_target = true;
    visit_expr(outer->target);
    s->comp_iter_target = false;
    visit_exprs(outer->ifs);
    for (size_t i = 1; i < gens.size(); i++) {
      Comprehension* g = gens[i];
      s->comp_iter_target = true;
      visit_expr(g->target);
      s->comp_iter_target = false;
      s->comp_iter_expr++;
      visit_expr(g->iter);
      s->comp_iter_expr--;
      visit_exprs(g->ifs);
    }
    if (value) visit_expr(value);
    visit_expr(elt);
    if (kind == CompKind::Gen) s->is_generator = true;
    leave();
  }

  void extend_namedexpr_scope(Name* target, const Node* loc) {
    Str* name = target->id;
    for (size_t i = stack.size(); i-- > 0;) {
      Scope* s = stack[i];
      if (s->comp != CompKind::None) {
        if (s->flags_of(intern(mangle(priv, name))) & DEF_COMP_ITER)
          error(fmt("assignment expression cannot rebind comprehension iteration variable '%U'", name),
                loc);
        continue;
      }
      if (s->kind == BlockKind::Function) {
        if (s->flags_of(intern(mangle(priv, name))) & DEF_GLOBAL)
          add_def(name, DEF_GLOBAL, loc);
        else
          add_def(name, DEF_NONLOCAL, loc);
        record_directive(name, loc);
        add_def_in(s, name, DEF_LOCAL, loc);
        return;
      }
      if (s->kind == BlockKind::Module) {
        add_def(name, DEF_GLOBAL, loc);
        record_directive(name, loc);
        add_def_in(s, name, DEF_GLOBAL, loc);
        return;
      }
      error("assignment expression within a comprehension cannot be used in a class body", loc);
    }
  }

  // ------------------------------------------------------------------ analysis
  using NameSet = std::unordered_set<Str*, PtrHash>;

  void analyze_name(Scope* s, Str* name, uint32_t flags, const NameSet* bound, NameSet& local,
                    NameSet& free, NameSet& global) {
    if (flags & DEF_GLOBAL) {
      if (flags & DEF_NONLOCAL) {
        const Node* d = s->directives.count(name) ? s->directives[name] : nullptr;
        std::string m = fmt("name '%U' is nonlocal and global", name);
        if (d) error(m, d);
        syntax_error_at(src, m, s->line, s->col, s->end_line, s->end_col);
      }
      s->res[name] = Resolution::GlobalExplicit;
      global.insert(name);
      return;
    }
    if (flags & DEF_NONLOCAL) {
      if (!bound || !bound->count(name)) {
        std::string m = fmt("no binding for nonlocal '%U' found", name);
        auto it = s->directives.find(name);
        if (it != s->directives.end()) error(m, it->second);
        syntax_error_at(src, m, s->line, s->col, s->end_line, s->end_col);
      }
      s->res[name] = Resolution::Free;
      s->has_free = true;
      free.insert(name);
      return;
    }
    if (flags & DEF_BOUND) {
      s->res[name] = Resolution::Local;
      local.insert(name);
      global.erase(name);
      return;
    }
    if (bound && bound->count(name)) {
      s->res[name] = Resolution::Free;
      s->has_free = true;
      free.insert(name);
      return;
    }
    if (global.count(name)) {
      s->res[name] = Resolution::GlobalImplicit;
      return;
    }
    if (s->nested) s->has_free = true;
    s->res[name] = Resolution::GlobalImplicit;
  }

  // `free` receives the free names of s (for the parent).
  void analyze_block(Scope* s, const NameSet* bound, NameSet& free, const NameSet& global_in) {
    NameSet local, newglobal, newfree, newbound;
    NameSet global = global_in;   // this block's own view (modified by analyze_name)
    if (s->kind == BlockKind::Class) {
      newglobal = global_in;
      if (bound) newbound = *bound;
    }
    for (Str* name : s->order) analyze_name(s, name, s->flags[name], bound, local, free, global);
    if (s->kind != BlockKind::Class) {
      if (s->kind == BlockKind::Function) newbound.insert(local.begin(), local.end());
      if (bound) newbound.insert(bound->begin(), bound->end());
      newglobal.insert(global.begin(), global.end());
    } else {
      newbound.insert(s_class);
    }
    for (Scope* c : s->children) {
      NameSet child_free;
      NameSet cb = newbound, cg = newglobal;
      analyze_block(c, &cb, child_free, cg);
      newfree.insert(child_free.begin(), child_free.end());
      if (c->has_free || c->child_free) s->child_free = true;
    }
    if (s->kind == BlockKind::Function) {
      // analyze_cells: locals captured by children become cells
      for (Str* name : s->order) {
        if (s->res[name] == Resolution::Local && newfree.count(name)) {
          s->res[name] = Resolution::Cell;
          newfree.erase(name);
        }
      }
    } else if (s->kind == BlockKind::Class) {
      if (newfree.erase(s_class)) s->needs_class_closure = true;
    }
    // update_symbols: record free names from children not yet resolved here
    std::vector<Str*> nf(newfree.begin(), newfree.end());
    std::sort(nf.begin(), nf.end(), [](Str* a, Str* b) { return a->view() < b->view(); });
    for (Str* name : nf) {
      auto it = s->flags.find(name);
      if (it != s->flags.end()) {
        if (s->kind == BlockKind::Class && (it->second & (DEF_BOUND | DEF_GLOBAL)))
          it->second |= DEF_FREE_CLASS;
        continue;
      }
      if (bound && !bound->count(name)) continue;   // a global
      s->flags.emplace(name, 0);
      s->order.push_back(name);
      s->res[name] = Resolution::Free;
    }
    free.insert(newfree.begin(), newfree.end());
  }
};

}  // namespace

SymTable* build(ast::Module* mod, const SourceInfo& src, ParseMode mode) {
  Builder b(src);
  Scope* top = b.enter(BlockKind::Module, str_intern("<module>"), mod, nullptr);
  b.st->top = top;
  b.visit_body(mod->body);
  b.leave();
  Builder::NameSet free, global;
  b.analyze_block(top, nullptr, free, global);
  return b.st;
}

}  // namespace gp::symtable
