// compiler.cpp — code generation: AST + symbol table -> Code objects.
//
// Invariants:
//  * One Unit per code object being built; units nest like the scopes. A Unit lives on
//    the C++ stack (GC-scanned) and keeps every Value it references in GcVectors.
//  * Instructions are emitted linearly with symbolic labels; assemble() resolves them
//    to absolute indexes (JUMP_FORWARD becomes JUMP_BACKWARD when the target is not
//    after the jump; no conditional jump ever goes backwards), computes the exact
//    stack depth over the flow graph (exception edges included) and the exception
//    table.
//  * Exception handling is lexical: every instruction is tagged with the innermost
//    active handler when it is emitted (CPython's SETUP_*/POP_BLOCK pseudo-ops become
//    push_handler/pop_handler). Unwinding for return/break/continue pops handlers and
//    fblocks temporarily and restores them, as CPython's compiler_unwind_fblock_stack.
//  * Messages of SyntaxErrors raised here are CPython 3.11's, positioned on the node.
//
// ===================================================================================
// Code shapes the VM relies on
// ===================================================================================
//  Frames / locals
//   * varnames = parameters in code.h order (positional-only, positional, *args,
//     keyword-only, **kwargs), then other locals. cellvars/freevars are sorted by name;
//     a class body that needs it has exactly one cellvar, "__class__" (index 0).
//     cell2arg[i] = index of the parameter that cellvar i shadows (or -1); null if no
//     cellvar is a parameter.
//   * Comprehensions / generator expressions are functions with one parameter ".0"
//     (the already GET_ITER'd outermost iterable). The caller does:
//       [LOAD_CLOSURE.. BUILD_TUPLE] LOAD_CONST <code> MAKE_FUNCTION 0|8
//       <outermost iterable> GET_ITER CALL_FUNCTION 1
//   * Generator code (CO_GENERATOR) starts with GEN_START: the VM pushes the value
//     sent by the first send()/next() (None) before running it; the stack depth at
//     entry is therefore 1 and Code::stacksize accounts for it.
//   * Zero-argument super(): a function that names `super` (or `__class__`) gets
//     "__class__" as a free variable; the VM finds it among the frame's cells by name
//     (code->freevars) and the first argument in fast local 0 (or in the cell that
//     cell2arg maps to 0).
//  Class bodies
//   * The class body code (no CO_OPTIMIZED/CO_NEWLOCALS, argcount 0) runs with a fresh
//     dict as locals: LOAD_NAME __name__; STORE_NAME __module__; LOAD_CONST qualname;
//     STORE_NAME __qualname__; [SETUP_ANNOTATIONS]; [LOAD_CONST doc; STORE_NAME
//     __doc__]; body; [LOAD_CLOSURE 0; STORE_NAME __classcell__]; LOAD_CONST None;
//     RETURN_VALUE. The enclosing code does: LOAD_BUILD_CLASS; <make function>;
//     LOAD_CONST 'Name'; bases...; CALL_FUNCTION n (or _KW / _EX with the function and
//     name as the first two items of the args tuple); decorators; store.
//   * Free variables read in a class body use LOAD_CLASSDEREF (cells index space).
//  Calls
//   * f(a, b)            : f a b CALL_FUNCTION 2
//   * f(a, k=1)          : f a 1 ('k',) CALL_FUNCTION_KW 2
//   * o.m(a, k=1)        : o LOAD_METHOD m; a 1 ('k',) CALL_METHOD_KW 2 (no KW: CALL_METHOD 1)
//   * any *x or **y      : f <args tuple> [<kwargs dict>] CALL_FUNCTION_EX 0|1; the args
//     are always an exact tuple (BUILD_TUPLE, or BUILD_LIST + LIST_EXTEND/LIST_APPEND +
//     LIST_TO_TUPLE); the dict is built with BUILD_MAP + DICT_MERGE 1 (so on a
//     duplicate keyword the function is at stack[-3] after popping the operand, as in
//     CPython).
//   * MAKE_FUNCTION pushes, in order: defaults tuple (&1), kwdefaults dict (&2, keys
//     are the mangled names), closure tuple of cells (&8), then the code.
//  Container opcodes: LIST_APPEND / SET_ADD / MAP_ADD / LIST_EXTEND / SET_UPDATE /
//   DICT_UPDATE / DICT_MERGE use CPython 3.11's argument: after popping the operand(s)
//   the container is stack[-arg] (LIST_APPEND 2 in a one-loop list comprehension where
//   the stack is [list, iter, value]).
//  Exceptions (table-driven; entries never overlap and are sorted by start, so the
//   first entry containing pc is the one). Handler entry stacks:
//   * try/except body handler: depth d (depth at `try`), pushes exc:
//       handler: PUSH_EXC_INFO                       [prev, exc]
//                <type> CHECK_EXC_MATCH POP_JUMP_IF_FALSE next
//                STORE name | POP_TOP                 [prev]
//                body; POP_EXCEPT; (name = None; del name); JUMP end
//       no match: RERAISE                             (exc re-raised)
//     a second entry covers the handler code with depth d+1 ([prev]):
//       cleanup: SWAP 2; POP_EXCEPT; RERAISE          (restores exc_info, re-raises)
//   * try/finally: normal path runs a copy of the finally body; the handler is
//       PUSH_EXC_INFO; <finally body>; RERAISE, covered by the same cleanup shape.
//   * with: mgr BEFORE_WITH [exit, res] -> STORE/POP_TOP; body; exit(None, None, None)
//       via LOAD_CONST None x3; CALL_FUNCTION 3; POP_TOP. The handler (depth [exit])
//       does PUSH_EXC_INFO; WITH_EXCEPT_START; POP_JUMP_IF_TRUE suppress; RERAISE;
//       suppress: POP_TOP; POP_EXCEPT; POP_TOP.
//   * RERAISE re-raises the exception object on TOS without adding a traceback entry
//     or changing its traceback: for correct line numbers the VM should add the
//     traceback entry for a frame when an exception is first raised in it (or
//     arrives from a call), as CPython does, not when it merely passes through a
//     handler that re-raises.
//   * return inside try/finally or with: the return value stays on TOS while the
//     finally body / __exit__ call runs (SWAP 2 moves it above the items popped).
//  Misc
//   * Chained comparison a < b < c: a b SWAP 2 COPY 2 COMPARE_OP JUMP_IF_FALSE_OR_POP
//     cleanup; c COMPARE_OP; JUMP_FORWARD end; cleanup: SWAP 2 POP_TOP; end.
//   * BINARY_OP arg: BinOp (object.h) or BinOp + INPLACE_BASE for augmented assignment.
//     COMPARE_OP arg: CmpOp. IS_OP / CONTAINS_OP arg 1 = negated.
//   * IMPORT_NAME: stack [level (int), fromlist (None or tuple of str)], names[arg] is the
//     dotted module name ("" for `from . import x`).
//   * Augmented subscript: o k COPY 2 COPY 2 BINARY_SUBSCR v BINARY_OP SWAP 3 SWAP 2
//     STORE_SUBSCR (CPython 3.11).
//   * Every code object ends in RETURN_VALUE; module code returns None (Eval mode
//     returns the expression's value).
// ===================================================================================
#include "compiler/compiler.h"

#include <algorithm>
#include <functional>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "compiler/symtable.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/bytes.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/set.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

using namespace ast;
using symtable::BlockKind;
using symtable::CompKind;
using symtable::Resolution;
using symtable::Scope;
using symtable::SourceInfo;
using symtable::SymTable;

// ------------------------------------------------------------------ stack effects
int stack_effect(Opcode op, uint32_t arg, bool jump) {
  int a = int(arg);
  switch (op) {
    case OP_NOP: return 0;
    case OP_POP_TOP: return -1;
    case OP_COPY: return 1;
    case OP_SWAP: return 0;
    case OP_LOAD_CONST:
    case OP_LOAD_FAST:
    case OP_LOAD_DEREF:
    case OP_LOAD_CLOSURE:
    case OP_LOAD_CLASSDEREF:
    case OP_LOAD_GLOBAL:
    case OP_LOAD_NAME: return 1;
    case OP_STORE_FAST:
    case OP_STORE_DEREF:
    case OP_STORE_GLOBAL:
    case OP_STORE_NAME: return -1;
    case OP_DELETE_FAST:
    case OP_DELETE_DEREF:
    case OP_DELETE_GLOBAL:
    case OP_DELETE_NAME: return 0;
    case OP_LOAD_ATTR: return 0;
    case OP_STORE_ATTR: return -2;
    case OP_DELETE_ATTR: return -1;
    case OP_LOAD_METHOD: return 1;
    case OP_CALL_METHOD: return -a - 1;
    case OP_CALL_METHOD_KW: return -a - 2;
    case OP_CALL_FUNCTION: return -a;
    case OP_CALL_FUNCTION_KW: return -a - 1;
    case OP_CALL_FUNCTION_EX: return -1 - (a & 1);
    case OP_BINARY_SUBSCR: return -1;
    case OP_STORE_SUBSCR: return -3;
    case OP_DELETE_SUBSCR: return -2;
    case OP_BINARY_OP: return -1;
    case OP_UNARY_NEGATIVE:
    case OP_UNARY_POSITIVE:
    case OP_UNARY_NOT:
    case OP_UNARY_INVERT: return 0;
    case OP_COMPARE_OP:
    case OP_IS_OP:
    case OP_CONTAINS_OP: return -1;
    case OP_JUMP_FORWARD:
    case OP_JUMP_BACKWARD: return 0;
    case OP_POP_JUMP_IF_FALSE:
    case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE:
    case OP_POP_JUMP_IF_NOT_NONE: return -1;
    case OP_JUMP_IF_FALSE_OR_POP:
    case OP_JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
    case OP_GET_ITER: return 0;
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_BUILD_TUPLE:
    case OP_BUILD_LIST:
    case OP_BUILD_SET:
    case OP_BUILD_STRING: return 1 - a;
    case OP_BUILD_MAP: return 1 - 2 * a;
    case OP_BUILD_SLICE: return 1 - a;
    case OP_LIST_APPEND:
    case OP_SET_ADD: return -1;
    case OP_MAP_ADD: return -2;
    case OP_LIST_EXTEND:
    case OP_SET_UPDATE:
    case OP_DICT_UPDATE:
    case OP_DICT_MERGE: return -1;
    case OP_LIST_TO_TUPLE: return 0;
    case OP_UNPACK_SEQUENCE: return a - 1;
    case OP_UNPACK_EX: return (a & 0xff) + (a >> 8);
    case OP_FORMAT_VALUE: return (a & 4) ? -1 : 0;
    case OP_MAKE_FUNCTION:
      return -((a & 1) != 0) - ((a & 2) != 0) - ((a & 4) != 0) - ((a & 8) != 0);
    case OP_RETURN_VALUE: return -1;
    case OP_YIELD_VALUE: return 0;
    case OP_GET_YIELD_FROM_ITER: return 0;
    case OP_YIELD_FROM: return -1;
    case OP_RAISE_VARARGS: return -a;
    case OP_PUSH_EXC_INFO: return 1;
    case OP_POP_EXCEPT: return -1;
    case OP_CHECK_EXC_MATCH: return 0;
    case OP_RERAISE: return -1;
    case OP_BEFORE_WITH: return 1;
    case OP_WITH_EXCEPT_START: return 1;
    case OP_LOAD_BUILD_CLASS: return 1;
    case OP_IMPORT_NAME: return -1;
    case OP_IMPORT_FROM: return 1;
    case OP_IMPORT_STAR: return -1;
    case OP_LOAD_ASSERTION_ERROR: return 1;
    case OP_PRINT_EXPR: return -1;
    case OP_SETUP_ANNOTATIONS: return 0;
    case OP_GEN_START: return -1;
    case OP_LOAD_LOCALS: return 1;
    // Superinstructions: the two halves' effects (never seen here; made after stack depths).
    case OP_LOAD_FAST__LOAD_FAST: case OP_LOAD_FAST__LOAD_CONST: case OP_LOAD_CONST__LOAD_FAST:
      return 2;
    case OP_STORE_FAST__LOAD_FAST: return 0;
    case OP_STORE_FAST__STORE_FAST: return -2;
    case OP_COMPARE_OP__POP_JUMP_IF_FALSE: case OP_COMPARE_OP__POP_JUMP_IF_TRUE: return -2;
    case OP_COUNT_: break;
  }
  return 0;
}

void fuse_superinstructions(uint32_t* instrs, int n) {
  for (int i = 0; i + 1 < n; i++) {
    Opcode a = instr_op(instrs[i]), b = instr_op(instrs[i + 1]);
    Opcode f = a;
    if (a == OP_LOAD_FAST && b == OP_LOAD_FAST) f = OP_LOAD_FAST__LOAD_FAST;
    else if (a == OP_LOAD_FAST && b == OP_LOAD_CONST) f = OP_LOAD_FAST__LOAD_CONST;
    else if (a == OP_LOAD_CONST && b == OP_LOAD_FAST) f = OP_LOAD_CONST__LOAD_FAST;
    else if (a == OP_STORE_FAST && b == OP_LOAD_FAST) f = OP_STORE_FAST__LOAD_FAST;
    else if (a == OP_STORE_FAST && b == OP_STORE_FAST) f = OP_STORE_FAST__STORE_FAST;
    else if (a == OP_COMPARE_OP && b == OP_POP_JUMP_IF_FALSE) f = OP_COMPARE_OP__POP_JUMP_IF_FALSE;
    else if (a == OP_COMPARE_OP && b == OP_POP_JUMP_IF_TRUE) f = OP_COMPARE_OP__POP_JUMP_IF_TRUE;
    if (f != a) instrs[i] = make_instr(f, instr_arg(instrs[i]));
  }
}

