// builtins.cpp — the builtins module.
//
// Invariants:
//  * One builtins module per process (init_module_builtins is idempotent); its dict
//    is what frames see as __builtins__ unless globals name another.
//  * Functions here take the vectorcall convention and raise with CPython 3.11's
//    exact messages. "The caller's frame" is tstate()->frame: native functions do not
//    push frames, so while a builtin runs it is the Python frame that called it.
//  * print/input go through sys.stdout/sys.stdin as they are at call time (user
//    objects with write/readline work); our own file type takes a direct path.
#include "modules/builtins.h"

#include <cmath>

#include "compiler/ast.h"
#include "compiler/compiler.h"
#include "core/args.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/range.h"
#include "objects/iterobject.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "vm/eval.h"
#include "vm/frame.h"

namespace gp {

namespace {

Module* g_builtins = nullptr;
Value g_builtin_import;  // the original __import__ (a root: static storage)

void no_kw(const char* name, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "%s() takes no keyword arguments", name);
}
void one_arg(const char* name, size_t nargs, Tuple* kwnames) {
  no_kw(name, kwnames);
  if (nargs != 1) raise(&exc_TypeError, "%s() takes exactly one argument (%zu given)", name, nargs);
}
void no_args(const char* name, size_t nargs, Tuple* kwnames) {
  no_kw(name, kwnames);
  if (nargs != 0) raise(&exc_TypeError, "%s() takes no arguments (%zu given)", name, nargs);
}
void expect_args(const char* name, size_t nargs, size_t lo, size_t hi) {
  if (nargs < lo) {
    if (lo == hi) raise(&exc_TypeError, "%s expected %zu argument%s, got %zu", name, lo, lo == 1 ? "" : "s", nargs);
    raise(&exc_TypeError, "%s expected at least %zu argument%s, got %zu", name, lo, lo == 1 ? "" : "s", nargs);
  }
  if (nargs > hi) {
    if (lo == hi) raise(&exc_TypeError, "%s expected %zu argument%s, got %zu", name, hi, hi == 1 ? "" : "s", nargs);
    raise(&exc_TypeError, "%s expected at most %zu argument%s, got %zu", name, hi, hi == 1 ? "" : "s", nargs);
  }
}
// keyword value by name (null if absent); rejects unknown names with CPython's wording
Value kwarg(const Value* args, size_t nargs, Tuple* kwnames, const char* name) {
  if (!kwnames) return Value::null();
  for (int64_t i = 0; i < kwnames->size; i++)
    if (as_str((*kwnames)[i])->view() == name) return args[nargs + size_t(i)];
  return Value::null();
}
void check_kwnames(const char* fname, Tuple* kwnames, std::initializer_list<const char*> allowed) {
  if (!kwnames) return;
  for (int64_t i = 0; i < kwnames->size; i++) {
    std::string_view k = as_str((*kwnames)[i])->view();
    bool ok = false;
    for (const char* a : allowed) ok |= k == a;
    if (!ok) raise(&exc_TypeError, "'%s' is an invalid keyword argument for %s()", std::string(k).c_str(), fname);
  }
}

Str* attr_name(Value v) {
  if (!is_str(v)) raise(&exc_TypeError, "attribute name must be string, not '%s'", type_name_c(v));
  return as_str(v);
}

Frame* caller_frame() { return tstate() ? tstate()->frame : nullptr; }

Dict* main_globals() {
  Value m = dict_get_str(sys_modules(), GP_STR("__main__"));
  if (!m.is_null() && is_type(m, &module_type)) return m.as<Module>()->dict;
  return init_module_builtins()->dict;
}

// ---- I/O ---------------------------------------------------------------------------------

Value b_print(const Value* args, size_t nargs, Tuple* kwnames) {
  Value sep, end, file, flush;
  if (kwnames) {
    for (int64_t i = 0; i < kwnames->size; i++) {
      std::string_view k = as_str((*kwnames)[i])->view();
      Value v = args[nargs + size_t(i)];
      if (k == "sep") sep = v;
      else if (k == "end") end = v;
      else if (k == "file") file = v;
      else if (k == "flush") flush = v;
      else raise(&exc_TypeError, "'%s' is an invalid keyword argument for print()", std::string(k).c_str());
    }
  }
  if (!sep.is_null() && !is_none(sep) && !is_str(sep))
    raise(&exc_TypeError, "sep must be None or a string, not %s", type_name_c(sep));
  if (!end.is_null() && !is_none(end) && !is_str(end))
    raise(&exc_TypeError, "end must be None or a string, not %s", type_name_c(end));
  if (file.is_null() || is_none(file)) {
    file = sys_get("stdout");
    if (file.is_null() || is_none(file)) return None();
  }
  std::string_view sepv = (sep.is_null() || is_none(sep)) ? std::string_view(" ") : as_str(sep)->view();
  std::string_view endv = (end.is_null() || is_none(end)) ? std::string_view("\n") : as_str(end)->view();
  if (is_type(file, &textio_type)) {
    // one write for the whole line: same bytes, fewer lock round trips
    std::string out;
    for (size_t i = 0; i < nargs; i++) {
      if (i) out += sepv;
      Value a = args[i];
      if (is_type(a, &str_type)) out += as_str(a)->view();
      else out += str(a)->view();
    }
    out += endv;
    file_write(file, out);
  } else {
    Str* seps = (sep.is_null() || is_none(sep)) ? nullptr : as_str(sep);
    for (size_t i = 0; i < nargs; i++) {
      if (i) file_write_str(file, seps ? seps : str_intern(" "));
      file_write_str(file, str(args[i]));
    }
    file_write_str(file, (end.is_null() || is_none(end)) ? str_intern("\n") : as_str(end));
  }
  if (!flush.is_null() && truthy(flush)) file_flush(file);
  return None();
}

Value b_input(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("input", kwnames);
  expect_args("input", nargs, 0, 1);
  Value in = sys_get("stdin"), out = sys_get("stdout"), err = sys_get("stderr");
  if (in.is_null() || is_none(in)) raise(&exc_RuntimeError, "input(): lost sys.stdin");
  if (out.is_null() || is_none(out)) raise(&exc_RuntimeError, "input(): lost sys.stdout");
  if (!err.is_null() && !is_none(err)) file_flush(err, true);
  if (nargs == 1) file_write_str(out, str(args[0]));
  file_flush(out, true);
  Value line = file_readline(in);
  if (line.is_null()) raise(&exc_EOFError, "EOF when reading a line");
  Str* s = as_str(line);
  std::string_view v = s->view();
  if (!v.empty() && v.back() == '\n') return vstr(str_new(v.substr(0, v.size() - 1)));
  return line;
}

Value b_open(const Value* args, size_t nargs, Tuple* kwnames) { return io_open(args, nargs, kwnames); }

// ---- simple functions ---------------------------------------------------------------

Value b_len(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("len", nargs, kwnames);
  return int_from_i64(len(args[0]));
}

Value b_repr(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("repr", nargs, kwnames);
  return vstr(repr(args[0]));
}

Value b_ascii(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("ascii", nargs, kwnames);
  return vstr(ascii(args[0]));
}

Value b_id(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("id", nargs, kwnames);
  return int_from_u64(args[0].bits());
}

Value b_hash(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("hash", nargs, kwnames);
  return int_from_i64(hash(args[0]));
}

Value b_callable(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("callable", nargs, kwnames);
  return Bool(is_callable(args[0]));
}

Value b_abs(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("abs", nargs, kwnames);
  Value v = args[0];
  if (v.is_small()) {
    int64_t x = v.small();
    return int_from_i64(x < 0 ? -x : x);
  }
  if (is_type(v, &float_type)) return float_new(std::fabs(float_val(v)));
  Type* t = type_of(v);
  if (!t->nb_abs) raise(&exc_TypeError, "bad operand type for abs(): '%s'", type_name_c(v));
  return t->nb_abs(v);
}

Value b_any(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("any", nargs, kwnames);
  Value it = iter(args[0]);
  NativeLoop turns;
  for (Value x = next(it); !x.is_null(); x = next(it)) {
    if (truthy(x)) return True();
    turns.check();
  }
  return False();
}

Value b_all(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("all", nargs, kwnames);
  Value it = iter(args[0]);
  NativeLoop turns;
  for (Value x = next(it); !x.is_null(); x = next(it)) {
    if (!truthy(x)) return False();
    turns.check();
  }
  return True();
}

Value b_isinstance(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("isinstance", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "isinstance expected 2 arguments, got %zu", nargs);
  if (is_typeobj(args[1]) && type_of(args[0]) == args[1].as<Type>()) return True();
  return Bool(isinstance_any(args[0], args[1]));
}

Value b_issubclass(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("issubclass", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "issubclass expected 2 arguments, got %zu", nargs);
  return Bool(issubclass_any(args[0], args[1]));
}

Value b_getattr(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("getattr", kwnames);
  expect_args("getattr", nargs, 2, 3);
  Str* name = attr_name(args[1]);
  if (nargs == 2) return getattr(args[0], name);
  try {
    return getattr(args[0], name);
  } catch (PyThrow&) {
    Value e = take_exception();
    if (exc_matches(e, Value::from_obj(&exc_AttributeError))) return args[2];
    rethrow(e);
  }
}

Value b_setattr(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("setattr", kwnames);
  expect_args("setattr", nargs, 3, 3);
  setattr(args[0], attr_name(args[1]), args[2]);
  return None();
}

Value b_delattr(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("delattr", kwnames);
  expect_args("delattr", nargs, 2, 2);
  delattr(args[0], attr_name(args[1]));
  return None();
}

Value b_hasattr(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("hasattr", kwnames);
  expect_args("hasattr", nargs, 2, 2);
  Str* name = attr_name(args[1]);
  try {
    getattr(args[0], name);
    return True();
  } catch (PyThrow&) {
    Value e = take_exception();
    if (exc_matches(e, Value::from_obj(&exc_AttributeError))) return False();
    rethrow(e);
  }
}

Value b_iter(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("iter", kwnames);
  expect_args("iter", nargs, 1, 2);
  if (nargs == 1) return iter(args[0]);
  if (!is_callable(args[0])) raise(&exc_TypeError, "iter(v, w): v must be callable");
  return callable_iter_new(args[0], args[1]);
}

Value b_next(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("next", kwnames);
  expect_args("next", nargs, 1, 2);
  Value it = args[0];
  Type* t = type_of(it);
  if (!t->iternext)
    raise(&exc_TypeError, "'%s' object is not an iterator", type_name_c(it));
  Value v;
  if (t == &generator_type) {
    // keep the generator's return value: StopIteration(value)
    Value out;
    if (gen_send_ex(it.as<Generator>(), None(), false, &out)) return out;
    if (nargs == 2) return args[1];
    if (is_none(out)) throw_exc(exc_new(&exc_StopIteration, {}));
    raise_stop_iteration(out);
  }
  if (nargs == 1) {
    v = t->iternext(it);
    if (v.is_null()) throw_exc(exc_new(&exc_StopIteration, {}));
    return v;
  }
  try {
    v = t->iternext(it);
  } catch (PyThrow&) {
    Value e = take_exception();
    if (exc_matches(e, Value::from_obj(&exc_StopIteration))) return args[1];
    rethrow(e);
  }
  return v.is_null() ? args[1] : v;
}

// ---- sorted / sum / min / max -----------------------------------------------------------

Value b_sorted(const Value* args, size_t nargs, Tuple* kwnames) {
  expect_args("sorted", nargs, 1, 1);
  check_kwnames("sort", kwnames, {"key", "reverse"});
  Value key = kwarg(args, nargs, kwnames, "key");
  Value rev = kwarg(args, nargs, kwnames, "reverse");
  List* l = list_from_iterable(args[0]);
  if (key.is_null()) key = None();
  bool reverse = false;
  if (!rev.is_null()) {
    if (is_float(rev)) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
    reverse = truthy(rev);
  }
  list_sort(l, key, reverse);
  return vlist(l);
}

Value b_sum(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"", "start", nullptr};
  Value a[2];
  parse_args("sum", args, nargs, kwnames, kw, 1, a);
  Value result = a[1].is_null() ? Value::from_small(0) : a[1];
  if (is_str(result)) raise(&exc_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  if (is_bytes(result)) raise(&exc_TypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
  if (is_type(result, &bytearray_type))
    raise(&exc_TypeError, "sum() can't sum bytearray [use b''.join(seq) instead]");
  Value it = iter(a[0]);
  NativeLoop turns;
  // A range's iterator, not yet or partly consumed: its sum in closed form, n*first +
  // step*n*(n-1)/2 (the same int the loop below would reach, in O(1) even for 10**12
  // elements), and the iterator is left exhausted as the loop would leave it.
  if (is_type(it, &range_iterator_type) && (result.is_small() || is_type(result, &int_type))) {
    RangeIter* ri = it.as<RangeIter>();
    const int64_t n = ri->remaining > 0 ? ri->remaining : 0;
    ri->remaining = 0;
    if (n == 0) return result;
    Value nv = int_from_i64(n);
    Value pairs = int_floordiv(int_mul(nv, int_from_i64(n - 1)), Value::from_small(2));
    Value total = int_add(int_mul(nv, int_from_i64(ri->next)), int_mul(int_from_i64(ri->step), pairs));
    return int_add(result, total);
  }
  // int fast path
  if (result.is_small()) {
    int64_t acc = result.small();
    while (true) {
      turns.check();
      Value x = next(it);
      if (x.is_null()) return int_from_i64(acc);
      if (x.is_small()) {
        int64_t r;
        if (!__builtin_add_overflow(acc, x.small(), &r) && Value::fits_small(r)) {
          acc = r;
          continue;
        }
      }
      if (is_type(x, &bool_type)) {
        acc += x == True() ? 1 : 0;
        if (Value::fits_small(acc)) continue;
        acc -= x == True() ? 1 : 0;
      }
      result = binary_op(int_from_i64(acc), x, BinOp::Add);
      if (is_type(result, &float_type)) {
        double d = float_val(result);
        while (true) {
          turns.check();
          Value y = next(it);
          if (y.is_null()) return float_new(d);
          if (y.is_imm_float()) d += y.imm_float();
          else if (is_type(y, &float_type)) d += float_val(y);
          else if (y.is_small()) d += double(y.small());
          else {
            result = binary_op(float_new(d), y, BinOp::Add);
            goto generic;
          }
        }
      }
      goto generic;
    }
  }
  if (is_type(result, &float_type)) {
    double d = float_val(result);
    while (true) {
      turns.check();
      Value y = next(it);
      if (y.is_null()) return float_new(d);
      if (y.is_imm_float()) d += y.imm_float();
      else if (is_type(y, &float_type)) d += float_val(y);
      else if (y.is_small()) d += double(y.small());
      else {
        result = binary_op(float_new(d), y, BinOp::Add);
        break;
      }
    }
  }
generic:
  while (true) {
    turns.check();
    Value x = next(it);
    if (x.is_null()) return result;
    result = binary_op(result, x, BinOp::Add);
  }
}

Value minmax(const Value* args, size_t nargs, Tuple* kwnames, bool is_max) {
  const char* name = is_max ? "max" : "min";
  check_kwnames(name, kwnames, {"key", "default"});
  Value key = kwarg(args, nargs, kwnames, "key");
  Value dflt = kwarg(args, nargs, kwnames, "default");
  if (nargs == 0) raise(&exc_TypeError, "%s expected at least 1 argument, got 0", name);
  if (!key.is_null() && is_none(key)) key = Value::null();
  if (nargs > 1 && !dflt.is_null())
    raise(&exc_TypeError, "Cannot specify a default for %s() with multiple positional arguments", name);
  CmpOp op = is_max ? CmpOp::Gt : CmpOp::Lt;
  Value best, bestkey;
  auto consider = [&](Value x) {
    Value k = key.is_null() ? x : call(key, {x});
    if (best.is_null()) {
      best = x;
      bestkey = k;
      return;
    }
    bool better;
    if (k.is_small() && bestkey.is_small()) better = is_max ? k.small() > bestkey.small() : k.small() < bestkey.small();
    else if (k.is_imm_float() && bestkey.is_imm_float())  // never nan: those are boxed
      better = is_max ? k.imm_float() > bestkey.imm_float() : k.imm_float() < bestkey.imm_float();
    else better = compare_bool(k, bestkey, op);
    if (better) {
      best = x;
      bestkey = k;
    }
  };
  if (nargs == 1) {
    Value it = iter(args[0]);
    NativeLoop turns;
    for (Value x = next(it); !x.is_null(); x = next(it)) {
      consider(x);
      turns.check();
    }
  } else {
    for (size_t i = 0; i < nargs; i++) consider(args[i]);
  }
  if (best.is_null()) {
    if (!dflt.is_null()) return dflt;
    raise(&exc_ValueError, "%s() arg is an empty sequence", name);
  }
  return best;
}
Value b_max(const Value* args, size_t nargs, Tuple* kwnames) { return minmax(args, nargs, kwnames, true); }
Value b_min(const Value* args, size_t nargs, Tuple* kwnames) { return minmax(args, nargs, kwnames, false); }

// ---- numbers -------------------------------------------------------------------------------

Value b_round(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"number", "ndigits", nullptr};
  Value a[2];
  parse_args("round", args, nargs, kwnames, kw, 1, a);
  Value x = a[0];
  if (is_type(x, &float_type) && (a[1].is_null() || is_none(a[1]))) {
    double d = float_val(x);
    if (std::isnan(d)) raise(&exc_ValueError, "cannot convert float NaN to integer");
    if (std::isinf(d)) raise(&exc_OverflowError, "cannot convert float infinity to integer");
    double r = std::nearbyint(d);  // default rounding mode: half to even
    return int_from_double(r);
  }
  if (x.is_small() && (a[1].is_null() || is_none(a[1]))) return x;
  Value r = (a[1].is_null() || is_none(a[1])) ? call_dunder_opt(x, GP_STR("__round__"), {})
                                              : call_dunder_opt(x, GP_STR("__round__"), {a[1]});
  if (r.is_null()) raise(&exc_TypeError, "type %s doesn't define __round__ method", type_name_c(x));
  return r;
}

Value b_divmod(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("divmod", kwnames);
  expect_args("divmod", nargs, 2, 2);
  Value a = args[0], b = args[1];
  if (is_type(a, &int_type) || a.is_small()) {
    if (b.is_small() || is_type(b, &int_type)) return int_divmod(a, b);
  }
  if (is_type(a, &float_type) && is_type(b, &float_type)) return float_divmod(float_val(a), float_val(b));
  Value r = call_dunder_opt(a, GP_STR("__divmod__"), {b});
  if (!r.is_null() && r != NotImplemented()) return r;
  if (type_of(a) != type_of(b)) {
    r = call_dunder_opt(b, GP_STR("__rdivmod__"), {a});
    if (!r.is_null() && r != NotImplemented()) return r;
  }
  raise(&exc_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'", type_name_c(a),
        type_name_c(b));
}

Value b_pow(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"base", "exp", "mod", nullptr};
  Value a[3];
  parse_args("pow", args, nargs, kwnames, kw, 2, a);
  if (a[2].is_null() || is_none(a[2])) return binary_op(a[0], a[1], BinOp::Pow);
  if (is_int(a[0]) && is_int(a[1]) && is_int(a[2])) return int_pow(a[0], a[1], a[2]);
  Value r = call_dunder_opt(a[0], GP_STR("__pow__"), {a[1], a[2]});
  if (!r.is_null() && r != NotImplemented()) return r;
  if ((is_int(a[0]) || is_float(a[0])) && (is_int(a[1]) || is_float(a[1])) &&
      (is_int(a[2]) || is_float(a[2])))
    raise(&exc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
  raise(&exc_TypeError, "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
        type_name_c(a[0]), type_name_c(a[1]), type_name_c(a[2]));
}

Value b_chr(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("chr", nargs, kwnames);
  Value v = args[0];
  if (is_float(v)) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
  Value i = number_index(v);
  int64_t n;
  if (!int_to_i64(i, &n) || n > INT32_MAX || n < INT32_MIN)
    raise(&exc_OverflowError, "Python int too large to convert to C int");
  if (n < 0 || n > 0x10FFFF) raise(&exc_ValueError, "chr() arg not in range(0x110000)");
  return vstr(str_from_codepoint(uint32_t(n)));
}

Value b_ord(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("ord", nargs, kwnames);
  Value v = args[0];
  if (is_str(v)) {
    Str* s = as_str(v);
    if (s->length != 1)
      raise(&exc_TypeError, "ord() expected a character, but string of length %lld found",
            (long long)s->length);
    const char* p = s->data();
    uint32_t cp = static_cast<unsigned char>(p[0]);
    if (cp >= 0x80) {
      unsigned char c0 = static_cast<unsigned char>(p[0]);
      if (c0 < 0xE0) cp = ((c0 & 0x1F) << 6) | (p[1] & 0x3F);
      else if (c0 < 0xF0) cp = ((c0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      else cp = ((c0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
    return Value::from_small(cp);
  }
  std::string_view b;
  if (bytes_like_view(v, &b)) {
    if (b.size() != 1)
      raise(&exc_TypeError, "ord() expected a character, but string of length %zu found", b.size());
    return Value::from_small(static_cast<unsigned char>(b[0]));
  }
  raise(&exc_TypeError, "ord() expected string of length 1, but %s found", type_name_c(v));
}

Value radix(Value v, int base, const char* prefix) {
  if (is_float(v)) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
  Value i = number_index(v);
  std::string digits = int_to_string(i, base);
  std::string out;
  if (!digits.empty() && digits[0] == '-') {
    out = "-";
    out += prefix;
    out += digits.substr(1);
  } else {
    out = prefix + digits;
  }
  return vstr(str_new(out));
}
Value b_hex(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("hex", nargs, kwnames);
  return radix(args[0], 16, "0x");
}
Value b_oct(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("oct", nargs, kwnames);
  return radix(args[0], 8, "0o");
}
Value b_bin(const Value* args, size_t nargs, Tuple* kwnames) {
  one_arg("bin", nargs, kwnames);
  return radix(args[0], 2, "0b");
}

Value b_format(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"", "", nullptr};
  Value a[2];
  parse_args("format", args, nargs, kwnames, kw, 1, a);
  Str* spec;
  if (a[1].is_null()) spec = str_intern("");
  else if (!is_str(a[1]))
    raise(&exc_TypeError, "format() argument 2 must be str, not %s", type_name_c(a[1]));
  else spec = as_str(a[1]);
  return format(a[0], spec);
}

// ---- namespaces ---------------------------------------------------------------------------

Value b_globals(const Value* args, size_t nargs, Tuple* kwnames) {
  no_args("globals", nargs, kwnames);
  Frame* f = caller_frame();
  return vdict(f ? f->globals : main_globals());
}

Value b_locals(const Value* args, size_t nargs, Tuple* kwnames) {
  no_args("locals", nargs, kwnames);
  Frame* f = caller_frame();
  if (!f) return vdict(main_globals());
  return frame_locals(f);
}

Value b_vars(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("vars", kwnames);
  expect_args("vars", nargs, 0, 1);
  if (nargs == 0) return b_locals(args, 0, nullptr);
  Value d = getattr_opt(args[0], GP_STR("__dict__"));
  if (d.is_null()) raise(&exc_TypeError, "vars() argument must have __dict__ attribute");
  return d;
}

Value b_dir(const Value* args, size_t nargs, Tuple* kwnames) {
  no_kw("dir", kwnames);
  expect_args("dir", nargs, 0, 1);
  List* l;
  if (nargs == 0) {
    Value loc = b_locals(args, 0, nullptr);
    l = list_from_iterable(call_method(loc, GP_STR("keys"), {}));
  } else {
    Value r = call_dunder_opt(args[0], GP_STR("__dir__"), {});
    if (r.is_null()) l = object_dir(args[0]);
    else l = list_from_iterable(r);
  }
  list_sort(l, None(), false);
  return vlist(l);
}

// ---- exec / eval / compile ----------------------------------------------------------------

// The source text of exec/eval/compile's first argument; null code if it is code.
bool source_of(Value src, const char* fname, std::string& out, Code** code) {
  *code = nullptr;
  if (is_type(src, &code_type)) {
    *code = src.as<Code>();
    return true;
  }
  if (is_str(src)) {
    out = std::string(as_str(src)->view());
  } else {
    std::string_view b;
    if (!bytes_like_view(src, &b)) return false;
    out = std::string(b);
  }
  if (out.find('\0') != std::string::npos)
    raise(&exc_ValueError, "source code string cannot contain null bytes");
  return true;
}

Value exec_or_eval(const Value* args, size_t nargs, Tuple* kwnames, bool is_eval) {
  const char* fname = is_eval ? "eval" : "exec";
  static const char* const kw_exec[] = {"", "", "", "$closure", nullptr};
  static const char* const kw_eval[] = {"", "", "", nullptr};
  Value a[4];
  parse_args(fname, args, nargs, kwnames, is_eval ? kw_eval : kw_exec, 1, a);
  Value globals = a[1], locals = a[2];
  if (!globals.is_null() && is_none(globals)) globals = Value::null();
  if (!locals.is_null() && is_none(locals)) locals = Value::null();
  if (!globals.is_null() && !is_dict(globals)) {
    if (is_eval && !locals.is_null())
      raise(&exc_TypeError, "globals must be a real dict; try eval(expr, {}, mapping)");
    raise(&exc_TypeError, is_eval ? "globals must be a dict" : "exec() globals must be a dict, not %s",
          type_name_c(globals));
  }
  if (!locals.is_null() && !is_dict(locals) && !getattr_opt(locals, GP_STR("__getitem__")))
    raise(&exc_TypeError, "locals must be a mapping or None, not %s", type_name_c(locals));
  Dict* g;
  if (globals.is_null()) {
    Frame* f = caller_frame();
    g = f ? f->globals : main_globals();
    if (locals.is_null()) locals = f ? frame_locals(f) : vdict(g);
  } else {
    g = globals.as<Dict>();
    if (locals.is_null()) locals = globals;
  }
  builtins_for(g);
  std::string text;
  Code* code;
  if (!source_of(a[0], fname, text, &code))
    raise(&exc_TypeError, "%s() arg 1 must be a string, bytes or code object", fname);
  if (!code) {
    if (is_eval) {
      size_t i = 0;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) i++;
      text = text.substr(i);
    }
    code = compile_source(text, str_intern("<string>"), is_eval ? ParseMode::Eval : ParseMode::Exec);
  } else if (code->freevars && code->freevars->size > 0) {
    Value cl = a[3];
    if (cl.is_null() || is_none(cl) || !is_tuple(cl) || cl.as<Tuple>()->size != code->freevars->size)
      raise(&exc_TypeError, "code object requires a closure of exactly length %lld",
            (long long)code->freevars->size);
    Value r = run_code_locals(code, g, locals, cl.as<Tuple>());
    return is_eval ? r : None();
  }
  Value r = run_code_locals(code, g, locals, nullptr);
  return is_eval ? r : None();
}
Value b_exec(const Value* args, size_t nargs, Tuple* kwnames) { return exec_or_eval(args, nargs, kwnames, false); }
Value b_eval(const Value* args, size_t nargs, Tuple* kwnames) { return exec_or_eval(args, nargs, kwnames, true); }

Value b_compile(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"source", "filename", "mode", "flags", "dont_inherit",
                                   "optimize", "$_feature_version", nullptr};
  Value a[7];
  parse_args("compile", args, nargs, kwnames, kw, 3, a);
  Value fn = a[1];
  Str* filename;
  if (is_str(fn)) filename = as_str(fn);
  else if (is_bytes(fn)) filename = str_from_utf8_checked(fn.as<Bytes>()->view());
  else {
    Value p = call_dunder_opt(fn, GP_STR("__fspath__"), {});
    if (p.is_null() || !is_str(p))
      raise(&exc_TypeError, "expected str, bytes or os.PathLike object, not %s", type_name_c(fn));
    filename = as_str(p);
  }
  if (!is_str(a[2])) raise(&exc_TypeError, "compile() argument 'mode' must be str, not %s", type_name_c(a[2]));
  std::string_view mode = as_str(a[2])->view();
  ParseMode pm;
  if (mode == "exec") pm = ParseMode::Exec;
  else if (mode == "eval") pm = ParseMode::Eval;
  else if (mode == "single") pm = ParseMode::Single;
  else raise(&exc_ValueError, "compile() mode must be 'exec', 'eval' or 'single'");
  if (!a[3].is_null() && is_int(a[3]) && (as_index(a[3]) & 0x400))
    raise(&exc_ValueError, "compile(): PyCF_ONLY_AST (ast trees) is not supported");
  std::string text;
  Code* code;
  if (!source_of(a[0], "compile", text, &code))
    raise(&exc_TypeError, "compile() arg 1 must be a string, bytes or AST object");
  if (code) return Value::from_obj(code);
  return Value::from_obj(compile_source(text, filename, pm));
}

Value b_import(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"name", "globals", "locals", "fromlist", "level", nullptr};
  Value a[5];
  parse_args("__import__", args, nargs, kwnames, kw, 1, a);
  if (!is_str(a[0])) raise(&exc_TypeError, "__import__() argument 1 must be str, not %s", type_name_c(a[0]));
  int64_t level = a[4].is_null() ? 0 : as_index(a[4]);
  if (level < 0) raise(&exc_ValueError, "level must be >= 0");
  if (as_str(a[0])->size == 0 && level == 0) raise(&exc_ValueError, "Empty module name");
  return import_module(as_str(a[0]), a[1].is_null() ? None() : a[1],
                       a[3].is_null() ? None() : a[3], int(level));
}

Value b_exit(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"code", nullptr};
  Value a[1];
  parse_args("exit", args, nargs, kwnames, kw, 0, a);
  // like site.Quitter: close stdin, then raise SystemExit(code)
  throw_exc(exc_new(&exc_SystemExit, {a[0].is_null() ? None() : a[0]}));
}

Value b_breakpoint(const Value* args, size_t nargs, Tuple* kwnames) { return None(); }

}  // namespace

