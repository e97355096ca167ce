// function.cpp — function, bound method, cell and code types; argument binding.
//
// Invariants:
//  * A Function's code, globals and builtins never change after creation except
//    through __code__ / __defaults__ / __kwdefaults__ assignment (checked types).
//  * Fast-local layout (objects/code.h): positional parameters [0, argcount), then
//    *args (CO_VARARGS), then keyword-only parameters, then **kwargs (CO_VARKEYWORDS).
//    bind_arguments fills exactly those slots and leaves the rest null.
//  * Every TypeError of argument binding uses the function's __qualname__ and
//    CPython 3.11's exact wording.
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <string>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "vm/eval.h"

namespace gp {

Type function_type, method_type, cell_type, code_type;

// ---------------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------------

Cell* cell_new(Value v) {
  Cell* c = gc_new_obj<Cell>(&cell_type);
  c->ref = v;
  return c;
}

Value method_new(Value func, Value self) {
  Method* m = gc_new_obj<Method>(&method_type);
  m->func = func;
  m->self = self;
  return Value::from_obj(m);
}

Function* function_new(Code* code, Dict* globals, Str* qualname) {
  Function* f = gc_new_obj<Function>(&function_type);
  f->code = code;
  f->globals = globals;
  f->builtins = builtins_for(globals);
  f->name = code->name;
  f->qualname = qualname ? qualname : code->name;
  Value mod = dict_get_str(globals, GP_STR("__name__"));
  f->module = (!mod.is_null() && is_str(mod)) ? as_str(mod) : nullptr;
  f->doc = code->docstring.is_null() ? None() : code->docstring;
  return f;
}

Value function_call(Function* f, const Value* args, size_t nargs, Tuple* kwnames) {
  return call_python(vmts(tstate()), f, args, nargs, kwnames);
}

// ---------------------------------------------------------------------------------
// Argument binding
// ---------------------------------------------------------------------------------

static std::string join_names(const std::vector<std::string>& names) {
  // 'a' / 'a' and 'b' / 'a', 'b', and 'c'
  std::string out;
  size_t n = names.size();
  for (size_t i = 0; i < n; i++) {
    if (i > 0) {
      if (n == 2) out += " and ";
      else if (i == n - 1) out += ", and ";
      else out += ", ";
    }
    out += "'" + names[i] + "'";
  }
  return out;
}

[[noreturn]] static void missing_arguments(Function* fn, const Value* fast, int start, int end,
                                           bool kwonly) {
  Code* co = fn->code;
  std::vector<std::string> names;
  for (int i = start; i < end; i++)
    if (fast[i].is_null()) names.emplace_back(as_str((*co->varnames)[i])->view());
  size_t n = names.size();
  raise(&exc_TypeError, "%s() missing %zu required %s argument%s: %s", fn->qualname->data(), n,
        kwonly ? "keyword-only" : "positional", n == 1 ? "" : "s", join_names(names).c_str());
}

[[noreturn]] static void too_many_positional(Function* fn, const Value* fast, size_t given,
                                             int kwonly_start) {
  Code* co = fn->code;
  int64_t kwonly_given = 0;
  for (int i = kwonly_start; i < kwonly_start + co->kwonlyargcount; i++)
    if (!fast[i].is_null()) kwonly_given++;
  int64_t defcount = fn->defaults ? fn->defaults->size : 0;
  std::string sig;
  bool plural;
  if (defcount) {
    plural = true;
    sig = "from " + std::to_string(co->argcount - defcount) + " to " + std::to_string(co->argcount);
  } else {
    plural = co->argcount != 1;
    sig = std::to_string(co->argcount);
  }
  std::string kwonly_sig;
  if (kwonly_given) {
    kwonly_sig = std::string(" positional argument") + (given != 1 ? "s" : "") + " (and " +
                 std::to_string(kwonly_given) + " keyword-only argument" +
                 (kwonly_given != 1 ? "s" : "") + ")";
  }
  raise(&exc_TypeError, "%s() takes %s positional argument%s but %zu%s %s given",
        fn->qualname->data(), sig.c_str(), plural ? "s" : "", given, kwonly_sig.c_str(),
        (given == 1 && !kwonly_given) ? "was" : "were");
}

void bind_arguments(Function* fn, Value* fast, const Value* args, size_t nargs, Tuple* kwnames) {
  Code* co = fn->code;
  const int argcount = co->argcount;
  const bool has_varargs = co->flags & CO_VARARGS;
  const bool has_varkw = co->flags & CO_VARKEYWORDS;
  const int kwonly_start = argcount + (has_varargs ? 1 : 0);
  const int kwonly_end = kwonly_start + co->kwonlyargcount;
  Dict* kwdict = nullptr;
  if (has_varkw) {
    kwdict = dict_new();
    fast[kwonly_end] = vdict(kwdict);
  }
  size_t n = nargs < size_t(argcount) ? nargs : size_t(argcount);
  for (size_t i = 0; i < n; i++) fast[i] = args[i];
  if (has_varargs) {
    fast[argcount] = nargs > size_t(argcount)
                         ? vtuple(tuple_from(args + argcount, int64_t(nargs - size_t(argcount))))
                         : vtuple(tuple_empty());
  }
  if (kwnames && kwnames->size) {
    const Value* varnames = co->varnames->items();
    const Value* kwvals = args + nargs;
    for (int64_t k = 0; k < kwnames->size; k++) {
      Value name = (*kwnames)[k];
      Value value = kwvals[k];
      if (!is_str(name)) raise(&exc_TypeError, "%s() keywords must be strings", fn->qualname->data());
      int j = -1;
      for (int i = co->posonlyargcount; i < argcount; i++)
        if (varnames[i] == name) { j = i; break; }
      if (j < 0)
        for (int i = kwonly_start; i < kwonly_end; i++)
          if (varnames[i] == name) { j = i; break; }
      if (j < 0) {
        Str* s = as_str(name);
        for (int i = co->posonlyargcount; i < argcount && j < 0; i++)
          if (str_eq(as_str(varnames[i]), s)) j = i;
        for (int i = kwonly_start; i < kwonly_end && j < 0; i++)
          if (str_eq(as_str(varnames[i]), s)) j = i;
      }
      if (j < 0) {
        if (kwdict) {
          dict_set(kwdict, name, value);
          continue;
        }
        if (co->posonlyargcount) {
          std::string bad;
          for (int64_t q = 0; q < kwnames->size; q++) {
            Value kn = (*kwnames)[q];
            for (int i = 0; i < co->posonlyargcount; i++) {
              if (str_eq(as_str(varnames[i]), as_str(kn))) {
                if (!bad.empty()) bad += ", ";
                bad += as_str(kn)->view();
                break;
              }
            }
          }
          if (!bad.empty())
            raise(&exc_TypeError,
                  "%s() got some positional-only arguments passed as keyword arguments: '%s'",
                  fn->qualname->data(), bad.c_str());
        }
        raise(&exc_TypeError, "%s() got an unexpected keyword argument '%s'",
              fn->qualname->data(), as_str(name)->data());
      }
      if (!fast[j].is_null())
        raise(&exc_TypeError, "%s() got multiple values for argument '%s'", fn->qualname->data(),
              as_str(name)->data());
      fast[j] = value;
    }
  }
  if (nargs > size_t(argcount) && !has_varargs) too_many_positional(fn, fast, nargs, kwonly_start);
  if (nargs < size_t(argcount)) {
    int64_t defcount = fn->defaults ? fn->defaults->size : 0;
    int m = int(argcount - defcount);
    for (int i = int(nargs); i < m; i++)
      if (fast[i].is_null()) missing_arguments(fn, fast, 0, m, false);
    int i = int(nargs) > m ? int(nargs) - m : 0;
    for (; i < defcount; i++)
      if (fast[m + i].is_null()) fast[m + i] = (*fn->defaults)[i];
  }
  if (co->kwonlyargcount > 0) {
    bool missing = false;
    for (int i = kwonly_start; i < kwonly_end; i++) {
      if (!fast[i].is_null()) continue;
      if (fn->kwdefaults) {
        Value d = dict_get(fn->kwdefaults, (*co->varnames)[i]);
        if (!d.is_null()) {
          fast[i] = d;
          continue;
        }
      }
      missing = true;
    }
    if (missing) missing_arguments(fn, fast, kwonly_start, kwonly_end, true);
  }
}

// ---------------------------------------------------------------------------------
// function type
// ---------------------------------------------------------------------------------

static Function* fn_of(Value v) { return v.as<Function>(); }

static Value function_call_slot(Value callable, const Value* args, size_t nargs, Tuple* kwnames) {
  return call_python(vmts(tstate()), callable.as<Function>(), args, nargs, kwnames);
}

static Value function_descr_get(Value descr, Value obj, Type* owner) {
  if (obj.is_null() || is_none(obj)) return descr;
  return method_new(descr, obj);
}

static Value function_repr(Value v) {
  char buf[64];
  snprintf(buf, sizeof buf, " at %p>", static_cast<void*>(v.obj()));
  std::string s = "<function ";
  s += fn_of(v)->qualname->view();
  s += buf;
  return vstr(str_new(s));
}

static Value fn_get_name(Value s) { return vstr(fn_of(s)->name); }
static void fn_set_name(Value s, Value v) {
  if (v.is_null() || !is_str(v)) raise(&exc_TypeError, "__name__ must be set to a string object");
  fn_of(s)->name = as_str(v);
}
static Value fn_get_qualname(Value s) { return vstr(fn_of(s)->qualname); }
static void fn_set_qualname(Value s, Value v) {
  if (v.is_null() || !is_str(v))
    raise(&exc_TypeError, "__qualname__ must be set to a string object");
  fn_of(s)->qualname = as_str(v);
}
static Value fn_get_module(Value s) {
  Function* f = fn_of(s);
  if (f->dict) {
    Value m = dict_get_str(f->dict, GP_STR("__module__"));
    if (!m.is_null()) return m;
  }
  return f->module ? vstr(f->module) : None();
}
static void fn_set_module(Value s, Value v) {
  Function* f = fn_of(s);
  if (v.is_null()) v = None();
  if (is_str(v)) {
    f->module = as_str(v);
    if (f->dict) dict_del(f->dict, vstr(GP_STR("__module__")));
  } else {
    f->module = nullptr;
    if (!f->dict) f->dict = dict_new();
    dict_set_str(f->dict, GP_STR("__module__"), v);
  }
}
static Value fn_get_doc(Value s) { return fn_of(s)->doc.is_null() ? None() : fn_of(s)->doc; }
static void fn_set_doc(Value s, Value v) { fn_of(s)->doc = v.is_null() ? None() : v; }
static Value fn_get_defaults(Value s) {
  return fn_of(s)->defaults ? vtuple(fn_of(s)->defaults) : None();
}
static void fn_set_defaults(Value s, Value v) {
  if (v.is_null() || is_none(v)) {
    fn_of(s)->defaults = nullptr;
    return;
  }
  if (!is_tuple(v)) raise(&exc_TypeError, "__defaults__ must be set to a tuple object");
  fn_of(s)->defaults = v.as<Tuple>()->size ? v.as<Tuple>() : nullptr;
}
static Value fn_get_kwdefaults(Value s) {
  return fn_of(s)->kwdefaults ? vdict(fn_of(s)->kwdefaults) : None();
}
static void fn_set_kwdefaults(Value s, Value v) {
  if (v.is_null() || is_none(v)) {
    fn_of(s)->kwdefaults = nullptr;
    return;
  }
  if (!is_dict(v)) raise(&exc_TypeError, "__kwdefaults__ must be set to a dict object");
  fn_of(s)->kwdefaults = v.as<Dict>();
}
static Value fn_get_code(Value s) { return Value::from_obj(fn_of(s)->code); }
static void fn_set_code(Value s, Value v) {
  if (v.is_null() || !is_type(v, &code_type))
    raise(&exc_TypeError, "__code__ must be set to a code object");
  Code* nc = v.as<Code>();
  int64_t nfree = nc->freevars ? nc->freevars->size : 0;
  int64_t nclosure = fn_of(s)->closure ? fn_of(s)->closure->size : 0;
  if (nfree != nclosure)
    raise(&exc_ValueError, "%s() requires a code object with %ld free vars, not %ld",
          fn_of(s)->name->data(), long(nclosure), long(nfree));
  fn_of(s)->code = nc;
}
static Value fn_get_globals(Value s) { return vdict(fn_of(s)->globals); }
static Value fn_get_builtins(Value s) { return vdict(fn_of(s)->builtins); }
static Value fn_get_closure(Value s) {
  return fn_of(s)->closure ? vtuple(fn_of(s)->closure) : None();
}
static Value fn_get_dict(Value s) {
  Function* f = fn_of(s);
  if (!f->dict) f->dict = dict_new();
  return vdict(f->dict);
}
static void fn_set_dict(Value s, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "cannot delete __dict__");
  if (!is_dict(v)) raise(&exc_TypeError, "__dict__ must be set to a dictionary, not a '%s'", type_name_c(v));
  fn_of(s)->dict = v.as<Dict>();
}
static Value fn_get_annotations(Value s) {
  Function* f = fn_of(s);
  if (!f->dict) f->dict = dict_new();
  Str* key = GP_STR("__gilpy_annotations__");
  Value a = dict_get_str(f->dict, key);
  if (a.is_null()) {
    a = vdict(dict_new());
    dict_set_str(f->dict, key, a);
  }
  return a;
}
void function_set_annotations(Function* f, Value d) {
  if (!f->dict) f->dict = dict_new();
  dict_set_str(f->dict, GP_STR("__gilpy_annotations__"), d);
}
static void fn_set_annotations(Value s, Value v) {
  if (!v.is_null() && !is_none(v) && !is_dict(v))
    raise(&exc_TypeError, "__annotations__ must be set to a dict object");
  function_set_annotations(fn_of(s), (v.is_null() || is_none(v)) ? vdict(dict_new()) : v);
}

