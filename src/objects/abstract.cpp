// abstract.cpp — the abstract object protocol of runtime.h: attribute access, calls,
// operators, comparison, hashing, truth, subscription, iteration, conversion.
//
// Invariants:
//  * Each operation tries the small-int / exact-builtin fast path first, then the Type
//    slots; error messages are CPython 3.11's, word for word.
//  * Binary operators follow CPython's binary_op1: the right operand's slot goes first
//    when its type is a proper subclass of the left's; NotImplemented from both sides
//    raises "unsupported operand type(s)". Comparisons follow do_richcompare, with ==
//    and != falling back to identity.
//  * Slots return null only where object.h allows (getattr: missing, iternext:
//    exhausted); these functions turn that into the documented result or exception.
#include <cmath>
#include <cstdio>
#include <string>

#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/iterobject.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/set.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "vm/eval.h"

namespace gp {

static inline Value vtype(const Type* t) { return Value::from_obj(t); }

std::string type_name(Value v) { return type_of(v)->name; }
const char* type_name_c(Value v) { return type_of(v)->name; }

// ---------------------------------------------------------------- attributes
[[noreturn]] void raise_attribute_error(Value o, Str* name) {
  std::string msg;
  if (is_typeobj(o)) {
    msg = std::string("type object '") + o.as<Type>()->name + "' has no attribute '" +
          std::string(name->view()) + "'";
  } else if (isinstance(o, &module_type)) {
    Module* m = o.as<Module>();
    Value mn = m->dict ? dict_get_str(m->dict, GP_STR("__name__")) : Value::null();
    if (mn && is_str(mn))
      msg = "module '" + std::string(mn.as<Str>()->view()) + "' has no attribute '" +
            std::string(name->view()) + "'";
    else
      msg = "module has no attribute '" + std::string(name->view()) + "'";
  } else {
    msg = std::string("'") + type_of(o)->name + "' object has no attribute '" +
          std::string(name->view()) + "'";
  }
  Value e = exc_new(&exc_AttributeError, {vstr(str_new(msg))});
  BaseException* be = e.as<BaseException>();
  be->extra[0] = vstr(name);
  be->extra[1] = o;
  throw_exc(e);
}

Value getattr(Value o, Str* name) {
  Type* t = type_of(o);
  GetAttrFn f = t->getattr;
  Value r = f ? f(o, name) : generic_getattr(o, name);
  if (!r) raise_attribute_error(o, name);
  return r;
}

Value getattr_opt(Value o, Str* name) {
  Type* t = type_of(o);
  GetAttrFn f = t->getattr;
  if (!f || f == generic_getattr) return generic_getattr(o, name);
  try {
    return f(o, name);
  } catch (PyThrow&) {
    Value e = current_exception();
    if (e && exc_matches(e, vtype(&exc_AttributeError))) {
      take_exception();
      return Value::null();
    }
    throw;
  }
}

Value getattr_default(Value o, Str* name, Value dflt) {
  Value r = getattr_opt(o, name);
  return r ? r : dflt;
}

bool hasattr(Value o, Str* name) { return bool(getattr_opt(o, name)); }

void setattr(Value o, Str* name, Value v) {
  Type* t = type_of(o);
  if (SetAttrFn f = t->setattr) {
    f(o, name, v);
    return;
  }
  bool has_get = t->getattr != nullptr;
  if (has_get)
    raise(&exc_AttributeError, "'%s' object has only read-only attributes (assign to .%s)",
          t->name, name->data());
  raise(&exc_AttributeError, "'%s' object has no attributes (assign to .%s)", t->name,
        name->data());
}

void delattr(Value o, Str* name) {
  Type* t = type_of(o);
  if (SetAttrFn f = t->setattr) {
    f(o, name, Value::null());
    return;
  }
  raise(&exc_AttributeError, "'%s' object has only read-only attributes (del .%s)", t->name,
        name->data());
}

// ---------------------------------------------------------------- calls
Value call(Value f, const Value* args, size_t nargs, Tuple* kwnames) {
  Type* t = type_of(f);
  if (t == &function_type) return function_call(f.as<Function>(), args, nargs, kwnames);
  if (CallFn c = t->call) return c(f, args, nargs, kwnames);
  raise(&exc_TypeError, "'%s' object is not callable", t->name);
}

Value call(Value f, std::initializer_list<Value> args) {
  return call(f, args.begin(), args.size(), nullptr);
}

Value call_bound(Value descr, Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  Type* dt = type_of(descr);
  if (dt == &function_type) {
    size_t total = nargs + (kwnames ? size_t(kwnames->size) : 0);
    Value buf[8];
    Value* a =
        total + 1 <= 8 ? buf : static_cast<Value*>(gc_alloc((total + 1) * sizeof(Value)));
    a[0] = self;
    for (size_t i = 0; i < total; i++) a[i + 1] = args[i];
    return function_call(descr.as<Function>(), a, nargs + 1, kwnames);
  }
  if (dt == &wrapper_descr_type) {
    SlotWrapper* w = descr.as<SlotWrapper>();
    if (isinstance(self, w->owner)) return slot_wrapper_call(w, self, args, nargs, kwnames);
  } else if (dt == &method_descr_type) {
    MethodDescr* m = descr.as<MethodDescr>();
    if (m->flags == METH_DEFAULT && isinstance(self, m->owner))
      return call_native_with_self(m->fn, self, args, nargs, kwnames);
  }
  if (DescrGetFn g = dt->descr_get) {
    Value bound = g(descr, self, type_of(self));
    return call(bound, args, nargs, kwnames);
  }
  return call(descr, args, nargs, kwnames);
}

Value call_dunder_opt(Value self, Str* name, std::initializer_list<Value> args) {
  Value f = type_lookup(type_of(self), name);
  if (!f) return Value::null();
  return call_bound(f, self, args.begin(), args.size());
}

Value call_method(Value self, Str* name, std::initializer_list<Value> args) {
  Type* tp = type_of(self);
  if (tp->getattr == generic_getattr) {
    Value d = type_lookup(tp, name);
    if (d && (is_type(d, &function_type) ||
              (is_type(d, &method_descr_type) && d.as<MethodDescr>()->flags == METH_DEFAULT))) {
      Dict** dp = instance_dictptr(self);
      if (!dp || !*dp || !dict_get_str(*dp, name))
        return call_bound(d, self, args.begin(), args.size());
    }
  }
  return call(getattr(self, name), args.begin(), args.size(), nullptr);
}

bool is_callable(Value f) {
  Type* t = type_of(f);
  return t == &function_type || t->call != nullptr;
}

// ---------------------------------------------------------------- repr / str / ascii
Str* repr(Value v) {
  Type* t = type_of(v);
  UnaryFn f = t->repr;
  if (!f) return object_default_repr(v);
  // Containers repr their items through here: a deeply nested list must end in
  // RecursionError (as CPython's PyObject_Repr does), not overflow the C stack.
  RecursionGuard guard(" while getting the repr of an object");
  Value r = f(v);
  if (!is_str(r))
    raise(&exc_TypeError, "__repr__ returned non-string (type %s)", type_name_c(r));
  return r.as<Str>();
}

Str* str(Value v) {
  Type* t = type_of(v);
  if (t == &str_type) return v.as<Str>();
  UnaryFn f = t->str ? t->str : t->repr;
  if (!f) return object_default_repr(v);
  RecursionGuard guard(" while getting the str of an object");
  Value r = f(v);
  if (!is_str(r))
    raise(&exc_TypeError, "__str__ returned non-string (type %s)", type_name_c(r));
  return r.as<Str>();
}

Str* ascii(Value v) {
  Str* r = repr(v);
  if (r->ascii) return r;
  std::string out;
  const char* p = r->data();
  const char* end = p + r->size;
  char buf[16];
  while (p < end) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      out += char(c);
      p++;
      continue;
    }
    uint32_t cp;
    int n;
    if (c < 0xE0) { cp = c & 0x1F; n = 1; }
    else if (c < 0xF0) { cp = c & 0x0F; n = 2; }
    else { cp = c & 0x07; n = 3; }
    p++;
    for (int i = 0; i < n && p < end; i++, p++) cp = (cp << 6) | (uint8_t(*p) & 0x3F);
    if (cp < 0x100) snprintf(buf, sizeof buf, "\\x%02x", cp);
    else if (cp < 0x10000) snprintf(buf, sizeof buf, "\\u%04x", cp);
    else snprintf(buf, sizeof buf, "\\U%08x", cp);
    out += buf;
  }
  return str_new(out);
}

