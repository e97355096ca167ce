// object.cpp — the `object` type and the generic attribute protocol
// (object.__getattribute__ / __setattr__ / __delattr__), instance dicts.
//
// Invariants:
//  * Attribute lookup order is CPython's: data descriptor on the type, then the
//    instance dict, then non-data descriptor / plain class attribute. Lookups on the
//    type go through type_lookup's version-tagged cache.
//  * An instance dict is created lazily, the first time something is stored (or
//    __dict__ is read); instance_dictptr says where a type keeps it (dict_offset).
//  * object.__new__/__init__ complain about excess arguments exactly when CPython
//    does: only if the other of the pair is not overridden.
#include <algorithm>
#include <cstdio>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/set.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"

namespace gp {

Type object_type;

static inline Value vtype(const Type* t) { return Value::from_obj(t); }

// ---------------------------------------------------------------- instance dicts
Dict** instance_dictptr(Value o) {
  if (!o.is_obj()) return nullptr;
  Type* tp = o.obj()->type;
  int64_t off = tp->dict_offset;
  if (off > 0) return reinterpret_cast<Dict**>(reinterpret_cast<char*>(o.obj()) + off);
  if (off == 0) return nullptr;
  int64_t n = static_cast<VarObject*>(o.obj())->size;
  return reinterpret_cast<Dict**>(reinterpret_cast<char*>(o.obj()) + var_dict_offset(tp, n));
}

Dict* instance_dict(Value o, bool create) {
  Dict** dp = instance_dictptr(o);
  if (!dp) return nullptr;
  Dict* d = __atomic_load_n(dp, __ATOMIC_ACQUIRE);
  if (!d && create) {
    // Two threads may create the first attribute at once (--gil=none): one dict wins
    // by CAS and both write into it, so neither attribute is lost.
    Dict* fresh = dict_new();
    if (__atomic_compare_exchange_n(dp, &d, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      d = fresh;
  }
  return d;
}

// ---------------------------------------------------------------- generic attributes
Value generic_getattr(Value o, Str* name) {
  Type* tp = type_of(o);
  Value descr = type_lookup(tp, name);
  DescrGetFn f = nullptr;
  if (descr) {
    Type* dt = type_of(descr);
    f = dt->descr_get;
    if (f && dt->descr_set) return f(descr, o, tp);
  }
  if (Dict* d = instance_dict(o, false)) {  // an acquire load: __dict__ may be reassigned
    Value v = dict_get_str(d, name);
    if (v) return v;
  }
  if (f) return f(descr, o, tp);
  return descr;
}

void generic_setattr(Value o, Str* name, Value v) {
  Type* tp = type_of(o);
  Value descr = type_lookup(tp, name);
  if (descr) {
    if (DescrSetFn f = type_of(descr)->descr_set) {
      f(descr, o, v);
      return;
    }
  }
  Dict** dp = instance_dictptr(o);
  // A slots-only instance keeps its slots' values in a dict of its own, reached only
  // through the member descriptors: no other name may be stored there.
  if (!dp || (tp->flags & TF_SLOTS_ONLY)) {
    if (!descr)
      raise(&exc_AttributeError, "'%s' object has no attribute '%s'", tp->name, name->data());
    raise(&exc_AttributeError, "'%s' object attribute '%s' is read-only", tp->name,
          name->data());
  }
  if (v) {
    Dict* d = instance_dict(o, true);  // created by CAS: racing first writes share one dict
    dict_set_str(d, name->interned ? name : str_intern(name), v);
    return;
  }
  Dict* d = instance_dict(o, false);
  if (!d || !dict_del(d, vstr(name))) {
    if (is_typeobj(o))
      raise(&exc_AttributeError, "type object '%s' has no attribute '%s'", o.as<Type>()->name,
            name->data());
    raise(&exc_AttributeError, "'%s' object has no attribute '%s'", tp->name, name->data());
  }
}

void slots_setattr(Value o, Str* name, Value v) { generic_setattr(o, name, v); }

// ---------------------------------------------------------------- object slots
int64_t object_hash_identity(Value v) {
  uint64_t p = v.bits();
  uint64_t h = (p >> 4) | (p << 60);
  int64_t r = int64_t(h);
  return r == -1 ? -2 : r;
}

Str* object_default_repr(Value v) {
  Type* t = type_of(v);
  char buf[40];
  snprintf(buf, sizeof buf, "%p", static_cast<void*>(v.obj()));
  return str_new("<" + type_qualified_name(t) + " object at " + buf + ">");
}

namespace {

Value object_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames);
void object_init(Value self, const Value* args, size_t nargs, Tuple* kwnames);

bool excess_args(size_t nargs, Tuple* kwnames) {
  return nargs > 0 || (kwnames && kwnames->size > 0);
}

Value object_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (excess_args(nargs, kwnames)) {
    if (type->tp_new != object_new)
      raise(&exc_TypeError,
            "object.__new__() takes exactly one argument (the type to instantiate)");
    if (type->tp_init == object_init) raise(&exc_TypeError, "%s() takes no arguments", type->name);
  }
  if (type_is_abstract(type)) {
    Value am = dict_get_str(type->dict, GP_STR("__abstractmethods__"));
    List* names = am ? list_from_iterable(am) : list_new(0);
    list_sort(names, Value::null(), false);
    std::string joined;
    for (int64_t i = 0; i < names->size; i++) {
      if (i) joined += ", ";
      joined += str(names->items[i])->view();
    }
    raise(&exc_TypeError, "Can't instantiate abstract class %s with abstract method%s %s",
          type->name, names->size > 1 ? "s" : "", joined.c_str());
  }
  return object_new_instance(type);
}

void object_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (excess_args(nargs, kwnames)) {
    Type* type = type_of(self);
    if (type->tp_init != object_init)
      raise(&exc_TypeError,
            "object.__init__() takes exactly one argument (the instance to initialize)");
    if (type->tp_new == object_new) raise(&exc_TypeError, "%s() takes no arguments", type->name);
  }
}

Value object_repr(Value v) { return vstr(object_default_repr(v)); }

Value object_str(Value v) {
  UnaryFn f = type_of(v)->repr;
  if (!f) f = object_repr;
  return f(v);
}

int64_t object_hash(Value v) { return object_hash_identity(v); }

Value object_richcompare(Value a, Value b, CmpOp op) {
  switch (op) {
    case CmpOp::Eq:
      return a == b ? True() : NotImplemented();
    case CmpOp::Ne: {
      CompareFn f = type_of(a)->richcompare;
      if (!f) return NotImplemented();
      Value r = f(a, b, CmpOp::Eq);
      if (r == NotImplemented()) return r;
      return Bool(!truthy(r));
    }
    default:
      return NotImplemented();
  }
}

Value om_format(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__format__", kw);
  if (nargs != 2)
    raise(&exc_TypeError, "__format__() takes exactly one argument (%zu given)", nargs - 1);
  if (!is_str(args[1]))
    raise(&exc_TypeError, "__format__() argument must be str, not %s", type_name_c(args[1]));
  if (args[1].as<Str>()->size > 0)
    raise(&exc_TypeError, "unsupported format string passed to %s.__format__",
          type_of(args[0])->name);
  return vstr(str(args[0]));
}

Value om_dir(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__dir__", kw);
  if (nargs != 1)
    raise(&exc_TypeError, "__dir__() takes no arguments (%zu given)", nargs - 1);
  return vlist(object_dir(args[0]));
}

std::string cls_qualname(Value cls) {
  if (!is_typeobj(cls)) return type_name(cls);
  Type* t = cls.as<Type>();
  return t->qualname ? std::string(t->qualname->view()) : std::string(t->name);
}

Value om_init_subclass(const Value* args, size_t nargs, Tuple* kw) {
  if (kw && kw->size)
    raise(&exc_TypeError, "%s.__init_subclass__() takes no keyword arguments",
          cls_qualname(args[0]).c_str());
  if (nargs != 1)
    raise(&exc_TypeError, "%s.__init_subclass__() takes no arguments (%zu given)",
          cls_qualname(args[0]).c_str(), nargs - 1);
  return None();
}

Value om_subclasshook(const Value* args, size_t nargs, Tuple* kw) { return NotImplemented(); }

Value om_sizeof(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__sizeof__", nargs - 1, 0, 0);
  Type* t = type_of(args[0]);
  int64_t n = t->basic_size;
  if (t->itemsize && args[0].is_obj())
    n += t->itemsize * static_cast<VarObject*>(args[0].obj())->size;
  return Value::from_small(n);
}

Value og_class(Value self) { return vtype(type_of(self)); }

bool same_layout(Type* a, Type* b) {
  return a->basic_size == b->basic_size && a->itemsize == b->itemsize &&
         a->dict_offset == b->dict_offset;
}

void os_class(Value self, Value v) {
  if (!v) raise(&exc_TypeError, "can't delete __class__ attribute");
  if (!is_typeobj(v))
    raise(&exc_TypeError, "__class__ must be set to a class, not '%s' object", type_name_c(v));
  Type* newto = v.as<Type>();
  Type* oldto = type_of(self);
  if (!self.is_obj() || !(newto->flags & TF_HEAPTYPE) || !(oldto->flags & TF_HEAPTYPE))
    raise(&exc_TypeError,
          "__class__ assignment only supported for mutable types or ModuleType subclasses");
  Type* a = newto;
  while (a->flags & TF_HEAPTYPE) a = a->base;
  Type* b = oldto;
  while (b->flags & TF_HEAPTYPE) b = b->base;
  if (a != b || !same_layout(newto, oldto))
    raise(&exc_TypeError, "__class__ assignment: '%s' object layout differs from '%s'",
          newto->name, oldto->name);
  self.obj()->type = newto;
}

void merge_class_dict(Dict* out, Type* t) {
  Tuple* mro = t->mro;
  for (int64_t i = mro->size - 1; i >= 0; i--) {
    Dict* d = (*mro)[i].as<Type>()->dict;
    int64_t pos = 0;
    Value k, v;
    while (dict_next(d, &pos, &k, &v)) dict_set(out, k, None());
  }
}

}  // namespace

