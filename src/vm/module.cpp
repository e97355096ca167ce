// module.cpp — the module type.
//
// Invariants:
//  * A module's attributes are its dict (Module::dict, never null); the dict always has
//    __name__, __doc__, __package__, __loader__ and __spec__ from creation.
//  * Attribute lookup: the dict first, then the type (generic_getattr: __dict__,
//    __class__, methods), then a module-level __getattr__ (PEP 562); a miss raises
//    AttributeError "module 'x' has no attribute 'y'".
#include <cstddef>
#include <string>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "vm/eval.h"

namespace gp {

Type module_type;

static void module_init_dict(Dict* d, Value name, Value doc) {
  dict_set_str(d, GP_STR("__name__"), name);
  dict_set_str(d, GP_STR("__doc__"), doc);
  dict_set_str(d, GP_STR("__package__"), None());
  dict_set_str(d, GP_STR("__loader__"), None());
  dict_set_str(d, GP_STR("__spec__"), None());
}

Module* module_new(const char* name) {
  Module* m = gc_new_obj<Module>(&module_type);
  m->dict = dict_new();
  m->name = str_new(name);
  module_init_dict(m->dict, vstr(m->name), None());
  return m;
}

void module_add(Module* m, const char* name, Value v) { dict_set_str(m->dict, str_intern(name), v); }

void module_add_fn(Module* m, const char* name, NativeFn fn) {
  module_add(m, name, make_builtin_function(name, fn));
}

static std::string module_name_of(Module* m) {
  Value n = dict_get_str(m->dict, GP_STR("__name__"));
  if (!n.is_null() && is_str(n)) return std::string(as_str(n)->view());
  return "?";
}

static Value module_getattr(Value self, Str* name) {
  Module* m = self.as<Module>();
  Value v = dict_get_str(m->dict, name);
  if (!v.is_null()) return v;
  v = generic_getattr(self, name);
  if (!v.is_null()) return v;
  Value ga = dict_get_str(m->dict, GP_STR("__getattr__"));
  if (!ga.is_null()) {
    Value arg = vstr(name);
    return call(ga, &arg, 1, nullptr);
  }
  Value n = dict_get_str(m->dict, GP_STR("__name__"));
  if (n.is_null() || !is_str(n))
    raise(&exc_AttributeError, "module has no attribute '%s'", name->data());
  std::string mn(as_str(n)->view());
  if (module_initializing(mn))
    raise(&exc_AttributeError,
          "partially initialized module '%s' has no attribute '%s' (most likely due to a "
          "circular import)",
          mn.c_str(), name->data());
  raise(&exc_AttributeError, "module '%s' has no attribute '%s'", mn.c_str(), name->data());
}

static Value module_repr(Value self) {
  Module* m = self.as<Module>();
  std::string name = module_name_of(m);
  Value file = dict_get_str(m->dict, GP_STR("__file__"));
  std::string s = "<module '" + name + "'";
  if (!file.is_null() && is_str(file)) {
    s += " from '";
    s += as_str(file)->view();
    s += "'>";
  } else if (find_native_module(name)) {
    s += " (built-in)>";
  } else {
    s += ">";
  }
  return vstr(str_new(s));
}

static Value module_tp_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  Module* m;
  if (t == &module_type) {
    m = gc_new_obj<Module>(&module_type);
  } else {
    m = object_new_instance(t).as<Module>();
  }
  m->dict = dict_new();
  m->name = str_intern("?");
  return Value::from_obj(m);
}

static void module_tp_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"name", "doc", nullptr};
  Value a[2];
  parse_args("module", args, nargs, kwnames, kw, 1, a);
  if (!is_str(a[0]))
    raise(&exc_TypeError, "module.__init__() argument 'name' must be str, not %s", type_name_c(a[0]));
  Module* m = self.as<Module>();
  m->name = as_str(a[0]);
  module_init_dict(m->dict, a[0], a[1].is_null() ? None() : a[1]);
}

static Value module_get_dict(Value self) { return vdict(self.as<Module>()->dict); }

static Value m_dir(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("__dir__", kwnames);
  Module* m = args[0].as<Module>();
  Value d = dict_get_str(m->dict, GP_STR("__dir__"));
  if (!d.is_null()) return call(d, nullptr, 0, nullptr);
  List* l = list_new(0);
  int64_t pos = 0;
  Value k, v;
  while (dict_next(m->dict, &pos, &k, &v)) list_append(l, k);
  return vlist(l);
}

void init_module_type() {
  module_type.type = &type_type;
  module_type.name = "module";
  module_type.basic_size = sizeof(Module);
  module_type.flags = TF_BASETYPE;
  module_type.dict_offset = offsetof(Module, dict);
  module_type.getattr = module_getattr;
  module_type.setattr = generic_setattr;
  module_type.repr = module_repr;
  module_type.tp_new = module_tp_new;
  module_type.tp_init = module_tp_init;
  type_ready(&module_type);
  type_add_getset(&module_type, "__dict__", module_get_dict);
  type_add_method(&module_type, "__dir__", m_dir);
}

}  // namespace gp
