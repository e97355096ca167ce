// traceback.cpp — traceback objects, frame snapshots, and the source-line registry.
//
// Invariants:
//  * Traceback entries are immutable once linked; each remembers the globals of its
//    frame so tb_frame can be rebuilt lazily (live frames die with their call).
//  * Frame objects (type "frame") are snapshots: code, globals, locals dict, line,
//    and the snapshot of the caller, taken when asked for; they never point at a
//    value-stack Frame.
//  * The source registry maps a filename to its lines under a mutex; files that were
//    not registered are read from disk once, on first use.
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "objects/dict.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/eval.h"
#include "vm/traceback.h"

namespace gp {

Type traceback_type, frame_type;

namespace {

struct TracebackEx : Traceback {
  Dict* globals;  // the frame's globals (for tb_frame)
};

struct FrameObject : Object {
  Code* code;
  Dict* globals;
  Value locals;   // dict or null
  Value back;     // FrameObject or None
  int lineno;
  int lasti;
};

std::mutex g_src_mu;
std::unordered_map<std::string, std::vector<std::string>>* g_sources = nullptr;

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      break;
    }
    out.emplace_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

// ---- source registry ---------------------------------------------------------------

void register_source(Str* filename, Str* source) {
  std::lock_guard<std::mutex> lk(g_src_mu);
  if (!g_sources) g_sources = new std::unordered_map<std::string, std::vector<std::string>>();
  (*g_sources)[std::string(filename->view())] = split_lines(source->view());
}

std::string source_line(Str* filename, int lineno) {
  std::string name(filename->view());
  std::lock_guard<std::mutex> lk(g_src_mu);
  if (!g_sources) g_sources = new std::unordered_map<std::string, std::vector<std::string>>();
  auto it = g_sources->find(name);
  if (it == g_sources->end()) {
    std::vector<std::string> lines;
    if (!name.empty() && name[0] != '<') {
      std::ifstream in(name, std::ios::binary);
      if (in) {
        std::stringstream ss;
        ss << in.rdbuf();
        lines = split_lines(ss.str());
      }
    }
    it = g_sources->emplace(name, std::move(lines)).first;
  }
  if (lineno < 1 || size_t(lineno) > it->second.size()) return std::string();
  std::string s = it->second[size_t(lineno - 1)];
  size_t b = s.find_first_not_of(" \t\f\r\n");
  if (b == std::string::npos) return std::string();
  size_t e = s.find_last_not_of(" \t\f\r\n");
  return s.substr(b, e - b + 1);
}

// ---- tracebacks ------------------------------------------------------------------

static int line_of(Code* co, int lasti) {
  if (!co) return 0;
  if (co->lines && lasti >= 0 && lasti < co->ninstrs) return co->lines[lasti];
  return co->firstlineno;
}

static Value tb_make(Value next, Code* code, int lasti, Dict* globals) {
  TracebackEx* tb = gc_new_obj<TracebackEx>(&traceback_type);
  tb->next = next.is_null() ? None() : next;
  tb->code = code;
  tb->lasti = lasti;
  tb->lineno = line_of(code, lasti);
  tb->globals = globals;
  return Value::from_obj(tb);
}

Value traceback_new(Value next, Code* code, int lasti) {
  ThreadState* ts = tstate();
  Dict* g = (ts && ts->frame && ts->frame->code == code) ? ts->frame->globals : nullptr;
  return tb_make(next, code, lasti, g);
}

void traceback_add(Value exc, Code* code, int lasti) {
  if (!is_exception(exc)) return;
  BaseException* e = exc.as<BaseException>();
  Value old = e->traceback;
  if (old.is_null()) old = None();
  e->traceback = traceback_new(old, code, lasti);
}

static Value tb_get_next(Value s) { return s.as<Traceback>()->next; }
static void tb_set_next(Value s, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "can't delete tb_next attribute");
  if (!is_none(v) && !is_type(v, &traceback_type))
    raise(&exc_TypeError, "expected traceback object or None, got '%s'", type_name_c(v));
  for (Value c = v; is_type(c, &traceback_type); c = c.as<Traceback>()->next)
    if (c == s) raise(&exc_ValueError, "traceback loop detected");
  s.as<Traceback>()->next = v;
}
static Value tb_get_lineno(Value s) { return Value::from_small(s.as<Traceback>()->lineno); }
static Value tb_get_lasti(Value s) { return Value::from_small(s.as<Traceback>()->lasti * 2); }
static Value tb_get_frame(Value s) {
  auto* tb = s.as<TracebackEx>();
  FrameObject* fo = gc_new_obj<FrameObject>(&frame_type);
  fo->code = tb->code;
  fo->globals = tb->globals ? tb->globals : dict_new();
  fo->locals = Value::null();
  fo->back = None();
  fo->lineno = tb->lineno;
  fo->lasti = tb->lasti;
  return Value::from_obj(fo);
}

