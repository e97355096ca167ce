// module.h — module objects and the registry of native (C++) modules.
// Invariant: a module's globals are its dict; sys.modules maps names to modules.
#pragma once
#include "core/runtime.h"

namespace gp {

struct Module : Object {
  Dict* dict;
  Str* name;
};

Module* module_new(const char* name);
void module_add(Module* m, const char* name, Value v);
void module_add_fn(Module* m, const char* name, NativeFn fn);
inline Value vmodule(Module* m) { return Value::from_obj(m); }

// Native modules: each src/modules/<name>.cpp defines `Module* init_module_<name>()`;
// modules/registry.cpp lists them. find_native_module returns nullptr if unknown.
using ModuleInit = Module* (*)();
ModuleInit find_native_module(std::string_view name);
// Add a native module while the process runs (the embedding API, src/embed/api.cpp);
// `init` must be idempotent as the static table's are. False if the name is taken.
bool register_native_module(std::string_view name, ModuleInit init);

// The import machinery [vm: src/vm/import.cpp]: `import name` / `from . import x`.
Value import_module(Str* name, Value globals, Value fromlist, int level);
Value import_simple(const char* name);        // import a module by absolute name

}  // namespace gp
