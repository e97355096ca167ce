// fuzz_compile.cpp — libFuzzer harness for the front end: tokenizer, parser, symbol
// table and bytecode compiler (and the disassembler on whatever compiles).
//
// Invariants: any byte string is a valid input; the only acceptable outcomes are a code
// object or a Python exception (SyntaxError and its subclasses, RecursionError,
// MemoryError, ValueError for NUL bytes...). A crash, a sanitizer report, a C++
// exception other than PyThrow, or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "compiler/compiler.h"
#include "fuzz_common.h"
#include "objects/str.h"

using namespace gp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ThreadState* ts = fuzz_runtime();
  std::string_view src(reinterpret_cast<const char*>(data), size);
  // The first byte picks the mode half the time, so 'eval' and 'single' get coverage
  // without a separate harness; the rest of the corpus is plain modules.
  ParseMode mode = ParseMode::Exec;
  if (size > 1 && data[0] == 0x01) { mode = ParseMode::Eval; src.remove_prefix(1); }
  else if (size > 1 && data[0] == 0x02) { mode = ParseMode::Single; src.remove_prefix(1); }
  try {
    Code* co = compile_source(src, str_intern("<fuzz>"), mode);
    if (size < 4096) (void)disassemble(co);
  } catch (PyThrow&) {
    take_exception();
  }
  fuzz_reset(ts);
  return 0;
}
