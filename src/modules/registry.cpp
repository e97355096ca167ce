// registry.cpp — the table of native (C++) modules.
// Invariant: every init function listed here is idempotent (returns the same module
// on every call), so the import system may call it whenever sys.modules misses.
// Modules registered at run time (embedding programs) are consulted after the static
// table, under a mutex; they are never removed, so a returned init stays valid.
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

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
Module* init_module__posixsubprocess();  // modules/_posixsubprocess.cpp
Module* init_module__multiprocessing();  // modules/_multiprocessing.cpp
Module* init_module__mpi();              // modules/mpi.cpp (lib/mpi4py)

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
    {"_posixsubprocess", init_module__posixsubprocess},
    {"_multiprocessing", init_module__multiprocessing},
    {"_mpi", init_module__mpi},
};

}  // namespace

std::mutex& dynamic_mu() {
  static std::mutex mu;
  return mu;
}
std::vector<std::pair<std::string, ModuleInit>>& dynamic_modules() {  // under dynamic_mu
  static std::vector<std::pair<std::string, ModuleInit>> v;
  return v;
}

ModuleInit find_native_module(std::string_view name) {
  for (const Entry& e : kModules)
    if (name == e.name) return e.init;
  std::lock_guard<std::mutex> lk(dynamic_mu());
  for (const auto& [n, init] : dynamic_modules())
    if (name == n) return init;
  return nullptr;
}

bool register_native_module(std::string_view name, ModuleInit init) {
  for (const Entry& e : kModules)
    if (name == e.name) return false;
  std::lock_guard<std::mutex> lk(dynamic_mu());
  for (const auto& [n, i] : dynamic_modules())
    if (name == n) return false;
  dynamic_modules().emplace_back(std::string(name), init);
  return true;
}

}  // namespace gp