// ---------------------------------------------------------------- hash / truth
int64_t hash(Value v) {
  if (v.is_small()) {
    int64_t x = v.small();
    constexpr int64_t M = (int64_t(1) << 61) - 1;
    if (x > -M && x < M) return x == -1 ? -2 : x;
    return int_hash(v);
  }
  if (v.is_imm_float()) return float_hash(v.imm_float());
  Type* t = v.obj()->type;
  if (t == &str_type) return str_hash(v.as<Str>());
  HashFn f = t->hash;
  if (!f) raise(&exc_TypeError, "unhashable type: '%s'", t->name);
  // A tuple (or frozenset) nested 1e5 deep hashes recursively; CPython 3.11 overflows its
  // C stack there, gilpy raises RecursionError instead.
  if ((t->flags & TF_TUPLE_SUBCLASS) || t == &frozenset_type) {
    RecursionGuard guard;
    return f(v);
  }
  return f(v);
}

bool truthy(Value v) {
  if (v == True()) return true;
  if (v == False() || v == None()) return false;
  if (v.is_small()) return v.small() != 0;
  if (v.is_imm_float()) return v.imm_float() != 0.0;
  Type* t = v.obj()->type;
  if (t->nb_bool) return t->nb_bool(v);
  if (t->len) return t->len(v) != 0;
  return true;
}

