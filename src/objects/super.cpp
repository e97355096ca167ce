// super.cpp — the `super` type: super(type, obj), super(type, type2) and zero-argument
// super() (the frame's first argument and its __class__ cell, via vm/frame.h).
//
// Invariants: a super object is immutable after __init__; attribute lookup searches
// obj_type's MRO strictly after `type` and binds what it finds to obj (or to nothing
// when obj is the start type itself, as for classmethods through super(cls, cls)).
#include <string>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "vm/frame.h"

namespace gp {

Type super_type;

namespace {

inline Value vtype(const Type* t) { return Value::from_obj(t); }

Type* supercheck(Type* type, Value obj) {
  if (is_typeobj(obj) && issubclass(obj.as<Type>(), type)) return obj.as<Type>();
  if (issubclass(type_of(obj), type)) return type_of(obj);
  Value cls = getattr_opt(obj, GP_STR("__class__"));
  if (cls && is_typeobj(cls) && cls.as<Type>() != type_of(obj) &&
      issubclass(cls.as<Type>(), type))
    return cls.as<Type>();
  raise(&exc_TypeError, "super(type, obj): obj must be an instance or subtype of type");
}

Value super_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  Super* s = static_cast<Super*>(gc_alloc(size_t(t->basic_size)));
  s->type = t;
  return Value::from_obj(s);
}

void super_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("super", kwnames);
  if (nargs > 2) raise(&exc_TypeError, "super() takes at most 2 arguments (%zu given)", nargs);
  Type* type = nullptr;
  Value obj;
  if (nargs == 0) {
    ThreadState* ts = tstate();
    if (!ts || !ts->frame) raise(&exc_RuntimeError, "super(): no current frame");
    frame_super_args(ts->frame, &type, &obj);
  } else {
    if (!is_typeobj(args[0]))
      raise(&exc_TypeError, "super() argument 1 must be a type, not %s", type_name_c(args[0]));
    type = args[0].as<Type>();
    if (nargs > 1 && !is_none(args[1])) obj = args[1];
  }
  Super* s = self.as<Super>();
  s->thisclass = type;
  s->obj = obj;
  s->obj_type = obj ? supercheck(type, obj) : nullptr;
}

Value super_getattro(Value self, Str* name) {
  Super* su = self.as<Super>();
  Type* start = su->obj_type;
  if (start && name->view() != "__class__") {
    Tuple* mro = start->mro;
    int64_t n = mro->size, i = 0;
    for (; i + 1 < n; i++)
      if ((*mro)[i].as<Type>() == su->thisclass) break;
    for (i++; i < n; i++) {
      Type* b = (*mro)[i].as<Type>();
      Value res = dict_get_str(b->dict, name);
      if (!res) continue;
      if (DescrGetFn f = type_of(res)->descr_get)
        return f(res, su->obj == vtype(start) ? Value::null() : su->obj, start);
      return res;
    }
  }
  return generic_getattr(self, name);
}

Value super_descr_get(Value self, Value obj, Type* owner) {
  Super* su = self.as<Super>();
  if (!obj || su->obj) return self;
  Super* s = static_cast<Super*>(gc_alloc(size_t(type_of(self)->basic_size)));
  s->type = type_of(self);
  s->obj = Value::null();
  Value r = Value::from_obj(s);
  Value a[2] = {vtype(su->thisclass), obj};
  super_init(r, a, 2, nullptr);
  return r;
}

Value super_repr(Value self) {
  Super* su = self.as<Super>();
  std::string cls = su->thisclass ? std::string("<class '") + su->thisclass->name + "'>" : "NULL";
  if (su->obj_type)
    return vstr(str_new("<super: " + cls + ", <" + su->obj_type->name + " object>>"));
  return vstr(str_new("<super: " + cls + ", NULL>"));
}

Value sg_thisclass(Value s) {
  Type* t = s.as<Super>()->thisclass;
  return t ? vtype(t) : None();
}
Value sg_self(Value s) {
  Value o = s.as<Super>()->obj;
  return o ? o : None();
}
Value sg_self_class(Value s) {
  Type* t = s.as<Super>()->obj_type;
  return t ? vtype(t) : None();
}

}  // namespace

void init_super_type() {
  Type* t = &super_type;
  t->type = &type_type;
  t->name = "super";
  t->basic_size = sizeof(Super);
  t->flags = TF_BASETYPE;
  t->doc = "super() -> same as super(__class__, <first argument>)";
  t->tp_new = super_new;
  t->tp_init = super_init;
  t->getattr = super_getattro;
  t->descr_get = super_descr_get;
  t->repr = super_repr;
  type_ready(t);
  type_add_getset(t, "__thisclass__", sg_thisclass);
  type_add_getset(t, "__self__", sg_self);
  type_add_getset(t, "__self_class__", sg_self_class);
}

}  // namespace gp
