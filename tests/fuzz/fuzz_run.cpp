// fuzz_run.cpp — libFuzzer harness that compiles and runs small programs under a
// check-point budget (vm/eval.h set_check_budget) and a capped collector heap.
//
// Invariants:
//  * Every input terminates: after kBudget calls/backward jumps each further check
//    point raises KeyboardInterrupt, and the heap is capped at kMaxHeap so unbounded
//    allocation ends in MemoryError. Anything other than a Python exception or a normal
//    return (a crash, a sanitizer report, an abort) is a bug.
//  * Programs see a copy of builtins without open/input/exec/eval/breakpoint/help/
//    __import__, cannot import (see kSandbox) and find the pure-computation modules
//    pre-bound, so a mutated input cannot touch files, processes, sockets or threads.
//    This guards against accidents, not against a determined escape
//    (object.__subclasses__() walks are still possible).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.h"
#include "objects/dict.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/str.h"
#include "vm/eval.h"

using namespace gp;

namespace {

constexpr int64_t kBudget = 20000;
constexpr size_t kMaxHeap = size_t(1) << 30;

// The IMPORT_NAME instruction goes straight to the import system (gilpy does not yet
// honour an overridden builtins.__import__), so a guarded __import__ cannot sandbox
// imports: inputs that mention "import" at all are skipped, __import__ is removed, and the
// pure-computation modules are pre-bound in every program's globals instead.
const char* const kSandbox = R"PY(
import builtins, math, collections, itertools, functools, operator, heapq, bisect, random, struct
modules = {m.__name__: m for m in (math, collections, itertools, functools, operator, heapq,
                                  bisect, random, struct)}
safe_builtins = dict(builtins.__dict__)
for _n in ('open', 'input', 'exec', 'eval', 'breakpoint', 'help', 'exit', 'quit', '__import__'):
    safe_builtins.pop(_n, None)
)PY";

Dict* setup_globals() {
  static Dict* g = [] {
    Dict* d = dict_new();
    dict_set_str(d, str_intern("__name__"), vstr(str_intern("__fuzz_setup__")));
    run_code(compile_source(kSandbox, str_intern("<fuzz-setup>"), ParseMode::Exec), d, d);
    return d;
  }();
  return g;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ThreadState* ts = fuzz_runtime();
  // Native routines refuse single objects over a cap (core/object.h), so a huge format
  // width or bytes(n) is MemoryError here too, not a malloc over libFuzzer's limit.
  static bool capped = [] {
    GC_set_max_heap_size(kMaxHeap);
    // A quarter of the heap cap: a formatted string is built in native buffers and
    // copied two or three times, which must stay well inside -rss_limit_mb (4 GB under
    // ASan); a 1 GB '%.999999999f' would not.
    set_max_alloc_bytes(kMaxHeap / 4);
    // 4 million bits (1.2 million digits): a product of two takes milliseconds; the
    // 11111111111**911000 chains that took up to 96 s per input stop at MemoryError.
    set_max_int_bits(uint64_t(1) << 22);
    return true;
  }();
  (void)capped;
  if (size > 65536) return 0;  // the compile harness covers big sources
  std::string_view src(reinterpret_cast<const char*>(data), size);
  if (src.find("import") != std::string_view::npos) return 0;  // see kSandbox
  Dict* setup = setup_globals();
  try {
    Code* co = compile_source(src, str_intern("<fuzz>"), ParseMode::Exec);
    Dict* g = dict_new();
    dict_update(g, vdict(dict_get_str(setup, str_intern("modules")).as<Dict>()));
    dict_set_str(g, str_intern("__name__"), vstr(str_intern("__main__")));
    dict_set_str(g, str_intern("__builtins__"), dict_get_str(setup, str_intern("safe_builtins")));
    set_check_budget(ts, kBudget);
    run_code(co, g, g);
  } catch (PyThrow&) {
    take_exception();
  }
  // A C++ exception that escaped native code became SystemError (vm/eval.cpp); for the
  // fuzzer that is still a bug to report, even if the program caught it.
  if (g_internal_errors.load(std::memory_order_relaxed) != 0) __builtin_trap();
  set_check_budget(ts, -1);
  fuzz_reset(ts);
  return 0;
}
