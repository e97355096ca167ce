// singletons.cpp — None, NotImplemented and Ellipsis: their static objects and types.
//
// Invariants: each singleton is the only instance of its type (calling the type
// returns it); they are statically allocated, never collected, and hash by identity.
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"

namespace gp {

Type none_type, notimpl_type, ellipsis_type;
Object None_obj = {&none_type};
Object NotImplemented_obj = {&notimpl_type};
Object Ellipsis_obj = {&ellipsis_type};

namespace {

bool excess(size_t nargs, Tuple* kw) { return nargs > 0 || (kw && kw->size > 0); }

Value none_new(Type* t, const Value* args, size_t nargs, Tuple* kw) {
  if (excess(nargs, kw)) raise(&exc_TypeError, "NoneType takes no arguments");
  return None();
}
Value notimpl_new(Type* t, const Value* args, size_t nargs, Tuple* kw) {
  if (excess(nargs, kw)) raise(&exc_TypeError, "NotImplementedType takes no arguments");
  return NotImplemented();
}
Value ellipsis_new(Type* t, const Value* args, size_t nargs, Tuple* kw) {
  if (excess(nargs, kw)) raise(&exc_TypeError, "EllipsisType takes no arguments");
  return Ellipsis();
}

Value none_repr(Value) { return vstr(GP_STR("None")); }
Value notimpl_repr(Value) { return vstr(GP_STR("NotImplemented")); }
Value ellipsis_repr(Value) { return vstr(GP_STR("Ellipsis")); }
bool none_bool(Value) { return false; }

Value reduce_name(const Value* args, size_t nargs, Tuple* kw) {
  if (args[0] == NotImplemented()) return vstr(GP_STR("NotImplemented"));
  return vstr(GP_STR("Ellipsis"));
}

void setup(Type* t, const char* name) {
  t->type = &type_type;
  t->name = name;
  t->basic_size = sizeof(Object);
}

}  // namespace

void init_singleton_types() {
  setup(&none_type, "NoneType");
  none_type.repr = none_repr;
  none_type.nb_bool = none_bool;
  none_type.tp_new = none_new;
  type_ready(&none_type);

  setup(&notimpl_type, "NotImplementedType");
  notimpl_type.repr = notimpl_repr;
  notimpl_type.tp_new = notimpl_new;
  type_ready(&notimpl_type);
  type_add_method(&notimpl_type, "__reduce__", reduce_name);

  setup(&ellipsis_type, "ellipsis");
  ellipsis_type.repr = ellipsis_repr;
  ellipsis_type.tp_new = ellipsis_new;
  type_ready(&ellipsis_type);
  type_add_method(&ellipsis_type, "__reduce__", reduce_name);
}

}  // namespace gp