static Value tb_tp_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 4) raise(&exc_TypeError, "traceback() takes exactly 4 arguments (%zu given)", nargs);
  Value next = args[0];
  if (!is_none(next) && !is_type(next, &traceback_type))
    raise(&exc_TypeError, "expected traceback object or None, got '%s'", type_name_c(next));
  if (!is_type(args[1], &frame_type))
    raise(&exc_TypeError, "TracebackType() argument 'tb_frame' must be frame, not %s",
          type_name_c(args[1]));
  FrameObject* fo = args[1].as<FrameObject>();
  Value tb = tb_make(next, fo->code, args[2].is_small() ? int(args[2].small() / 2) : 0, fo->globals);
  if (args[3].is_small()) tb.as<Traceback>()->lineno = int(args[3].small());
  return tb;
}

// ---- frames -------------------------------------------------------------------------

int Frame::lineno() const { return line_of(code, pc); }

Value frame_locals(Frame* f) {
  if (!f->locals.is_null()) return f->locals;
  Code* co = f->code;
  Dict* d = dict_new();
  Value* fast = f->fast();
  for (int32_t i = 0; i < co->nlocals; i++)
    if (!fast[i].is_null()) dict_set(d, (*co->varnames)[i], fast[i]);
  int64_t ncell = co->cellvars ? co->cellvars->size : 0;
  int64_t nfree = co->freevars ? co->freevars->size : 0;
  Value* cells = f->cells();
  for (int64_t i = 0; i < ncell + nfree; i++) {
    Value c = cells[i];
    if (c.is_null() || !is_type(c, &cell_type)) continue;
    Value name = i < ncell ? (*co->cellvars)[i] : (*co->freevars)[i - ncell];
    Value v = c.as<Cell>()->ref;
    if (!v.is_null()) dict_set(d, name, v);
    else dict_del(d, name);
  }
  return vdict(d);
}

void frame_super_args(Frame* f, Type** cls, Value* self) {
  if (!f) raise(&exc_RuntimeError, "super(): no current frame");
  Code* co = f->code;
  if (co->argcount == 0) raise(&exc_RuntimeError, "super(): no arguments");
  Value first = f->fast()[0];
  // the first argument may live in a cell (captured by an inner function)
  int64_t ncell = co->cellvars ? co->cellvars->size : 0;
  if (co->cell2arg) {
    for (int64_t i = 0; i < ncell; i++) {
      if (co->cell2arg[i] == 0) {
        Value c = f->cells()[i];
        if (is_type(c, &cell_type)) first = c.as<Cell>()->ref;
        break;
      }
    }
  }
  if (first.is_null()) raise(&exc_RuntimeError, "super(): arg[0] deleted");
  int64_t nfree = co->freevars ? co->freevars->size : 0;
  for (int64_t j = 0; j < nfree; j++) {
    Str* name = as_str((*co->freevars)[j]);
    if (name->view() == "__class__") {
      Value c = f->cells()[ncell + j];
      Value t = is_type(c, &cell_type) ? c.as<Cell>()->ref : Value::null();
      if (t.is_null()) raise(&exc_RuntimeError, "super(): empty __class__ cell");
      if (!is_typeobj(t))
        raise(&exc_RuntimeError, "super(): __class__ is not a type (%s)", type_name_c(t));
      *cls = t.as<Type>();
      *self = first;
      return;
    }
  }
  raise(&exc_RuntimeError, "super(): __class__ cell not found");
}

