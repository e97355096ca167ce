// fuzz_common.h — start-up shared by the libFuzzer harnesses (tests/fuzz/*.cpp).
//
// Invariants:
//  * The runtime is initialised once per process, exactly in main.cpp's order
//    (embed/startup.h's three phases), on the
//    thread libFuzzer calls LLVMFuzzerTestOneInput from; every input runs on it.
//  * No input may leave a Python exception pending: each run ends with curexc clear,
//    recursion depth 0 and no frame, as it was before the input.
//  * stdout goes to /dev/null (programs print; libFuzzer reports on stderr).
#pragma once
#include <fcntl.h>
#include "gc/gcapi.h"
#include <unistd.h>

#include "compiler/ast.h"
#include "core/error.h"
#include "core/threadstate.h"
#include "embed/startup.h"

namespace gp {

inline ThreadState* fuzz_runtime() {
  static ThreadState* ts = [] {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 1);
    runtime_boot("");
    ThreadState* t = runtime_attach_main();
    static char arg0[] = "gilpy-fuzz";
    static char* argv[] = {arg0, nullptr};
    runtime_init_python(1, argv, ".");
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