namespace {

inline bool is_jump_op(Opcode op) {
  switch (op) {
    case OP_JUMP_FORWARD:
    case OP_JUMP_BACKWARD:
    case OP_POP_JUMP_IF_FALSE:
    case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE:
    case OP_POP_JUMP_IF_NOT_NONE:
    case OP_JUMP_IF_FALSE_OR_POP:
    case OP_JUMP_IF_TRUE_OR_POP:
    case OP_FOR_ITER: return true;
    default: return false;
  }
}
inline bool is_terminator(Opcode op) {
  return op == OP_JUMP_FORWARD || op == OP_JUMP_BACKWARD || op == OP_RETURN_VALUE ||
         op == OP_RAISE_VARARGS || op == OP_RERAISE;
}

constexpr int STACK_USE_GUIDELINE = 30;
constexpr int MAX_BLOCKS = 20;
constexpr uint32_t MAX_ARG = (1u << 24) - 1;

enum class FB : uint8_t {
  WhileLoop, ForLoop, TryExcept, FinallyTry, FinallyEnd, With, HandlerCleanup, PopValue,
  ExceptionHandler
};

struct FBlock {
  FB type;
  int block = -1;            // loops: label of the loop head (continue target)
  int exit = -1;             // loops: label after the loop (break target)
  const StmtVec* finalbody = nullptr;  // FinallyTry
  Str* name = nullptr;       // HandlerCleanup: the `as` name (or null)
  int line = 0;              // With: the with statement's line
};

struct Ins {
  Opcode op;
  int32_t arg;
  int32_t line;
  int32_t handler;           // index into Unit::handlers, -1 = none
};

struct HandlerRec {
  int label;
  int setup;                 // instruction index whose entry depth is the handler depth
  int adjust;                // added to that depth (-1 for with: [exit] without enter's result)
  int depth = -1;
};

enum class UnitKind : uint8_t { Module, Class, Function, Lambda, Comprehension };

struct Unit {
  Scope* ste = nullptr;
  UnitKind kind = UnitKind::Module;
  Str* name = nullptr;
  Str* qualname = nullptr;
  Str* priv = nullptr;       // class name for mangling
  std::vector<Ins> code;
  std::vector<int> labels;
  std::vector<HandlerRec> handlers;
  std::vector<int> hstack;
  ValueVec consts;
  std::unordered_map<std::string, int> const_index;
  GcVector<Str*> names;
  std::unordered_map<Str*, int> name_index;
  GcVector<Str*> varnames;
  std::unordered_map<Str*, int> var_index;
  GcVector<Str*> cellvars;
  std::unordered_map<Str*, int> cell_index;
  GcVector<Str*> freevars;
  std::unordered_map<Str*, int> free_index;
  int argcount = 0, posonly = 0, kwonly = 0;
  uint32_t flags = 0;
  std::vector<FBlock> fblocks;
  int line = 1;
  int firstlineno = 1;
  Value docstring;
};

struct Compiler {
  SourceInfo src;
  ParseMode mode;
  SymTable* st = nullptr;
  Unit* u = nullptr;
  std::vector<Unit*> units;
  bool future_annotations = false;
  int walk_depth = 0;   // symtable::WalkDepth
  std::unordered_map<const Expr*, Value> fold_cache;   // values kept alive by consts/AST
  GcVector<Value> fold_keep;                           // keeps folded values reachable

  Str* s_name_ = str_intern("__name__");
  Str* s_module_ = str_intern("__module__");
  Str* s_qualname_ = str_intern("__qualname__");
  Str* s_doc_ = str_intern("__doc__");
  Str* s_class_ = str_intern("__class__");
  Str* s_classcell_ = str_intern("__classcell__");
  Str* s_annotations_ = str_intern("__annotations__");
  Str* s_debug_ = str_intern("__debug__");

  // ================================================================ errors
  [[noreturn]] void error(const std::string& msg, const Node* n) {
    symtable::syntax_error_at(src, msg, n);
  }

  // SyntaxWarning, printed to sys.stderr as the warnings module's default
  // showwarning would ("file:line: SyntaxWarning: msg" and, for real files, the line).
  std::unordered_set<std::string> warned;
  void warn(const std::string& msg, const Node* n) {
    std::string fname(src.filename ? src.filename->view() : "<unknown>");
    std::string text = fname + ":" + std::to_string(n->line) + ": SyntaxWarning: " + msg + "\n";
    if (!warned.insert(text).second) return;
    if (!fname.empty() && fname[0] != '<') {
      std::string line = source_line(src.filename, n->line);
      size_t b = line.find_first_not_of(" \t\f");
      if (b != std::string::npos) text += "  " + line.substr(b) + "\n";
    }
    Value err = sys_get("stderr");
    try {
      if (err && !is_none(err)) {
        file_write(err, text);
        return;
      }
    } catch (PyThrow&) {
      take_exception();
    }
    fputs(text.c_str(), stderr);
  }

  static bool is_arg_ok_for_is(Expr* e) {
    if (e->kind != EK::Constant) return true;
    Value v = static_cast<Constant*>(e)->value;
    return v == None() || v == True() || v == False() || v == Ellipsis();
  }
  void check_compare(Compare* e) {
    bool left = is_arg_ok_for_is(e->left) && !(e->left->kind == EK::Tuple && const_value(e->left));
    for (size_t i = 0; i < e->ops.size(); i++) {
      Expr* r = e->comparators[i];
      bool right = is_arg_ok_for_is(r) && !(r->kind == EK::Tuple && const_value(r));
      if ((e->ops[i] == CmpKind::Is || e->ops[i] == CmpKind::IsNot) && (!left || !right))
        warn(e->ops[i] == CmpKind::Is ? "\"is\" with a literal. Did you mean \"==\"?"
                                      : "\"is not\" with a literal. Did you mean \"!=\"?",
             e);
      left = right;
    }
  }

  // ================================================================ emission
  int new_label() {
    u->labels.push_back(-1);
    return int(u->labels.size() - 1);
  }
  void bind(int l) { u->labels[l] = int(u->code.size()); }
  void emit(Opcode op, int arg = 0) {
    u->code.push_back(Ins{op, arg, u->line, u->hstack.empty() ? -1 : u->hstack.back()});
  }
  void emit_jump(Opcode op, int label) { emit(op, label); }
  void push_handler(int label, int adjust = 0) {
    u->handlers.push_back(HandlerRec{label, int(u->code.size()), adjust});
    u->hstack.push_back(int(u->handlers.size() - 1));
  }
  void pop_handler() { u->hstack.pop_back(); }

  void push_fblock(FBlock fb, const Node* loc) {
    if (u->fblocks.size() >= size_t(MAX_BLOCKS)) error("too many statically nested blocks", loc);
    u->fblocks.push_back(fb);
  }
  void pop_fblock() { u->fblocks.pop_back(); }

  // ---------------------------------------------------------------- constants
  static void put64(std::string& k, uint64_t v) { k.append(reinterpret_cast<const char*>(&v), 8); }
  static bool const_key(Value v, std::string& k) {
    if (v.is_small()) {
      k += 'i';
      put64(k, v.bits());
      return true;
    }
    if (v == None()) { k += 'N'; return true; }
    if (v == True()) { k += 'T'; return true; }
    if (v == False()) { k += 'F'; return true; }
    if (v == Ellipsis()) { k += 'E'; return true; }
    Type* t = type_of(v);
    if (t == &int_type) {
      k += 'I';
      std::string s = int_to_string(v, 16);
      put64(k, s.size());
      k += s;
      return true;
    }
    if (t == &float_type) {
      double d = float_val(v);
      uint64_t b;
      std::memcpy(&b, &d, 8);
      k += 'f';
      put64(k, b);
      return true;
    }
    if (t == &str_type) {
      std::string_view s = as_str(v)->view();
      k += 's';
      put64(k, s.size());
      k += s;
      return true;
    }
    if (t == &bytes_type) {
      std::string_view s = v.as<Bytes>()->view();
      k += 'b';
      put64(k, s.size());
      k += s;
      return true;
    }
    if (t == &tuple_type) {
      Tuple* tp = v.as<Tuple>();
      k += 't';
      put64(k, uint64_t(tp->size));
      for (int64_t i = 0; i < tp->size; i++)
        if (!const_key(tp->items()[i], k)) return false;
      return true;
    }
    return false;
  }
  int add_const(Value v) {
    std::string k;
    if (const_key(v, k)) {
      auto it = u->const_index.find(k);
      if (it != u->const_index.end()) return it->second;
      int idx = int(u->consts.size());
      u->consts.push_back(v);
      u->const_index.emplace(std::move(k), idx);
      return idx;
    }
    u->consts.push_back(v);
    return int(u->consts.size() - 1);
  }
  void load_const(Value v) { emit(OP_LOAD_CONST, add_const(v)); }

  int add_name(Str* s) {
    s = symtable::intern(s);
    auto it = u->name_index.find(s);
    if (it != u->name_index.end()) return it->second;
    int idx = int(u->names.size());
    u->names.push_back(s);
    u->name_index.emplace(s, idx);
    return idx;
  }
  int add_varname(Str* s) {
    s = symtable::intern(s);
    auto it = u->var_index.find(s);
    if (it != u->var_index.end()) return it->second;
    int idx = int(u->varnames.size());
    u->varnames.push_back(s);
    u->var_index.emplace(s, idx);
    return idx;
  }
  Str* mangled(Str* name) { return symtable::intern(symtable::mangle(u->priv, name)); }
  void emit_name(Opcode op, Str* name) { emit(op, add_name(mangled(name))); }

  // index in the frame's cells (cellvars then freevars), -1 if absent
  int cell_slot(Str* name) {
    auto it = u->cell_index.find(name);
    if (it != u->cell_index.end()) return it->second;
    auto jt = u->free_index.find(name);
    if (jt != u->free_index.end()) return int(u->cellvars.size()) + jt->second;
    return -1;
  }

  // ================================================================ units
  Str* make_qualname(Str* name, UnitKind kind) {
    if (units.size() <= 1) return name;   // only the module encloses us
    Unit* parent = u;
    if (kind == UnitKind::Function || kind == UnitKind::Class) {
      Str* m = symtable::intern(symtable::mangle(parent->priv, name));
      if (parent->ste->resolve(m) == Resolution::GlobalExplicit) return name;
    }
    std::string q(parent->qualname->view());
    if (parent->kind == UnitKind::Function || parent->kind == UnitKind::Lambda)
      q += ".<locals>";
    q += '.';
    q += name->view();
    return str_new(q);
  }

  static bool str_less(Str* a, Str* b) { return a->view() < b->view(); }

  void enter_unit(Unit* nu, Scope* ste, UnitKind kind, Str* name, Str* priv, int firstlineno) {
    nu->ste = ste;
    nu->kind = kind;
    nu->name = name;
    nu->qualname = kind == UnitKind::Module ? name : make_qualname(name, kind);
    nu->priv = priv;
    nu->firstlineno = firstlineno;
    nu->line = firstlineno;
    nu->docstring = None();
    // cells and free variables, sorted by name as CPython does
    for (Str* n : ste->order) {
      Resolution r = ste->resolve(n);
      if (r == Resolution::Cell) nu->cellvars.push_back(n);
      else if (r == Resolution::Free || (ste->flags_of(n) & symtable::DEF_FREE_CLASS))
        nu->freevars.push_back(n);
    }
    std::sort(nu->cellvars.begin(), nu->cellvars.end(), str_less);
    std::sort(nu->freevars.begin(), nu->freevars.end(), str_less);
    if (ste->needs_class_closure) nu->cellvars.insert(nu->cellvars.begin(), s_class_);
    for (size_t i = 0; i < nu->cellvars.size(); i++) nu->cell_index[nu->cellvars[i]] = int(i);
    for (size_t i = 0; i < nu->freevars.size(); i++) nu->free_index[nu->freevars[i]] = int(i);
    units.push_back(nu);
    u = nu;
  }
  Code* exit_unit() {
    Code* co = assemble();
    units.pop_back();
    u = units.empty() ? nullptr : units.back();
    return co;
  }

  // ================================================================ assembly
  [[noreturn]] void internal_error(const char* what) {
    raise(&exc_SystemError, "compiler: %s in %s", what, std::string(u->qualname->view()).c_str());
  }