// types.FunctionType(code, globals, name=None, argdefs=None, closure=None)
static Value function_tp_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"code", "globals", "name", "argdefs", "closure", nullptr};
  Value a[5];
  parse_args("function", args, nargs, kwnames, kw, 2, a);
  if (!is_type(a[0], &code_type))
    raise(&exc_TypeError, "function() argument 'code' must be code, not %s", type_name_c(a[0]));
  if (!is_dict(a[1]))
    raise(&exc_TypeError, "function() argument 'globals' must be dict, not %s", type_name_c(a[1]));
  Code* co = a[0].as<Code>();
  Function* f = function_new(co, a[1].as<Dict>(), co->qualname);
  if (!a[2].is_null() && !is_none(a[2])) {
    if (!is_str(a[2])) raise(&exc_TypeError, "arg 3 (name) must be None or string");
    f->name = as_str(a[2]);
  }
  if (!a[3].is_null() && !is_none(a[3])) {
    if (!is_tuple(a[3])) raise(&exc_TypeError, "arg 4 (defaults) must be None or tuple");
    f->defaults = a[3].as<Tuple>();
  }
  int64_t nfree = co->freevars ? co->freevars->size : 0;
  if (!a[4].is_null() && !is_none(a[4])) {
    if (!is_tuple(a[4])) raise(&exc_TypeError, "arg 5 (closure) must be tuple");
    f->closure = a[4].as<Tuple>();
  }
  int64_t nclosure = f->closure ? f->closure->size : 0;
  if (nfree != nclosure)
    raise(&exc_ValueError, "%s requires closure of length %ld, not %ld", co->name->data(),
          long(nfree), long(nclosure));
  return Value::from_obj(f);
}

