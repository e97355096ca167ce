// frame.h — execution frames, the per-thread value stack, and VM-private thread state.
//
// Invariants:
//  * A Frame is a fixed header followed by `code->nlocals` fast locals, then
//    `ncells` cell slots (cellvars then freevars, each holding a Cell), then
//    `code->stacksize` value-stack slots. fast() / cells() / stack() address them.
//  * Frames of ordinary calls are carved from the thread's value stack (GC-scanned
//    uncollectable chunks owned by VMThreadState) and die when the call returns;
//    nothing may keep a pointer to such a Frame after that. Generator frames are GC
//    objects that live as long as their generator.
//  * `back` is valid only while the frame runs; ThreadState::frame is the innermost.
//  * `pc` is the index of the instruction being executed; the VM stores it before
//    every call out of the loop, so walkers (tracebacks, sys._getframe) see the
//    right line. A suspended generator frame keeps pc at its yield instruction.
#pragma once
#include <mutex>

#include "core/threadstate.h"
#include "objects/function.h"
#include "objects/tuple.h"

namespace gp {

struct Generator;
struct TypeCacheEntry;  // eval.cpp
struct VChunk;

// Where the per-thread value stack stood before a frame was carved from it (frame_push);
// frame_pop restores it. Frames pop in LIFO order.
struct FrameMark {
  Value* top;
  Value* limit;
  VChunk* chunk;
};

struct Frame {
  Code* code;
  Function* func;      // the running function, or nullptr (module / class body / exec)
  Dict* globals;
  Dict* builtins;
  Value locals;        // mapping for LOAD_NAME/STORE_NAME (module, class body, exec); else null
  Frame* back;         // the caller while running
  Generator* gen;      // owning generator, or nullptr
  int32_t pc;          // current instruction index (see header comment)
  int32_t depth;       // value-stack depth while suspended
  int32_t ncells;      // cellvars + freevars
  uint8_t yielded;     // set by YIELD_VALUE / YIELD_FROM when the frame suspends
  uint8_t on_heap;     // generator frame (GC heap) rather than value-stack frame
  uint8_t inlined;     // entered by the loop itself (no C++ activation of its own): its
                       // return or unwinding resumes `back` in the same activation
  FrameMark mark;      // inlined frames: the value stack before this frame, popped on exit

  Value* fast() { return reinterpret_cast<Value*>(this + 1); }
  Value* cells() { return fast() + code->nlocals; }
  Value* stack() { return fast() + code->nlocals + ncells; }
  int lineno() const;
};
static_assert(sizeof(Frame) % sizeof(Value) == 0, "frame header is a whole number of slots");

inline int32_t code_ncells(const Code* co) {
  return int32_t((co->cellvars ? co->cellvars->size : 0) + (co->freevars ? co->freevars->size : 0));
}
inline size_t frame_slots(const Code* co) {
  return sizeof(Frame) / sizeof(Value) + size_t(co->nlocals + code_ncells(co) + co->stacksize);
}

// A chunk of the per-thread value stack.
struct VChunk {
  VChunk* prev;
  VChunk* next;
  Value* limit;
  Value* data() { return reinterpret_cast<Value*>(this + 1); }
};

// What the VM keeps per thread besides the shared ThreadState fields. tstate_new()
// allocates this derived record; every ThreadState is a VMThreadState.
struct VMThreadState : ThreadState {
  Value* vs_top = nullptr;     // first free slot of the value stack
  Value* vs_limit = nullptr;   // end of the current chunk
  VChunk* vs_chunk = nullptr;  // current chunk
  // The first chunk, kept while no frame is active (vs_chunk null between top-level calls
  // from C++: thread start, embedding API calls), so each such call reuses it instead of
  // allocating (and losing) a fresh one.
  VChunk* vs_base = nullptr;
  char* c_stack_limit = nullptr;  // lowest safe C++ stack address (RecursionError below it)
  // Second-level attribute cache (eval.cpp): a direct-mapped table keyed by (type,
  // version, name), read and written only by this thread. Allocated on first use
  // (GC-scanned, uncollectable); freed by tstate_delete.
  TypeCacheEntry* type_cache = nullptr;
};
inline VMThreadState* vmts(ThreadState* ts) { return static_cast<VMThreadState*>(ts); }

// The thread list (for sys._current_frames, threading): walk under threads_mutex().
std::mutex& threads_mutex();
ThreadState* threads_head();

// The current recursion limit, read on every Python call.
namespace detail { extern std::atomic<int> g_recursion_limit; }

// Locals of a frame as a dict (locals(), f_locals): the locals mapping for module and
// class frames; a fresh snapshot of fast locals and cells for function frames.
Value frame_locals(Frame* f);
// Zero-argument super(): the class from the __class__ cell and the first argument.
// Raises RuntimeError with CPython's messages when they cannot be found.
void frame_super_args(Frame* f, Type** cls, Value* self);
// A Python-visible snapshot of a frame (f_code, f_globals, f_locals, f_lineno,
// f_lasti, f_back). Used by sys._getframe and tracebacks' tb_frame.
Value frame_object(Frame* f);
extern Type frame_type;

}  // namespace gp
