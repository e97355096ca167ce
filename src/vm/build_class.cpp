// build_class.cpp — builtins.__build_class__, the runtime half of a class statement.
//
// Invariants:
//  * The class body runs once, in a fresh namespace from the metaclass's __prepare__
//    (a plain dict for `type`), with the defining function's closure.
//  * The __class__ cell (returned by the body or stored as __classcell__) is removed
//    from the namespace before the metaclass sees it and filled with the new class
//    afterwards, so zero-argument super() and __class__ work in methods.
//  * Metaclass selection, __mro_entries__ and the error messages follow CPython 3.11's
//    builtin___build_class__.
#include <string>

#include "objects/dict.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "vm/eval.h"

namespace gp {

// The most derived metaclass among `meta` and the types of `bases`.
static Value calculate_metaclass(Value meta, Tuple* bases) {
  Type* winner = meta.as<Type>();
  for (int64_t i = 0; i < bases->size; i++) {
    Type* tmp = type_of((*bases)[i]);
    if (issubclass(winner, tmp)) continue;
    if (issubclass(tmp, winner)) {
      winner = tmp;
      continue;
    }
    raise(&exc_TypeError,
          "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
          "subclass of the metaclasses of all its bases");
  }
  return Value::from_obj(winner);
}

// PEP 560: replace non-class bases that define __mro_entries__.
static Tuple* update_bases(Tuple* bases, bool* changed) {
  *changed = false;
  GcVector<Value> out;
  for (int64_t i = 0; i < bases->size; i++) {
    Value b = (*bases)[i];
    if (is_typeobj(b)) {
      out.push_back(b);
      continue;
    }
    Value meth = getattr_opt(b, GP_STR("__mro_entries__"));
    if (current_exception()) take_exception();
    if (meth.is_null()) {
      out.push_back(b);
      continue;
    }
    Value r = call(meth, {vtuple(bases)});
    if (!is_tuple(r)) raise(&exc_TypeError, "__mro_entries__ must return a tuple");
    *changed = true;
    for (int64_t j = 0; j < r.as<Tuple>()->size; j++) out.push_back((*r.as<Tuple>())[j]);
  }
  if (!*changed) return bases;
  return tuple_from(out.data(), int64_t(out.size()));
}

Value builtin_build_class(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs < 2) raise(&exc_TypeError, "__build_class__: not enough arguments");
  Value func = args[0];
  if (!is_type(func, &function_type)) raise(&exc_TypeError, "__build_class__: func must be a function");
  Value name = args[1];
  if (!is_str(name)) raise(&exc_TypeError, "__build_class__: name is not a string");
  Tuple* orig_bases = tuple_from(args + 2, int64_t(nargs - 2));
  bool changed;
  Tuple* bases = update_bases(orig_bases, &changed);

  // keywords: metaclass=..., the rest go to __prepare__ and the metaclass
  Value meta = Value::null();
  GcVector<Value> kwvals;
  GcVector<Value> kwn;
  if (kwnames) {
    for (int64_t i = 0; i < kwnames->size; i++) {
      Value k = (*kwnames)[i];
      Value v = args[nargs + size_t(i)];
      if (as_str(k)->view() == "metaclass") {
        meta = v;
      } else {
        kwn.push_back(k);
        kwvals.push_back(v);
      }
    }
  }
  Tuple* kw = kwn.empty() ? nullptr : tuple_from(kwn.data(), int64_t(kwn.size()));
  bool is_class;
  if (meta.is_null()) {
    meta = bases->size == 0 ? Value::from_obj(&type_type) : Value::from_obj(type_of((*bases)[0]));
    is_class = true;
  } else {
    is_class = is_typeobj(meta);
  }
  if (is_class) meta = calculate_metaclass(meta, bases);

  // __prepare__
  Value ns;
  Value prep = getattr_opt(meta, GP_STR("__prepare__"));
  if (current_exception()) take_exception();
  if (prep.is_null()) {
    ns = vdict(dict_new());
  } else {
    GcVector<Value> pa;
    pa.push_back(name);
    pa.push_back(vtuple(bases));
    for (Value v : kwvals) pa.push_back(v);
    ns = call(prep, pa.data(), 2, kw);
  }
  if (!is_dict(ns) && getattr_opt(ns, GP_STR("__getitem__")).is_null()) {
    if (current_exception()) take_exception();
    if (is_class)
      raise(&exc_TypeError, "%s.__prepare__() must return a mapping, not %s",
            meta.as<Type>()->name, type_name_c(ns));
    raise(&exc_TypeError, "<metaclass>.__prepare__() must return a mapping, not %s",
          type_name_c(ns));
  }

  // the class body
  Function* fn = func.as<Function>();
  Value cell = run_code_locals(fn->code, fn->globals, ns, fn->closure);
  Str* cc = GP_STR("__classcell__");
  if (!is_type(cell, &cell_type)) {
    cell = Value::null();
    if (is_type(ns, &dict_type)) {
      Value c = dict_get_str(ns.as<Dict>(), cc);
      if (!c.is_null()) {
        if (!is_type(c, &cell_type))
          raise(&exc_TypeError, "__classcell__ must be a nonlocal cell, not %s", repr(Value::from_obj(type_of(c)))->data());
        cell = c;
        dict_del(ns.as<Dict>(), vstr(cc));
      }
    }
  }
  if (changed) {
    if (is_type(ns, &dict_type)) dict_set_str(ns.as<Dict>(), GP_STR("__orig_bases__"), vtuple(orig_bases));
    else setitem(ns, vstr(GP_STR("__orig_bases__")), vtuple(orig_bases));
  }

  Value cls;
  if (meta == Value::from_obj(&type_type) && is_type(ns, &dict_type)) {
    if (kw) cls = type_new_full(&type_type, as_str(name), bases, ns.as<Dict>(), kwvals.data(), kw);
    else cls = type_call_new(&type_type, as_str(name), bases, ns.as<Dict>());
  } else {
    GcVector<Value> ca;
    ca.push_back(name);
    ca.push_back(vtuple(bases));
    ca.push_back(ns);
    for (Value v : kwvals) ca.push_back(v);
    cls = call(meta, ca.data(), 3, kw);
  }
  if (!cell.is_null()) {
    Cell* c = cell.as<Cell>();
    if (c->ref.is_null()) {
      c->ref = cls;
    } else if (c->ref != cls) {
      raise(&exc_TypeError, "__class__ set to %s defining %s as %s", repr(c->ref)->data(),
            repr(name)->data(), repr(cls)->data());
    }
  }
  return cls;
}

}  // namespace gp
