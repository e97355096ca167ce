// registry.cpp — the table of native (C++) modules.
// Invariant: every init function listed here is idempotent (returns the same module
// on every call), so the import system may call it whenever sys.modules misses.
#include <cerrno>
#include <cstring>

#include "modules/builtins.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"

namespace gp {

Module* init_module_time();
Module* init_module_math();
Module* init_module_gc();
Module* init_module__random();
Module* init_module__thread();
Module* init_module_errno();    // modules/errno.cpp
Module* init_module_posix();    // modules/posix.cpp
Module* init_module__signal();  // modules/signal.cpp
Module* init_module_select();   // modules/select.cpp
Module* init_module__socket();  // modules/_socket.cpp
Module* init_module__struct();  // modules/_struct.cpp
Module* init_module_gil();      // modules/gil.cpp

namespace {

struct Entry {
  const char* name;
  ModuleInit init;
};
const Entry kModules[] = {
    {"builtins", init_module_builtins},
    {"sys", init_module_sys},
    {"time", init_module_time},
    {"math", init_module_math},
    {"gc", init_module_gc},
    {"_random", init_module__random},
    {"io", init_module_io},
    {"_io", init_module_io},
    {"errno", init_module_errno},
    {"_thread", init_module__thread},
    {"gil", init_module_gil},
    {"posix", init_module_posix},
    {"_signal", init_module__signal},
    {"select", init_module_select},
    {"_socket", init_module__socket},
    {"_struct", init_module__struct},
};

}  // namespace

ModuleInit find_native_module(std::string_view name) {
  for (const Entry& e : kModules)
    if (name == e.name) return e.init;
  return nullptr;
}

}  // namespace gp
