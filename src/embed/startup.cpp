// startup.cpp — the start-up sequence main.cpp and the embedding API share.
//
// Invariants: see startup.h. The phases are not re-entrant and run once per process;
// `g_initialized` is published (release) only after builtins exist, so a reader that
// sees it true may use every builtin type.
#include "embed/startup.h"

#include "gc/gcapi.h"
#include "core/objlock.h"

#include <atomic>
#include <cstdlib>

#include "core/runtime.h"
#include "gil/gil.h"
#include "modules/builtins.h"
#include "modules/sysmodule.h"

namespace gp {

namespace {
std::atomic<bool> g_initialized{false};
}

size_t g_heap_step_bytes = 8u << 20;

bool runtime_boot(const std::string& policy) {
  GC_INIT();
  gc_alloc_init();
  // The object-lock stripes are 64 KiB of lock words, never a pointer: not a root.
  GC_exclude_static_roots(&g_obj_stripes[0], &g_obj_stripes[kObjLockGroups]);
  // The collector's warnings ("repeated allocation of very large block") are advice for
  // C programs; a Python program that builds big objects must not print them.
  GC_set_warn_proc([](char*, GC_word) {});
  GC_allow_register_threads();
  // Start with an 8 MiB heap (GILPY_HEAP_MB overrides): big enough that a small program
  // does not collect every few hundred kilobytes, small enough that peak RSS stays within
  // 1.5x CPython's (docs/performance.md: 64 MiB cost 66-78 MB RSS per benchmark for no
  // measurable speed; 8 MiB gives 15-16 MB at the same speed). The heap grows on demand.
  size_t heap_mb = 8;
  if (const char* e = getenv("GILPY_HEAP_MB")) heap_mb = size_t(atoi(e));
  if (heap_mb) GC_expand_hp(heap_mb << 20);
  g_heap_step_bytes = (heap_mb ? heap_mb : 8) << 20;
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