// ---------------------------------------------------------------- comparison
static const char* const kCmpSym[] = {"<", "<=", "==", "!=", ">", ">="};
static const CmpOp kSwapped[] = {CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le};

static inline bool cmp_i64(int64_t a, int64_t b, CmpOp op) {
  switch (op) {
    case CmpOp::Lt: return a < b;
    case CmpOp::Le: return a <= b;
    case CmpOp::Eq: return a == b;
    case CmpOp::Ne: return a != b;
    case CmpOp::Gt: return a > b;
    case CmpOp::Ge: return a >= b;
  }
  return false;
}

static Value compare_impl(Value a, Value b, CmpOp op);

// Containers compare their items through here: nesting 1e5 deep must end in
// RecursionError " in comparison" (CPython's PyObject_RichCompare guard), not overflow
// the C stack. Only container types pay for the guard; class instances recurse through
// the eval loop, which counts already.
constexpr uint32_t kNestingTypes = TF_LIST_SUBCLASS | TF_TUPLE_SUBCLASS | TF_DICT_SUBCLASS;

Value compare(Value a, Value b, CmpOp op) {
  if (a.is_small() && b.is_small()) return Bool(cmp_i64(a.small(), b.small(), op));
  if (type_of(a)->flags & kNestingTypes) {
    RecursionGuard guard(" in comparison");
    return compare_impl(a, b, op);
  }
  return compare_impl(a, b, op);
}

static Value compare_impl(Value a, Value b, CmpOp op) {
  Type* ta = type_of(a);
  Type* tb = type_of(b);
  bool checked_reverse = false;
  Value r;
  if (ta != tb && tb->richcompare && issubclass(tb, ta)) {
    checked_reverse = true;
    r = tb->richcompare(b, a, kSwapped[int(op)]);
    if (r != NotImplemented()) return r;
  }
  if (ta->richcompare) {
    r = ta->richcompare(a, b, op);
    if (r != NotImplemented()) return r;
  }
  if (!checked_reverse && tb->richcompare) {
    r = tb->richcompare(b, a, kSwapped[int(op)]);
    if (r != NotImplemented()) return r;
  }
  if (op == CmpOp::Eq) return Bool(a == b);
  if (op == CmpOp::Ne) return Bool(a != b);
  raise(&exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
        kCmpSym[int(op)], ta->name, tb->name);
}

bool compare_bool(Value a, Value b, CmpOp op) {
  if (a.is_small() && b.is_small()) return cmp_i64(a.small(), b.small(), op);
  Value r = compare(a, b, op);
  if (r == True()) return true;
  if (r == False()) return false;
  return truthy(r);
}