// ---------------------------------------------------------------------------------
// bound method type
// ---------------------------------------------------------------------------------

static Value method_call_slot(Value callable, const Value* args, size_t nargs, Tuple* kwnames) {
  Method* m = callable.as<Method>();
  size_t total = nargs + (kwnames ? size_t(kwnames->size) : 0);
  Value small[9];
  GcVector<Value> big;
  Value* buf = small;
  if (total + 1 > 9) {
    big.resize(total + 1);
    buf = big.data();
  }
  buf[0] = m->self;
  for (size_t i = 0; i < total; i++) buf[i + 1] = args[i];
  if (is_type(m->func, &function_type))
    return call_python(vmts(tstate()), m->func.as<Function>(), buf, nargs + 1, kwnames);
  return call(m->func, buf, nargs + 1, kwnames);
}

static Value method_getattr(Value self, Str* name) {
  Value v = generic_getattr(self, name);
  if (!v.is_null()) return v;
  return getattr_opt(self.as<Method>()->func, name);
}

static Value method_repr(Value v) {
  Method* m = v.as<Method>();
  Value qn = getattr_opt(m->func, GP_STR("__qualname__"));
  if (current_exception()) take_exception();
  if (qn.is_null() || !is_str(qn)) {
    qn = getattr_opt(m->func, GP_STR("__name__"));
    if (current_exception()) take_exception();
  }
  std::string s = "<bound method ";
  s += (!qn.is_null() && is_str(qn)) ? std::string(as_str(qn)->view()) : std::string("?");
  s += " of ";
  s += repr(m->self)->view();
  s += ">";
  return vstr(str_new(s));
}

