// bool.cpp — the bool type and its two instances.
//
// Invariants: True_obj and False_obj are the only bool objects (bool is not
// subclassable: no TF_BASETYPE) and carry only the object header; int code reads them
// as 1 and 0. bool inherits every int slot except repr, tp_new and the bitwise ops,
// where bool op bool stays a bool and anything else behaves as int.
#include "core/args.h"
#include "objects/int.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type bool_type;
Object True_obj{&bool_type};
Object False_obj{&bool_type};

namespace {

inline bool is_bool(Value v) { return v.is_obj() && v.obj()->type == &bool_type; }

Value bool_repr(Value v) { return vstr(v == True() ? GP_STR("True") : GP_STR("False")); }

Value bool_and(Value a, Value b) {
  if (is_bool(a) && is_bool(b)) return Bool(a == True() && b == True());
  if (!is_int(a) || !is_int(b)) return NotImplemented();
  return int_and(a, b);
}

Value bool_or(Value a, Value b) {
  if (is_bool(a) && is_bool(b)) return Bool(a == True() || b == True());
  if (!is_int(a) || !is_int(b)) return NotImplemented();
  return int_or(a, b);
}

Value bool_xor(Value a, Value b) {
  if (is_bool(a) && is_bool(b)) return Bool((a == True()) != (b == True()));
  if (!is_int(a) || !is_int(b)) return NotImplemented();
  return int_xor(a, b);
}

Value bool_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "bool() takes no keyword arguments");
  if (nargs > 1) raise(&exc_TypeError, "bool expected at most 1 argument, got %zu", nargs);
  return Bool(nargs == 1 && truthy(args[0]));
}

bool bool_bool(Value v) { return v == True(); }
int64_t bool_hash(Value v) { return v == True() ? 1 : 0; }

}  // namespace

void init_bool_type() {
  Type* t = &bool_type;
  t->type = &type_type;
  t->name = "bool";
  t->base = &int_type;
  t->basic_size = sizeof(Object);
  t->itemsize = 0;
  t->flags = TF_INT_SUBCLASS;  // final: no TF_BASETYPE
  t->doc =
      "bool(x) -> bool\n\nReturns True when the argument x is true, False otherwise.\nThe "
      "builtins True and False are the only two instances of the class bool.\nThe class bool "
      "is a subclass of the class int, and cannot be subclassed.";
  t->repr = bool_repr;
  t->tp_new = bool_new;
  t->nb_bool = bool_bool;
  t->hash = bool_hash;
  t->nb[size_t(BinOp::And)] = bool_and;
  t->nb[size_t(BinOp::Or)] = bool_or;
  t->nb[size_t(BinOp::Xor)] = bool_xor;
  type_ready(t);
}

}  // namespace gp
