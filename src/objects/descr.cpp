// descr.cpp — descriptors and native callables: builtin functions/methods, method
// descriptors, slot wrappers and method-wrappers, getset descriptors, property,
// staticmethod and classmethod.
//
// Invariants:
//  * Unbound native methods check their self argument's type before calling the C++
//    function, so a NativeFn may assume args[0] is an instance of its owner type.
//  * Binding never copies arguments except to prepend self (call_native_with_self uses
//    a stack buffer for up to 8 values).
//  * property/staticmethod/classmethod are subclassable; their state lives in the
//    instance struct (typesys.h) and subclass instances add a trailing __dict__.
#include <cstdio>
#include <string>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"

namespace gp {

Type builtin_function_type, method_descr_type, property_type, staticmethod_type,
    classmethod_type;
Type wrapper_descr_type, method_wrapper_type, getset_descr_type, member_descr_type;

static inline Value vtype(const Type* t) { return Value::from_obj(t); }

static std::string addr_str(const void* p) {
  char buf[32];
  snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

Value call_native_with_self(NativeFn fn, Value self, const Value* args, size_t nargs,
                            Tuple* kwnames) {
  size_t total = nargs + (kwnames ? size_t(kwnames->size) : 0);
  Value buf[8];
  Value* a = total + 1 <= 8 ? buf : static_cast<Value*>(gc_alloc((total + 1) * sizeof(Value)));
  a[0] = self;
  for (size_t i = 0; i < total; i++) a[i + 1] = args[i];
  return fn(a, nargs + 1, kwnames);
}

// ---------------------------------------------------------------- builtin functions
Value make_builtin_function(const char* name, NativeFn fn, Value self) {
  BuiltinFunction* b = gc_new_obj<BuiltinFunction>(&builtin_function_type);
  b->name = name;
  b->fn = fn;
  b->self = self;
  return Value::from_obj(b);
}

namespace {

Value bf_call(Value f, const Value* args, size_t nargs, Tuple* kwnames) {
  BuiltinFunction* b = f.as<BuiltinFunction>();
  if (!b->self) return b->fn(args, nargs, kwnames);
  return call_native_with_self(b->fn, b->self, args, nargs, kwnames);
}

bool bf_unbound_like(BuiltinFunction* b) {
  return !b->self || is_type(b->self, &module_type);
}

Value bf_repr(Value f) {
  BuiltinFunction* b = f.as<BuiltinFunction>();
  if (bf_unbound_like(b)) return vstr(str_new(std::string("<built-in function ") + b->name + ">"));
  std::string tn = is_typeobj(b->self) ? std::string("type") : type_name(b->self);
  return vstr(str_new(std::string("<built-in method ") + b->name + " of " + tn +
                      " object at " + addr_str(b->self.obj()) + ">"));
}

Value bf_richcompare(Value a, Value b, CmpOp op) {
  if ((op != CmpOp::Eq && op != CmpOp::Ne) || !is_type(b, &builtin_function_type))
    return NotImplemented();
  BuiltinFunction* x = a.as<BuiltinFunction>();
  BuiltinFunction* y = b.as<BuiltinFunction>();
  bool e = x->fn == y->fn && x->self == y->self && std::string_view(x->name) == y->name;
  return Bool(op == CmpOp::Eq ? e : !e);
}

int64_t bf_hash(Value a) {
  BuiltinFunction* x = a.as<BuiltinFunction>();
  int64_t h = int64_t(reinterpret_cast<uintptr_t>(x->fn) >> 4);
  if (x->self) h ^= object_hash_identity(x->self);
  return h == -1 ? -2 : h;
}

Value bf_name(Value f) { return vstr(str_from_cstr(f.as<BuiltinFunction>()->name)); }
Value bf_qualname(Value f) {
  BuiltinFunction* b = f.as<BuiltinFunction>();
  if (b->qualname) return vstr(b->qualname);
  if (bf_unbound_like(b)) return vstr(str_from_cstr(b->name));
  Type* t = is_typeobj(b->self) ? b->self.as<Type>() : type_of(b->self);
  std::string q = t->qualname ? std::string(t->qualname->view()) : std::string(t->name);
  return vstr(str_new(q + "." + b->name));
}
Value bf_self(Value f) {
  BuiltinFunction* b = f.as<BuiltinFunction>();
  return b->self ? b->self : None();
}
Value bf_module(Value f) {
  BuiltinFunction* b = f.as<BuiltinFunction>();
  if (!b->self) return vstr(GP_STR("builtins"));
  if (is_type(b->self, &module_type)) return getattr_default(b->self, GP_STR("__name__"), None());
  return None();
}
Value none_getter(Value) { return None(); }

// ---------------------------------------------------------------- method descriptors
Value bind_method_descr(MethodDescr* m, Value self) {
  BuiltinFunction* b = gc_new_obj<BuiltinFunction>(&builtin_function_type);
  b->name = m->name;
  b->fn = m->fn;
  b->self = self;
  return Value::from_obj(b);
}

[[noreturn]] void descr_doesnt_apply(const char* name, Type* owner, Value obj) {
  raise(&exc_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
        name, owner->name, type_name_c(obj));
}

Value md_get(Value descr, Value obj, Type* owner) {
  MethodDescr* m = descr.as<MethodDescr>();
  if (m->flags & METH_STATIC) return bind_method_descr(m, Value::null());
  if (m->flags & METH_CLASS) {
    Type* t = owner ? owner : type_of(obj);
    if (!issubclass(t, m->owner))
      raise(&exc_TypeError, "descriptor '%s' for type '%s' doesn't apply to type '%s'", m->name,
            m->owner->name, t->name);
    return bind_method_descr(m, vtype(t));
  }
  if (!obj) return descr;
  if (!isinstance(obj, m->owner)) descr_doesnt_apply(m->name, m->owner, obj);
  return bind_method_descr(m, obj);
}

Value md_call(Value descr, const Value* args, size_t nargs, Tuple* kwnames) {
  MethodDescr* m = descr.as<MethodDescr>();
  if (m->flags & METH_STATIC) return m->fn(args, nargs, kwnames);
  if (nargs < 1) {
    if (m->flags & METH_CLASS)
      raise(&exc_TypeError, "descriptor '%s' of '%s' object needs an argument", m->name,
            m->owner->name);
    raise(&exc_TypeError, "unbound method %s.%s() needs an argument", m->owner->name, m->name);
  }
  if (m->flags & METH_CLASS) {
    if (!is_typeobj(args[0]))
      raise(&exc_TypeError, "descriptor '%s' for type '%s' needs a type, not a '%s' as arg 2",
            m->name, m->owner->name, type_name_c(args[0]));
    if (!issubclass(args[0].as<Type>(), m->owner))
      raise(&exc_TypeError, "descriptor '%s' requires a subtype of '%s' but received '%s'",
            m->name, m->owner->name, args[0].as<Type>()->name);
    return m->fn(args, nargs, kwnames);
  }
  if (!isinstance(args[0], m->owner)) descr_doesnt_apply(m->name, m->owner, args[0]);
  return m->fn(args, nargs, kwnames);
}

Value md_repr(Value descr) {
  MethodDescr* m = descr.as<MethodDescr>();
  return vstr(str_new(std::string("<method '") + m->name + "' of '" + m->owner->name +
                      "' objects>"));
}
Value md_name(Value d) { return vstr(str_from_cstr(d.as<MethodDescr>()->name)); }
// A descriptor's __qualname__: its owner's qualified name, a dot, its own name.
static Value owner_qualname(Type* t, std::string_view name) {
  std::string q = t->qualname ? std::string(t->qualname->view()) : std::string(t->name);
  return vstr(str_new(q + "." + std::string(name)));
}

Value md_qualname(Value d) {
  MethodDescr* m = d.as<MethodDescr>();
  return owner_qualname(m->owner, m->name);
}
Value md_objclass(Value d) { return vtype(d.as<MethodDescr>()->owner); }

// ---------------------------------------------------------------- slot wrappers
Value sw_get(Value descr, Value obj, Type* owner) {
  SlotWrapper* w = descr.as<SlotWrapper>();
  if (!obj) return descr;
  if (!isinstance(obj, w->owner)) descr_doesnt_apply(w->name, w->owner, obj);
  MethodWrapper* mw = gc_new_obj<MethodWrapper>(&method_wrapper_type);
  mw->descr = w;
  mw->self = obj;
  return Value::from_obj(mw);
}

Value sw_call(Value descr, const Value* args, size_t nargs, Tuple* kwnames) {
  SlotWrapper* w = descr.as<SlotWrapper>();
  if (nargs < 1)
    raise(&exc_TypeError, "descriptor '%s' of '%s' object needs an argument", w->name,
          w->owner->name);
  if (!isinstance(args[0], w->owner))
    raise(&exc_TypeError, "descriptor '%s' requires a '%s' object but received a '%s'",
          w->name, w->owner->name, type_name_c(args[0]));
  return slot_wrapper_call(w, args[0], args + 1, nargs - 1, kwnames);
}

Value sw_repr(Value descr) {
  SlotWrapper* w = descr.as<SlotWrapper>();
  return vstr(str_new(std::string("<slot wrapper '") + w->name + "' of '" + w->owner->name +
                      "' objects>"));
}
Value sw_name(Value d) { return vstr(d.as<SlotWrapper>()->name_str); }
Value sw_qualname(Value d) {
  SlotWrapper* w = d.as<SlotWrapper>();
  return owner_qualname(w->owner, w->name);
}
Value sw_objclass(Value d) { return vtype(d.as<SlotWrapper>()->owner); }

Value mw_call(Value f, const Value* args, size_t nargs, Tuple* kwnames) {
  MethodWrapper* mw = f.as<MethodWrapper>();
  return slot_wrapper_call(mw->descr, mw->self, args, nargs, kwnames);
}
Value mw_repr(Value f) {
  MethodWrapper* mw = f.as<MethodWrapper>();
  return vstr(str_new(std::string("<method-wrapper '") + mw->descr->name + "' of " +
                      type_name(mw->self) + " object at " + addr_str(mw->self.obj()) + ">"));
}
Value mw_richcompare(Value a, Value b, CmpOp op) {
  if ((op != CmpOp::Eq && op != CmpOp::Ne) || !is_type(b, &method_wrapper_type))
    return NotImplemented();
  MethodWrapper* x = a.as<MethodWrapper>();
  MethodWrapper* y = b.as<MethodWrapper>();
  bool e = x->descr == y->descr && x->self == y->self;
  return Bool(op == CmpOp::Eq ? e : !e);
}
int64_t mw_hash(Value a) {
  MethodWrapper* x = a.as<MethodWrapper>();
  int64_t h = object_hash_identity(Value::from_obj(x->descr)) ^ object_hash_identity(x->self);
  return h == -1 ? -2 : h;
}
Value mw_self(Value f) { return f.as<MethodWrapper>()->self; }
Value mw_name(Value f) { return vstr(f.as<MethodWrapper>()->descr->name_str); }
Value mw_qualname(Value f) { return sw_qualname(Value::from_obj(f.as<MethodWrapper>()->descr)); }

[[noreturn]] void bad_nargs(size_t want, size_t got) {
  raise(&exc_TypeError, "expected %zu argument%s, got %zu", want, want == 1 ? "" : "s", got);
}

// ---------------------------------------------------------------- tp_new wrapper
Value tp_new_wrapper_fn(const Value* args, size_t nargs, Tuple* kwnames) {
  Type* owner = args[0].as<Type>();
  if (nargs < 2) raise(&exc_TypeError, "%s.__new__(): not enough arguments", owner->name);
  Value sub = args[1];
  if (!is_typeobj(sub))
    raise(&exc_TypeError, "%s.__new__(X): X is not a type object (%s)", owner->name,
          type_name_c(sub));
  Type* st = sub.as<Type>();
  if (!issubclass(st, owner))
    raise(&exc_TypeError, "%s.__new__(%s): %s is not a subtype of %s", owner->name, st->name,
          st->name, owner->name);
  Type* staticbase = st;
  while (staticbase && (staticbase->flags & TF_HEAPTYPE)) staticbase = staticbase->base;
  if (staticbase && staticbase->tp_new != owner->tp_new)
    raise(&exc_TypeError, "%s.__new__(%s) is not safe, use %s.__new__()", owner->name,
          st->name, staticbase->name);
  return owner->tp_new(st, args + 2, nargs - 2, kwnames);
}

// ---------------------------------------------------------------- getset descriptors
Value gs_get(Value descr, Value obj, Type* owner) {
  GetSetDescr* g = descr.as<GetSetDescr>();
  if (!obj) return descr;
  if (!isinstance(obj, g->owner)) descr_doesnt_apply(g->name, g->owner, obj);
  if (!g->get)
    raise(&exc_AttributeError, "attribute '%s' of '%s' objects is not readable", g->name,
          g->owner->name);
  return g->get(obj);
}
void gs_set(Value descr, Value obj, Value v) {
  GetSetDescr* g = descr.as<GetSetDescr>();
  if (!isinstance(obj, g->owner)) descr_doesnt_apply(g->name, g->owner, obj);
  if (!g->set)
    raise(&exc_AttributeError, "attribute '%s' of '%s' objects is not writable", g->name,
          g->owner->name);
  g->set(obj, v);
}
Value gs_repr(Value descr) {
  GetSetDescr* g = descr.as<GetSetDescr>();
  return vstr(str_new(std::string("<attribute '") + g->name + "' of '" + g->owner->name +
                      "' objects>"));
}
Value gs_name(Value d) { return vstr(str_from_cstr(d.as<GetSetDescr>()->name)); }
Value gs_qualname(Value d) {
  GetSetDescr* g = d.as<GetSetDescr>();
  return owner_qualname(g->owner, g->name);
}
Value gs_objclass(Value d) { return vtype(d.as<GetSetDescr>()->owner); }

// ---------------------------------------------------------------- member descriptors
// (__slots__ of a TF_SLOTS_ONLY class; the value is in the instance's hidden dict)
Value mem_get(Value descr, Value obj, Type*) {
  MemberDescr* m = descr.as<MemberDescr>();
  if (!obj) return descr;
  if (!isinstance(obj, m->owner)) descr_doesnt_apply(m->name->data(), m->owner, obj);
  if (Dict* d = instance_dict(obj, false))
    if (Value v = dict_get_str(d, m->name)) return v;
  raise(&exc_AttributeError, "'%s' object has no attribute '%s'", type_of(obj)->name,
        m->name->data());
}
void mem_set(Value descr, Value obj, Value v) {
  MemberDescr* m = descr.as<MemberDescr>();
  if (!isinstance(obj, m->owner)) descr_doesnt_apply(m->name->data(), m->owner, obj);
  if (v) {
    dict_set_str(instance_dict(obj, true), m->name, v);
    return;
  }
  Dict* d = instance_dict(obj, false);
  if (!d || !dict_del(d, vstr(m->name)))
    raise(&exc_AttributeError, "'%s' object has no attribute '%s'", type_of(obj)->name,
          m->name->data());
}
Value mem_repr(Value descr) {
  MemberDescr* m = descr.as<MemberDescr>();
  return vstr(str_new("<member '" + std::string(m->name->view()) + "' of '" + m->owner->name +
                      "' objects>"));
}
Value mem_name(Value d) { return vstr(d.as<MemberDescr>()->name); }
Value mem_qualname(Value d) {
  MemberDescr* m = d.as<MemberDescr>();
  return owner_qualname(m->owner, m->name->view());
}
Value mem_objclass(Value d) { return vtype(d.as<MemberDescr>()->owner); }

// ---------------------------------------------------------------- property
Property* alloc_property(Type* t) {
  Property* p = static_cast<Property*>(gc_alloc(size_t(t->basic_size)));
  p->type = t;
  p->fget = p->fset = p->fdel = p->doc = None();
  return p;
}

Value prop_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  return Value::from_obj(alloc_property(t));
}

void prop_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"fget", "fset", "fdel", "doc", nullptr};
  Value a[4];
  parse_args("property", args, nargs, kwnames, kw, 0, a);
  Property* p = self.as<Property>();
  p->fget = a[0] ? a[0] : None();
  p->fset = a[1] ? a[1] : None();
  p->fdel = a[2] ? a[2] : None();
  p->doc = a[3] ? a[3] : None();
  p->getter_doc = false;
  if (is_none(p->doc) && !is_none(p->fget)) {
    Value d = getattr_opt(p->fget, GP_STR("__doc__"));
    if (d) {
      p->doc = d;
      p->getter_doc = true;
    }
  }
}

