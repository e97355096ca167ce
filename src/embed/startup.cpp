// startup.cpp — the start-up sequence main.cpp and the embedding API share.
//
// Invariants: see startup.h. The phases are not re-entrant and run once per process;
// `g_initialized` is published (release) only after builtins exist, so a reader that
// sees it true may use every builtin type.
#include "embed/startup.h"

#include <gc/gc.h>

#include <atomic>

#include "core/runtime.h"
#include "gil/gil.h"
#include "modules/builtins.h"
#include "modules/sysmodule.h"

namespace gp {

namespace {
std::atomic<bool> g_initialized{false};
}

bool runtime_boot(const std::string& policy) {
  GC_INIT();
  // The collector's warnings ("repeated allocation of very large block") are advice for
  // C programs; a Python program that builds big objects must not print them.
  GC_set_warn_proc([](char*, GC_word) {});
  GC_allow_register_threads();
  GC_expand_hp(64 * 1024 * 1024);
  gil_policy_option = policy;
  return gil_init(policy);
}

ThreadState* runtime_attach_main() {
  ThreadState* ts = tstate_new();
  gil_acquire(ts);
  return ts;
}

void runtime_init_python(int argc, char** argv, std::string_view script_dir) {
  init_types();
  sys_init(argc, argv, script_dir);
  init_module_builtins();
  g_initialized.store(true, std::memory_order_release);
}

bool runtime_initialized() { return g_initialized.load(std::memory_order_acquire); }

}  // namespace gp