bool eq(Value a, Value b) {
  if (a == b) return true;
  if (a.is_small() && b.is_small()) return false;
  if (a.is_imm_float() && b.is_imm_float()) return a.imm_float() == b.imm_float();
  if (is_type(a, &str_type) && is_type(b, &str_type)) return str_eq(a.as<Str>(), b.as<Str>());
  return compare_bool(a, b, CmpOp::Eq);
}

// ---------------------------------------------------------------- binary operators
static const char* const kBinSym[] = {"+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>",
                                      "&", "|", "^", "@"};
static const char* const kInplaceSym[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=",
                                          ">>=", "&=", "|=", "^=", "@="};

static Value binary_op1(Value a, Value b, BinOp op) {
  Type* ta = type_of(a);
  Type* tb = type_of(b);
  BinaryFn sa = ta->nb[size_t(op)];
  BinaryFn sb = tb != ta ? tb->nb[size_t(op)] : nullptr;
  if (sb == sa) sb = nullptr;
  if (sa) {
    if (sb && issubclass(tb, ta)) {
      Value r = sb(a, b);
      if (r != NotImplemented()) return r;
      sb = nullptr;
    }
    Value r = sa(a, b);
    if (r != NotImplemented()) return r;
  }
  if (sb) return sb(a, b);
  return NotImplemented();
}

static bool is_sequence_for_ops(Value v) {
  return is_str(v) || is_list(v) || is_tuple(v) || is_bytes(v) || isinstance(v, &bytearray_type);
}

// After both number slots declined: sequence concat/repeat wording, or the generic error.
[[noreturn]] static void binop_error(Value a, Value b, BinOp op, bool inplace) {
  if (op == BinOp::Add) {
    if (is_str(a) || is_list(a) || is_tuple(a)) {
      const char* n = is_str(a) ? "str" : is_list(a) ? "list" : "tuple";
      raise(&exc_TypeError, "can only concatenate %s (not \"%s\") to %s", n, type_name_c(b), n);
    }
    if (is_bytes(a) || isinstance(a, &bytearray_type))
      raise(&exc_TypeError, "can't concat %s to %s", type_name_c(b), type_name_c(a));
  }
  if (op == BinOp::Mul) {
    if (is_sequence_for_ops(a) && !is_int(b))
      raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(b));
    if (is_sequence_for_ops(b) && !is_int(a))
      raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(a));
  }
  raise(&exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
        inplace ? kInplaceSym[size_t(op)] : kBinSym[size_t(op)], type_name_c(a), type_name_c(b));
}

// seq * obj where obj has __index__ (and the sequence's slot wanted an int)
static Value try_index_repeat(Value a, Value b, BinOp op) {
  if (op != BinOp::Mul) return NotImplemented();
  if (is_sequence_for_ops(a) && !is_int(b) && type_of(b)->nb_index)
    return binary_op1(a, number_index(b), op);
  if (is_sequence_for_ops(b) && !is_int(a) && type_of(a)->nb_index)
    return binary_op1(number_index(a), b, op);
  return NotImplemented();
}

// lib/types.py's function `name` (GenericAlias and UnionType live there, in Python).
static Value types_helper(const char* name) {
  Value mod = import_module(str_intern(str_from_cstr("types")), Value::null(), Value::null(), 0);
  return getattr(mod, str_intern(str_from_cstr(name)));
}

// PEP 604: `int | None` (types and None, which have no `|` of their own) is a
// types.UnionType; NotImplemented for anything else, so the error stays CPython's.
static Value union_or(Value a, Value b) {
  if (!((is_typeobj(a) || is_none(a)) && (is_typeobj(b) || is_none(b)))) return NotImplemented();
  return call(types_helper("_union"), {a, b});
}

