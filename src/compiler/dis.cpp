// dis.cpp — a disassembler in the spirit of CPython's `dis` (for `gilpy --dis`).
// Invariants: read-only over a Code object; never raises (a failing repr() of a
// constant is shown as "<?>"); nested code objects are listed after their parent,
// depth first, in constant order.
#include <cstdio>
#include <vector>

#include "compiler/compiler.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

const bool op_has_arg[] = {
#define GP_OP_HASARG(name, has_arg) bool(has_arg),
    GP_OPCODES(GP_OP_HASARG)
#undef GP_OP_HASARG
};

std::string code_repr(Code* co) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%p", static_cast<void*>(co));
  return "<code object " + std::string(co->name->view()) + " at " + buf + ", file \"" +
         std::string(co->filename ? co->filename->view() : "?") + "\", line " +
         std::to_string(co->firstlineno) + ">";
}

std::string value_repr(Value v) {
  if (v.is_obj() && v.obj()->type == &code_type) return code_repr(v.as<Code>());
  try {
    return std::string(repr(v)->view());
  } catch (PyThrow&) {
    take_exception();
    return "<?>";
  }
}

std::string tuple_str(Tuple* t, int64_t i) {
  if (!t || i < 0 || i >= t->size) return "<?>";
  return std::string(as_str(t->items()[i])->view());
}

const char* binop_sym(uint32_t arg) {
  static const char* const syms[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"};
  uint32_t b = arg >= INPLACE_BASE ? arg - INPLACE_BASE : arg;
  return b < sizeof(syms) / sizeof(syms[0]) ? syms[b] : "?";
}

std::string arg_repr(Code* co, Opcode op, uint32_t arg) {
  int64_t ncell = co->cellvars ? co->cellvars->size : 0;
  switch (op) {
    case OP_LOAD_CONST: return value_repr(co->consts->items()[arg]);
    case OP_LOAD_NAME: case OP_STORE_NAME: case OP_DELETE_NAME:
    case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL:
    case OP_LOAD_ATTR: case OP_STORE_ATTR: case OP_DELETE_ATTR:
    case OP_LOAD_METHOD: case OP_IMPORT_NAME: case OP_IMPORT_FROM:
      return tuple_str(co->names, arg);
    case OP_LOAD_FAST: case OP_STORE_FAST: case OP_DELETE_FAST:
      return tuple_str(co->varnames, arg);
    case OP_LOAD_DEREF: case OP_STORE_DEREF: case OP_DELETE_DEREF:
    case OP_LOAD_CLOSURE: case OP_LOAD_CLASSDEREF:
      return int64_t(arg) < ncell ? tuple_str(co->cellvars, arg) : tuple_str(co->freevars, arg - ncell);
    case OP_JUMP_FORWARD: case OP_JUMP_BACKWARD: case OP_POP_JUMP_IF_FALSE:
    case OP_POP_JUMP_IF_TRUE: case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE:
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: case OP_FOR_ITER:
      return "to " + std::to_string(arg);
    case OP_COMPARE_OP: {
      static const char* const c[] = {"<", "<=", "==", "!=", ">", ">="};
      return arg < 6 ? c[arg] : "?";
    }
    case OP_BINARY_OP: {
      std::string s = binop_sym(arg);
      if (arg >= INPLACE_BASE) s += "=";
      return s;
    }
    case OP_FORMAT_VALUE: {
      static const char* const c[] = {"", "str", "repr", "ascii"};
      std::string s = c[arg & 3];
      if (arg & 4) s += s.empty() ? "with format" : ", with format";
      return s;
    }
    case OP_MAKE_FUNCTION: {
      std::string s;
      auto add = [&](const char* w) {
        if (!s.empty()) s += ", ";
        s += w;
      };
      if (arg & 1) add("defaults");
      if (arg & 2) add("kwdefaults");
      if (arg & 8) add("closure");
      return s;
    }
    default: return "";
  }
}

void dis_one(Code* co, std::string& out) {
  int n = co->ninstrs;
  std::vector<char> target(size_t(n) + 1, 0);
  for (int i = 0; i < n; i++) {
    Opcode op = base_op(instr_op(co->instrs[i]));
    switch (op) {
      case OP_JUMP_FORWARD: case OP_JUMP_BACKWARD: case OP_POP_JUMP_IF_FALSE:
      case OP_POP_JUMP_IF_TRUE: case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE:
      case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: case OP_FOR_ITER: {
        uint32_t t = instr_arg(co->instrs[i]);
        if (t <= uint32_t(n)) target[t] = 1;
        break;
      }
      default: break;
    }
  }
  for (int e = 0; e < co->nexc; e++)
    if (co->exc_table[e].handler >= 0 && co->exc_table[e].handler <= n) target[co->exc_table[e].handler] = 1;
  int last_line = -1;
  char buf[64];
  for (int i = 0; i < n; i++) {
    uint32_t ins = co->instrs[i];
    Opcode op = base_op(instr_op(ins));  // superinstructions show as their first half
    uint32_t arg = instr_arg(ins);
    int line = co->lines ? co->lines[i] : 0;
    if (line != last_line) {
      if (i > 0) out += '\n';
      std::snprintf(buf, sizeof buf, "%4d", line);
      out += buf;
      last_line = line;
    } else {
      out += "    ";
    }
    out += target[i] ? "  >>" : "    ";
    std::snprintf(buf, sizeof buf, "%5d ", i);
    out += buf;
    const char* name = op < OP_COUNT_ ? opcode_names[op] : "<bad>";
    if (op < OP_COUNT_ && op_has_arg[op]) {
      std::snprintf(buf, sizeof buf, "%-24s%5u", name, arg);
      out += buf;
      std::string r = arg_repr(co, op, arg);
      if (!r.empty()) out += " (" + r + ")";
    } else {
      out += name;
    }
    out += '\n';
  }
  if (co->nexc > 0) {
    out += "ExceptionTable:\n";
    for (int e = 0; e < co->nexc; e++) {
      const ExcTableEntry& x = co->exc_table[e];
      std::snprintf(buf, sizeof buf, "  %d to %d -> %d [%d]\n", x.start, x.end - 1, x.handler, x.depth);
      out += buf;
    }
  }
}

void dis_rec(Code* co, std::string& out, bool header) {
  if (header) out += "\nDisassembly of " + code_repr(co) + ":\n";
  dis_one(co, out);
  for (int64_t i = 0; i < co->consts->size; i++) {
    Value v = co->consts->items()[i];
    if (v.is_obj() && v.obj()->type == &code_type) dis_rec(v.as<Code>(), out, true);
  }
}

}  // namespace

std::string disassemble(Code* co) {
  std::string out;
  dis_rec(co, out, false);
  return out;
}

}  // namespace gp
