// code.h — code objects: what the compiler produces and the VM runs.
// Invariants: immutable after the compiler builds it; shared freely between threads.
// Fast locals are varnames (parameters first, in order: positional(-only), *args,
// keyword-only, **kwargs). Cells: cells[0..ncellvars) are created at frame entry
// (a parameter that is also a cell variable is copied in: cell2arg), then
// cells[ncellvars..+nfreevars) come from the function's closure tuple.
#pragma once
#include "compiler/opcodes.h"
#include "core/runtime.h"

namespace gp {

enum CodeFlags : uint32_t {
  CO_OPTIMIZED = 0x1,    // fast locals (function bodies)
  CO_NEWLOCALS = 0x2,
  CO_VARARGS = 0x4,
  CO_VARKEYWORDS = 0x8,
  CO_NESTED = 0x10,
  CO_GENERATOR = 0x20,
  CO_NOFREE = 0x40,
};

struct ExcTableEntry {
  int32_t start;    // first covered instruction
  int32_t end;      // one past the last covered instruction
  int32_t handler;  // instruction index of the handler
  int32_t depth;    // value-stack depth to restore before pushing the exception
};

struct Code : Object {
  Str* name;
  Str* qualname;
  Str* filename;
  int32_t argcount;         // positional, including positional-only
  int32_t posonlyargcount;
  int32_t kwonlyargcount;
  int32_t nlocals;          // len(varnames)
  int32_t stacksize;
  int32_t firstlineno;
  uint32_t flags;
  Tuple* varnames;
  Tuple* cellvars;
  Tuple* freevars;
  Tuple* names;             // attribute / global / import names (interned str)
  Tuple* consts;            // constants, nested code objects included
  int32_t* cell2arg;        // per cellvar: index of the argument it shadows, or -1 (null if none)
  uint32_t* instrs;         // instructions (gc_alloc_atomic)
  int32_t ninstrs;
  int32_t* lines;           // source line of each instruction
  ExcTableEntry* exc_table; // sorted innermost-first for equal starts (gc_alloc_atomic)
  int32_t nexc;
  Value docstring;          // first constant string of the body, or None
  void* cache;              // inline caches (vm-owned, may be null)
};

// Source text of a file, kept for tracebacks: the line `lineno` (1-based), stripped.
// [vm: traceback.cpp] Registered by the compiler front-end when it compiles a file.
void register_source(Str* filename, Str* source);
std::string source_line(Str* filename, int lineno);

}  // namespace gp