[[noreturn]] void prop_error(Property* p, Value obj, const char* what) {
  Type* t = type_of(obj);
  std::string q = t->qualname ? std::string(t->qualname->view()) : std::string(t->name);
  if (p->name)
    raise(&exc_AttributeError, "property %s of '%s' object has no %s",
          repr(vstr(p->name))->data(), q.c_str(), what);
  raise(&exc_AttributeError, "property of '%s' object has no %s", q.c_str(), what);
}

Value prop_get(Value self, Value obj, Type* owner) {
  if (!obj) return self;
  Property* p = self.as<Property>();
  if (is_none(p->fget)) prop_error(p, obj, "getter");
  return call(p->fget, {obj});
}

void prop_set(Value self, Value obj, Value v) {
  Property* p = self.as<Property>();
  if (!v) {
    if (is_none(p->fdel)) prop_error(p, obj, "deleter");
    call(p->fdel, {obj});
  } else {
    if (is_none(p->fset)) prop_error(p, obj, "setter");
    call(p->fset, {obj, v});
  }
}

Value prop_copy(Value self, Value fget, Value fset, Value fdel) {
  Property* p = self.as<Property>();
  if (!fget) fget = p->fget;
  if (!fset) fset = p->fset;
  if (!fdel) fdel = p->fdel;
  Value doc = (p->getter_doc && !is_none(fget)) ? None() : p->doc;
  Value r = call(vtype(type_of(self)), {fget, fset, fdel, doc});
  if (isinstance(r, &property_type) && p->name) r.as<Property>()->name = p->name;
  return r;
}

