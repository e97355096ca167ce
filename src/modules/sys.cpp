// sys.cpp — the sys module.
//
// Invariants:
//  * One sys module per process, created by sys_init (main thread, lock held) or
//    lazily by init_module_sys; sys.modules is the dict the import system uses.
//  * Attributes are read live from the module dict (sys_get), so assignments from
//    Python (sys.stdout = ...) take effect for print, input and tracebacks.
//  * Process-wide settings written here (switch interval, recursion limit, int digit
//    limit) are atomics or owned by their readers' parts.
#include "modules/sysmodule.h"

#include <unistd.h>

#include <cfloat>
#include <climits>
#include <array>
#include <cmath>
#include <utility>

#include "core/args.h"
#include "core/threadstate.h"
#include "gil/gil.h"
#include "modules/iomodule.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/frame.h"

namespace gp {

std::atomic<double> switch_interval{0.005};
std::string gil_policy_option;

namespace {

Module* g_sys = nullptr;
Dict* g_modules = nullptr;

// ---- struct sequences (version_info, float_info, flags) -----------------------------

struct SeqDesc {
  Type* type;
  const char* const* fields;
  int n;
};
SeqDesc g_seqs[4];
int g_nseqs = 0;

Value seq_repr(Value self) {
  Type* t = type_of(self);
  const SeqDesc* d = nullptr;
  for (int i = 0; i < g_nseqs; i++)
    if (g_seqs[i].type == t) d = &g_seqs[i];
  Tuple* tup = self.as<Tuple>();
  std::string s = t->name;
  s += "(";
  for (int i = 0; d && i < d->n && i < tup->size; i++) {
    if (i) s += ", ";
    s += d->fields[i];
    s += "=";
    s += repr((*tup)[i])->view();
  }
  s += ")";
  return vstr(str_new(s));
}

template <int I>
Value seq_get(Value self) { return (*self.as<Tuple>())[I]; }

using Getter = Value (*)(Value);
template <int... Is>
constexpr std::array<Getter, sizeof...(Is)> make_getters(std::integer_sequence<int, Is...>) {
  return {&seq_get<Is>...};
}
constexpr auto kSeqGetters = make_getters(std::make_integer_sequence<int, 20>{});

void seq_type_init(Type* t, const char* name, const char* const* fields, int n) {
  t->type = &type_type;
  t->name = name;
  std::string_view nv(name);
  size_t dot = nv.rfind('.');
  t->name_str = str_intern(nv.substr(dot + 1));
  t->qualname = t->name_str;
  t->module = str_intern(nv.substr(0, dot));
  t->base = &tuple_type;
  t->bases = tuple_of({Value::from_obj(&tuple_type)});
  t->basic_size = tuple_type.basic_size;
  t->itemsize = tuple_type.itemsize;
  t->flags = 0;
  t->repr = seq_repr;
  t->str = seq_repr;
  type_ready(t);
  for (int i = 0; i < n; i++) type_add_getset(t, fields[i], kSeqGetters[size_t(i)]);
  type_set_attr(t, "n_fields", Value::from_small(n));
  type_set_attr(t, "n_sequence_fields", Value::from_small(n));
  g_seqs[g_nseqs++] = SeqDesc{t, fields, n};
}

Value seq_make(Type* t, std::initializer_list<Value> items) {
  Tuple* tup = tuple_from(items.begin(), int64_t(items.size()));
  tup->type = t;
  return vtuple(tup);
}

Type version_info_type, float_info_type, flags_type;
const char* const kVersionFields[] = {"major", "minor", "micro", "releaselevel", "serial"};
const char* const kFloatFields[] = {"max", "max_exp", "max_10_exp", "min", "min_exp", "min_10_exp",
                                    "dig", "mant_dig", "epsilon", "radix", "rounds"};
const char* const kFlagsFields[] = {
    "debug", "inspect", "interactive", "optimize", "dont_write_bytecode", "no_user_site",
    "no_site", "ignore_environment", "verbose", "bytes_warning", "quiet", "hash_randomization",
    "isolated", "dev_mode", "utf8_mode", "warn_default_encoding", "safe_path",
    "int_max_str_digits"};

// ---- namespace (sys.implementation) ----------------------------------------------------

struct Namespace : Object {
  Dict* dict;
};
Type namespace_type;

Value namespace_repr(Value self) {
  Dict* d = self.as<Namespace>()->dict;
  std::string s = "namespace(";
  if (d) {
    ReprGuard g(self);
    if (g.recursive()) return vstr(str_new("namespace(...)"));
    int64_t pos = 0;
    Value k, v;
    bool first = true;
    while (dict_next(d, &pos, &k, &v)) {
      if (!first) s += ", ";
      first = false;
      s += str(k)->view();
      s += "=";
      s += repr(v)->view();
    }
  }
  s += ")";
  return vstr(str_new(s));
}

Value namespace_new_slot(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs) raise(&exc_TypeError, "no positional arguments expected");
  Namespace* ns = gc_new_obj<Namespace>(t, size_t(t->basic_size));
  ns->dict = dict_new();
  if (kwnames)
    for (int64_t i = 0; i < kwnames->size; i++) dict_set(ns->dict, (*kwnames)[i], args[i]);
  return Value::from_obj(ns);
}

Value namespace_richcompare(Value a, Value b, CmpOp op) {
  if ((op != CmpOp::Eq && op != CmpOp::Ne) || !isinstance(b, &namespace_type))
    return NotImplemented();
  bool e = eq(vdict(a.as<Namespace>()->dict), vdict(b.as<Namespace>()->dict));
  return Bool(op == CmpOp::Eq ? e : !e);
}

void init_namespace_type() {
  if (namespace_type.flags & TF_READY) return;
  Type* t = &namespace_type;
  t->type = &type_type;
  t->name = "types.SimpleNamespace";
  t->name_str = str_intern("SimpleNamespace");
  t->qualname = t->name_str;
  t->module = str_intern("types");
  t->base = &object_type;
  t->bases = tuple_of({Value::from_obj(&object_type)});
  t->basic_size = sizeof(Namespace);
  t->dict_offset = offsetof(Namespace, dict);
  t->flags = TF_BASETYPE;
  t->repr = namespace_repr;
  t->tp_new = namespace_new_slot;
  t->richcompare = namespace_richcompare;
  t->getattr = generic_getattr;
  t->setattr = generic_setattr;
  type_ready(t);
}

Value namespace_of(std::initializer_list<std::pair<const char*, Value>> items) {
  init_namespace_type();
  Namespace* ns = gc_new_obj<Namespace>(&namespace_type);
  ns->dict = dict_new();
  for (auto& [k, v] : items) dict_set_str(ns->dict, str_intern(k), v);
  return Value::from_obj(ns);
}

// ---- functions ----------------------------------------------------------------------------

Value sys_exit(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("exit", kwnames);
  if (nargs > 1) raise(&exc_TypeError, "exit expected at most 1 argument, got %zu", nargs);
  if (nargs == 0) throw_exc(exc_new(&exc_SystemExit, {}));
  throw_exc(exc_new(&exc_SystemExit, {args[0]}));
}

Value sys_getrecursionlimit(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("getrecursionlimit", kwnames);
  if (nargs) raise(&exc_TypeError, "sys.getrecursionlimit() takes no arguments (%zu given)", nargs);
  return Value::from_small(recursion_limit());
}

Value sys_setrecursionlimit(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("setrecursionlimit", kwnames);
  check_nargs("setrecursionlimit", nargs, 1, 1);
  if (is_float(args[0])) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
  int64_t n = as_index(args[0]);
  if (n < 1) raise(&exc_ValueError, "recursion limit must be greater or equal than 1");
  if (n > INT_MAX) raise(&exc_OverflowError, "Python int too large to convert to C int");
  set_recursion_limit(int(n));
  return None();
}

Value sys_getsizeof(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"object", "default", nullptr};
  Value a[2];
  parse_args("getsizeof", args, nargs, kwnames, kw, 1, a);
  Value o = a[0];
  Value r = call_dunder_opt(o, GP_STR("__sizeof__"), {});
  if (!r.is_null()) {
    int64_t n = as_index(r);
    if (n < 0) raise(&exc_ValueError, "__sizeof__() should return >= 0");
    return int_from_i64(n + 16);
  }
  if (o.is_small()) {
    int64_t v = o.small();
    if (v == 0) return Value::from_small(24);
    uint64_t m = v < 0 ? uint64_t(-v) : uint64_t(v);
    int digits = 0;
    while (m) { digits++; m >>= 30; }
    return Value::from_small(24 + 4 * digits);
  }
  Type* t = type_of(o);
  int64_t n = t->basic_size;
  if (is_str(o)) n = 49 + as_str(o)->size;
  else if (is_list(o)) {
    ObjLock lk(o.as<List>());  // cap is written under the list's lock
    n = 56 + 8 * o.as<List>()->cap;
  }
  else if (is_tuple(o)) n = 40 + 8 * o.as<Tuple>()->size;
  else if (is_bytes(o)) n = 33 + o.as<Bytes>()->size;
  else if (is_float(o)) n = 24;
  else if (t->itemsize) n += t->itemsize * o.as<VarObject>()->size;
  return int_from_i64(n);
}