  Code* assemble() {
    std::vector<Ins>& code = u->code;
    int n = int(code.size());
    // resolve labels, choose jump directions
    for (int i = 0; i < n; i++) {
      Ins& in = code[i];
      if (!is_jump_op(in.op)) continue;
      int tgt = u->labels[in.arg];
      if (tgt < 0) internal_error("unbound label");
      in.arg = tgt;
      if (in.op == OP_JUMP_FORWARD || in.op == OP_JUMP_BACKWARD) {
        in.op = tgt <= i ? OP_JUMP_BACKWARD : OP_JUMP_FORWARD;
      } else if (tgt <= i) {
        internal_error("backward conditional jump");
      }
    }
    // thread unconditional forward jumps to jumps / returns (cheap peephole)
    for (int i = 0; i < n; i++) {
      Ins& in = code[i];
      if (in.op != OP_JUMP_FORWARD) continue;
      for (int hops = 0; hops < 8; hops++) {
        const Ins& t = code[in.arg];
        if (t.op == OP_JUMP_FORWARD && t.arg > i) {
          in.arg = t.arg;
        } else {
          break;
        }
      }
    }
    // stack depth over the flow graph
    std::vector<int> depth_at(size_t(n), -1);
    std::vector<std::pair<int, int>> work;
    std::vector<char> seeded(u->handlers.size(), 0);
    bool gen = u->ste->is_generator;
    int maxd = gen ? 1 : 0;
    if (n > 0) work.push_back({0, gen ? 1 : 0});
    while (!work.empty()) {
      auto [i, d] = work.back();
      work.pop_back();
      while (i < n) {
        if (depth_at[i] >= 0) {
          if (depth_at[i] != d) internal_error("inconsistent stack depth");
          break;
        }
        depth_at[i] = d;
        const Ins& in = code[i];
        if (in.handler >= 0 && !seeded[in.handler]) {
          HandlerRec& h = u->handlers[in.handler];
          seeded[in.handler] = 1;
          int sd = depth_at[h.setup];
          if (sd < 0) internal_error("handler setup not reached");
          h.depth = sd + h.adjust;
          work.push_back({u->labels[h.label], h.depth + 1});
          maxd = std::max(maxd, h.depth + 1);
        }
        if (is_jump_op(in.op)) {
          int jd = d + stack_effect(in.op, in.arg, true);
          if (jd < 0) internal_error("negative stack depth");
          maxd = std::max(maxd, jd);
          work.push_back({in.arg, jd});
        }
        d += stack_effect(in.op, in.arg, false);
        if (d < 0) internal_error("negative stack depth");
        maxd = std::max(maxd, d);
        if (is_terminator(in.op)) break;
        i++;
      }
    }
    // exception table: runs of instructions with the same reachable handler
    std::vector<ExcTableEntry> table;
    for (int i = 0; i < n;) {
      int h = code[i].handler;
      int j = i + 1;
      while (j < n && code[j].handler == h) j++;
      if (h >= 0 && seeded[h])
        table.push_back(ExcTableEntry{i, j, u->labels[u->handlers[h].label], u->handlers[h].depth});
      i = j;
    }
    // the code object
    Code* co = gc_new_obj<Code>(&code_type);
    co->name = u->name;
    co->qualname = u->qualname;
    co->filename = src.filename;
    co->argcount = u->argcount;
    co->posonlyargcount = u->posonly;
    co->kwonlyargcount = u->kwonly;
    co->nlocals = int32_t(u->varnames.size());
    co->stacksize = maxd;
    co->firstlineno = u->firstlineno;
    uint32_t flags = u->flags;
    if (u->ste->kind == BlockKind::Function) flags |= CO_OPTIMIZED | CO_NEWLOCALS;
    if (u->ste->is_generator) flags |= CO_GENERATOR;
    if (u->ste->nested) flags |= CO_NESTED;
    if (u->cellvars.empty() && u->freevars.empty()) flags |= CO_NOFREE;
    co->flags = flags;
    auto mk_tuple = [](const GcVector<Str*>& v) {
      Tuple* t = tuple_new(int64_t(v.size()));
      for (size_t i = 0; i < v.size(); i++) t->items()[i] = vstr(v[i]);
      return t;
    };
    co->varnames = mk_tuple(u->varnames);
    co->cellvars = mk_tuple(u->cellvars);
    co->freevars = mk_tuple(u->freevars);
    co->names = mk_tuple(u->names);
    co->consts = tuple_from(u->consts.data(), int64_t(u->consts.size()));
    co->cell2arg = nullptr;
    bool any_arg_cell = false;
    int nargs_total = u->argcount + u->kwonly + ((u->flags & CO_VARARGS) ? 1 : 0) +
                      ((u->flags & CO_VARKEYWORDS) ? 1 : 0);
    std::vector<int32_t> c2a(u->cellvars.size(), -1);
    for (size_t i = 0; i < u->cellvars.size(); i++) {
      auto it = u->var_index.find(u->cellvars[i]);
      if (it != u->var_index.end() && it->second < nargs_total) {
        c2a[i] = it->second;
        any_arg_cell = true;
      }
    }
    if (any_arg_cell) {
      co->cell2arg = static_cast<int32_t*>(gc_alloc_atomic(sizeof(int32_t) * c2a.size()));
      std::memcpy(co->cell2arg, c2a.data(), sizeof(int32_t) * c2a.size());
    }
    if (u->consts.size() > MAX_ARG || u->names.size() > MAX_ARG || size_t(n) > MAX_ARG ||
        u->varnames.size() > MAX_ARG)
      raise(&exc_SystemError, "code too large");
    co->instrs = static_cast<uint32_t*>(gc_alloc_atomic(sizeof(uint32_t) * size_t(n ? n : 1)));
    co->lines = static_cast<int32_t*>(gc_alloc_atomic(sizeof(int32_t) * size_t(n ? n : 1)));
    for (int i = 0; i < n; i++) {
      if (uint32_t(code[i].arg) > MAX_ARG) raise(&exc_SystemError, "code too large");
      co->instrs[i] = make_instr(code[i].op, uint32_t(code[i].arg));
      co->lines[i] = code[i].line;
    }
    fuse_superinstructions(co->instrs, n);
    co->ninstrs = n;
    co->nexc = int32_t(table.size());
    co->exc_table = nullptr;
    if (!table.empty()) {
      co->exc_table = static_cast<ExcTableEntry*>(gc_alloc_atomic(sizeof(ExcTableEntry) * table.size()));
      std::memcpy(co->exc_table, table.data(), sizeof(ExcTableEntry) * table.size());
    }
    co->docstring = u->docstring;
    co->cache = nullptr;
    return co;
  }

  // ================================================================ names
  void nameop(Str* name, Ctx ctx) {
    Str* m = mangled(name);
    if (ctx == Ctx::Load && m == s_debug_) {
      load_const(True());
      return;
    }
    enum { OPNAME, OPFAST, OPGLOBAL, OPDEREF } optype = OPNAME;
    bool fn = u->ste->kind == BlockKind::Function;
    switch (u->ste->resolve(m)) {
      case Resolution::Free:
      case Resolution::Cell: optype = OPDEREF; break;
      case Resolution::Local: if (fn) optype = OPFAST; break;
      case Resolution::GlobalImplicit: if (fn) optype = OPGLOBAL; break;
      case Resolution::GlobalExplicit: optype = OPGLOBAL; break;
      case Resolution::None: break;
    }
    switch (optype) {
      case OPDEREF: {
        int idx = cell_slot(m);
        if (idx < 0) internal_error("unknown cell");
        if (ctx == Ctx::Load)
          emit(u->ste->kind == BlockKind::Class ? OP_LOAD_CLASSDEREF : OP_LOAD_DEREF, idx);
        else
          emit(ctx == Ctx::Store ? OP_STORE_DEREF : OP_DELETE_DEREF, idx);
        return;
      }
      case OPFAST: {
        int idx = add_varname(m);
        emit(ctx == Ctx::Load ? OP_LOAD_FAST : ctx == Ctx::Store ? OP_STORE_FAST : OP_DELETE_FAST, idx);
        return;
      }
      case OPGLOBAL:
        emit(ctx == Ctx::Load ? OP_LOAD_GLOBAL : ctx == Ctx::Store ? OP_STORE_GLOBAL : OP_DELETE_GLOBAL,
             add_name(m));
        return;
      case OPNAME:
        emit(ctx == Ctx::Load ? OP_LOAD_NAME : ctx == Ctx::Store ? OP_STORE_NAME : OP_DELETE_NAME,
             add_name(m));
        return;
    }
  }

  // ================================================================ constant folding
  static bool is_numeric_const(Value v) {
    return v.is_small() || is_type(v, &int_type) || is_type(v, &float_type);  // exact, either form
  }
  // keep folded powers small, as CPython's safe_power does
  static bool is_big_pow_risk(Value a, Value b) {
    if (v_is_float(a) || v_is_float(b)) return false;
    if (!a.is_small() || !b.is_small()) return true;
    int64_t e = b.small();
    if (e < 0) return false;
    int64_t x = a.small() < 0 ? -a.small() : a.small();
    int64_t bits = 0;
    while (x) {
      bits++;
      x >>= 1;
    }
    // bits * e > 128 without the overflow a huge exponent caused (found by fuzzing)
    if (e == 0 || bits == 0) return false;
    return bits > 128 / e;
  }
  static bool v_is_float(Value v) { return is_type(v, &float_type); }  // immediate or boxed

  // The compile-time value of e, or null. Results are cached per node.
  Value const_value(Expr* e) {
    switch (e->kind) {
      case EK::Constant: return static_cast<Constant*>(e)->value;
      case EK::Name:
        if (static_cast<Name*>(e)->ctx == Ctx::Load && symtable::intern(static_cast<Name*>(e)->id) == s_debug_)
          return True();
        return Value::null();
      case EK::UnaryOp:
      case EK::BinOp:
      case EK::Tuple: break;
      default: return Value::null();
    }
    symtable::WalkDepth guard(&walk_depth);
    auto it = fold_cache.find(e);
    if (it != fold_cache.end()) return it->second;
    Value r = Value::null();
    if (e->kind == EK::UnaryOp) {
      auto* x = static_cast<UnaryOp*>(e);
      Value v = const_value(x->operand);
      if (v && is_numeric_const(v)) {
        try {
          if (x->op == UnaryOpKind::USub) r = unary_neg(v);
          else if (x->op == UnaryOpKind::UAdd) r = unary_pos(v);
          else if (x->op == UnaryOpKind::Invert && !v_is_float(v)) r = unary_invert(v);
        } catch (PyThrow&) {
          take_exception();
          r = Value::null();
        }
      }
    } else if (e->kind == EK::BinOp) {
      auto* x = static_cast<BinOpE*>(e);
      Value a = const_value(x->left);
      Value b = a ? const_value(x->right) : Value::null();
      if (a && b) r = fold_binop(a, x->op, b);
    } else {
      auto* t = static_cast<TupleE*>(e);
      if (t->ctx == Ctx::Load) {
        Tuple* tp = tuple_new(int64_t(t->elts.size()));
        bool ok = true;
        for (size_t i = 0; i < t->elts.size() && ok; i++) {
          Value v = t->elts[i]->kind == EK::Starred ? Value::null() : const_value(t->elts[i]);
          if (!v) ok = false;
          else tp->items()[i] = v;
        }
        if (ok) r = vtuple(tp);
      }
    }
    if (r) fold_keep.push_back(r);
    fold_cache.emplace(e, r);
    return r;
  }

  Value fold_binop(Value a, BinOp op, Value b) {
    bool num = is_numeric_const(a) && is_numeric_const(b);
    if (!num) {
      if (op == BinOp::Add && is_type(a, &str_type) && is_type(b, &str_type) &&
          as_str(a)->length + as_str(b)->length <= 4096)
        return vstr(str_concat(as_str(a), as_str(b)));
      return Value::null();
    }
    switch (op) {
      case BinOp::Pow:
        if (is_big_pow_risk(a, b)) return Value::null();
        break;
      case BinOp::LShift:
        if (!b.is_small() || b.small() > 128) return Value::null();
        if (!a.is_small()) return Value::null();
        break;
      case BinOp::MatMul: return Value::null();
      case BinOp::Mul:
        if (!(a.is_small() || v_is_float(a)) || !(b.is_small() || v_is_float(b))) return Value::null();
        break;
      default: break;
    }
    try {
      Value r = binary_op(a, b, op);
      if (!is_numeric_const(r)) return Value::null();
      return r;
    } catch (PyThrow&) {
      take_exception();
      return Value::null();
    }
  }

  static bool const_truth(Value v, bool* out) {
    if (v == None() || v == False()) { *out = false; return true; }
    if (v == True() || v == Ellipsis()) { *out = true; return true; }
    if (v.is_small()) { *out = v.small() != 0; return true; }
    Type* t = type_of(v);
    if (t == &str_type) { *out = as_str(v)->size != 0; return true; }
    if (t == &float_type) { *out = float_val(v) != 0.0; return true; }
    if (t == &int_type) { *out = true; return true; }   // big ints are never zero
    if (t == &bytes_type) { *out = v.as<Bytes>()->size != 0; return true; }
    if (t == &tuple_type) { *out = v.as<Tuple>()->size != 0; return true; }
    return false;
  }

  // ================================================================ module / bodies
  static bool find_ann(const StmtVec& body) {
    for (Stmt* s : body) {
      switch (s->kind) {
        case SK::AnnAssign: return true;
        case SK::For: {
          auto* f = static_cast<For*>(s);
          if (find_ann(f->body) || find_ann(f->orelse)) return true;
          break;
        }
        case SK::While: {
          auto* w = static_cast<While*>(s);
          if (find_ann(w->body) || find_ann(w->orelse)) return true;
          break;
        }
        case SK::If: {
          auto* i = static_cast<If*>(s);
          if (find_ann(i->body) || find_ann(i->orelse)) return true;
          break;
        }
        case SK::With:
          if (find_ann(static_cast<With*>(s)->body)) return true;
          break;
        case SK::Try: {
          auto* t = static_cast<Try*>(s);
          for (ExceptHandler* h : t->handlers)
            if (find_ann(h->body)) return true;
          if (find_ann(t->body) || find_ann(t->orelse) || find_ann(t->finalbody)) return true;
          break;
        }
        default: break;
      }
    }
    return false;
  }