Value binary_op(Value a, Value b, BinOp op) {
  if (a.is_small() && b.is_small()) {
    int64_t x = a.small(), y = b.small(), r;
    switch (op) {
      case BinOp::Add: return int_from_i64(x + y);  // |x|,|y| < 2^62: no overflow
      case BinOp::Sub: return int_from_i64(x - y);
      case BinOp::Mul:
        if (!__builtin_mul_overflow(x, y, &r)) return int_from_i64(r);
        break;
      case BinOp::And: return Value::from_small(x & y);
      case BinOp::Or: return Value::from_small(x | y);
      case BinOp::Xor: return Value::from_small(x ^ y);
      default: break;
    }
  }
  Value r = binary_op1(a, b, op);
  if (r != NotImplemented()) return r;
  r = try_index_repeat(a, b, op);
  if (r != NotImplemented()) return r;
  if (op == BinOp::Or) {
    r = union_or(a, b);
    if (r != NotImplemented()) return r;
  }
  binop_error(a, b, op, false);
}

Value inplace_op(Value a, Value b, BinOp op) {
  if (a.is_small() && b.is_small()) return binary_op(a, b, op);
  if (BinaryFn f = type_of(a)->nb_inplace[size_t(op)]) {
    Value r = f(a, b);
    if (r != NotImplemented()) return r;
  }
  Value r = binary_op1(a, b, op);
  if (r != NotImplemented()) return r;
  r = try_index_repeat(a, b, op);
  if (r != NotImplemented()) return r;
  binop_error(a, b, op, true);
}

Value unary_neg(Value a) {
  if (a.is_small()) return int_from_i64(-a.small());
  if (UnaryFn f = type_of(a)->nb_neg) return f(a);
  raise(&exc_TypeError, "bad operand type for unary -: '%s'", type_name_c(a));
}

Value unary_pos(Value a) {
  if (a.is_small()) return a;
  if (UnaryFn f = type_of(a)->nb_pos) return f(a);
  raise(&exc_TypeError, "bad operand type for unary +: '%s'", type_name_c(a));
}

Value unary_invert(Value a) {
  if (a.is_small()) return Value::from_small(~a.small());
  if (UnaryFn f = type_of(a)->nb_invert) return f(a);
  raise(&exc_TypeError, "bad operand type for unary ~: '%s'", type_name_c(a));
}

Value number_abs(Value a) {
  if (a.is_small()) return int_from_i64(a.small() < 0 ? -a.small() : a.small());
  if (UnaryFn f = type_of(a)->nb_abs) return f(a);
  raise(&exc_TypeError, "bad operand type for abs(): '%s'", type_name_c(a));
}

// ---------------------------------------------------------------- containers
Value getitem(Value o, Value key) {
  Type* t = type_of(o);
  if (GetItemFn f = t->getitem) return f(o, key);
  if (is_typeobj(o)) {
    Type* ot = o.as<Type>();
    Value f = type_lookup(ot, GP_STR("__class_getitem__"));
    if (f) {
      if (DescrGetFn g = type_of(f)->descr_get) f = g(f, Value::null(), ot);
      return call(f, {key});
    }
    // PEP 585: list[int] and the like are types.GenericAlias objects (lib/types.py)
    if (ot == &list_type || ot == &dict_type || ot == &tuple_type || ot == &set_type ||
        ot == &frozenset_type || ot == &type_type)
      return call(types_helper("_generic_alias"), {o, key});
    raise(&exc_TypeError, "type '%s' is not subscriptable", ot->name);
  }
  raise(&exc_TypeError, "'%s' object is not subscriptable", t->name);
}

void setitem(Value o, Value key, Value v) {
  Type* t = type_of(o);
  if (SetItemFn f = t->setitem) {
    f(o, key, v);
    return;
  }
  raise(&exc_TypeError, "'%s' object does not support item assignment", t->name);
}

void delitem(Value o, Value key) {
  Type* t = type_of(o);
  if (SetItemFn f = t->setitem) {
    f(o, key, Value::null());
    return;
  }
  if (t->getitem && !(t->flags & TF_DICT_SUBCLASS))
    raise(&exc_TypeError, "'%s' object doesn't support item deletion", t->name);
  raise(&exc_TypeError, "'%s' object does not support item deletion", t->name);
}

bool contains(Value container, Value item) {
  Type* t = type_of(container);
  if (ContainsFn f = t->contains) return f(container, item);
  if (t->iter || t->getitem) {
    Value it = iter(container);
    NativeLoop turns;
    for (;;) {
      Value x = next(it);
      if (!x) return false;
      if (eq(x, item)) return true;
      turns.check();
    }
  }
  raise(&exc_TypeError, "argument of type '%s' is not iterable", t->name);
}