static Value snapshot(Frame* f, int depth) {
  FrameObject* fo = gc_new_obj<FrameObject>(&frame_type);
  fo->code = f->code;
  fo->globals = f->globals;
  fo->lineno = f->lineno();
  fo->lasti = f->pc;
  fo->locals = (!f->locals.is_null() || depth == 0) ? frame_locals(f) : Value::null();
  fo->back = (f->back && depth < 200) ? snapshot(f->back, depth + 1) : None();
  return Value::from_obj(fo);
}

Value frame_object(Frame* f) { return snapshot(f, 0); }

static FrameObject* fo_of(Value v) { return v.as<FrameObject>(); }
static Value fo_code(Value s) { return Value::from_obj(fo_of(s)->code); }
static Value fo_globals(Value s) { return vdict(fo_of(s)->globals); }
static Value fo_locals(Value s) {
  FrameObject* fo = fo_of(s);
  if (fo->locals.is_null()) fo->locals = vdict(dict_new());
  return fo->locals;
}
static Value fo_back(Value s) { return fo_of(s)->back; }
static Value fo_lineno(Value s) { return Value::from_small(fo_of(s)->lineno); }
static Value fo_lasti(Value s) { return Value::from_small(fo_of(s)->lasti * 2); }
static Value fo_builtins(Value s) { return vdict(builtins_for(fo_of(s)->globals)); }
static Value fo_trace(Value s) { return None(); }
static void fo_set_trace(Value s, Value v) {}
static Value fo_repr(Value v) {
  FrameObject* fo = fo_of(v);
  char buf[64];
  snprintf(buf, sizeof buf, "<frame at %p, file '", static_cast<void*>(fo));
  std::string s = buf;
  s += fo->code->filename->view();
  s += "', line " + std::to_string(fo->lineno) + ", code ";
  s += fo->code->name->view();
  s += ">";
  return vstr(str_new(s));
}

void init_traceback_type() {
  traceback_type.type = &type_type;
  traceback_type.name = "traceback";
  traceback_type.basic_size = sizeof(TracebackEx);
  traceback_type.tp_new = tb_tp_new;
  type_ready(&traceback_type);
  type_add_getset(&traceback_type, "tb_next", tb_get_next, tb_set_next);
  type_add_getset(&traceback_type, "tb_lineno", tb_get_lineno);
  type_add_getset(&traceback_type, "tb_lasti", tb_get_lasti);
  type_add_getset(&traceback_type, "tb_frame", tb_get_frame);

  frame_type.type = &type_type;
  frame_type.name = "frame";
  frame_type.basic_size = sizeof(FrameObject);
  frame_type.repr = fo_repr;
  type_ready(&frame_type);
  type_add_getset(&frame_type, "f_code", fo_code);
  type_add_getset(&frame_type, "f_globals", fo_globals);
  type_add_getset(&frame_type, "f_locals", fo_locals);
  type_add_getset(&frame_type, "f_back", fo_back);
  type_add_getset(&frame_type, "f_lineno", fo_lineno);
  type_add_getset(&frame_type, "f_lasti", fo_lasti);
  type_add_getset(&frame_type, "f_builtins", fo_builtins);
  type_add_getset(&frame_type, "f_trace", fo_trace, fo_set_trace);
}

}  // namespace gp