Value prop_getter(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("getter", nargs - 1, 1, 1);
  return prop_copy(args[0], args[1], Value::null(), Value::null());
}
Value prop_setter(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("setter", nargs - 1, 1, 1);
  return prop_copy(args[0], Value::null(), args[1], Value::null());
}
Value prop_deleter(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("deleter", nargs - 1, 1, 1);
  return prop_copy(args[0], Value::null(), Value::null(), args[1]);
}
Value prop_set_name(const Value* args, size_t nargs, Tuple* kw) {
  if (nargs != 3)
    raise(&exc_TypeError, "__set_name__() takes 2 positional arguments but %zu were given",
          nargs - 1);
  if (is_str(args[2])) args[0].as<Property>()->name = args[2].as<Str>();
  return None();
}
Value prop_fget(Value s) { return s.as<Property>()->fget; }
Value prop_fset(Value s) { return s.as<Property>()->fset; }
Value prop_fdel(Value s) { return s.as<Property>()->fdel; }
Value prop_doc(Value s) { return s.as<Property>()->doc; }
void prop_doc_set(Value s, Value v) { s.as<Property>()->doc = v ? v : None(); }
Value prop_isabstract(Value s) {
  Property* p = s.as<Property>();
  for (Value f : {p->fget, p->fset, p->fdel}) {
    Value a = getattr_opt(f, GP_STR("__isabstractmethod__"));
    if (a && truthy(a)) return True();
  }
  return False();
}

