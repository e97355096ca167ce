// startup.h — bringing the runtime up, shared by the gilpy executable (main.cpp) and the
// embedding API (src/embed/api.cpp, include/gilpy/gilpy.h).
//
// Invariants:
//  * The three phases run once per process, in this order, on one thread: runtime_boot
//    (collector, lock policy), runtime_attach_main (that thread's ThreadState, holding
//    the lock), runtime_init_python (builtin types, sys, builtins). No Python object
//    exists before the third phase; no other thread may attach before the second.
//  * Whatever the command line does between the phases (the lock instruments'
//    gil_obs_start, building sys.argv) needs no Python objects.
#pragma once
#include <string>
#include <string_view>

#include "core/threadstate.h"

namespace gp {

// The collector (threads allowed to register, heap pre-sized, warnings silenced) and
// the lock policy ("" = default). False, with nothing else done, for an unknown policy.
bool runtime_boot(const std::string& policy);
// The calling thread becomes the main thread: a ThreadState, holding the lock.
ThreadState* runtime_attach_main();
// Builtin types, sys (sys.argv from argv, sys.path[0] = script_dir) and builtins.
// Throws PyThrow.
void runtime_init_python(int argc, char** argv, std::string_view script_dir);
// True once runtime_init_python has finished.
bool runtime_initialized();
// The initial heap size (bytes); under free threading the heap grows by this much per
// thread that can run at once (modules/thread.cpp), so collections stay as rare per
// thread as they are for one.
extern size_t g_heap_step_bytes;

}  // namespace gp
