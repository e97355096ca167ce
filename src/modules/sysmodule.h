// sysmodule.h — the sys module as seen from C++ (modules/sys.cpp).
// Invariants: sys_init runs once, on the main thread with the lock held, before any
// Python code; afterwards sys_modules() is the one dict the import system uses and
// sys_get reads the live attribute (so `sys.stdout = x` is honoured by print).
#pragma once
#include <atomic>
#include <string_view>

#include "core/runtime.h"
#include "objects/module.h"

namespace gp {

// Python-level argv (argv[0] is the script path, '-c' or the module's path).
void sys_init(int argc, char** argv, std::string_view script_dir);
Dict* sys_modules();
Module* sys_module();
Value sys_get(const char* name);          // sys.<name>, null if unset
void sys_set(const char* name, Value v);
Module* init_module_sys();

// sys.setswitchinterval, seconds (default 0.005); read by the lock policies.
extern std::atomic<double> switch_interval;
// -X gil=POLICY / --gil=POLICY / GILPY_GIL, as given on the command line ("" if none).
extern std::string gil_policy_option;

}  // namespace gp