Value current_handled() {
  ThreadState* ts = tstate();
  Value e = ts->exc_info;
  if (e.is_null() || is_none(e)) return None();
  return e;
}

Value sys_exc_info(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("exc_info", kwnames);
  check_nargs("exc_info", nargs, 0, 0);
  Value e = current_handled();
  if (is_none(e)) return vtuple(tuple_of({None(), None(), None()}));
  return vtuple(tuple_of({Value::from_obj(type_of(e)), e,
                          getattr(e, GP_STR("__traceback__"))}));
}

Value sys_exception(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("exception", kwnames);
  check_nargs("exception", nargs, 0, 0);
  return current_handled();
}

Value sys_intern(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("intern", kwnames);
  check_nargs("intern", nargs, 1, 1);
  if (!is_str(args[0]))
    raise(&exc_TypeError, "intern() argument must be str, not %s", type_name_c(args[0]));
  if (!is_type(args[0], &str_type)) raise(&exc_TypeError, "can't intern %s", type_name_c(args[0]));
  return vstr(str_intern(as_str(args[0])));
}

Value sys_getdefaultencoding(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("getdefaultencoding", nargs, 0, 0);
  return vstr(str_intern("utf-8"));
}

Value sys_setswitchinterval(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("setswitchinterval", kwnames);
  check_nargs("setswitchinterval", nargs, 1, 1);
  if (!is_float(args[0]) && !is_int(args[0]) && !type_of(args[0])->nb_float)
    raise(&exc_TypeError, "must be real number, not %s", type_name_c(args[0]));
  double d = as_double(args[0]);
  if (!(d > 0.0)) raise(&exc_ValueError, "switch interval must be strictly positive");
  switch_interval.store(d);
  return None();
}

