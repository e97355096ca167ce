// fuzz_run.cpp — libFuzzer harness that compiles and runs small programs under a
// check-point budget (vm/eval.h set_check_budget) and a capped collector heap.
//
// Invariants:
//  * Every input terminates: after kBudget calls/backward jumps each further check
//    point raises KeyboardInterrupt, and the heap is capped at kMaxHeap so unbounded
//    allocation ends in MemoryError. Anything other than a Python exception or a normal
//    return (a crash, a sanitizer report, an abort) is a bug.
//  * Programs see a copy of builtins without open/input/exec/eval/breakpoint/help and
//    with an __import__ limited to pure-computation modules, so a mutated input cannot
//    touch files, processes, sockets or threads. This guards against accidents, not
//    against a determined escape (object.__subclasses__() walks are still possible).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.h"
#include "objects/dict.h"
#include "objects/function.h"
#include "objects/str.h"
#include "vm/eval.h"

using namespace gp;

namespace {

constexpr int64_t kBudget = 20000;
constexpr size_t kMaxHeap = size_t(1) << 30;

const char* const kSandbox = R"PY(
import builtins
_real_import = builtins.__import__
_allowed = {'math', 'collections', 'itertools', 'functools', 'operator', 'heapq',
            'bisect', 'random', 'struct', '_intconst'}
def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level != 0 or name.split('.')[0] not in _allowed:
        raise ImportError('import of %r is blocked while fuzzing' % name)
    return _real_import(name, globals, locals, fromlist, level)
safe_builtins = dict(builtins.__dict__)
for _n in ('open', 'input', 'exec', 'eval', 'breakpoint', 'help', 'exit', 'quit'):
    safe_builtins.pop(_n, None)
safe_builtins['__import__'] = _guarded_import
)PY";

Dict* safe_builtins() {
  static Dict* b = [] {
    Dict* g = dict_new();
    dict_set_str(g, str_intern("__name__"), vstr(str_intern("__fuzz_setup__")));
    run_code(compile_source(kSandbox, str_intern("<fuzz-setup>"), ParseMode::Exec), g, g);
    Dict* d = dict_get_str(g, str_intern("safe_builtins")).as<Dict>();
    return d;
  }();
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ThreadState* ts = fuzz_runtime();
  static bool capped = [] { GC_set_max_heap_size(kMaxHeap); return true; }();
  (void)capped;
  if (size > 65536) return 0;  // the compile harness covers big sources
  Dict* builtins = safe_builtins();
  std::string_view src(reinterpret_cast<const char*>(data), size);
  try {
    Code* co = compile_source(src, str_intern("<fuzz>"), ParseMode::Exec);
    Dict* g = dict_new();
    dict_set_str(g, str_intern("__name__"), vstr(str_intern("__main__")));
    dict_set_str(g, str_intern("__builtins__"), Value::from_obj(builtins));
    set_check_budget(ts, kBudget);
    run_code(co, g, g);
  } catch (PyThrow&) {
    take_exception();
  }
  set_check_budget(ts, -1);
  fuzz_reset(ts);
  return 0;
}