  static Value docstring_of(const StmtVec& body) {
    if (body.empty() || body[0]->kind != SK::Expr) return Value::null();
    Expr* e = static_cast<ExprStmt*>(body[0])->value;
    if (e->kind != EK::Constant) return Value::null();
    Value v = static_cast<Constant*>(e)->value;
    if (!is_type(v, &str_type)) return Value::null();
    return v;
  }

  // module and class bodies: annotations, docstring into __doc__, statements
  void compile_body(const StmtVec& body) {
    if (u->kind == UnitKind::Module && !body.empty()) u->line = body[0]->line;
    if (find_ann(body)) emit(OP_SETUP_ANNOTATIONS);
    size_t i = 0;
    Value doc = docstring_of(body);
    if (doc) {
      u->docstring = doc;
      u->line = body[0]->line;
      load_const(doc);
      nameop(s_doc_, Ctx::Store);
      i = 1;
    }
    for (; i < body.size(); i++) visit_stmt(body[i]);
  }

  Code* compile_module(ast::Module* mod) {
    Unit mu;
    enter_unit(&mu, st->top, UnitKind::Module, str_intern("<module>"), nullptr, 1);
    if (mode == ParseMode::Eval) {
      if (mod->body.empty() || mod->body[0]->kind != SK::Expr) internal_error("eval needs an expression");
      Expr* e = static_cast<ExprStmt*>(mod->body[0])->value;
      u->line = e->line;
      visit_expr(e);
      emit(OP_RETURN_VALUE);
    } else if (mode == ParseMode::Single) {
      if (find_ann(mod->body)) emit(OP_SETUP_ANNOTATIONS);
      for (Stmt* s : mod->body) visit_stmt(s);
      load_const(None());
      emit(OP_RETURN_VALUE);
    } else {
      compile_body(mod->body);
      load_const(None());
      emit(OP_RETURN_VALUE);
    }
    return exit_unit();
  }

  // ================================================================ functions
  // A function's annotations, evaluated at definition time in the enclosing scope (or,
  // under `from __future__ import annotations`, their source text), as one dict for
  // MAKE_FUNCTION's flag 4: the parameters (regular ones before positional-only ones,
  // as CPython 3.11 orders them), then 'return'.
  int compile_annotations(FunctionDef* s) {
    int n = 0;
    auto one = [&](Str* name, Expr* ann) {
      if (!ann) return;
      load_const(vstr(mangled(name)));
      if (future_annotations) load_const(vstr(str_new(source_segment(ann))));
      else visit_expr(ann);
      n++;
    };
    Arguments* a = s->args;
    for (Arg* x : a->args) one(x->arg, x->annotation);  // CPython's order: these first
    for (Arg* x : a->posonlyargs) one(x->arg, x->annotation);
    if (a->vararg) one(a->vararg->arg, a->vararg->annotation);
    for (Arg* x : a->kwonlyargs) one(x->arg, x->annotation);
    if (a->kwarg) one(a->kwarg->arg, a->kwarg->annotation);
    one(GP_STR("return"), s->returns);
    if (!n) return 0;
    emit(OP_BUILD_MAP, n);
    return 4;
  }

  int compile_defaults(Arguments* a, const Node* loc) {
    int flags = 0;
    if (!a->defaults.empty()) {
      bool allc = true;
      for (Expr* d : a->defaults)
        if (!const_value(d)) { allc = false; break; }
      if (allc) {
        Tuple* t = tuple_new(int64_t(a->defaults.size()));
        for (size_t i = 0; i < a->defaults.size(); i++) t->items()[i] = const_value(a->defaults[i]);
        load_const(vtuple(t));
      } else {
        for (Expr* d : a->defaults) visit_expr(d);
        emit(OP_BUILD_TUPLE, int(a->defaults.size()));
      }
      flags |= 1;
    }
    int nkw = 0;
    for (size_t i = 0; i < a->kwonlyargs.size() && i < a->kw_defaults.size(); i++) {
      Expr* d = a->kw_defaults[i];
      if (!d) continue;
      load_const(vstr(mangled(a->kwonlyargs[i]->arg)));
      visit_expr(d);
      nkw++;
    }
    if (nkw) {
      emit(OP_BUILD_MAP, nkw);
      flags |= 2;
    }
    return flags;
  }

  void set_params(Arguments* a) {
    for (Arg* x : a->posonlyargs) add_varname(mangled(x->arg));
    for (Arg* x : a->args) add_varname(mangled(x->arg));
    u->posonly = int(a->posonlyargs.size());
    u->argcount = int(a->posonlyargs.size() + a->args.size());
    if (a->vararg) {
      add_varname(mangled(a->vararg->arg));
      u->flags |= CO_VARARGS;
    }
    for (Arg* x : a->kwonlyargs) add_varname(mangled(x->arg));
    u->kwonly = int(a->kwonlyargs.size());
    if (a->kwarg) {
      add_varname(mangled(a->kwarg->arg));
      u->flags |= CO_VARKEYWORDS;
    }
  }

  void make_closure(Code* co, int flags) {
    int64_t nfree = co->freevars->size;
    if (nfree > 0) {
      for (int64_t i = 0; i < nfree; i++) {
        Str* name = as_str(co->freevars->items()[i]);
        int idx = cell_slot(name);
        if (idx < 0) internal_error("closure variable not found");
        emit(OP_LOAD_CLOSURE, idx);
      }
      emit(OP_BUILD_TUPLE, int(nfree));
      flags |= 8;
    }
    load_const(Value::from_obj(co));
    emit(OP_MAKE_FUNCTION, flags);
  }

  void apply_decorators(const ExprVec& decos) {
    int saved = u->line;
    for (size_t i = decos.size(); i-- > 0;) {
      u->line = decos[i]->line;
      emit(OP_CALL_FUNCTION, 1);
    }
    u->line = saved;
  }

  void compile_function(FunctionDef* s) {
    for (Expr* d : s->decorator_list) visit_expr(d);
    int firstlineno = s->decorator_list.empty() ? s->line : s->decorator_list[0]->line;
    u->line = s->line;
    int flags = compile_defaults(s->args, s);
    flags |= compile_annotations(s);
    Scope* fs = st->lookup(s);
    if (!fs) internal_error("no scope for function");
    Unit fu;
    Str* priv = u->priv;
    enter_unit(&fu, fs, UnitKind::Function, s->name, priv, firstlineno);
    u->line = s->line;
    set_params(s->args);
    if (fs->is_generator) emit(OP_GEN_START);
    Value doc = docstring_of(s->body);
    size_t i = 0;
    if (doc) {
      u->docstring = doc;
      i = 1;
    }
    for (; i < s->body.size(); i++) visit_stmt(s->body[i]);
    load_const(None());
    emit(OP_RETURN_VALUE);
    Code* co = exit_unit();
    u->line = s->line;
    make_closure(co, flags);
    apply_decorators(s->decorator_list);
    nameop(s->name, Ctx::Store);
  }

  void compile_lambda(Lambda* e) {
    int flags = compile_defaults(e->args, e);
    Scope* ls = st->lookup(e);
    if (!ls) internal_error("no scope for lambda");
    Unit lu;
    enter_unit(&lu, ls, UnitKind::Lambda, str_intern("<lambda>"), u->priv, e->line);
    u->line = e->line;
    set_params(e->args);
    if (ls->is_generator) emit(OP_GEN_START);
    visit_expr(e->body);
    if (ls->is_generator) {
      emit(OP_POP_TOP);
      load_const(None());
    }
    emit(OP_RETURN_VALUE);
    Code* co = exit_unit();
    make_closure(co, flags);
  }

  void compile_class(ClassDef* s) {
    for (Expr* d : s->decorator_list) visit_expr(d);
    int firstlineno = s->decorator_list.empty() ? s->line : s->decorator_list[0]->line;
    Scope* cs = st->lookup(s);
    if (!cs) internal_error("no scope for class");
    Unit cu;
    enter_unit(&cu, cs, UnitKind::Class, s->name, s->name, firstlineno);
    u->line = s->line;
    nameop(s_name_, Ctx::Load);
    nameop(s_module_, Ctx::Store);
    load_const(vstr(u->qualname));
    nameop(s_qualname_, Ctx::Store);
    compile_body(s->body);
    if (cs->needs_class_closure) {
      emit(OP_LOAD_CLOSURE, 0);
      emit_name(OP_STORE_NAME, s_classcell_);
    }
    load_const(None());
    emit(OP_RETURN_VALUE);
    Code* co = exit_unit();
    u->line = s->line;
    emit(OP_LOAD_BUILD_CLASS);
    make_closure(co, 0);
    load_const(vstr(s->name));
    call_helper(2, s->bases, s->keywords);
    apply_decorators(s->decorator_list);
    nameop(s->name, Ctx::Store);
  }

  // ================================================================ statements
  void visit_stmts(const StmtVec& v) {
    for (Stmt* s : v) visit_stmt(s);
  }

  void visit_stmt(Stmt* s) {
    symtable::WalkDepth guard(&walk_depth);
    u->line = s->line;
    switch (s->kind) {
      case SK::FunctionDef: compile_function(static_cast<FunctionDef*>(s)); break;
      case SK::ClassDef: compile_class(static_cast<ClassDef*>(s)); break;
      case SK::Return: compile_return(static_cast<Return*>(s)); break;
      case SK::Delete:
        for (Expr* t : static_cast<Delete*>(s)->targets) delete_target(t);
        break;
      case SK::Assign: compile_assign(static_cast<Assign*>(s)); break;
      case SK::AugAssign: compile_augassign(static_cast<AugAssign*>(s)); break;
      case SK::AnnAssign: compile_annassign(static_cast<AnnAssign*>(s)); break;
      case SK::For: compile_for(static_cast<For*>(s)); break;
      case SK::While: compile_while(static_cast<While*>(s)); break;
      case SK::If: compile_if(static_cast<If*>(s)); break;
      case SK::Match: compile_match(static_cast<Match*>(s)); break;
      case SK::With: compile_with(static_cast<With*>(s), 0); break;
      case SK::Raise: {
        auto* r = static_cast<Raise*>(s);
        int n = 0;
        if (r->exc) {
          visit_expr(r->exc);
          n++;
          if (r->cause) {
            visit_expr(r->cause);
            n++;
          }
        }
        emit(OP_RAISE_VARARGS, n);
        break;
      }
      case SK::Try: {
        auto* t = static_cast<Try*>(s);
        if (!t->finalbody.empty()) compile_try_finally(t);
        else compile_try_except(t);
        break;
      }
      case SK::Assert: compile_assert(static_cast<Assert*>(s)); break;
      case SK::Import: compile_import(static_cast<Import*>(s)); break;
      case SK::ImportFrom: compile_import_from(static_cast<ImportFrom*>(s)); break;
      case SK::Global:
      case SK::Nonlocal:
      case SK::Pass: break;
      case SK::Expr: {
        Expr* v = static_cast<ExprStmt*>(s)->value;
        if (mode == ParseMode::Single && u->kind == UnitKind::Module) {
          visit_expr(v);
          emit(OP_PRINT_EXPR);
        } else if (v->kind == EK::Constant) {
          // constant statements (docstrings elsewhere, `...`) do nothing
        } else {
          visit_expr(v);
          emit(OP_POP_TOP);
        }
        break;
      }
      case SK::Break: compile_break(s); break;
      case SK::Continue: compile_continue(s); break;
    }
  }

  // ---------------------------------------------------------------- fblock unwinding
  void call_exit_with_nones() {
    load_const(None());
    load_const(None());
    load_const(None());
    emit(OP_CALL_FUNCTION, 3);
  }

  void unwind_fblock(const FBlock& fb, bool preserve) {
    switch (fb.type) {
      case FB::WhileLoop:
      case FB::ExceptionHandler: break;
      case FB::ForLoop:
        if (preserve) emit(OP_SWAP, 2);
        emit(OP_POP_TOP);
        break;
      case FB::TryExcept: pop_handler(); break;
      case FB::FinallyTry: {
        pop_handler();
        int saved = u->line;
        if (preserve) u->fblocks.push_back(FBlock{FB::PopValue});
        visit_stmts(*fb.finalbody);
        if (preserve) u->fblocks.pop_back();
        u->line = saved;
        break;
      }
      case FB::FinallyEnd:
        if (preserve) emit(OP_SWAP, 2);
        emit(OP_POP_TOP);
        if (preserve) emit(OP_SWAP, 2);
        pop_handler();
        emit(OP_POP_EXCEPT);
        break;
      case FB::With: {
        int saved = u->line;
        u->line = fb.line;
        pop_handler();
        if (preserve) emit(OP_SWAP, 2);
        call_exit_with_nones();
        emit(OP_POP_TOP);
        u->line = saved;
        break;
      }
      case FB::HandlerCleanup:
        if (fb.name) pop_handler();
        if (preserve) emit(OP_SWAP, 2);
        pop_handler();
        emit(OP_POP_EXCEPT);
        if (fb.name) {
          load_const(None());
          nameop(fb.name, Ctx::Store);
          nameop(fb.name, Ctx::Del);
        }
        break;
      case FB::PopValue:
        if (preserve) emit(OP_SWAP, 2);
        emit(OP_POP_TOP);
        break;
    }
  }