int64_t len(Value o) {
  Type* t = type_of(o);
  if (LenFn f = t->len) return f(o);
  raise(&exc_TypeError, "object of type '%s' has no len()", t->name);
}

Value iter(Value o) {
  Type* t = type_of(o);
  if (UnaryFn f = t->iter) {
    Value r = f(o);
    if (!type_of(r)->iternext)
      raise(&exc_TypeError, "iter() returned non-iterator of type '%s'", type_name_c(r));
    return r;
  }
  if (t->getitem && !is_typeobj(o)) return seqiter_new(o);
  raise(&exc_TypeError, "'%s' object is not iterable", t->name);
}

Value next(Value it) {
  Type* t = type_of(it);
  if (IterNextFn f = t->iternext) return f(it);
  raise(&exc_TypeError, "'%s' object is not an iterator", t->name);
}

// ---------------------------------------------------------------- format
Value format(Value v, Str* spec) {
  if (spec->size == 0) {
    if (is_type(v, &str_type)) return v;
    if (v.is_small() || is_type(v, &int_type)) return vstr(str(v));
  }
  Value f = type_lookup(type_of(v), GP_STR("__format__"));
  if (!f) raise(&exc_TypeError, "Type %s doesn't define __format__", type_name_c(v));
  Value s = vstr(spec);
  Value r = call_bound(f, v, &s, 1);
  if (!is_str(r))
    raise(&exc_TypeError, "__format__ must return a str, not %s", type_name_c(r));
  return r;
}

// ---------------------------------------------------------------- isinstance family
bool issubclass(Type* sub, Type* base) {
  if (sub == base) return true;
  Tuple* mro = sub->mro;
  if (mro) {
    int64_t n = mro->size;
    const Value* it = mro->items();
    Value bv = vtype(base);
    for (int64_t i = 0; i < n; i++)
      if (it[i] == bv) return true;
    return false;
  }
  for (Type* t = sub->base; t; t = t->base)
    if (t == base) return true;
  return base == &object_type;
}

bool isinstance(Value v, Type* t) {
  Type* vt = type_of(v);
  return vt == t || issubclass(vt, t);
}

static bool is_plain_type_check(Value checker, Type* meta_owner) {
  return is_type(checker, &method_descr_type) && checker.as<MethodDescr>()->owner == &type_type;
}

