// posix.h — what the posix module (os) shares with the rest of the runtime.
// Invariants: runtime_after_fork_child runs in the child of os.fork(), on the forking
// thread, with the lock held, before any other Python code; after it the runtime
// believes in exactly one thread (the survivor), which is the main thread.
#pragma once
#include <string>

#include "core/runtime.h"
#include "core/threadstate.h"

namespace gp {

// vm/fork.cpp: reset the lock policy, the thread list, the signal state and
// threading's Python-level state in the child of fork().
void runtime_after_fork_child();
// vm/threadstate.cpp: only `survivor` remains in the thread list; its mutex is rebuilt.
void threads_after_fork(ThreadState* survivor);

// A path argument (str, bytes or os.PathLike) as a C string; *was_bytes tells the
// caller to answer with bytes. `fname`/`argname` word the TypeError as CPython does.
std::string posix_path_arg(const char* fname, const char* argname, Value v,
                           bool* was_bytes = nullptr);
// An integer file descriptor from an int or an object with fileno() (select, socket).
int posix_fd_from_object(Value v);

}  // namespace gp