  // Unwind fblocks from the top; with `loop`, stop at (and return) the innermost loop.
  bool unwind_fblock_stack(bool preserve, FBlock* loop) {
    if (u->fblocks.empty()) return false;
    FBlock top = u->fblocks.back();
    if (loop && (top.type == FB::WhileLoop || top.type == FB::ForLoop)) {
      *loop = top;
      return true;
    }
    u->fblocks.pop_back();
    unwind_fblock(top, preserve);
    bool r = unwind_fblock_stack(preserve, loop);
    u->fblocks.push_back(top);
    return r;
  }

  void compile_return(Return* s) {
    if (u->ste->kind != BlockKind::Function) error("'return' outside function", s);
    bool preserve = s->value && s->value->kind != EK::Constant;
    if (preserve) visit_expr(s->value);
    std::vector<int> saved_h = u->hstack;
    unwind_fblock_stack(preserve, nullptr);
    u->line = s->line;
    if (!s->value) load_const(None());
    else if (!preserve) load_const(static_cast<Constant*>(s->value)->value);
    emit(OP_RETURN_VALUE);
    u->hstack = std::move(saved_h);
  }

  void compile_break(Stmt* s) {
    std::vector<int> saved_h = u->hstack;
    FBlock loop{FB::WhileLoop};
    if (!unwind_fblock_stack(false, &loop)) error("'break' outside loop", s);
    unwind_fblock(loop, false);
    u->line = s->line;
    emit_jump(OP_JUMP_FORWARD, loop.exit);
    u->hstack = std::move(saved_h);
  }

  void compile_continue(Stmt* s) {
    std::vector<int> saved_h = u->hstack;
    FBlock loop{FB::WhileLoop};
    if (!unwind_fblock_stack(false, &loop)) error("'continue' not properly in loop", s);
    u->line = s->line;
    emit_jump(OP_JUMP_FORWARD, loop.block);
    u->hstack = std::move(saved_h);
  }

  // ---------------------------------------------------------------- assignment
  void compile_assign(Assign* s) {
    size_t nt = s->targets.size();
    // a, b = x, y  (2 or 3 items, no starred): no tuple is built
    if (nt == 1 && s->value->kind == EK::Tuple &&
        (s->targets[0]->kind == EK::Tuple || s->targets[0]->kind == EK::List)) {
      auto* vt = static_cast<TupleE*>(s->value);
      const ExprVec& te = s->targets[0]->kind == EK::Tuple ? static_cast<TupleE*>(s->targets[0])->elts
                                                          : static_cast<ListE*>(s->targets[0])->elts;
      size_t n = vt->elts.size();
      bool ok = (n == 2 || n == 3) && te.size() == n && !const_value(vt);
      for (size_t i = 0; ok && i < n; i++)
        if (vt->elts[i]->kind == EK::Starred || te[i]->kind == EK::Starred) ok = false;
      if (ok) {
        for (Expr* e : vt->elts) visit_expr(e);
        emit(OP_SWAP, int(n));
        for (Expr* t : te) store_target(t);
        return;
      }
    }
    visit_expr(s->value);
    for (size_t i = 0; i < nt; i++) {
      if (i + 1 < nt) emit(OP_COPY, 1);
      store_target(s->targets[i]);
    }
  }

  void compile_augassign(AugAssign* s) {
    Expr* t = s->target;
    int op = int(s->op) + int(INPLACE_BASE);
    switch (t->kind) {
      case EK::Name: {
        auto* n = static_cast<Name*>(t);
        nameop(n->id, Ctx::Load);
        visit_expr(s->value);
        u->line = s->line;
        emit(OP_BINARY_OP, op);
        nameop(n->id, Ctx::Store);
        break;
      }
      case EK::Attribute: {
        auto* a = static_cast<Attribute*>(t);
        visit_expr(a->value);
        emit(OP_COPY, 1);
        u->line = a->end_line;
        emit_name(OP_LOAD_ATTR, a->attr);
        u->line = s->line;
        visit_expr(s->value);
        emit(OP_BINARY_OP, op);
        emit(OP_SWAP, 2);
        u->line = a->end_line;
        emit_name(OP_STORE_ATTR, a->attr);
        break;
      }
      case EK::Subscript: {
        auto* sb = static_cast<Subscript*>(t);
        visit_expr(sb->value);
        visit_expr(sb->slice);
        emit(OP_COPY, 2);
        emit(OP_COPY, 2);
        emit(OP_BINARY_SUBSCR);
        visit_expr(s->value);
        emit(OP_BINARY_OP, op);
        emit(OP_SWAP, 3);
        emit(OP_SWAP, 2);
        emit(OP_STORE_SUBSCR);
        break;
      }
      default: error("illegal expression for augmented assignment", t);
    }
  }

  void check_ann_expr(Expr* e) {
    visit_expr(e);
    emit(OP_POP_TOP);
  }
  void check_ann_subscr(Expr* e) {
    if (e->kind == EK::Slice) {
      auto* s = static_cast<Slice*>(e);
      if (s->lower) check_ann_expr(s->lower);
      if (s->upper) check_ann_expr(s->upper);
      if (s->step) check_ann_expr(s->step);
    } else if (e->kind == EK::Tuple) {
      for (Expr* x : static_cast<TupleE*>(e)->elts) check_ann_subscr(x);
    } else {
      check_ann_expr(e);
    }
  }

  std::string source_segment(const Node* n) {
    std::string_view s = src.source;
    if (s.empty()) return std::string();
    size_t pos = 0;
    for (int l = 1; l < n->line; l++) {
      size_t nl = s.find('\n', pos);
      if (nl == std::string_view::npos) return std::string();
      pos = nl + 1;
    }
    size_t start = pos + size_t(n->col);
    size_t epos = pos;
    for (int l = n->line; l < n->end_line; l++) {
      size_t nl = s.find('\n', epos);
      if (nl == std::string_view::npos) return std::string();
      epos = nl + 1;
    }
    size_t end = epos + size_t(n->end_col);
    if (start > s.size() || end > s.size() || end < start) return std::string();
    return std::string(s.substr(start, end - start));
  }

  void compile_annassign(AnnAssign* s) {
    Expr* t = s->target;
    if (s->value) {
      visit_expr(s->value);
      store_target(t);
    }
    bool module_or_class = u->kind == UnitKind::Module || u->kind == UnitKind::Class;
    switch (t->kind) {
      case EK::Name:
        if (s->simple && module_or_class) {
          if (future_annotations) {
            load_const(vstr(str_new(source_segment(s->annotation))));
          } else {
            visit_expr(s->annotation);
          }
          emit_name(OP_LOAD_NAME, s_annotations_);
          load_const(vstr(mangled(static_cast<Name*>(t)->id)));
          emit(OP_STORE_SUBSCR);
        }
        break;
      case EK::Attribute:
        if (!s->value) check_ann_expr(static_cast<Attribute*>(t)->value);
        break;
      case EK::Subscript:
        if (!s->value) {
          check_ann_expr(static_cast<Subscript*>(t)->value);
          check_ann_subscr(static_cast<Subscript*>(t)->slice);
        }
        break;
      default: break;
    }
    if (!s->simple && module_or_class && !future_annotations) check_ann_expr(s->annotation);
  }

  // ---------------------------------------------------------------- control flow
  void compile_if(If* s) {
    int end = new_label();
    int next = s->orelse.empty() ? end : new_label();
    jump_if(s->test, next, false);
    visit_stmts(s->body);
    if (!s->orelse.empty()) {
      emit_jump(OP_JUMP_FORWARD, end);
      bind(next);
      visit_stmts(s->orelse);
    }
    bind(end);
  }

  // ---------------------------------------------------------------- match
  // The subject stays on the stack for the whole statement; each case works on a copy.
  // compile_pattern's contract: the value to match is on top of the stack; on success
  // it is consumed and the pattern's names are bound; on failure control reaches `fail`
  // with the value consumed and nothing else left. Structural checks (is it a sequence,
  // a mapping, an instance of the class, which items or attributes) are made by the
  // functions of lib/_match.py, which return a tuple of the parts to match next, or
  // None; names are bound as soon as a part matches, which PEP 634 allows.
  static bool irrefutable(const Pattern* pat) {
    if (pat->kind == PK::As) return !pat->pattern || irrefutable(pat->pattern);
    if (pat->kind == PK::Or)
      return std::any_of(pat->patterns.begin(), pat->patterns.end(), irrefutable);
    return false;
  }

  void unreachable_error(const Pattern* pat) {
    const Pattern* p = pat;
    while (p->kind == PK::As && p->pattern) p = p->pattern;
    if (p->kind == PK::As && p->name)
      error(std::string("name capture '") + std::string(p->name->view()) +
                "' makes remaining patterns unreachable", pat);
    error("wildcard makes remaining patterns unreachable", pat);
  }

  void compile_match(Match* m) {
    visit_expr(m->subject);
    int end = new_label();
    size_t n = m->cases.size();
    for (size_t i = 0; i < n; i++) {
      MatchCase* c = m->cases[i];
      if (i + 1 < n && !c->guard && irrefutable(c->pattern)) unreachable_error(c->pattern);
      int next = new_label();
      u->line = c->pattern->line;
      emit(OP_COPY, 1);
      std::vector<Str*> bound;
      compile_pattern(c->pattern, next, bound);
      if (c->guard) jump_if(c->guard, next, false);
      emit(OP_POP_TOP);  // the subject
      visit_stmts(c->body);
      emit_jump(OP_JUMP_FORWARD, end);
      bind(next);
    }
    emit(OP_POP_TOP);
    bind(end);
  }

  // a pattern's helper: lib/_match.py's function `fn`, called with the value on top of
  // the stack and `nargs` more arguments pushed by `push_args`; leaves its result
  void match_call(const char* fn, int nargs, const std::function<void()>& push_args) {
    load_const(Value::from_small(0));
    load_const(None());
    emit(OP_IMPORT_NAME, add_name(GP_STR("_match")));
    emit(OP_LOAD_ATTR, add_name(str_intern(str_from_cstr(fn))));
    emit(OP_SWAP, 2);
    push_args();
    emit(OP_CALL_FUNCTION, nargs + 1);
  }

  // the result of match_call on top: None fails (to `fail`), a tuple of `count` parts is
  // unpacked (part 0 on top) and part i is matched by pats[i]
  void match_parts(const std::vector<Pattern*>& pats, int fail, std::vector<Str*>& bound) {
    int none = new_label(), ok = new_label();
    emit(OP_COPY, 1);
    emit_jump(OP_POP_JUMP_IF_NONE, none);
    size_t k = pats.size();
    emit(OP_UNPACK_SEQUENCE, int(k));
    std::vector<int> fails;
    for (size_t i = 0; i < k; i++) {
      int f = new_label();
      fails.push_back(f);
      compile_pattern(pats[i], f, bound);
    }
    emit_jump(OP_JUMP_FORWARD, ok);
    // part i failed: parts i+1.. are still on the stack
    for (size_t i = 0; i < k; i++) {
      bind(fails[i]);
      for (size_t j = i + 1; j < k; j++) emit(OP_POP_TOP);
      emit_jump(OP_JUMP_FORWARD, fail);
    }
    bind(none);
    emit(OP_POP_TOP);
    emit_jump(OP_JUMP_FORWARD, fail);
    bind(ok);
  }

  // a capture (`name`, `*name`) stores the value; the wildcard (`_`, `*_`) drops it
  void bind_capture(Str* name, const Pattern* loc, std::vector<Str*>& bound) {
    if (!name) {
      emit(OP_POP_TOP);
      return;
    }
    for (Str* b : bound)
      if (b == name)
        error(std::string("multiple assignments to name '") + std::string(name->view()) +
                  "' in pattern", loc);
    bound.push_back(name);
    nameop(name, Ctx::Store);
  }