static Value method_richcompare(Value a, Value b, CmpOp op) {
  if ((op != CmpOp::Eq && op != CmpOp::Ne) || !is_type(b, &method_type)) return NotImplemented();
  Method* x = a.as<Method>();
  Method* y = b.as<Method>();
  bool e = x->self == y->self && eq(x->func, y->func);
  return Bool(op == CmpOp::Eq ? e : !e);
}

static int64_t method_hash(Value v) {
  Method* m = v.as<Method>();
  int64_t h = object_hash_identity(m->self) ^ hash(m->func);
  return h == -1 ? -2 : h;
}

static Value method_descr_get(Value descr, Value obj, Type* owner) { return descr; }

static Value meth_get_func(Value s) { return s.as<Method>()->func; }
static Value meth_get_self(Value s) { return s.as<Method>()->self; }

static Value method_tp_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("method", kwnames);
  check_nargs("method", nargs, 2, 2);
  if (!is_callable(args[0])) raise(&exc_TypeError, "first argument must be callable");
  if (is_none(args[1])) raise(&exc_TypeError, "instance must not be None");
  return method_new(args[0], args[1]);
}

// ---------------------------------------------------------------------------------
// cell type
// ---------------------------------------------------------------------------------

static Value cell_repr(Value v) {
  Cell* c = v.as<Cell>();
  char buf[128];
  if (c->ref.is_null()) {
    snprintf(buf, sizeof buf, "<cell at %p: empty>", static_cast<void*>(c));
    return vstr(str_new(buf));
  }
  std::string s;
  snprintf(buf, sizeof buf, "<cell at %p: ", static_cast<void*>(c));
  s += buf;
  s += type_name(c->ref);
  if (c->ref.is_small()) snprintf(buf, sizeof buf, " object at %p>", static_cast<void*>(nullptr));
  else snprintf(buf, sizeof buf, " object at %p>", static_cast<void*>(c->ref.obj()));
  s += buf;
  return vstr(str_new(s));
}
static Value cell_get_contents(Value s) {
  Value v = s.as<Cell>()->ref;
  if (v.is_null()) raise(&exc_ValueError, "Cell is empty");
  return v;
}
static void cell_set_contents(Value s, Value v) { s.as<Cell>()->ref = v; }
static Value cell_richcompare(Value a, Value b, CmpOp op) {
  if (!is_type(b, &cell_type)) return NotImplemented();
  Value x = a.as<Cell>()->ref, y = b.as<Cell>()->ref;
  if (!x.is_null() && !y.is_null()) return compare(x, y, op);
  int c = (x.is_null() ? 0 : 1) - (y.is_null() ? 0 : 1);
  switch (op) {
    case CmpOp::Lt: return Bool(c < 0);
    case CmpOp::Le: return Bool(c <= 0);
    case CmpOp::Eq: return Bool(c == 0);
    case CmpOp::Ne: return Bool(c != 0);
    case CmpOp::Gt: return Bool(c > 0);
    case CmpOp::Ge: return Bool(c >= 0);
  }
  return NotImplemented();
}
static Value cell_tp_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("cell", kwnames);
  check_nargs("cell", nargs, 0, 1);
  return Value::from_obj(cell_new(nargs ? args[0] : Value::null()));
}