// sys.setcheckinterval / getcheckinterval: removed from CPython in 3.9, kept here because
// the tick-based lock policy (CPython 2's) is driven by them.
Value sys_setcheckinterval(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("setcheckinterval", kwnames);
  check_nargs("setcheckinterval", nargs, 1, 1);
  gil_set_check_interval(int(as_index(args[0])));
  return None();
}

Value sys_getcheckinterval(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("getcheckinterval", nargs, 0, 0);
  return int_from_i64(gil_check_interval());
}

// sys._gil_policy(): the lock policy this process runs under.
Value sys_gil_policy(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("_gil_policy", nargs, 0, 0);
  return vstr(str_new(gil_policy_name()));
}

Value sys_getswitchinterval(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("getswitchinterval", nargs, 0, 0);
  return float_new(switch_interval.load());
}

Value sys_set_int_max_str_digits(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"maxdigits", nullptr};
  Value a[1];
  parse_args("set_int_max_str_digits", args, nargs, kwnames, kw, 1, a);
  int64_t n = as_index(a[0]);
  if (n != 0 && n < 640) raise(&exc_ValueError, "maxdigits must be 0 or larger than 640");
  if (n > INT_MAX) raise(&exc_OverflowError, "Python int too large to convert to C int");
  set_int_max_str_digits(int(n));
  return None();
}

Value sys_get_int_max_str_digits(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("get_int_max_str_digits", nargs, 0, 0);
  return Value::from_small(int_max_str_digits());
}

Value sys_getframe(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("_getframe", kwnames);
  check_nargs("_getframe", nargs, 0, 1);
  int64_t depth = nargs ? as_index(args[0]) : 0;
  Frame* f = tstate()->frame;
  while (f && depth > 0) {
    f = f->back;
    depth--;
  }
  if (!f) raise(&exc_ValueError, "call stack is not deep enough");
  return frame_object(f);
}

Value sys_is_finalizing(const Value* args, size_t nargs, Tuple* kwnames) { return False(); }

Value sys_getrefcount(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("getrefcount", nargs, 1, 1);
  return Value::from_small(2);  // no reference counts under a tracing collector
}

Value sys_settrace(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("settrace", nargs, 1, 1);
  return None();  // tracing hooks are not supported; accepted for compatibility
}