  void compile_pattern(Pattern* pat, int fail, std::vector<Str*>& bound) {
    int saved = u->line;
    u->line = pat->line;
    switch (pat->kind) {
      case PK::As: {
        if (!pat->pattern) {
          bind_capture(pat->name, pat, bound);
          break;
        }
        int inner = new_label(), ok = new_label();
        emit(OP_COPY, 1);
        compile_pattern(pat->pattern, inner, bound);
        bind_capture(pat->name, pat, bound);
        emit_jump(OP_JUMP_FORWARD, ok);
        bind(inner);
        emit(OP_POP_TOP);
        emit_jump(OP_JUMP_FORWARD, fail);
        bind(ok);
        break;
      }
      case PK::Star:  // only inside a sequence, where the part is the list
        bind_capture(pat->name, pat, bound);
        break;
      case PK::Value:
        visit_expr(pat->value);
        emit(OP_COMPARE_OP, int(CmpOp::Eq));
        emit_jump(OP_POP_JUMP_IF_FALSE, fail);
        break;
      case PK::Singleton:
        load_const(pat->constant);
        emit(OP_IS_OP, 0);
        emit_jump(OP_POP_JUMP_IF_FALSE, fail);
        break;
      case PK::Sequence: {
        int star = -1;
        for (size_t i = 0; i < pat->patterns.size(); i++)
          if (pat->patterns[i]->kind == PK::Star) {
            if (star >= 0) error("multiple starred names in sequence pattern", pat->patterns[i]);
            star = int(i);
          }
        int n = int(pat->patterns.size());
        int before = star < 0 ? n : star, after = star < 0 ? 0 : n - star - 1;
        match_call("sequence", 3, [&] {
          load_const(Value::from_small(before));
          load_const(Value::from_small(after));
          load_const(star >= 0 ? True() : False());
        });
        std::vector<Pattern*> parts(pat->patterns.begin(), pat->patterns.end());
        match_parts(parts, fail, bound);
        break;
      }
      case PK::Mapping: {
        // literal keys: duplicates are a SyntaxError (value patterns: a ValueError at
        // run time, from _match.mapping)
        for (size_t i = 0; i < pat->keys.size(); i++) {
          Value a = const_value(pat->keys[i]);
          if (!a) continue;
          for (size_t j = 0; j < i; j++) {
            Value b = const_value(pat->keys[j]);
            if (b && type_of(a) == type_of(b) && compare_bool(a, b, CmpOp::Eq))
              error("mapping pattern checks duplicate key (" + std::string(repr(a)->view()) + ")",
                    pat);
          }
        }
        int nkeys = int(pat->keys.size());
        match_call("mapping", 2, [&] {
          for (Expr* k : pat->keys) visit_expr(k);
          emit(OP_BUILD_TUPLE, nkeys);
          load_const(pat->name ? True() : False());
        });
        std::vector<Pattern*> parts(pat->patterns.begin(), pat->patterns.end());
        Pattern rest(PK::As);
        rest.line = pat->line;
        rest.name = pat->name;
        if (pat->name) parts.push_back(&rest);
        match_parts(parts, fail, bound);
        break;
      }
      case PK::Class: {
        for (size_t i = 0; i < pat->kwd_attrs.size(); i++)
          for (size_t j = 0; j < i; j++)
            if (pat->kwd_attrs[i] == pat->kwd_attrs[j])
              error("attribute name repeated in class pattern: " +
                        std::string(pat->kwd_attrs[i]->view()),
                    pat->kwd_patterns[i]);
        int npos = int(pat->patterns.size());
        match_call("cls", 3, [&] {
          visit_expr(pat->value);
          load_const(Value::from_small(npos));
          Tuple* names = tuple_new(int64_t(pat->kwd_attrs.size()));
          for (size_t i = 0; i < pat->kwd_attrs.size(); i++)
            names->items()[i] = vstr(pat->kwd_attrs[i]);
          load_const(Value::from_obj(names));
        });
        std::vector<Pattern*> parts(pat->patterns.begin(), pat->patterns.end());
        parts.insert(parts.end(), pat->kwd_patterns.begin(), pat->kwd_patterns.end());
        match_parts(parts, fail, bound);
        break;
      }
      case PK::Or: {
        int ok = new_label();
        std::vector<Str*> first_names;
        size_t n = pat->patterns.size();
        for (size_t i = 0; i < n; i++) {
          Pattern* alt = pat->patterns[i];
          if (i + 1 < n && irrefutable(alt)) unreachable_error(alt);
          std::vector<Str*> names = bound;
          bool last = i + 1 == n;
          int next = last ? fail : new_label();
          if (!last) emit(OP_COPY, 1);
          compile_pattern(alt, next, names);
          std::vector<Str*> mine(names.begin() + long(bound.size()), names.end());
          std::sort(mine.begin(), mine.end());
          if (i == 0) first_names = mine;
          else if (mine != first_names)
            error("alternative patterns bind different names", alt);
          if (!last) {
            emit(OP_POP_TOP);
            emit_jump(OP_JUMP_FORWARD, ok);
            bind(next);
          }
        }
        bind(ok);
        bound.insert(bound.end(), first_names.begin(), first_names.end());
        break;
      }
    }
    u->line = saved;
  }

  void compile_while(While* s) {
    Value c = const_value(s->test);
    bool truth = false;
    bool known = c && const_truth(c, &truth);
    if (known && !truth) {
      visit_stmts(s->orelse);
      return;
    }
    int loop = new_label(), anchor = new_label(), end = new_label();
    bind(loop);
    if (!known) jump_if(s->test, anchor, false);
    push_fblock(FBlock{FB::WhileLoop, loop, end}, s);
    visit_stmts(s->body);
    pop_fblock();
    u->line = s->line;
    emit_jump(OP_JUMP_FORWARD, loop);
    bind(anchor);
    visit_stmts(s->orelse);
    bind(end);
  }

  // `for x in [1, 2, 3]` / `x in [1, 2]`: a list display of constants becomes a tuple
  void visit_iterable(Expr* e) {
    if (e->kind == EK::List) {
      auto* l = static_cast<ListE*>(e);
      if (l->ctx == Ctx::Load) {
        bool ok = true;
        for (Expr* x : l->elts)
          if (x->kind == EK::Starred || !const_value(x)) { ok = false; break; }
        if (ok) {
          Tuple* t = tuple_new(int64_t(l->elts.size()));
          for (size_t i = 0; i < l->elts.size(); i++) t->items()[i] = const_value(l->elts[i]);
          int saved = u->line;
          u->line = e->line;
          load_const(vtuple(t));
          u->line = saved;
          return;
        }
      }
    }
    visit_expr(e);
  }

  void compile_for(For* s) {
    int start = new_label(), cleanup = new_label(), end = new_label();
    visit_iterable(s->iter);
    u->line = s->line;
    emit(OP_GET_ITER);
    bind(start);
    push_fblock(FBlock{FB::ForLoop, start, end}, s);
    emit_jump(OP_FOR_ITER, cleanup);
    store_target(s->target);
    visit_stmts(s->body);
    u->line = s->line;
    emit_jump(OP_JUMP_FORWARD, start);
    pop_fblock();
    bind(cleanup);
    visit_stmts(s->orelse);
    bind(end);
  }

  void pop_except_and_reraise() {
    emit(OP_SWAP, 2);
    emit(OP_POP_EXCEPT);
    emit(OP_RERAISE);
  }

  void compile_try_except(Try* s) {
    int body_h = new_label(), end = new_label(), cleanup = new_label();
    push_handler(body_h);
    push_fblock(FBlock{FB::TryExcept}, s);
    visit_stmts(s->body);
    pop_fblock();
    pop_handler();
    visit_stmts(s->orelse);
    emit_jump(OP_JUMP_FORWARD, end);

    bind(body_h);
    push_handler(cleanup);
    emit(OP_PUSH_EXC_INFO);
    push_fblock(FBlock{FB::ExceptionHandler}, s);
    size_t nh = s->handlers.size();
    for (size_t i = 0; i < nh; i++) {
      ExceptHandler* h = s->handlers[i];
      u->line = h->line;
      if (!h->type && i + 1 < nh) error("default 'except:' must be last", h);
      int next = new_label();
      if (h->type) {
        visit_expr(h->type);
        u->line = h->line;
        emit(OP_CHECK_EXC_MATCH);
        emit_jump(OP_POP_JUMP_IF_FALSE, next);
      }
      if (h->name) {
        int cleanup_end = new_label();
        nameop(h->name, Ctx::Store);
        push_handler(cleanup_end);
        FBlock fb{FB::HandlerCleanup};
        fb.name = h->name;
        push_fblock(fb, h);
        visit_stmts(h->body);
        pop_fblock();
        pop_handler();
        std::vector<int> saved = u->hstack;
        pop_handler();
        emit(OP_POP_EXCEPT);
        load_const(None());
        nameop(h->name, Ctx::Store);
        nameop(h->name, Ctx::Del);
        emit_jump(OP_JUMP_FORWARD, end);
        u->hstack = saved;
        bind(cleanup_end);
        load_const(None());
        nameop(h->name, Ctx::Store);
        nameop(h->name, Ctx::Del);
        emit(OP_RERAISE);
      } else {
        emit(OP_POP_TOP);
        push_fblock(FBlock{FB::HandlerCleanup}, h);
        visit_stmts(h->body);
        pop_fblock();
        std::vector<int> saved = u->hstack;
        pop_handler();
        emit(OP_POP_EXCEPT);
        emit_jump(OP_JUMP_FORWARD, end);
        u->hstack = saved;
      }
      bind(next);
    }
    pop_fblock();
    emit(OP_RERAISE);
    pop_handler();
    bind(cleanup);
    pop_except_and_reraise();
    bind(end);
  }

  void compile_try_finally(Try* s) {
    int body_h = new_label(), end = new_label(), cleanup = new_label();
    push_handler(body_h);
    FBlock fb{FB::FinallyTry};
    fb.finalbody = &s->finalbody;
    push_fblock(fb, s);
    if (!s->handlers.empty()) compile_try_except(s);
    else visit_stmts(s->body);
    pop_fblock();
    pop_handler();
    visit_stmts(s->finalbody);
    emit_jump(OP_JUMP_FORWARD, end);

    bind(body_h);
    u->line = s->finalbody.empty() ? s->line : s->finalbody[0]->line;
    push_handler(cleanup);
    emit(OP_PUSH_EXC_INFO);
    push_fblock(FBlock{FB::FinallyEnd}, s);
    visit_stmts(s->finalbody);
    pop_fblock();
    emit(OP_RERAISE);
    pop_handler();
    bind(cleanup);
    pop_except_and_reraise();
    bind(end);
  }

  void compile_with(With* s, size_t pos) {
    WithItem* item = s->items[pos];
    int final_l = new_label(), exit_l = new_label(), cleanup = new_label(), suppress = new_label();
    u->line = s->line;
    visit_expr(item->context_expr);
    u->line = s->line;
    emit(OP_BEFORE_WITH);
    push_handler(final_l, -1);
    FBlock fb{FB::With};
    fb.line = s->line;
    push_fblock(fb, s);
    if (item->optional_vars) store_target(item->optional_vars);
    else emit(OP_POP_TOP);
    if (pos + 1 < s->items.size()) compile_with(s, pos + 1);
    else visit_stmts(s->body);
    pop_fblock();
    pop_handler();
    u->line = s->line;
    call_exit_with_nones();
    emit(OP_POP_TOP);
    emit_jump(OP_JUMP_FORWARD, exit_l);

    bind(final_l);
    push_handler(cleanup);
    emit(OP_PUSH_EXC_INFO);
    emit(OP_WITH_EXCEPT_START);
    emit_jump(OP_POP_JUMP_IF_TRUE, suppress);
    emit(OP_RERAISE);
    bind(suppress);
    emit(OP_POP_TOP);
    pop_handler();
    emit(OP_POP_EXCEPT);
    emit(OP_POP_TOP);
    emit_jump(OP_JUMP_FORWARD, exit_l);
    bind(cleanup);
    pop_except_and_reraise();
    bind(exit_l);
  }

  void compile_assert(Assert* s) {
    if (s->test->kind == EK::Tuple && !static_cast<TupleE*>(s->test)->elts.empty())
      warn("assertion is always true, perhaps remove parentheses?", s);
    int end = new_label();
    jump_if(s->test, end, true);
    u->line = s->line;
    emit(OP_LOAD_ASSERTION_ERROR);
    if (s->msg) {
      visit_expr(s->msg);
      emit(OP_CALL_FUNCTION, 1);
    }
    emit(OP_RAISE_VARARGS, 1);
    bind(end);
  }

  void compile_import(Import* s) {
    for (Alias* a : s->names) {
      load_const(Value::from_small(0));
      load_const(None());
      emit(OP_IMPORT_NAME, add_name(a->name));
      std::string_view n = a->name->view();
      if (a->asname) {
        size_t dot = n.find('.');
        if (dot != std::string_view::npos) {
          while (true) {
            size_t p = dot + 1;
            dot = n.find('.', p);
            std::string_view attr = n.substr(p, dot == std::string_view::npos ? std::string_view::npos : dot - p);
            emit(OP_IMPORT_FROM, add_name(str_intern(attr)));
            if (dot == std::string_view::npos) break;
            emit(OP_SWAP, 2);
            emit(OP_POP_TOP);
          }
          nameop(a->asname, Ctx::Store);
          emit(OP_POP_TOP);
        } else {
          nameop(a->asname, Ctx::Store);
        }
      } else {
        size_t dot = n.find('.');
        Str* store = dot == std::string_view::npos ? a->name : str_intern(n.substr(0, dot));
        nameop(store, Ctx::Store);
      }
    }
  }

  void compile_import_from(ImportFrom* s) {
    load_const(Value::from_small(s->level));
    Tuple* names = tuple_new(int64_t(s->names.size()));
    for (size_t i = 0; i < s->names.size(); i++) names->items()[i] = vstr(s->names[i]->name);
    load_const(vtuple(names));
    emit(OP_IMPORT_NAME, add_name(s->module ? s->module : str_intern("")));
    if (!s->names.empty() && s->names[0]->name->view() == "*") {
      emit(OP_IMPORT_STAR);
      return;
    }
    for (Alias* a : s->names) {
      emit(OP_IMPORT_FROM, add_name(a->name));
      nameop(a->asname ? a->asname : a->name, Ctx::Store);
    }
    emit(OP_POP_TOP);
  }

  // ---------------------------------------------------------------- targets
  void store_target(Expr* t) {
    int saved = u->line;
    u->line = t->line;
    switch (t->kind) {
      case EK::Name: nameop(static_cast<Name*>(t)->id, Ctx::Store); break;
      case EK::Attribute: {
        auto* a = static_cast<Attribute*>(t);
        visit_expr(a->value);
        u->line = a->end_line;
        emit_name(OP_STORE_ATTR, a->attr);
        break;
      }
      case EK::Subscript: {
        auto* s = static_cast<Subscript*>(t);
        visit_expr(s->value);
        visit_expr(s->slice);
        emit(OP_STORE_SUBSCR);
        break;
      }
      case EK::Tuple: assign_sequence(static_cast<TupleE*>(t)->elts, t); break;
      case EK::List: assign_sequence(static_cast<ListE*>(t)->elts, t); break;
      case EK::Starred: error("starred assignment target must be in a list or tuple", t);
      default: error("cannot assign to expression", t);
    }
    u->line = saved;
  }

