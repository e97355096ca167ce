// super.h — what the type system needs from the running frame [typesystem asks, vm provides].
//
// Invariants: both hooks are declared weak, so the type system links (and degrades to
// CPython's error messages / '__main__' defaults) before the VM defines them.
#pragma once
#include "core/runtime.h"

namespace gp {

// Zero-argument super(): the innermost Python frame's first argument (after cell
// conversion) and the class in its `__class__` cell. Returns 0 on success, else:
//   1  no current Python frame            -> RuntimeError "super(): no current frame"
//   2  the code takes no arguments        -> RuntimeError "super(): no arguments"
//   3  first argument deleted (null)      -> RuntimeError "super(): arg[0] deleted"
//   4  no __class__ free variable         -> RuntimeError "super(): __class__ cell not found"
//   5  the __class__ cell is empty        -> RuntimeError "super(): empty __class__ cell"
// [vm: defines it next to the Frame layout]
int current_frame_super_args(Type** cls, Value* self) __attribute__((weak));

// The globals dict of the innermost running Python frame (nullptr if none): gives
// type(name, bases, ns) its default __module__. [vm]
Dict* current_frame_globals() __attribute__((weak));

}  // namespace gp