List* object_dir(Value o) {
  Dict* out = dict_new();
  if (is_typeobj(o)) {
    merge_class_dict(out, o.as<Type>());
  } else {
    Value d = getattr_opt(o, GP_STR("__dict__"));
    if (d && is_dict(d)) {
      int64_t pos = 0;
      Value k, v;
      while (dict_next(d.as<Dict>(), &pos, &k, &v)) dict_set(out, k, None());
    }
    Value cls = getattr_opt(o, GP_STR("__class__"));
    merge_class_dict(out, cls && is_typeobj(cls) ? cls.as<Type>() : type_of(o));
  }
  return dict_keys_list(out);
}

void init_object_type() {
  Type* t = &object_type;
  t->type = &type_type;
  t->name = "object";
  t->base = nullptr;
  t->basic_size = sizeof(Object);
  t->flags = TF_BASETYPE;
  t->doc =
      "The base class of the class hierarchy.\n\nWhen called, it accepts no arguments and "
      "returns a new featureless\ninstance that has no instance attributes and cannot be "
      "given any.\n";
  t->repr = object_repr;
  t->str = object_str;
  t->hash = object_hash;
  t->richcompare = object_richcompare;
  t->getattr = generic_getattr;
  t->setattr = generic_setattr;
  t->tp_new = object_new;
  t->tp_init = object_init;
  type_ready(t);
  type_add_getset(t, "__class__", og_class, os_class);
  type_add_method(t, "__format__", om_format);
  type_add_method(t, "__dir__", om_dir);
  type_add_method(t, "__init_subclass__", om_init_subclass, METH_CLASS);
  type_add_method(t, "__subclasshook__", om_subclasshook, METH_CLASS);
  type_add_method(t, "__sizeof__", om_sizeof);
}

}  // namespace gp