  void assign_sequence(const ExprVec& elts, Expr* loc) {
    size_t n = elts.size();
    bool seen_star = false;
    for (size_t i = 0; i < n; i++) {
      if (elts[i]->kind != EK::Starred) continue;
      if (seen_star) error("multiple starred expressions in assignment", loc);
      seen_star = true;
      size_t after = n - i - 1;
      if (i >= (1u << 8) || after >= (1u << 16)) error("too many expressions in star-unpacking assignment", loc);
      emit(OP_UNPACK_EX, int(i | (after << 8)));
    }
    if (!seen_star) emit(OP_UNPACK_SEQUENCE, int(n));
    for (Expr* e : elts) store_target(e->kind == EK::Starred ? static_cast<Starred*>(e)->value : e);
  }

  void delete_target(Expr* t) {
    int saved = u->line;
    u->line = t->line;
    switch (t->kind) {
      case EK::Name: nameop(static_cast<Name*>(t)->id, Ctx::Del); break;
      case EK::Attribute: {
        auto* a = static_cast<Attribute*>(t);
        visit_expr(a->value);
        u->line = a->end_line;
        emit_name(OP_DELETE_ATTR, a->attr);
        break;
      }
      case EK::Subscript: {
        auto* s = static_cast<Subscript*>(t);
        visit_expr(s->value);
        visit_expr(s->slice);
        emit(OP_DELETE_SUBSCR);
        break;
      }
      case EK::Tuple:
        for (Expr* e : static_cast<TupleE*>(t)->elts) delete_target(e);
        break;
      case EK::List:
        for (Expr* e : static_cast<ListE*>(t)->elts) delete_target(e);
        break;
      default: error("cannot delete expression", t);
    }
    u->line = saved;
  }

  // ================================================================ conditions
  void emit_compare(CmpKind k) {
    switch (k) {
      case CmpKind::Eq: emit(OP_COMPARE_OP, int(CmpOp::Eq)); break;
      case CmpKind::NotEq: emit(OP_COMPARE_OP, int(CmpOp::Ne)); break;
      case CmpKind::Lt: emit(OP_COMPARE_OP, int(CmpOp::Lt)); break;
      case CmpKind::LtE: emit(OP_COMPARE_OP, int(CmpOp::Le)); break;
      case CmpKind::Gt: emit(OP_COMPARE_OP, int(CmpOp::Gt)); break;
      case CmpKind::GtE: emit(OP_COMPARE_OP, int(CmpOp::Ge)); break;
      case CmpKind::Is: emit(OP_IS_OP, 0); break;
      case CmpKind::IsNot: emit(OP_IS_OP, 1); break;
      case CmpKind::In: emit(OP_CONTAINS_OP, 0); break;
      case CmpKind::NotIn: emit(OP_CONTAINS_OP, 1); break;
    }
  }

  // `x in {1, 2}` / `x in [1, 2]`: constant containers become frozenset / tuple constants
  void visit_comparator(CmpKind k, Expr* e) {
    if ((k == CmpKind::In || k == CmpKind::NotIn) && e->kind == EK::Set) {
      auto* s = static_cast<SetE*>(e);
      bool ok = !s->elts.empty();
      for (Expr* x : s->elts)
        if (x->kind == EK::Starred || !const_value(x)) { ok = false; break; }
      if (ok) {
        Tuple* t = tuple_new(int64_t(s->elts.size()));
        for (size_t i = 0; i < s->elts.size(); i++) t->items()[i] = const_value(s->elts[i]);
        Value fs = Value::null();
        try {
          fs = set_from_iterable(&frozenset_type, vtuple(t));
        } catch (PyThrow&) {
          take_exception();
        }
        if (fs) {
          int saved = u->line;
          u->line = e->line;
          load_const(fs);
          u->line = saved;
          return;
        }
      }
    }
    if (k == CmpKind::In || k == CmpKind::NotIn) {
      visit_iterable(e);
      return;
    }
    visit_expr(e);
  }