Value sys_excepthook(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("excepthook", kwnames);
  if (nargs != 3) raise(&exc_TypeError, "excepthook expected 3 arguments, got %zu", nargs);
  Value v = args[1];
  if (!is_exception(v)) {
    // CPython prints the type's name and the value's str
    std::string line = is_typeobj(args[0]) ? std::string(args[0].as<Type>()->name) : type_name(args[0]);
    if (!is_none(v)) {
      line += ": ";
      line += str(v)->view();
    }
    line += "\n";
    Value err = sys_get("stderr");
    if (!err.is_null() && !is_none(err)) file_write(err, line);
    return None();
  }
  if (!is_none(args[2])) setattr(v, GP_STR("__traceback__"), args[2]);
  print_exception(v);
  return None();
}

Value sys_displayhook(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("displayhook", kwnames);
  check_nargs("displayhook", nargs, 1, 1);
  Value v = args[0];
  if (is_none(v)) return None();
  // as CPython's sys.displayhook: _ is None while repr runs, then the value
  Value bm = dict_get_str(sys_modules(), GP_STR("builtins"));
  Dict* bd = (!bm.is_null() && is_type(bm, &module_type)) ? bm.as<Module>()->dict : nullptr;
  if (bd) dict_set_str(bd, GP_STR("_"), None());
  Str* text = repr(v);
  Value out = sys_get("stdout");
  if (out.is_null() || is_none(out)) raise(&exc_RuntimeError, "lost sys.stdout");
  file_write_str(out, text);
  file_write_str(out, str_intern("\n"));
  if (bd) dict_set_str(bd, GP_STR("_"), v);
  return None();
}

Value sys_audit(const Value* args, size_t nargs, Tuple* kwnames) { return None(); }

std::string exe_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  return std::string(buf, size_t(n));
}

