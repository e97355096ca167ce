// fuzz_common.h — start-up shared by the libFuzzer harnesses (tests/fuzz/*.cpp).
//
// Invariants:
//  * The runtime is initialised once per process, exactly in main.cpp's order
//    (collector, lock, main ThreadState holding the lock, types, sys, builtins), on the
//    thread libFuzzer calls LLVMFuzzerTestOneInput from; every input runs on it.
//  * No input may leave a Python exception pending: each run ends with curexc clear,
//    recursion depth 0 and no frame, as it was before the input.
//  * stdout goes to /dev/null (programs print; libFuzzer reports on stderr).
#pragma once
#include <fcntl.h>
#include <gc/gc.h>
#include <unistd.h>

#include "compiler/ast.h"
#include "core/runtime.h"
#include "core/threadstate.h"
#include "gil/gil.h"
#include "modules/builtins.h"
#include "modules/sysmodule.h"
#include "objects/exceptions.h"

namespace gp {

inline ThreadState* fuzz_runtime() {
  static ThreadState* ts = [] {
    GC_INIT();
    GC_set_warn_proc([](char*, GC_word) {});
    GC_allow_register_threads();
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 1);
    gil_init("");
    ThreadState* t = tstate_new();
    gil_acquire(t);
    init_types();
    static char arg0[] = "gilpy-fuzz";
    static char* argv[] = {arg0, nullptr};
    sys_init(1, argv, ".");
    init_module_builtins();
    return t;
  }();
  return ts;
}

// Back to the state before the input, whatever it did.
inline void fuzz_reset(ThreadState* ts) {
  ts->curexc = Value::null();
  ts->exc_info = Value::null();
  ts->recursion_depth = 0;
}

}  // namespace gp
