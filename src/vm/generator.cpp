// generator.cpp — generator objects: iteration, send, throw, close.
//
// Invariants:
//  * A generator owns a GC-heap Frame (vm/frame.h); frame == nullptr once it has
//    finished (returned, raised, or been closed), and it stays finished.
//  * `running` is true exactly while eval_frame executes the generator's frame; a
//    re-entrant resume raises ValueError "generator already executing". It is claimed
//    by an atomic exchange (acquire) and cleared by a release store, so under
//    --gil=none exactly one of two racing threads wins and the winner sees the frame
//    state the previous runner left. Under a lock policy only the holder runs, and
//    nothing between the test and the set can drop the lock, so a plain load and
//    store claim it (the locked exchange cost ~11% of generators.py).
//  * The thread's exc_info is swapped on resume/suspend: the generator sees its own
//    handled exception (exc_state) if it suspended inside an except block, and the
//    caller's otherwise; the caller's is restored on every exit.
//  * PEP 479: a StopIteration escaping the frame becomes RuntimeError("generator
//    raised StopIteration") with the original as __cause__.
#include <cstdio>
#include <string>

#include "core/args.h"
#include "core/objlock.h"
#include "objects/exceptions.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/eval.h"
#include "vm/traceback.h"

namespace gp {

Type generator_type;

Value gen_new(Frame* f, Function* fn) {
  Generator* g = gc_new_obj<Generator>(&generator_type);
  g->frame = f;
  g->code = f->code;
  g->name = fn ? fn->name : f->code->name;
  g->qualname = fn ? fn->qualname : f->code->qualname;
  g->exc_state = Value::null();
  g->running.store(false, std::memory_order_relaxed);
  g->started = false;
  f->gen = g;
  f->pc = 0;
  f->depth = 0;
  return Value::from_obj(g);
}

// True if the generator was already running (the caller raises); else it now is.
static inline bool claim_running(Generator* g) {
  if (free_threaded()) return g->running.exchange(true, std::memory_order_acquire);
  if (g->running.load(std::memory_order_relaxed)) return true;
  g->running.store(true, std::memory_order_relaxed);
  return false;
}

// Resume the frame. Returns 1 if it yielded, 0 if it finished, -1 if its frame raised
// (curexc set; nothing thrown). `adjust`: step past a YIELD_VALUE suspension point
// (false when the caller positioned pc itself). Misuse errors throw.
static int gen_resume_nt(Generator* g, Value arg, bool throwing, Value* out, bool adjust) {
  ThreadState* ts = tstate();
  if (claim_running(g)) {
    if (throwing) ts->curexc = Value::null();
    raise(&exc_ValueError, "generator already executing");
  }
  Frame* f = g->frame;
  if (!f) {
    g->running.store(false, std::memory_order_release);
    if (throwing) return -1;  // the exception (curexc) is raised as it is
    *out = None();
    return 0;
  }
  if (!throwing) {
    if (!g->started) {
      if (!is_none(arg)) {
        g->running.store(false, std::memory_order_release);
        raise(&exc_TypeError, "can't send non-None value to a just-started generator");
      }
    } else {
      // resume after the yield instruction; YIELD_FROM re-executes itself
      if (adjust && instr_op(f->code->instrs[f->pc]) == OP_YIELD_VALUE) f->pc++;
    }
    f->stack()[f->depth++] = arg;
  }
  g->started = true;
  Value saved_exc = ts->exc_info;
  if (!g->exc_state.is_null()) ts->exc_info = g->exc_state;
  Value r = eval_frame_nothrow(ts, f, throwing);
  if (r.is_null()) {
    g->frame = nullptr;
    g->exc_state = Value::null();
    g->running.store(false, std::memory_order_release);
    ts->exc_info = saved_exc;
    Value e = ts->curexc;
    if (!e.is_null() && exc_matches(e, Value::from_obj(&exc_StopIteration))) {
      ts->curexc = Value::null();
      Value rt = exc_new(&exc_RuntimeError, {vstr(str_intern("generator raised StopIteration"))});
      rt.as<BaseException>()->cause = e;
      rt.as<BaseException>()->context = e;
      rt.as<BaseException>()->suppress_context = true;
      ts->curexc = rt;
    }
    return -1;
  }
  if (f->yielded) {
    g->exc_state = (ts->exc_info != saved_exc) ? ts->exc_info : Value::null();
    g->running.store(false, std::memory_order_release);
    ts->exc_info = saved_exc;
    *out = r;
    return 1;
  }
  g->frame = nullptr;
  g->exc_state = Value::null();
  g->running.store(false, std::memory_order_release);
  ts->exc_info = saved_exc;
  *out = r;
  return 0;
}

static bool gen_resume(Generator* g, Value arg, bool throwing, Value* out, bool adjust) {
  int r = gen_resume_nt(g, arg, throwing, out, adjust);
  if (r < 0) throw PyThrow{};
  return r != 0;
}

bool gen_send_ex(Generator* g, Value arg, bool throwing, Value* out) {
  return gen_resume(g, arg, throwing, out, true);
}

int gen_send_nt(Generator* g, Value arg, Value* out) {
  return gen_resume_nt(g, arg, false, out, true);
}

// The delegate of a suspended `yield from` finished with `value`: continue after it.
static Value resume_after_yieldfrom(Generator* g, Value value) {
  Frame* f = g->frame;
  f->depth--;  // drop the delegate
  f->pc++;     // past YIELD_FROM
  Value res;
  if (gen_resume(g, value, false, &res, false)) return res;
  if (is_none(res)) throw_exc(Value::from_obj(&exc_StopIteration));
  raise_stop_iteration(res);
}

static Generator* gen_of(Value v) { return v.as<Generator>(); }

// The iterator a suspended `yield from` delegates to, or null.
static Value gen_yieldfrom(Generator* g) {
  Frame* f = g->frame;
  if (!f || !g->started || g->running.load(std::memory_order_relaxed) || f->depth == 0) return Value::null();
  if (instr_op(f->code->instrs[f->pc]) != OP_YIELD_FROM) return Value::null();
  return f->stack()[f->depth - 1];
}

static Value gen_iternext(Value self) {
  Value out;
  if (gen_send_ex(gen_of(self), None(), false, &out)) return out;
  return Value::null();
}

static Value gen_iter(Value self) { return self; }

static Value gen_send_result(Generator* g, Value arg) {
  Value out;
  if (gen_send_ex(g, arg, false, &out)) return out;
  if (is_none(out)) throw_exc(Value::from_obj(&exc_StopIteration));
  raise_stop_iteration(out);
}

static Value m_next(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("__next__", kwnames);
  check_nargs("__next__", nargs - 1, 0, 0);
  return gen_send_result(gen_of(args[0]), None());
}

static Value m_send(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("send", kwnames);
  if (nargs != 2) raise(&exc_TypeError, "generator.send() takes exactly one argument (%zu given)", nargs - 1);
  return gen_send_result(gen_of(args[0]), args[1]);
}

static Value gen_close_impl(Generator* g);

// Close a delegate iterator of `yield from` (generator: close(); else its close method).
static void close_iter(Value it) {
  if (is_type(it, &generator_type)) {
    gen_close_impl(gen_of(it));
    return;
  }
  Value m = getattr_opt(it, GP_STR("close"));
  if (current_exception()) take_exception();
  if (!m.is_null()) call(m, nullptr, 0, nullptr);
}

// Raise `exc` inside g at its suspension point (exc: an exception instance).
// With `delegate`, a suspended `yield from` passes the exception to its iterator first.
static Value gen_throw_value(Generator* g, Value exc, bool delegate) {
  Value yf = delegate ? gen_yieldfrom(g) : Value::null();
  if (!yf.is_null()) {
    bool is_genexit = exc_matches(exc, Value::from_obj(&exc_GeneratorExit));
    if (is_genexit) {
      if (claim_running(g))
        raise(&exc_ValueError, "generator already executing");
      try {
        close_iter(yf);
      } catch (PyThrow&) {
        g->running.store(false, std::memory_order_release);
        Value e = take_exception();
        return gen_throw_value(g, e, false);
      }
      g->running.store(false, std::memory_order_release);
    } else {
      Value r;
      bool have_r = false;
      if (claim_running(g))
        raise(&exc_ValueError, "generator already executing");
      try {
        if (is_type(yf, &generator_type)) {
          r = gen_throw_value(gen_of(yf), exc, true);
          have_r = true;
        } else {
          Value meth = getattr_opt(yf, GP_STR("throw"));
          if (current_exception()) take_exception();
          if (!meth.is_null()) {
            r = call(meth, {exc});
            have_r = true;
          }
        }
      } catch (PyThrow&) {
        g->running.store(false, std::memory_order_release);
        Value e = take_exception();
        if (exc_matches(e, Value::from_obj(&exc_StopIteration))) {
          if (!g->frame) rethrow(e);
          return resume_after_yieldfrom(g, stop_iteration_value(e));
        }
        return gen_throw_value(g, e, false);
      }
      g->running.store(false, std::memory_order_release);
      if (have_r) return r;
    }
  }
  tstate()->curexc = exc;
  Value out;
  if (gen_send_ex(g, None(), true, &out)) return out;
  if (is_none(out)) throw_exc(Value::from_obj(&exc_StopIteration));
  raise_stop_iteration(out);
}

// Normalise throw(typ[, val[, tb]]) into an exception instance.
static Value make_throw_exc(Value typ, Value val, Value tb) {
  if (!tb.is_null() && !is_none(tb) && !is_type(tb, &traceback_type))
    raise(&exc_TypeError, "throw() third argument must be a traceback object");
  Value exc;
  if (is_typeobj(typ) && (typ.as<Type>()->flags & TF_EXC_SUBCLASS)) {
    if (!val.is_null() && is_exception(val) && isinstance(val, typ.as<Type>())) {
      exc = val;
    } else if (val.is_null() || is_none(val)) {
      exc = call(typ, nullptr, 0, nullptr);
    } else if (is_tuple(val)) {
      exc = call(typ, val.as<Tuple>()->items(), size_t(val.as<Tuple>()->size), nullptr);
    } else {
      exc = call(typ, &val, 1, nullptr);
    }
  } else if (is_exception(typ)) {
    if (!val.is_null() && !is_none(val))
      raise(&exc_TypeError, "instance exception may not have a separate value");
    exc = typ;
  } else {
    raise(&exc_TypeError,
          "exceptions must be classes or instances deriving from BaseException, not %s",
          type_name_c(typ));
  }
  if (!tb.is_null() && !is_none(tb)) exc.as<BaseException>()->traceback = tb;
  return exc;
}

static Value m_throw(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("throw", kwnames);
  if (nargs < 2 || nargs > 4)
    raise(&exc_TypeError, "throw expected at least 1 argument, got %zu", nargs - 1);
  Value exc = make_throw_exc(args[1], nargs > 2 ? args[2] : Value::null(),
                             nargs > 3 ? args[3] : Value::null());
  return gen_throw_value(gen_of(args[0]), exc, true);
}

static Value gen_close_impl(Generator* g) {
  if (!g->frame) return None();
  if (!g->started) {
    g->frame = nullptr;
    return None();
  }
  if (g->running.load(std::memory_order_relaxed))
    raise(&exc_ValueError, "generator already executing");
  Value exc = exc_new(&exc_GeneratorExit, {});
  try {
    gen_throw_value(g, exc, true);
  } catch (PyThrow&) {
    Value e = take_exception();
    if (exc_matches(e, Value::from_obj(&exc_GeneratorExit)) ||
        exc_matches(e, Value::from_obj(&exc_StopIteration)))
      return None();
    rethrow(e);
  }
  if (g->frame) raise(&exc_RuntimeError, "generator ignored GeneratorExit");
  return None();
}

static Value m_close(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("close", kwnames);
  check_nargs("close", nargs - 1, 0, 0);
  return gen_close_impl(gen_of(args[0]));
}

static Value gen_repr(Value v) {
  char buf[64];
  snprintf(buf, sizeof buf, " at %p>", static_cast<void*>(v.obj()));
  std::string s = "<generator object ";
  s += gen_of(v)->qualname->view();
  s += buf;
  return vstr(str_new(s));
}

static Value g_name(Value s) { return vstr(gen_of(s)->name); }
static void g_set_name(Value s, Value v) {
  if (v.is_null() || !is_str(v)) raise(&exc_TypeError, "__name__ must be set to a string object");
  gen_of(s)->name = as_str(v);
}
static Value g_qualname(Value s) { return vstr(gen_of(s)->qualname); }
static void g_set_qualname(Value s, Value v) {
  if (v.is_null() || !is_str(v))
    raise(&exc_TypeError, "__qualname__ must be set to a string object");
  gen_of(s)->qualname = as_str(v);
}
static Value g_running(Value s) { return Bool(gen_of(s)->running.load(std::memory_order_relaxed)); }
static Value g_code(Value s) { return Value::from_obj(gen_of(s)->code); }
static Value g_frame(Value s) {
  Generator* g = gen_of(s);
  return g->frame ? frame_object(g->frame) : None();
}
static Value g_yieldfrom(Value s) {
  Value v = gen_yieldfrom(gen_of(s));
  return v.is_null() ? None() : v;
}
static Value g_suspended(Value s) {
  Generator* g = gen_of(s);
  return Bool(g->frame && g->started && !g->running.load(std::memory_order_relaxed));
}

void init_generator_type() {
  generator_type.type = &type_type;
  generator_type.name = "generator";
  generator_type.basic_size = sizeof(Generator);
  generator_type.iter = gen_iter;
  generator_type.iternext = gen_iternext;
  generator_type.repr = gen_repr;
  type_ready(&generator_type);
  type_add_method(&generator_type, "__next__", m_next);
  type_add_method(&generator_type, "send", m_send);
  type_add_method(&generator_type, "throw", m_throw);
  type_add_method(&generator_type, "close", m_close);
  type_add_getset(&generator_type, "__name__", g_name, g_set_name);
  type_add_getset(&generator_type, "__qualname__", g_qualname, g_set_qualname);
  type_add_getset(&generator_type, "gi_running", g_running);
  type_add_getset(&generator_type, "gi_code", g_code);
  type_add_getset(&generator_type, "gi_frame", g_frame);
  type_add_getset(&generator_type, "gi_yieldfrom", g_yieldfrom);
  type_add_getset(&generator_type, "gi_suspended", g_suspended);
}

}  // namespace gp
