// eval.h — the bytecode interpreter's entry points and the VM services other parts use.
//
// Invariants:
//  * eval_frame runs one frame to its return (or, for generator frames, to its next
//    yield) on the calling C++ thread; errors leave as PyThrow with curexc set and a
//    traceback entry for the frame added. eval_frame_nothrow is the same except that
//    an error returns null (curexc set, traceback entry added) instead of throwing;
//    the eval loop's own Python-to-Python calls and generator resumption use it, so an
//    exception crossing Python frames costs no C++ throw until it reaches C++ code.
//    Return and yield values are never null, so null means "raised" unambiguously.
//  * Every Python-level call passes through enter_call()/leave_call() (directly or via
//    eval_frame), so ThreadState::recursion_depth bounds both the Python recursion and
//    the C++ stack it consumes.
#pragma once
#include <string>

#include "vm/frame.h"

namespace gp {

// Run `f` from f->pc with f->depth values on its stack. With `throwing`, curexc holds
// an exception to raise at f->pc (generator.throw()).
Value eval_frame(ThreadState* ts, Frame* f, bool throwing = false);
// As eval_frame, but an exception propagating out returns null with curexc set.
Value eval_frame_nothrow(ThreadState* ts, Frame* f, bool throwing = false);

// Run a code object with an explicit locals mapping (exec(), class bodies, modules).
// `closure` supplies the free variables (class bodies inside functions); may be null.
Value run_code_locals(Code* code, Dict* globals, Value locals, Tuple* closure);

// The builtins dict that code running in `globals` sees (globals['__builtins__'],
// a module or a dict, else the builtins module's dict). Inserts '__builtins__' into
// globals when it is missing, as exec() does.
Dict* builtins_for(Dict* globals);

// builtins.__build_class__ [vm/build_class.cpp]
Value builtin_build_class(const Value* args, size_t nargs, Tuple* kwnames);

// [builtins/main owner] Run Python-level signal handlers; raises KeyboardInterrupt for
// SIGINT with the default handler. Called by the eval loop on EB_SIGNALS_PENDING.
void run_pending_signals();

// Recursion guard for native code that recurses through Python protocols
// (repr, ==, hash of containers...): RecursionError "maximum recursion depth
// exceeded<where>" when too deep.
void recursion_enter(ThreadState* ts, const char* where);
inline void recursion_leave(ThreadState* ts) { ts->recursion_depth--; }
struct RecursionGuard {
  ThreadState* ts;
  explicit RecursionGuard(const char* where = "") : ts(tstate()) { recursion_enter(ts, where); }
  ~RecursionGuard() { recursion_leave(ts); }
  RecursionGuard(const RecursionGuard&) = delete;
  RecursionGuard& operator=(const RecursionGuard&) = delete;
};

// Check-point budget (the fuzz harnesses, tests/fuzz): after `n` more eval-breaker
// check points (calls and backward jumps) on this thread, every further check point
// raises KeyboardInterrupt("check-point budget exhausted"), so no loop or recursion
// survives, even one that catches it. n < 0 disarms. The bit stays set while armed, so
// the fast path costs nothing when no budget is set.
void set_check_budget(ThreadState* ts, int64_t n);

// Implicit exception chaining: set exc.__context__ to `handled` (the exception being
// handled) as CPython does at raise time, breaking cycles.
void chain_context(Value exc, Value handled);

// Value-stack frame allocation (frames of ordinary calls). Pops in LIFO order.
Frame* frame_push(VMThreadState* ts, Code* co, FrameMark* mark);
inline void frame_pop(VMThreadState* ts, const FrameMark& m) {
  ts->vs_top = m.top;
  ts->vs_limit = m.limit;
  ts->vs_chunk = m.chunk;
}
// Fill in a frame's header fields and its cells (cell2arg copies, closure cells).
// The fast locals must already be bound.
void frame_init_cells(Frame* f, Tuple* closure);
// Bind call arguments into f's fast locals with CPython's checks and messages.
void bind_arguments(Function* fn, Value* fast, const Value* args, size_t nargs, Tuple* kwnames);

// sys.displayhook-style printing for PRINT_EXPR (interactive mode).
void print_expr_value(Value v);

}  // namespace gp

namespace gp {

// Generator objects [vm/generator.cpp]. The frame is GC-allocated and owned here.
struct Generator : Object {
  Frame* frame;        // null once the generator has finished
  Code* code;
  Str* name;
  Str* qualname;
  Value exc_state;     // exception being handled inside the generator while suspended
  // gi_running. Claimed with an atomic test-and-set (exchange) by whoever resumes the
  // generator, so two threads resuming one generator under --gil=none cannot both run
  // its frame: the loser gets ValueError "generator already executing".
  std::atomic<bool> running;
  bool started;
};
extern Type generator_type;
Value gen_new(Frame* f, Function* fn);
// Resume g with `arg` (or, when `throwing`, with curexc raised at the suspension
// point). Returns true with *out = the yielded value, or false with *out = the
// returned value once the generator finishes; exceptions propagate (PEP 479 applied).
bool gen_send_ex(Generator* g, Value arg, bool throwing, Value* out);
// gen_send_ex(g, arg, false, out) for the eval loop: 1 yielded, 0 finished, -1 the
// generator's frame raised (curexc set, PEP 479 applied) — no C++ throw for that case.
// Misuse errors (already executing, send to a just-started generator) still throw.
int gen_send_nt(Generator* g, Value arg, Value* out);
// C++ exceptions other than PyThrow/bad_alloc/length_error that reached the eval loop
// (a native bug, raised to Python as SystemError "internal error: ..."). The fuzz
// harness treats a non-zero count as a crash.
extern std::atomic<uint64_t> g_internal_errors;

// Call a Python function (argument binding, frame on the value stack or a generator).
Value call_python(VMThreadState* ts, Function* fn, const Value* args, size_t nargs,
                  Tuple* kwnames);
// True while `name` is being executed by the import system (circular-import messages).
bool module_initializing(const std::string& name);
// "__main__.f()" as CPython's _PyObject_FunctionStr writes callables in messages.
std::string function_str(Value f);

}  // namespace gp