// ---------------------------------------------------------------- static/classmethod
Value fw_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  FuncWrapper* w = static_cast<FuncWrapper*>(gc_alloc(size_t(t->basic_size)));
  w->type = t;
  w->func = None();
  return Value::from_obj(w);
}

void fw_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  const char* nm = isinstance(self, &classmethod_type) ? "classmethod" : "staticmethod";
  if (kwnames && kwnames->size) raise(&exc_TypeError, "%s() takes no keyword arguments", nm);
  if (nargs != 1)
    raise(&exc_TypeError, "%s expected 1 argument, got %zu", nm, nargs);
  FuncWrapper* w = self.as<FuncWrapper>();
  w->func = args[0];
  // functools.wraps-like copy, as CPython 3.10+ does
  Dict* d = instance_dict(self, true);
  for (Str* n : {GP_STR("__module__"), GP_STR("__name__"), GP_STR("__qualname__"),
                 GP_STR("__doc__"), GP_STR("__annotations__")}) {
    Value v = getattr_opt(args[0], n);
    if (v) dict_set_str(d, n, v);
  }
}

Value sm_get(Value self, Value obj, Type* owner) { return self.as<FuncWrapper>()->func; }
Value sm_call(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  return call(self.as<FuncWrapper>()->func, args, nargs, kwnames);
}
Value cm_get(Value self, Value obj, Type* owner) {
  Value f = self.as<FuncWrapper>()->func;
  Type* t = owner ? owner : type_of(obj);
  if (is_type(f, &function_type)) return method_new(f, vtype(t));
  if (DescrGetFn g = type_of(f)->descr_get) return g(f, vtype(t), t);
  return method_new(f, vtype(t));
}
Value fw_func(Value s) { return s.as<FuncWrapper>()->func; }
Value fw_isabstract(Value s) {
  Value a = getattr_opt(s.as<FuncWrapper>()->func, GP_STR("__isabstractmethod__"));
  return Bool(a && truthy(a));
}
Value sm_repr(Value s) {
  return vstr(str_new("<staticmethod(" + std::string(repr(s.as<FuncWrapper>()->func)->view()) +
                      ")>"));
}
Value cm_repr(Value s) {
  return vstr(str_new("<classmethod(" + std::string(repr(s.as<FuncWrapper>()->func)->view()) +
                      ")>"));
}

