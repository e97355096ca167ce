// builtins.h — the builtins module (modules/builtins.cpp) as seen from C++.
// Invariant: one builtins module per process; init_module_builtins is idempotent and
// registers it in sys.modules.
#pragma once
#include "core/runtime.h"
#include "objects/module.h"

namespace gp {

Module* init_module_builtins();
Dict* builtins_dict();   // the builtins module's dict (frames' default __builtins__)
// The original builtins.__import__ function object; IMPORT_NAME takes its direct path
// when the frame's builtins still hold it, and calls any replacement instead.
Value builtin_import_function();

}  // namespace gp