Module* init_module_builtins() {
  if (g_builtins) return g_builtins;
  Module* m = module_new("builtins");
  g_builtins = m;
  module_add(m, "__doc__", vstr(str_new(
      "Built-in functions, exceptions, and other objects.\n\nNoteworthy: None is the `nil' "
      "object; Ellipsis represents `...' in slices.")));
  module_add(m, "__debug__", True());
  struct {
    const char* name;
    NativeFn fn;
  } fns[] = {
      {"print", b_print},       {"input", b_input},         {"open", b_open},
      {"len", b_len},           {"repr", b_repr},           {"ascii", b_ascii},
      {"id", b_id},             {"hash", b_hash},           {"callable", b_callable},
      {"abs", b_abs},           {"any", b_any},             {"all", b_all},
      {"isinstance", b_isinstance}, {"issubclass", b_issubclass}, {"getattr", b_getattr},
      {"setattr", b_setattr},   {"delattr", b_delattr},     {"hasattr", b_hasattr},
      {"iter", b_iter},         {"next", b_next},           {"sorted", b_sorted},
      {"sum", b_sum},           {"max", b_max},             {"min", b_min},
      {"round", b_round},       {"divmod", b_divmod},       {"pow", b_pow},
      {"chr", b_chr},           {"ord", b_ord},             {"hex", b_hex},
      {"oct", b_oct},           {"bin", b_bin},             {"format", b_format},
      {"globals", b_globals},   {"locals", b_locals},       {"vars", b_vars},
      {"dir", b_dir},           {"exec", b_exec},           {"eval", b_eval},
      {"compile", b_compile},   {"__import__", b_import},   {"exit", b_exit},
      {"quit", b_exit},         {"breakpoint", b_breakpoint},
      {"__build_class__", builtin_build_class},
  };
  for (auto& f : fns) {
    Value fn = make_builtin_function(f.name, f.fn);
    if (f.fn == b_import) g_builtin_import = fn;
    module_add(m, f.name, fn);
  }

  struct {
    const char* name;
    Type* t;
  } types[] = {
      {"object", &object_type},       {"type", &type_type},           {"int", &int_type},
      {"bool", &bool_type},           {"float", &float_type},         {"str", &str_type},
      {"bytes", &bytes_type},         {"bytearray", &bytearray_type}, {"tuple", &tuple_type},
      {"list", &list_type},           {"dict", &dict_type},           {"set", &set_type},
      {"frozenset", &frozenset_type}, {"range", &range_type},         {"slice", &slice_type},
      {"property", &property_type},   {"staticmethod", &staticmethod_type},
      {"classmethod", &classmethod_type}, {"super", &super_type},     {"enumerate", &enumerate_type},
      {"zip", &zip_type},             {"map", &map_type},             {"filter", &filter_type},
      {"reversed", &reversed_type},
  };
  for (auto& t : types) module_add(m, t.name, Value::from_obj(t.t));

  module_add(m, "None", None());
  module_add(m, "True", True());
  module_add(m, "False", False());
  module_add(m, "Ellipsis", Ellipsis());
  module_add(m, "NotImplemented", NotImplemented());
#define GP_ADD_EXC(name, base) module_add(m, #name, Value::from_obj(&exc_##name));
  GP_EXCEPTION_TYPES(GP_ADD_EXC)
#undef GP_ADD_EXC
  module_add(m, "EnvironmentError", Value::from_obj(&exc_OSError));
  module_add(m, "IOError", Value::from_obj(&exc_OSError));
  dict_set_str(sys_modules(), str_intern("builtins"), vmodule(m));
  return m;
}

Dict* builtins_dict() { return init_module_builtins()->dict; }

Value builtin_import_function() { return g_builtin_import; }

}  // namespace gp