// ---------------------------------------------------------------------------------
// code type
// ---------------------------------------------------------------------------------

static Code* co_of(Value v) { return v.as<Code>(); }
static Value code_repr(Value v) {
  Code* co = co_of(v);
  char buf[64];
  snprintf(buf, sizeof buf, " at %p, file \"", static_cast<void*>(co));
  std::string s = "<code object ";
  s += co->name->view();
  s += buf;
  s += co->filename->view();
  s += "\", line " + std::to_string(co->firstlineno) + ">";
  return vstr(str_new(s));
}
static Value tup_or_empty(Tuple* t) { return vtuple(t ? t : tuple_empty()); }
static Value co_name(Value s) { return vstr(co_of(s)->name); }
static Value co_qualname(Value s) { return vstr(co_of(s)->qualname ? co_of(s)->qualname : co_of(s)->name); }
static Value co_filename(Value s) { return vstr(co_of(s)->filename); }
static Value co_argcount(Value s) { return Value::from_small(co_of(s)->argcount); }
static Value co_posonlyargcount(Value s) { return Value::from_small(co_of(s)->posonlyargcount); }
static Value co_kwonlyargcount(Value s) { return Value::from_small(co_of(s)->kwonlyargcount); }
static Value co_nlocals(Value s) { return Value::from_small(co_of(s)->nlocals); }
static Value co_stacksize(Value s) { return Value::from_small(co_of(s)->stacksize); }
static Value co_firstlineno(Value s) { return Value::from_small(co_of(s)->firstlineno); }
static Value co_flags(Value s) { return Value::from_small(co_of(s)->flags); }
static Value co_varnames(Value s) { return tup_or_empty(co_of(s)->varnames); }
static Value co_cellvars(Value s) { return tup_or_empty(co_of(s)->cellvars); }
static Value co_freevars(Value s) { return tup_or_empty(co_of(s)->freevars); }
static Value co_names(Value s) { return tup_or_empty(co_of(s)->names); }
static Value co_consts(Value s) { return tup_or_empty(co_of(s)->consts); }
static Value co_code(Value s) {
  Code* co = co_of(s);
  return Value::from_obj(
      bytes_new(std::string_view(reinterpret_cast<const char*>(co->instrs), size_t(co->ninstrs) * 4)));
}