void setup(Type* t, const char* name, int64_t size, uint32_t flags = 0) {
  t->type = &type_type;
  t->name = name;
  t->basic_size = size;
  t->flags = flags;
}

}  // namespace

// ---------------------------------------------------------------- wrapper calls
Value slot_wrapper_new(Type* owner, const char* name, uint8_t kind, uint8_t op, AnyFn fn) {
  SlotWrapper* w = gc_new_obj<SlotWrapper>(&wrapper_descr_type);
  w->name = name;
  w->name_str = str_intern(name);
  w->owner = owner;
  w->kind = kind;
  w->op = op;
  w->fn = fn;
  return Value::from_obj(w);
}

Value tp_new_wrapper_new(Type* owner) {
  BuiltinFunction* b = gc_new_obj<BuiltinFunction>(&builtin_function_type);
  b->name = "__new__";
  b->fn = tp_new_wrapper_fn;
  b->self = vtype(owner);
  return Value::from_obj(b);
}

bool is_tp_new_wrapper(Value v) {
  return is_type(v, &builtin_function_type) && v.as<BuiltinFunction>()->fn == tp_new_wrapper_fn;
}

Value slot_wrapper_call(SlotWrapper* w, Value self, const Value* args, size_t nargs,
                        Tuple* kwnames) {
  if (w->kind != WK_CALL && w->kind != WK_INIT && kwnames && kwnames->size)
    raise(&exc_TypeError, "wrapper %s() takes no keyword arguments", w->name);
  AnyFn fn = w->fn;
  switch (w->kind) {
    case WK_UNARY:
      if (nargs != 0) bad_nargs(0, nargs);
      return reinterpret_cast<UnaryFn>(fn)(self);
    case WK_HASH:
      if (nargs != 0) bad_nargs(0, nargs);
      return int_from_i64(reinterpret_cast<HashFn>(fn)(self));
    case WK_BOOL:
      if (nargs != 0) bad_nargs(0, nargs);
      return Bool(reinterpret_cast<BoolFn>(fn)(self));
    case WK_LEN:
      if (nargs != 0) bad_nargs(0, nargs);
      return int_from_i64(reinterpret_cast<LenFn>(fn)(self));
    case WK_RICHCMP:
      if (nargs != 1) bad_nargs(1, nargs);
      return reinterpret_cast<CompareFn>(fn)(self, args[0], CmpOp(w->op));
    case WK_BINARY:
    case WK_RBINARY: {
      if (BinOp(w->op) == BinOp::Pow && nargs == 2) {
        if (!is_none(args[1])) {
          if (w->kind == WK_BINARY && is_int(self) && is_int(args[0]) && is_int(args[1]))
            return int_pow(self, args[0], args[1]);
          if (w->kind == WK_BINARY) return NotImplemented();
          raise(&exc_TypeError, "expected 1 argument, got 2");
        }
      } else if (nargs != 1) {
        bad_nargs(1, nargs);
      }
      BinaryFn f = reinterpret_cast<BinaryFn>(fn);
      return w->kind == WK_BINARY ? f(self, args[0]) : f(args[0], self);
    }
    case WK_GETITEM:
      if (nargs != 1) bad_nargs(1, nargs);
      return reinterpret_cast<GetItemFn>(fn)(self, args[0]);
    case WK_SETITEM:
      if (nargs != 2) bad_nargs(2, nargs);
      reinterpret_cast<SetItemFn>(fn)(self, args[0], args[1]);
      return None();
    case WK_DELITEM:
      if (nargs != 1) bad_nargs(1, nargs);
      reinterpret_cast<SetItemFn>(fn)(self, args[0], Value::null());
      return None();
    case WK_CONTAINS:
      if (nargs != 1) bad_nargs(1, nargs);
      return Bool(reinterpret_cast<ContainsFn>(fn)(self, args[0]));
    case WK_NEXT: {
      if (nargs != 0) bad_nargs(0, nargs);
      Value r = reinterpret_cast<IterNextFn>(fn)(self);
      if (!r) throw_exc(Value::from_obj(&exc_StopIteration));
      return r;
    }
    case WK_GETATTR: {
      if (nargs != 1) bad_nargs(1, nargs);
      if (!is_str(args[0]))
        raise(&exc_TypeError, "attribute name must be string, not '%s'", type_name_c(args[0]));
      Str* name = args[0].as<Str>();
      Value r = reinterpret_cast<GetAttrFn>(fn)(self, name);
      if (!r) raise_attribute_error(self, name);
      return r;
    }
    case WK_SETATTR:
    case WK_DELATTR: {
      size_t want = w->kind == WK_SETATTR ? 2 : 1;
      if (nargs != want) bad_nargs(want, nargs);
      if (!is_str(args[0]))
        raise(&exc_TypeError, "attribute name must be string, not '%s'", type_name_c(args[0]));
      reinterpret_cast<SetAttrFn>(fn)(self, args[0].as<Str>(),
                                      w->kind == WK_SETATTR ? args[1] : Value::null());
      return None();
    }
    case WK_CALL:
      return reinterpret_cast<CallFn>(fn)(self, args, nargs, kwnames);
    case WK_INIT:
      reinterpret_cast<InitFn>(fn)(self, args, nargs, kwnames);
      return None();
    case WK_GET: {
      if (nargs < 1 || nargs > 2)
        raise(&exc_TypeError, "expected at %s 1 argument, got %zu", nargs < 1 ? "least" : "most",
              nargs);
      Value obj = is_none(args[0]) ? Value::null() : args[0];
      Value tv = nargs > 1 && !is_none(args[1]) ? args[1] : Value::null();
      if (!obj && !tv) raise(&exc_TypeError, "__get__(None, None) is invalid");
      Type* owner = tv ? (is_typeobj(tv) ? tv.as<Type>() : type_of(tv)) : type_of(obj);
      return reinterpret_cast<DescrGetFn>(fn)(self, obj, owner);
    }
    case WK_SET:
      if (nargs != 2) bad_nargs(2, nargs);
      reinterpret_cast<DescrSetFn>(fn)(self, args[0], args[1]);
      return None();
    case WK_DELETE:
      if (nargs != 1) bad_nargs(1, nargs);
      reinterpret_cast<DescrSetFn>(fn)(self, args[0], Value::null());
      return None();
  }
  raise(&exc_SystemError, "bad slot wrapper kind");
}