  void jump_if(Expr* e, int label, bool cond) {
    int saved = u->line;
    u->line = e->line;
    switch (e->kind) {
      case EK::UnaryOp:
        if (static_cast<UnaryOp*>(e)->op == UnaryOpKind::Not) {
          jump_if(static_cast<UnaryOp*>(e)->operand, label, !cond);
          u->line = saved;
          return;
        }
        break;
      case EK::BoolOp: {
        auto* b = static_cast<BoolOp*>(e);
        bool cond2 = b->op == BoolOpKind::Or;
        int next2 = label;
        if (cond2 != cond) next2 = new_label();
        size_t n = b->values.size();
        for (size_t i = 0; i + 1 < n; i++) jump_if(b->values[i], next2, cond2);
        jump_if(b->values[n - 1], label, cond);
        if (next2 != label) bind(next2);
        u->line = saved;
        return;
      }
      case EK::IfExp: {
        auto* x = static_cast<IfExp*>(e);
        int next2 = new_label(), end = new_label();
        jump_if(x->test, next2, false);
        jump_if(x->body, label, cond);
        emit_jump(OP_JUMP_FORWARD, end);
        bind(next2);
        jump_if(x->orelse, label, cond);
        bind(end);
        u->line = saved;
        return;
      }
      case EK::Compare: {
        auto* c = static_cast<Compare*>(e);
        check_compare(c);
        size_t n = c->ops.size();
        if (n == 1 && (c->ops[0] == CmpKind::Is || c->ops[0] == CmpKind::IsNot) &&
            c->comparators[0]->kind == EK::Constant &&
            static_cast<Constant*>(c->comparators[0])->value == None()) {
          visit_expr(c->left);
          u->line = e->line;
          bool is = c->ops[0] == CmpKind::Is;
          emit_jump(is == cond ? OP_POP_JUMP_IF_NONE : OP_POP_JUMP_IF_NOT_NONE, label);
          u->line = saved;
          return;
        }
        if (n > 1) {
          int cleanup = new_label();
          visit_expr(c->left);
          for (size_t i = 0; i + 1 < n; i++) {
            visit_comparator(c->ops[i], c->comparators[i]);
            u->line = e->line;
            emit(OP_SWAP, 2);
            emit(OP_COPY, 2);
            emit_compare(c->ops[i]);
            emit_jump(OP_POP_JUMP_IF_FALSE, cleanup);
          }
          visit_comparator(c->ops[n - 1], c->comparators[n - 1]);
          u->line = e->line;
          emit_compare(c->ops[n - 1]);
          emit_jump(cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
          int end = new_label();
          emit_jump(OP_JUMP_FORWARD, end);
          bind(cleanup);
          emit(OP_POP_TOP);
          if (!cond) emit_jump(OP_JUMP_FORWARD, label);
          bind(end);
          u->line = saved;
          return;
        }
        break;
      }
      default: {
        Value v = const_value(e);
        bool truth;
        if (v && const_truth(v, &truth)) {
          if (truth == cond) emit_jump(OP_JUMP_FORWARD, label);
          u->line = saved;
          return;
        }
        break;
      }
    }
    visit_expr(e);
    u->line = e->line;
    emit_jump(cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
    u->line = saved;
  }

  // ================================================================ expressions
  void visit_expr(Expr* e) {
    symtable::WalkDepth guard(&walk_depth);
    int saved = u->line;
    u->line = e->line;
    visit_expr_inner(e);
    u->line = saved;
  }

  void visit_expr_inner(Expr* e) {
    switch (e->kind) {
      case EK::BoolOp: {
        auto* b = static_cast<BoolOp*>(e);
        int end = new_label();
        Opcode j = b->op == BoolOpKind::And ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP;
        size_t n = b->values.size();
        for (size_t i = 0; i + 1 < n; i++) {
          visit_expr(b->values[i]);
          emit_jump(j, end);
        }
        visit_expr(b->values[n - 1]);
        bind(end);
        break;
      }
      case EK::NamedExpr: {
        auto* n = static_cast<NamedExpr*>(e);
        visit_expr(n->value);
        emit(OP_COPY, 1);
        store_target(n->target);
        break;
      }
      case EK::BinOp: {
        Value c = const_value(e);
        if (c) {
          load_const(c);
          break;
        }
        auto* b = static_cast<BinOpE*>(e);
        visit_expr(b->left);
        visit_expr(b->right);
        emit(OP_BINARY_OP, int(b->op));
        break;
      }
      case EK::UnaryOp: {
        Value c = const_value(e);
        if (c) {
          load_const(c);
          break;
        }
        auto* x = static_cast<UnaryOp*>(e);
        visit_expr(x->operand);
        switch (x->op) {
          case UnaryOpKind::Invert: emit(OP_UNARY_INVERT); break;
          case UnaryOpKind::Not: emit(OP_UNARY_NOT); break;
          case UnaryOpKind::UAdd: emit(OP_UNARY_POSITIVE); break;
          case UnaryOpKind::USub: emit(OP_UNARY_NEGATIVE); break;
        }
        break;
      }
      case EK::Lambda: compile_lambda(static_cast<Lambda*>(e)); break;
      case EK::IfExp: {
        auto* x = static_cast<IfExp*>(e);
        int next = new_label(), end = new_label();
        jump_if(x->test, next, false);
        visit_expr(x->body);
        emit_jump(OP_JUMP_FORWARD, end);
        bind(next);
        visit_expr(x->orelse);
        bind(end);
        break;
      }
      case EK::Dict: compile_dict(static_cast<DictE*>(e)); break;
      case EK::Set:
        starunpack(static_cast<SetE*>(e)->elts, 0, OP_BUILD_SET, OP_SET_ADD, OP_SET_UPDATE, false);
        break;
      case EK::ListComp: {
        auto* c = static_cast<ListComp*>(e);
        compile_comprehension(e, CompKind::List, c->generators, c->elt, nullptr);
        break;
      }
      case EK::SetComp: {
        auto* c = static_cast<SetComp*>(e);
        compile_comprehension(e, CompKind::Set, c->generators, c->elt, nullptr);
        break;
      }
      case EK::DictComp: {
        auto* c = static_cast<DictComp*>(e);
        compile_comprehension(e, CompKind::Dict, c->generators, c->key, c->value);
        break;
      }
      case EK::GeneratorExp: {
        auto* c = static_cast<GeneratorExp*>(e);
        compile_comprehension(e, CompKind::Gen, c->generators, c->elt, nullptr);
        break;
      }
      case EK::Yield: {
        if (u->ste->kind != BlockKind::Function) error("'yield' outside function", e);
        auto* y = static_cast<Yield*>(e);
        if (y->value) visit_expr(y->value);
        else load_const(None());
        emit(OP_YIELD_VALUE);
        break;
      }
      case EK::YieldFrom: {
        if (u->ste->kind != BlockKind::Function) error("'yield' outside function", e);
        visit_expr(static_cast<YieldFrom*>(e)->value);
        emit(OP_GET_YIELD_FROM_ITER);
        load_const(None());
        emit(OP_YIELD_FROM);
        break;
      }
      case EK::Compare: compile_compare(static_cast<Compare*>(e)); break;
      case EK::Call: compile_call(static_cast<Call*>(e)); break;
      case EK::FormattedValue: {
        auto* f = static_cast<FormattedValue*>(e);
        visit_expr(f->value);
        int arg = 0;
        switch (f->conversion) {
          case 's': arg = 1; break;
          case 'r': arg = 2; break;
          case 'a': arg = 3; break;
          default: arg = 0; break;
        }
        if (f->format_spec) {
          visit_expr(f->format_spec);
          arg |= 4;
        }
        u->line = e->line;
        emit(OP_FORMAT_VALUE, arg);
        break;
      }
      case EK::JoinedStr: {
        auto* j = static_cast<JoinedStr*>(e);
        size_t n = j->values.size();
        if (n == 0) {
          load_const(vstr(str_intern("")));
          break;
        }
        for (Expr* v : j->values) visit_expr(v);
        if (n != 1) emit(OP_BUILD_STRING, int(n));
        break;
      }
      case EK::Constant: load_const(static_cast<Constant*>(e)->value); break;
      case EK::Attribute: {
        auto* a = static_cast<Attribute*>(e);
        if (a->ctx == Ctx::Store) { store_target(e); break; }
        if (a->ctx == Ctx::Del) { delete_target(e); break; }
        visit_expr(a->value);
        u->line = a->end_line;
        emit_name(OP_LOAD_ATTR, a->attr);
        break;
      }
      case EK::Subscript: {
        auto* s = static_cast<Subscript*>(e);
        if (s->ctx == Ctx::Store) { store_target(e); break; }
        if (s->ctx == Ctx::Del) { delete_target(e); break; }
        visit_expr(s->value);
        visit_expr(s->slice);
        u->line = e->line;
        emit(OP_BINARY_SUBSCR);
        break;
      }
      case EK::Starred:
        if (static_cast<Starred*>(e)->ctx == Ctx::Store)
          error("starred assignment target must be in a list or tuple", e);
        error("can't use starred expression here", e);
      case EK::Name: {
        auto* n = static_cast<Name*>(e);
        nameop(n->id, n->ctx);
        break;
      }
      case EK::List: {
        auto* l = static_cast<ListE*>(e);
        if (l->ctx == Ctx::Store) { store_target(e); break; }
        if (l->ctx == Ctx::Del) { delete_target(e); break; }
        starunpack(l->elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, false);
        break;
      }
      case EK::Tuple: {
        auto* t = static_cast<TupleE*>(e);
        if (t->ctx == Ctx::Store) { store_target(e); break; }
        if (t->ctx == Ctx::Del) { delete_target(e); break; }
        Value c = const_value(e);
        if (c) {
          load_const(c);
          break;
        }
        starunpack(t->elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, true);
        break;
      }
      case EK::Slice: {
        auto* s = static_cast<Slice*>(e);
        if (s->lower) visit_expr(s->lower);
        else load_const(None());
        if (s->upper) visit_expr(s->upper);
        else load_const(None());
        int n = 2;
        if (s->step) {
          visit_expr(s->step);
          n = 3;
        }
        emit(OP_BUILD_SLICE, n);
        break;
      }
    }
  }

  void starunpack(const ExprVec& elts, int pushed, Opcode build, Opcode add, Opcode extend, bool tuple) {
    size_t n = elts.size();
    if (n > 2) {
      bool allc = true;
      for (Expr* x : elts)
        if (x->kind == EK::Starred || !const_value(x)) { allc = false; break; }
      if (allc && (pushed == 0 || !tuple)) {
        Tuple* t = tuple_new(int64_t(n));
        for (size_t i = 0; i < n; i++) t->items()[i] = const_value(elts[i]);
        if (tuple) {
          load_const(vtuple(t));
        } else {
          emit(build, pushed);
          load_const(vtuple(t));
          emit(extend, 1);
        }
        return;
      }
    }
    bool big = int(n) + pushed > STACK_USE_GUIDELINE;
    bool seen_star = false;
    for (Expr* x : elts)
      if (x->kind == EK::Starred) seen_star = true;
    if (!seen_star && !big) {
      for (Expr* x : elts) visit_expr(x);
      emit(tuple ? OP_BUILD_TUPLE : build, int(n) + pushed);
      return;
    }
    bool built = false;
    if (big) {
      emit(build, pushed);
      built = true;
    }
    for (size_t i = 0; i < n; i++) {
      Expr* x = elts[i];
      if (x->kind == EK::Starred) {
        if (!built) {
          emit(build, int(i) + pushed);
          built = true;
        }
        visit_expr(static_cast<Starred*>(x)->value);
        emit(extend, 1);
      } else {
        visit_expr(x);
        if (built) emit(add, 1);
      }
    }
    if (tuple) emit(OP_LIST_TO_TUPLE);
  }

  void compile_dict(DictE* e) {
    size_t n = e->values.size();
    bool have_dict = false;
    size_t elements = 0;
    auto subdict = [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; i++) {
        visit_expr(e->keys[i]);
        visit_expr(e->values[i]);
      }
      emit(OP_BUILD_MAP, int(end - begin));
    };
    for (size_t i = 0; i < n; i++) {
      if (!e->keys[i]) {
        if (elements) {
          subdict(i - elements, i);
          if (have_dict) emit(OP_DICT_UPDATE, 1);
          have_dict = true;
          elements = 0;
        }
        if (!have_dict) {
          emit(OP_BUILD_MAP, 0);
          have_dict = true;
        }
        visit_expr(e->values[i]);
        emit(OP_DICT_UPDATE, 1);
      } else if (elements * 2 > size_t(STACK_USE_GUIDELINE)) {
        subdict(i - elements, i + 1);
        if (have_dict) emit(OP_DICT_UPDATE, 1);
        have_dict = true;
        elements = 0;
      } else {
        elements++;
      }
    }
    if (elements) {
      subdict(n - elements, n);
      if (have_dict) emit(OP_DICT_UPDATE, 1);
      have_dict = true;
    }
    if (!have_dict) emit(OP_BUILD_MAP, 0);
  }

  void compile_compare(Compare* e) {
    check_compare(e);
    size_t n = e->ops.size();
    visit_expr(e->left);
    if (n == 1) {
      visit_comparator(e->ops[0], e->comparators[0]);
      u->line = e->line;
      emit_compare(e->ops[0]);
      return;
    }
    int cleanup = new_label();
    for (size_t i = 0; i + 1 < n; i++) {
      visit_comparator(e->ops[i], e->comparators[i]);
      u->line = e->line;
      emit(OP_SWAP, 2);
      emit(OP_COPY, 2);
      emit_compare(e->ops[i]);
      emit_jump(OP_JUMP_IF_FALSE_OR_POP, cleanup);
    }
    visit_comparator(e->ops[n - 1], e->comparators[n - 1]);
    u->line = e->line;
    emit_compare(e->ops[n - 1]);
    int end = new_label();
    emit_jump(OP_JUMP_FORWARD, end);
    bind(cleanup);
    emit(OP_SWAP, 2);
    emit(OP_POP_TOP);
    bind(end);
  }

  void validate_keywords(const Vec<Keyword*>& kws) {
    size_t n = kws.size();
    if (n < 2) return;
    if (n <= 16) {
      for (size_t i = 0; i < n; i++) {
        if (!kws[i]->arg) continue;
        for (size_t j = i + 1; j < n; j++)
          if (kws[j]->arg && str_eq(kws[i]->arg, kws[j]->arg))
            error("keyword argument repeated: " + std::string(kws[i]->arg->view()), kws[j]);
      }
      return;
    }
    std::unordered_set<std::string_view> seen;
    for (Keyword* k : kws) {
      if (!k->arg) continue;
      if (!seen.insert(k->arg->view()).second)
        error("keyword argument repeated: " + std::string(k->arg->view()), k);
    }
  }

  Tuple* kwnames_tuple(const Vec<Keyword*>& kws) {
    Tuple* t = tuple_new(int64_t(kws.size()));
    for (size_t i = 0; i < kws.size(); i++) t->items()[i] = vstr(symtable::intern(kws[i]->arg));
    return t;
  }

  void compile_call(Call* e) {
    if (maybe_method_call(e)) return;
    visit_expr(e->func);
    u->line = e->line;
    call_helper(0, e->args, e->keywords);
  }

  bool maybe_method_call(Call* e) {
    if (e->func->kind != EK::Attribute) return false;
    auto* meth = static_cast<Attribute*>(e->func);
    if (meth->ctx != Ctx::Load) return false;
    for (Expr* a : e->args)
      if (a->kind == EK::Starred) return false;
    for (Keyword* k : e->keywords)
      if (!k->arg) return false;
    size_t nargs = e->args.size(), nkw = e->keywords.size();
    if (nargs + nkw >= size_t(STACK_USE_GUIDELINE)) return false;
    validate_keywords(e->keywords);
    visit_expr(meth->value);
    u->line = meth->end_line;
    emit_name(OP_LOAD_METHOD, meth->attr);
    for (Expr* a : e->args) visit_expr(a);
    for (Keyword* k : e->keywords) visit_expr(k->value);
    u->line = meth->end_line;
    if (nkw) {
      load_const(vtuple(kwnames_tuple(e->keywords)));
      emit(OP_CALL_METHOD_KW, int(nargs + nkw));
    } else {
      emit(OP_CALL_METHOD, int(nargs));
    }
    return true;
  }

  // The callable (and `pushed` leading positional args) are already on the stack.
  void call_helper(int pushed, const ExprVec& args, const Vec<Keyword*>& kws) {
    validate_keywords(kws);
    int line = u->line;
    bool ex = false;
    for (Expr* a : args)
      if (a->kind == EK::Starred) ex = true;
    for (Keyword* k : kws)
      if (!k->arg) ex = true;
    if (!ex && args.size() + kws.size() + size_t(pushed) < size_t(MAX_ARG)) {
      for (Expr* a : args) visit_expr(a);
      if (!kws.empty()) {
        for (Keyword* k : kws) visit_expr(k->value);
        load_const(vtuple(kwnames_tuple(kws)));
        u->line = line;
        emit(OP_CALL_FUNCTION_KW, int(size_t(pushed) + args.size() + kws.size()));
      } else {
        u->line = line;
        emit(OP_CALL_FUNCTION, int(size_t(pushed) + args.size()));
      }
      return;
    }
    // CALL_FUNCTION_EX: an exact tuple of positional args, then maybe a dict
    starunpack(args, pushed, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, true);
    size_t nkw = kws.size();
    if (nkw) {
      bool have_dict = false;
      size_t nseen = 0;
      auto subkwargs = [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; i++) {
          load_const(vstr(symtable::intern(kws[i]->arg)));
          visit_expr(kws[i]->value);
        }
        emit(OP_BUILD_MAP, int(end - begin));
      };
      for (size_t i = 0; i < nkw; i++) {
        Keyword* k = kws[i];
        if (!k->arg) {
          if (nseen) {
            subkwargs(i - nseen, i);
            if (have_dict) emit(OP_DICT_MERGE, 1);
            have_dict = true;
            nseen = 0;
          }
          if (!have_dict) {
            emit(OP_BUILD_MAP, 0);
            have_dict = true;
          }
          visit_expr(k->value);
          emit(OP_DICT_MERGE, 1);
        } else {
          nseen++;
        }
      }
      if (nseen) {
        subkwargs(nkw - nseen, nkw);
        if (have_dict) emit(OP_DICT_MERGE, 1);
      }
    }
    u->line = line;
    emit(OP_CALL_FUNCTION_EX, nkw > 0 ? 1 : 0);
  }

  // ---------------------------------------------------------------- comprehensions
  void compile_comprehension(Expr* e, CompKind kind, const CompVec& gens, Expr* elt, Expr* val) {
    Scope* cs = st->lookup(e);
    if (!cs) internal_error("no scope for comprehension");
    Unit cu;
    enter_unit(&cu, cs, UnitKind::Comprehension, cs->name, u->priv, e->line);
    u->line = e->line;
    u->argcount = 1;
    add_varname(str_intern(".0"));
    if (kind == CompKind::Gen) {
      emit(OP_GEN_START);
    } else {
      emit(kind == CompKind::List ? OP_BUILD_LIST : kind == CompKind::Set ? OP_BUILD_SET : OP_BUILD_MAP, 0);
    }
    comprehension_generator(gens, 0, 0, elt, val, kind);
    u->line = e->line;
    if (kind == CompKind::Gen) load_const(None());
    emit(OP_RETURN_VALUE);
    Code* co = exit_unit();
    make_closure(co, 0);
    visit_iterable(gens[0]->iter);
    u->line = e->line;
    emit(OP_GET_ITER);
    emit(OP_CALL_FUNCTION, 1);
  }

  void comprehension_generator(const CompVec& gens, size_t idx, int depth, Expr* elt, Expr* val,
                               CompKind kind) {
    int start = new_label(), if_cleanup = new_label(), anchor = new_label();
    Comprehension* g = gens[idx];
    if (idx == 0) {
      emit(OP_LOAD_FAST, 0);
    } else {
      visit_iterable(g->iter);
      emit(OP_GET_ITER);
    }
    depth++;
    bind(start);
    emit_jump(OP_FOR_ITER, anchor);
    store_target(g->target);
    for (Expr* c : g->ifs) jump_if(c, if_cleanup, false);
    if (idx + 1 < gens.size()) {
      comprehension_generator(gens, idx + 1, depth, elt, val, kind);
    } else {
      switch (kind) {
        case CompKind::Gen:
          visit_expr(elt);
          emit(OP_YIELD_VALUE);
          emit(OP_POP_TOP);
          break;
        case CompKind::List:
          visit_expr(elt);
          emit(OP_LIST_APPEND, depth + 1);
          break;
        case CompKind::Set:
          visit_expr(elt);
          emit(OP_SET_ADD, depth + 1);
          break;
        case CompKind::Dict:
          visit_expr(elt);
          visit_expr(val);
          emit(OP_MAP_ADD, depth + 1);
          break;
        case CompKind::None: break;
      }
    }
    bind(if_cleanup);
    emit_jump(OP_JUMP_FORWARD, start);
    bind(anchor);
  }
};

bool has_future_annotations(ast::Module* mod) {
  for (Stmt* s : mod->body) {
    if (s->kind == SK::Expr && static_cast<ExprStmt*>(s)->value->kind == EK::Constant) continue;
    if (s->kind != SK::ImportFrom) return false;
    auto* f = static_cast<ImportFrom*>(s);
    if (!f->module || f->module->view() != "__future__") return false;
    for (Alias* a : f->names)
      if (a->name->view() == "annotations") return true;
  }
  return false;
}

}  // namespace

Code* compile_ast_with_source(ast::Module* mod, Str* filename, ParseMode mode, std::string_view source) {
  Compiler c;
  c.src.filename = filename;
  c.src.source = source;
  c.mode = mode;
  c.future_annotations = has_future_annotations(mod);
  c.st = symtable::build(mod, c.src, mode);
  return c.compile_module(mod);
}

Code* compile_ast(ast::Module* mod, Str* filename, ParseMode mode) {
  return compile_ast_with_source(mod, filename, mode, std::string_view());
}

Code* compile_source(std::string_view source, Str* filename, ParseMode mode) {
  // Tracebacks show source lines only for real files: CPython's linecache cannot
  // read "<string>" / "<stdin>" either.
  std::string_view fn = filename->view();
  if (fn.empty() || fn[0] != '<') register_source(filename, str_new(source));
  ast::Module* mod = parse(source, filename, mode);
  return compile_ast_with_source(mod, filename, mode, source);
}

}  // namespace gp
