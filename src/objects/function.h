// function.h — functions, bound methods, cells and builtin function objects.
#pragma once
#include "objects/code.h"

namespace gp {

struct Cell : Object {
  Value ref;   // null = empty
};

struct Function : Object {
  Code* code;
  Dict* globals;
  Dict* builtins;
  Tuple* defaults;    // or nullptr
  Dict* kwdefaults;   // or nullptr
  Tuple* closure;     // tuple of Cell, or nullptr
  Str* name;
  Str* qualname;
  Str* module;        // globals['__name__'] at creation
  Value doc;
  Dict* dict;         // function attributes (created on demand)
};

struct Method : Object {   // a bound method: func bound to self
  Value func;
  Value self;
};

struct BuiltinFunction : Object {  // a native function, maybe bound to self
  const char* name;
  NativeFn fn;
  Value self;        // null: unbound module function; else prepended as args[0]
  Str* qualname;
};

struct MethodDescr : Object {  // a native method in a builtin type's dict
  const char* name;
  NativeFn fn;
  Type* owner;
  int flags;         // MethFlags
};

Cell* cell_new(Value v);
Value method_new(Value func, Value self);
// [vm] Call a Python function (binds arguments, runs the frame, or makes a generator).
Value function_call(Function* f, const Value* args, size_t nargs, Tuple* kwnames);
Function* function_new(Code* code, Dict* globals, Str* qualname);
// f.__annotations__ = d (MAKE_FUNCTION's flag 4, and the attribute's setter)
void function_set_annotations(Function* f, Value d);
// [vm] Run a module-level code object in `globals` (which becomes locals too).
Value run_code(Code* code, Dict* globals, Dict* locals);

}  // namespace gp