// ---------------------------------------------------------------------------------

static void base_type(Type* t, const char* name, int64_t size) {
  t->type = &type_type;
  t->name = name;
  t->basic_size = size;
  t->itemsize = 0;
  t->flags = 0;
}

void init_function_types() {
  base_type(&function_type, "function", sizeof(Function));
  function_type.dict_offset = offsetof(Function, dict);
  function_type.call = function_call_slot;
  function_type.descr_get = function_descr_get;
  function_type.repr = function_repr;
  function_type.tp_new = function_tp_new;
  function_type.getattr = generic_getattr;
  function_type.setattr = generic_setattr;
  type_ready(&function_type);
  type_add_getset(&function_type, "__name__", fn_get_name, fn_set_name);
  type_add_getset(&function_type, "__qualname__", fn_get_qualname, fn_set_qualname);
  type_add_getset(&function_type, "__module__", fn_get_module, fn_set_module);
  type_add_getset(&function_type, "__doc__", fn_get_doc, fn_set_doc);
  type_add_getset(&function_type, "__defaults__", fn_get_defaults, fn_set_defaults);
  type_add_getset(&function_type, "__kwdefaults__", fn_get_kwdefaults, fn_set_kwdefaults);
  type_add_getset(&function_type, "__code__", fn_get_code, fn_set_code);
  type_add_getset(&function_type, "__globals__", fn_get_globals);
  type_add_getset(&function_type, "__builtins__", fn_get_builtins);
  type_add_getset(&function_type, "__closure__", fn_get_closure);
  type_add_getset(&function_type, "__dict__", fn_get_dict, fn_set_dict);
  type_add_getset(&function_type, "__annotations__", fn_get_annotations, fn_set_annotations);

  base_type(&method_type, "method", sizeof(Method));
  method_type.call = method_call_slot;
  method_type.getattr = method_getattr;
  method_type.repr = method_repr;
  method_type.richcompare = method_richcompare;
  method_type.hash = method_hash;
  method_type.descr_get = method_descr_get;
  method_type.tp_new = method_tp_new;
  type_ready(&method_type);
  type_add_getset(&method_type, "__func__", meth_get_func);
  type_add_getset(&method_type, "__self__", meth_get_self);

  base_type(&cell_type, "cell", sizeof(Cell));
  cell_type.repr = cell_repr;
  cell_type.richcompare = cell_richcompare;
  cell_type.tp_new = cell_tp_new;
  type_ready(&cell_type);
  type_add_getset(&cell_type, "cell_contents", cell_get_contents, cell_set_contents);

  base_type(&code_type, "code", sizeof(Code));
  code_type.repr = code_repr;
  type_ready(&code_type);
  type_add_getset(&code_type, "co_name", co_name);
  type_add_getset(&code_type, "co_qualname", co_qualname);
  type_add_getset(&code_type, "co_filename", co_filename);
  type_add_getset(&code_type, "co_argcount", co_argcount);
  type_add_getset(&code_type, "co_posonlyargcount", co_posonlyargcount);
  type_add_getset(&code_type, "co_kwonlyargcount", co_kwonlyargcount);
  type_add_getset(&code_type, "co_nlocals", co_nlocals);
  type_add_getset(&code_type, "co_stacksize", co_stacksize);
  type_add_getset(&code_type, "co_firstlineno", co_firstlineno);
  type_add_getset(&code_type, "co_flags", co_flags);
  type_add_getset(&code_type, "co_varnames", co_varnames);
  type_add_getset(&code_type, "co_cellvars", co_cellvars);
  type_add_getset(&code_type, "co_freevars", co_freevars);
  type_add_getset(&code_type, "co_names", co_names);
  type_add_getset(&code_type, "co_consts", co_consts);
  type_add_getset(&code_type, "co_code", co_code);
}

}  // namespace gp