bool isinstance_any(Value v, Value cls) {
  if (is_typeobj(cls) && type_of(v) == cls.as<Type>()) return true;
  if (is_type(cls, &type_type)) return isinstance(v, cls.as<Type>());
  if (is_tuple(cls)) {
    RecursionGuard g(" in __instancecheck__");
    Tuple* tup = cls.as<Tuple>();
    for (int64_t i = 0; i < tup->size; i++)
      if (isinstance_any(v, (*tup)[i])) return true;
    return false;
  }
  Value checker = type_lookup(type_of(cls), GP_STR("__instancecheck__"));
  if (checker) {
    if (is_typeobj(cls) && is_plain_type_check(checker, nullptr))
      return isinstance(v, cls.as<Type>());
    RecursionGuard g(" in __instancecheck__");
    return truthy(call_bound(checker, cls, &v, 1));
  }
  if (is_typeobj(cls)) return isinstance(v, cls.as<Type>());
  raise(&exc_TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
}

bool issubclass_any(Value sub, Value cls) {
  if (is_type(cls, &type_type)) {
    if (sub == cls) return true;
    if (!is_typeobj(sub)) raise(&exc_TypeError, "issubclass() arg 1 must be a class");
    return issubclass(sub.as<Type>(), cls.as<Type>());
  }
  if (is_tuple(cls)) {
    RecursionGuard g(" in __subclasscheck__");
    Tuple* tup = cls.as<Tuple>();
    for (int64_t i = 0; i < tup->size; i++)
      if (issubclass_any(sub, (*tup)[i])) return true;
    return false;
  }
  Value checker = type_lookup(type_of(cls), GP_STR("__subclasscheck__"));
  if (checker) {
    if (is_typeobj(cls) && is_plain_type_check(checker, nullptr)) {
      if (!is_typeobj(sub)) raise(&exc_TypeError, "issubclass() arg 1 must be a class");
      return issubclass(sub.as<Type>(), cls.as<Type>());
    }
    RecursionGuard g(" in __subclasscheck__");
    return truthy(call_bound(checker, cls, &sub, 1));
  }
  if (!is_typeobj(sub)) raise(&exc_TypeError, "issubclass() arg 1 must be a class");
  if (!is_typeobj(cls))
    raise(&exc_TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
  return issubclass(sub.as<Type>(), cls.as<Type>());
}

// ---------------------------------------------------------------- numbers
Value number_index(Value v) {
  if (is_int(v)) return v;
  Type* t = type_of(v);
  if (UnaryFn f = t->nb_index) {
    Value r = f(v);
    if (!is_int(r))
      raise(&exc_TypeError, "__index__ returned non-int (type %s)", type_name_c(r));
    return r;
  }
  raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", t->name);
}

int64_t as_index(Value v) {
  if (v.is_small()) return v.small();
  Value i = number_index(v);
  int64_t r;
  if (!int_to_i64(i, &r))
    raise(&exc_OverflowError, "cannot fit '%s' into an index-sized integer", type_name_c(v));
  return r;
}

double as_double(Value v) {
  if (v.is_small()) return double(v.small());
  if (is_float(v)) return float_val(v);
  if (is_int(v)) return int_to_double(v);
  Type* t = type_of(v);
  if (UnaryFn f = t->nb_float) {
    Value r = f(v);
    if (!is_float(r))
      raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", t->name,
            type_name_c(r));
    return float_val(r);
  }
  if (t->nb_index) return int_to_double(number_index(v));
  raise(&exc_TypeError, "must be real number, not %s", t->name);
}

static Value exact_int(Value r) {
  if (r.is_small() || is_type(r, &int_type)) return r;
  int64_t x;
  if (int_to_i64(r, &x)) return int_from_i64(x);
  mpz_t z;
  mpz_init(z);
  int_to_mpz(r, z);
  return int_from_mpz(z);
}

Value to_int(Value v) {
  if (v.is_small() || is_type(v, &int_type)) return v;
  Type* t = type_of(v);
  if (UnaryFn f = t->nb_int) {
    Value r = f(v);
    if (!is_int(r))
      raise(&exc_TypeError, "__int__ returned non-int (type %s)", type_name_c(r));
    return exact_int(r);
  }
  if (is_int(v)) return exact_int(v);
  if (t->nb_index) return exact_int(number_index(v));
  if (Value tr = type_lookup(t, GP_STR("__trunc__"))) {
    Value r = call_bound(tr, v, nullptr, 0);
    if (is_int(r)) return exact_int(r);
    if (!type_of(r)->nb_index)
      raise(&exc_TypeError, "__trunc__ returned non-Integral (type %s)", type_name_c(r));
    return exact_int(number_index(r));
  }
  if (is_str(v)) return int_from_string(v.as<Str>()->view(), 10);
  std::string_view bv;
  if (bytes_like_view(v, &bv)) return int_from_string(bv, 10);
  raise(&exc_TypeError,
        "int() argument must be a string, a bytes-like object or a real number, not '%s'",
        t->name);
}

Value to_float(Value v) {
  if (is_type(v, &float_type)) return v;
  if (v.is_small()) return float_new(double(v.small()));
  Type* t = type_of(v);
  if (UnaryFn f = t->nb_float) {
    Value r = f(v);
    if (!is_float(r))
      raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", t->name,
            type_name_c(r));
    return is_type(r, &float_type) ? r : float_new(float_val(r));
  }
  if (is_float(v)) return float_new(float_val(v));
  if (is_int(v)) return float_new(int_to_double(v));
  if (t->nb_index) return float_new(int_to_double(number_index(v)));
  if (is_str(v)) return float_from_string(v.as<Str>()->view());
  std::string_view bv;
  if (bytes_like_view(v, &bv)) return float_from_string(bv);
  raise(&exc_TypeError, "float() argument must be a string or a real number, not '%s'",
        t->name);
}

}  // namespace gp
