// fork.cpp — putting the runtime back together in the child of fork().
// Invariants: called once in the child, on the thread that called os.fork(), which
// held the lock across fork(); every piece of process state that other threads could
// have held locked or listed (lock policy, thread list, signal main thread and pipe,
// threading's _active) is rebuilt around that one thread before Python code runs.
#include "core/error.h"
#include "gil/gil.h"
#include "modules/posix.h"
#include "modules/signals.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/str.h"

namespace gp {

void runtime_after_fork_child() {
  ThreadState* ts = tstate();
  threads_after_fork(ts);
  gil_after_fork(ts);
  signals_after_fork(ts);
  // threading's view: only if the program imported it (do not import it here).
  Value threading = dict_get_str(sys_modules(), GP_STR("threading"));
  if (threading.is_null() || is_none(threading)) return;
  try {
    Value fn = getattr_opt(threading, GP_STR("_after_fork"));
    if (!fn.is_null()) call(fn, {});
  } catch (PyThrow&) {
    // As CPython: an error here is reported, not raised into the child's code.
    print_exception(take_exception());
  }
}

}  // namespace gp