Module* create_sys() {
  Module* m = module_new("sys");
  g_sys = m;
  if (!g_modules) g_modules = dict_new();
  dict_set_str(g_modules, str_intern("sys"), vmodule(m));
  module_add(m, "modules", vdict(g_modules));

  module_add_fn(m, "exit", sys_exit);
  module_add_fn(m, "getrecursionlimit", sys_getrecursionlimit);
  module_add_fn(m, "setrecursionlimit", sys_setrecursionlimit);
  module_add_fn(m, "getsizeof", sys_getsizeof);
  module_add_fn(m, "exc_info", sys_exc_info);
  module_add_fn(m, "exception", sys_exception);
  module_add_fn(m, "intern", sys_intern);
  module_add_fn(m, "getdefaultencoding", sys_getdefaultencoding);
  module_add_fn(m, "getfilesystemencoding", sys_getdefaultencoding);
  module_add_fn(m, "setswitchinterval", sys_setswitchinterval);
  module_add_fn(m, "getswitchinterval", sys_getswitchinterval);
  module_add_fn(m, "setcheckinterval", sys_setcheckinterval);
  module_add_fn(m, "getcheckinterval", sys_getcheckinterval);
  module_add_fn(m, "_gil_policy", sys_gil_policy);
  module_add_fn(m, "set_int_max_str_digits", sys_set_int_max_str_digits);
  module_add_fn(m, "get_int_max_str_digits", sys_get_int_max_str_digits);
  module_add_fn(m, "_getframe", sys_getframe);
  module_add_fn(m, "is_finalizing", sys_is_finalizing);
  module_add_fn(m, "getrefcount", sys_getrefcount);
  module_add_fn(m, "settrace", sys_settrace);
  module_add_fn(m, "setprofile", sys_settrace);
  module_add_fn(m, "audit", sys_audit);
  module_add_fn(m, "excepthook", sys_excepthook);
  module_add_fn(m, "displayhook", sys_displayhook);
  module_add(m, "__excepthook__", dict_get_str(m->dict, str_intern("excepthook")));
  module_add(m, "__displayhook__", dict_get_str(m->dict, str_intern("displayhook")));

  static bool seq_ready = false;
  if (!seq_ready) {
    seq_ready = true;
    seq_type_init(&version_info_type, "sys.version_info", kVersionFields, 5);
    seq_type_init(&float_info_type, "sys.float_info", kFloatFields, 11);
    seq_type_init(&flags_type, "sys.flags", kFlagsFields, 18);
  }
  Value vi = seq_make(&version_info_type, {Value::from_small(3), Value::from_small(11),
                                           Value::from_small(0), vstr(str_intern("final")),
                                           Value::from_small(0)});
  module_add(m, "version_info", vi);
  module_add(m, "version", vstr(str_new("3.11.0 (main, gilpy) [GCC C++20]")));
  module_add(m, "hexversion", Value::from_small(0x030B00F0));
  module_add(m, "api_version", Value::from_small(1013));
  module_add(m, "implementation",
             namespace_of({{"name", vstr(str_intern("gilpy"))},
                           {"cache_tag", None()},
                           {"version", vi},
                           {"hexversion", Value::from_small(0x030B00F0)}}));
  module_add(m, "maxsize", int_from_i64(INT64_MAX));
  module_add(m, "maxunicode", Value::from_small(0x10FFFF));
  module_add(m, "byteorder", vstr(str_intern("little")));
  module_add(m, "platform", vstr(str_intern("linux")));
  module_add(m, "executable", vstr(str_new(exe_path())));
  module_add(m, "_base_executable", vstr(str_new(exe_path())));
  module_add(m, "prefix", vstr(str_intern("/usr/local")));
  module_add(m, "exec_prefix", vstr(str_intern("/usr/local")));
  module_add(m, "base_prefix", vstr(str_intern("/usr/local")));
  module_add(m, "base_exec_prefix", vstr(str_intern("/usr/local")));
  module_add(m, "float_repr_style", vstr(str_intern("short")));
  module_add(m, "dont_write_bytecode", True());
  module_add(m, "copyright", vstr(str_new("Copyright (c) gilpy authors.")));
  module_add(m, "float_info",
             seq_make(&float_info_type,
                      {float_new(DBL_MAX), Value::from_small(DBL_MAX_EXP),
                       Value::from_small(DBL_MAX_10_EXP), float_new(DBL_MIN),
                       Value::from_small(DBL_MIN_EXP), Value::from_small(DBL_MIN_10_EXP),
                       Value::from_small(DBL_DIG), Value::from_small(DBL_MANT_DIG),
                       float_new(DBL_EPSILON), Value::from_small(FLT_RADIX),
                       Value::from_small(1)}));
  Value z = Value::from_small(0);
  module_add(m, "flags", seq_make(&flags_type, {z, z, z, z, Value::from_small(1), z, z, z, z, z, z,
                                                Value::from_small(1), z, False(), z, z, False(),
                                                Value::from_small(-1)}));
  static const char* const builtin_names[] = {"_io", "_random", "_thread", "builtins", "errno",
                                               "gc", "io", "math", "sys", "time"};
  Tuple* bn = tuple_new(10);
  for (int i = 0; i < 10; i++) (*bn)[i] = vstr(str_intern(builtin_names[i]));
  module_add(m, "builtin_module_names", vtuple(bn));
  module_add(m, "meta_path", vlist(list_new(0)));
  module_add(m, "path_hooks", vlist(list_new(0)));
  module_add(m, "path_importer_cache", vdict(dict_new()));
  module_add(m, "warnoptions", vlist(list_new(0)));
  Dict* xopts = dict_new();
  if (!gil_policy_option.empty()) dict_set_str(xopts, str_intern("gil"), vstr(str_new(gil_policy_option)));
  module_add(m, "_xoptions", vdict(xopts));
  module_add(m, "argv", vlist(list_new(0)));
  module_add(m, "orig_argv", vlist(list_new(0)));
  module_add(m, "path", vlist(list_new(0)));

  Value in = io_make_stdio(0), out = io_make_stdio(1), err = io_make_stdio(2);
  module_add(m, "stdin", in);
  module_add(m, "stdout", out);
  module_add(m, "stderr", err);
  module_add(m, "__stdin__", in);
  module_add(m, "__stdout__", out);
  module_add(m, "__stderr__", err);
  return m;
}

}  // namespace

Module* init_module_sys() {
  if (!g_sys) create_sys();
  return g_sys;
}

Module* sys_module() { return init_module_sys(); }

Dict* sys_modules() {
  if (!g_modules) init_module_sys();
  return g_modules;
}

Value sys_get(const char* name) {
  if (!g_sys) return Value::null();
  return dict_get_str(g_sys->dict, str_intern(name));
}

void sys_set(const char* name, Value v) {
  dict_set_str(init_module_sys()->dict, str_intern(name), v);
}

void sys_init(int argc, char** argv, std::string_view script_dir) {
  Module* m = init_module_sys();
  List* av = list_new(0);
  for (int i = 0; i < argc; i++) {
    std::string_view a(argv[i]);
    list_append(av, vstr(str_from_utf8_checked(a)));
  }
  dict_set_str(m->dict, str_intern("argv"), vlist(av));
  List* path = list_new(0);
  list_append(path, vstr(str_new(script_dir)));
  dict_set_str(m->dict, str_intern("path"), vlist(path));
}

}  // namespace gp
