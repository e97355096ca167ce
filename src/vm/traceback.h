// traceback.h — traceback objects (tb_next chains), as CPython's.
// Invariant: a Traceback is immutable once linked; the VM prepends one entry per
// frame the exception passes through (innermost last when walking tb_next).
#pragma once
#include "objects/code.h"

namespace gp {

struct Traceback : Object {
  Value next;     // Traceback or None (tb_next)
  Code* code;     // the frame's code (tb_frame.f_code)
  int lineno;     // tb_lineno
  int lasti;      // instruction index
};
extern Type traceback_type;

Value traceback_new(Value next, Code* code, int lasti);  // lineno from code->lines
// Prepend a traceback entry for (code, instruction) to exc.__traceback__.
void traceback_add(Value exc, Code* code, int lasti);

}  // namespace gp