Value property_new(Value fget, Value fset, Value fdel, Value doc) {
  Property* p = alloc_property(&property_type);
  p->fget = fget ? fget : None();
  p->fset = fset ? fset : None();
  p->fdel = fdel ? fdel : None();
  p->doc = doc ? doc : None();
  return Value::from_obj(p);
}

Value staticmethod_new(Value func) {
  Value s = fw_new(&staticmethod_type, nullptr, 0, nullptr);
  fw_init(s, &func, 1, nullptr);
  return s;
}

Value classmethod_new(Value func) {
  Value s = fw_new(&classmethod_type, nullptr, 0, nullptr);
  fw_init(s, &func, 1, nullptr);
  return s;
}

void init_descr_types() {
  Type* t = &builtin_function_type;
  setup(t, "builtin_function_or_method", sizeof(BuiltinFunction));
  t->call = bf_call;
  t->repr = bf_repr;
  t->richcompare = bf_richcompare;
  t->hash = bf_hash;
  type_ready(t);
  type_add_getset(t, "__name__", bf_name);
  type_add_getset(t, "__qualname__", bf_qualname);
  type_add_getset(t, "__self__", bf_self);
  type_add_getset(t, "__module__", bf_module);
  type_add_getset(t, "__doc__", none_getter);
  type_add_getset(t, "__text_signature__", none_getter);

  t = &method_descr_type;
  setup(t, "method_descriptor", sizeof(MethodDescr));
  t->call = md_call;
  t->repr = md_repr;
  t->descr_get = md_get;
  type_ready(t);
  type_add_getset(t, "__name__", md_name);
  type_add_getset(t, "__qualname__", md_qualname);
  type_add_getset(t, "__objclass__", md_objclass);
  type_add_getset(t, "__doc__", none_getter);
  type_add_getset(t, "__text_signature__", none_getter);

  t = &wrapper_descr_type;
  setup(t, "wrapper_descriptor", sizeof(SlotWrapper));
  t->call = sw_call;
  t->repr = sw_repr;
  t->descr_get = sw_get;
  type_ready(t);
  type_add_getset(t, "__name__", sw_name);
  type_add_getset(t, "__qualname__", sw_qualname);
  type_add_getset(t, "__objclass__", sw_objclass);
  type_add_getset(t, "__doc__", none_getter);
  type_add_getset(t, "__text_signature__", none_getter);

  t = &method_wrapper_type;
  setup(t, "method-wrapper", sizeof(MethodWrapper));
  t->call = mw_call;
  t->repr = mw_repr;
  t->richcompare = mw_richcompare;
  t->hash = mw_hash;
  type_ready(t);
  type_add_getset(t, "__self__", mw_self);
  type_add_getset(t, "__name__", mw_name);
  type_add_getset(t, "__qualname__", mw_qualname);
  type_add_getset(t, "__doc__", none_getter);

  t = &getset_descr_type;
  setup(t, "getset_descriptor", sizeof(GetSetDescr));
  t->repr = gs_repr;
  t->descr_get = gs_get;
  t->descr_set = gs_set;
  type_ready(t);
  type_add_getset(t, "__name__", gs_name);
  type_add_getset(t, "__qualname__", gs_qualname);
  type_add_getset(t, "__objclass__", gs_objclass);
  type_add_getset(t, "__doc__", none_getter);

  t = &member_descr_type;
  setup(t, "member_descriptor", sizeof(MemberDescr));
  t->repr = mem_repr;
  t->descr_get = mem_get;
  t->descr_set = mem_set;
  type_ready(t);
  type_add_getset(t, "__name__", mem_name);
  type_add_getset(t, "__qualname__", mem_qualname);
  type_add_getset(t, "__objclass__", mem_objclass);
  type_add_getset(t, "__doc__", none_getter);

  t = &property_type;
  setup(t, "property", sizeof(Property), TF_BASETYPE);
  t->doc = "Property attribute.";
  t->tp_new = prop_new;
  t->tp_init = prop_init;
  t->descr_get = prop_get;
  t->descr_set = prop_set;
  type_ready(t);
  type_add_method(t, "getter", prop_getter);
  type_add_method(t, "setter", prop_setter);
  type_add_method(t, "deleter", prop_deleter);
  type_add_method(t, "__set_name__", prop_set_name);
  type_add_getset(t, "fget", prop_fget);
  type_add_getset(t, "fset", prop_fset);
  type_add_getset(t, "fdel", prop_fdel);
  type_add_getset(t, "__doc__", prop_doc, prop_doc_set);
  type_add_getset(t, "__isabstractmethod__", prop_isabstract);

  t = &staticmethod_type;
  setup(t, "staticmethod", sizeof(FuncWrapper), TF_BASETYPE);
  t->dict_offset = int64_t(offsetof(FuncWrapper, dict));
  t->tp_new = fw_new;
  t->tp_init = fw_init;
  t->descr_get = sm_get;
  t->call = sm_call;
  t->repr = sm_repr;
  type_ready(t);
  type_add_getset(t, "__func__", fw_func);
  type_add_getset(t, "__wrapped__", fw_func);
  type_add_getset(t, "__isabstractmethod__", fw_isabstract);

  t = &classmethod_type;
  setup(t, "classmethod", sizeof(FuncWrapper), TF_BASETYPE);
  t->dict_offset = int64_t(offsetof(FuncWrapper, dict));
  t->tp_new = fw_new;
  t->tp_init = fw_init;
  t->descr_get = cm_get;
  t->repr = cm_repr;
  type_ready(t);
  type_add_getset(t, "__func__", fw_func);
  type_add_getset(t, "__wrapped__", fw_func);
  type_add_getset(t, "__isabstractmethod__", fw_isabstract);

  init_super_type();
}

}  // namespace gp
