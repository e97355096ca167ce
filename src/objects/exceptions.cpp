// exceptions.cpp — the builtin exception hierarchy, raising helpers and the
// traceback printer.
//
// Invariants:
//  * Every instance of every exception class (user subclasses too) has the
//    BaseException layout of core/error.h; tp_new allocates type->basic_size bytes.
//  * args is always a tuple; traceback/cause/context are None or a valid object
//    (null in `extra` reads as None).
//  * extra[] use per family: StopIteration [0]=value; SystemExit [0]=code;
//    OSError [0]=errno [1]=strerror [2]=filename [3]=filename2; SyntaxError [0]=msg
//    [1]=filename [2]=lineno [3]=private tuple (offset, text, end_lineno, end_offset,
//    print_file_and_line); ImportError [0]=msg [1]=name [2]=path; AttributeError
//    [0]=name [1]=obj; NameError [0]=name. UnicodeError attributes read args.
//  * The exception in flight lives in tstate()->curexc until take_exception().
#include "objects/exceptions.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <unistd.h>

#include "core/args.h"
#include "core/inits.h"
#include "core/threadstate.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/bytes.h"
#include "objects/code.h"
#include "objects/dict.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/traceback.h"

namespace gp {

#define GP_DEFINE_EXC(name, base) Type exc_##name;
GP_EXCEPTION_TYPES(GP_DEFINE_EXC)
#undef GP_DEFINE_EXC

namespace {

using BE = BaseException;
inline BE* be(Value v) { return v.as<BE>(); }
inline Value orNone(Value v) { return v.is_null() ? None() : v; }

Value g_memory_error;  // preallocated: raising MemoryError must not allocate

bool type_is_sub(Type* t, Type* base) {
  for (Type* p = t; p; p = p->base)
    if (p == base) return true;
  return issubclass(t, base);
}

// ---- construction ---------------------------------------------------------------

BE* alloc_exc(Type* t) {
  int64_t sz = t->basic_size > int64_t(sizeof(BE)) ? t->basic_size : int64_t(sizeof(BE));
  BE* e = gc_new_obj<BE>(t, size_t(sz));
  e->args = tuple_empty();
  e->traceback = None();
  e->cause = None();
  e->context = None();
  e->suppress_context = false;
  return e;
}

Value base_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  BE* e = alloc_exc(t);
  e->args = nargs ? tuple_from(args, int64_t(nargs)) : tuple_empty();
  return Value::from_obj(e);
}

void no_kwargs(Value self, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0)
    raise(&exc_TypeError, "%s() takes no keyword arguments", type_of(self)->name);
}

void set_args(Value self, const Value* args, size_t nargs) {
  be(self)->args = nargs ? tuple_from(args, int64_t(nargs)) : tuple_empty();
}

void base_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  no_kwargs(self, kwnames);
  set_args(self, args, nargs);
}

// ---- str / repr -----------------------------------------------------------------

Value base_str(Value self) {
  Tuple* a = be(self)->args;
  if (a->size == 0) return vstr(str_new(""));
  if (a->size == 1) return vstr(str((*a)[0]));
  return vstr(repr(vtuple(a)));
}

Value base_repr(Value self) {
  Tuple* a = be(self)->args;
  std::string s = type_of(self)->name;
  if (a->size == 1) {
    s += "(";
    s += repr((*a)[0])->view();
    s += ")";
  } else if (a->size == 0) {
    s += "()";
  } else {
    s += repr(vtuple(a))->view();
  }
  return vstr(str_new(s));
}

// ---- BaseException attributes ---------------------------------------------------

Value get_args(Value self) { return vtuple(be(self)->args); }
void set_args_attr(Value self, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "args may not be deleted");
  be(self)->args = tuple_from_iterable(v);
}
Value get_tb(Value self) { return orNone(be(self)->traceback); }
void set_tb(Value self, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "__traceback__ may not be deleted");
  if (!is_none(v) && !is_type(v, &traceback_type))
    raise(&exc_TypeError, "__traceback__ must be a traceback or None");
  be(self)->traceback = v;
}
Value get_cause(Value self) { return orNone(be(self)->cause); }
void set_cause(Value self, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "__cause__ may not be deleted");
  if (!is_none(v) && !is_exception(v))
    raise(&exc_TypeError, "exception cause must be None or derive from BaseException");
  be(self)->cause = v;
  be(self)->suppress_context = true;
}
Value get_context(Value self) { return orNone(be(self)->context); }
void set_context(Value self, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "__context__ may not be deleted");
  if (!is_none(v) && !is_exception(v))
    raise(&exc_TypeError, "exception context must be None or derive from BaseException");
  be(self)->context = v;
}
Value get_suppress(Value self) { return Bool(be(self)->suppress_context); }
void set_suppress(Value self, Value v) {
  if (v.is_null()) raise(&exc_TypeError, "__suppress_context__ may not be deleted");
  be(self)->suppress_context = truthy(v);
}

Value m_with_traceback(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("with_traceback", kwnames);
  check_nargs("with_traceback", nargs - 1, 1, 1);
  set_tb(args[0], args[1]);
  return args[0];
}

Value m_add_note(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("add_note", kwnames);
  check_nargs("add_note", nargs - 1, 1, 1);
  Value note = args[1];
  if (!is_str(note))
    raise(&exc_TypeError, "note must be a str, not '%s'", type_name_c(note));
  Dict* d = instance_dict(args[0], true);
  Value notes = dict_get_str(d, GP_STR("__notes__"));
  if (notes.is_null()) {
    List* l = list_new(0);
    dict_set_str(d, GP_STR("__notes__"), vlist(l));
    notes = vlist(l);
  } else if (!is_list(notes)) {
    raise(&exc_TypeError, "Cannot add note: __notes__ is not a list");
  }
  list_append(notes.as<List>(), note);
  return None();
}

Value m_reduce(const Value* args, size_t nargs, Tuple* kwnames) {
  Value self = args[0];
  Value t = Value::from_obj(type_of(self));
  Dict* d = be(self)->dict;
  if (d && dict_size(d) > 0) return vtuple(tuple_of({t, vtuple(be(self)->args), vdict(d)}));
  return vtuple(tuple_of({t, vtuple(be(self)->args)}));
}

// ---- StopIteration / SystemExit --------------------------------------------------

void stopiter_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  base_init(self, args, nargs, kwnames);
  be(self)->extra[0] = nargs ? args[0] : None();
}
Value get_value(Value self) { return orNone(be(self)->extra[0]); }
void set_value(Value self, Value v) { be(self)->extra[0] = orNone(v); }

void sysexit_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  base_init(self, args, nargs, kwnames);
  be(self)->extra[0] = nargs == 0 ? None() : nargs == 1 ? args[0] : vtuple(be(self)->args);
}
Value get_code(Value self) { return orNone(be(self)->extra[0]); }
void set_code(Value self, Value v) { be(self)->extra[0] = orNone(v); }

// ---- KeyError ---------------------------------------------------------------------

Value keyerror_str(Value self) {
  Tuple* a = be(self)->args;
  if (a->size == 1) return vstr(repr((*a)[0]));
  return base_str(self);
}

// ---- ImportError / AttributeError / NameError -------------------------------------

void kw_split(const char* fname, Value self, const Value* args, size_t nargs, Tuple* kwnames,
              const char* const* allowed, Value* out, int nallowed) {
  for (int i = 0; i < nallowed; i++) out[i] = Value::null();
  if (!kwnames) return;
  for (int64_t k = 0; k < kwnames->size; k++) {
    Str* kn = as_str((*kwnames)[k]);
    int found = -1;
    for (int i = 0; i < nallowed; i++)
      if (kn->view() == allowed[i]) found = i;
    if (found < 0)
      raise(&exc_TypeError, "'%s' is an invalid keyword argument for %s()", kn->data(), fname);
    out[found] = args[nargs + k];
  }
}

void importerror_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"name", "path"};
  Value kv[2];
  kw_split(type_of(self)->name, self, args, nargs, kwnames, kw, kv, 2);
  set_args(self, args, nargs);
  be(self)->extra[0] = nargs == 1 ? args[0] : None();
  be(self)->extra[1] = orNone(kv[0]);
  be(self)->extra[2] = orNone(kv[1]);
}
Value importerror_str(Value self) {
  Value msg = be(self)->extra[0];
  if (!msg.is_null() && !is_none(msg)) return vstr(str(msg));
  return base_str(self);
}
Value get_extra0(Value self) { return orNone(be(self)->extra[0]); }
void set_extra0(Value self, Value v) { be(self)->extra[0] = orNone(v); }
Value get_extra1(Value self) { return orNone(be(self)->extra[1]); }
void set_extra1(Value self, Value v) { be(self)->extra[1] = orNone(v); }
Value get_extra2(Value self) { return orNone(be(self)->extra[2]); }
void set_extra2(Value self, Value v) { be(self)->extra[2] = orNone(v); }
Value get_extra3(Value self) { return orNone(be(self)->extra[3]); }
void set_extra3(Value self, Value v) { be(self)->extra[3] = orNone(v); }

void attributeerror_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"name", "obj"};
  Value kv[2];
  kw_split(type_of(self)->name, self, args, nargs, kwnames, kw, kv, 2);
  set_args(self, args, nargs);
  be(self)->extra[0] = orNone(kv[0]);
  be(self)->extra[1] = orNone(kv[1]);
}
void nameerror_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"name"};
  Value kv[1];
  kw_split(type_of(self)->name, self, args, nargs, kwnames, kw, kv, 1);
  set_args(self, args, nargs);
  be(self)->extra[0] = orNone(kv[0]);
}

// ---- OSError -----------------------------------------------------------------------

Type* errno_subclass(Value errnum) {
  if (!errnum.is_small()) return nullptr;
  switch (errnum.small()) {
    case EAGAIN: case EALREADY: case EINPROGRESS: return &exc_BlockingIOError;
    case ECHILD: return &exc_ChildProcessError;
    case EPIPE: case ESHUTDOWN: return &exc_BrokenPipeError;
    case ECONNABORTED: return &exc_ConnectionAbortedError;
    case ECONNREFUSED: return &exc_ConnectionRefusedError;
    case ECONNRESET: return &exc_ConnectionResetError;
    case EEXIST: return &exc_FileExistsError;
    case ENOENT: return &exc_FileNotFoundError;
    case EISDIR: return &exc_IsADirectoryError;
    case ENOTDIR: return &exc_NotADirectoryError;
    case EINTR: return &exc_InterruptedError;
    case EACCES: case EPERM: return &exc_PermissionError;
    case ESRCH: return &exc_ProcessLookupError;
    case ETIMEDOUT: return &exc_TimeoutError;
    default: return nullptr;
  }
}

void oserror_parse(Value self, const Value* args, size_t nargs) {
  BE* e = be(self);
  for (int i = 0; i < 4; i++) e->extra[i] = None();
  if (nargs >= 2 && nargs <= 5) {
    e->extra[0] = args[0];
    e->extra[1] = args[1];
    if (nargs >= 3) {
      e->extra[2] = args[2];
      if (nargs == 5) e->extra[3] = args[4];
      e->args = tuple_from(args, 2);  // CPython keeps (errno, strerror) only
    }
  }
}

Value oserror_new_slot(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  if (t == &exc_OSError && nargs >= 2) {
    if (Type* sub = errno_subclass(args[0])) t = sub;
  }
  Value self = base_new(t, args, nargs, kwnames);
  oserror_parse(self, args, nargs);
  return self;
}

void oserror_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  no_kwargs(self, kwnames);
  set_args(self, args, nargs);
  oserror_parse(self, args, nargs);
}

Value oserror_str(Value self) {
  BE* e = be(self);
  Value en = orNone(e->extra[0]), se = orNone(e->extra[1]);
  Value f1 = orNone(e->extra[2]), f2 = orNone(e->extra[3]);
  if (!is_none(f1)) {
    std::string s = "[Errno ";
    s += str(en)->view();
    s += "] ";
    s += str(se)->view();
    s += ": ";
    s += repr(f1)->view();
    if (!is_none(f2)) {
      s += " -> ";
      s += repr(f2)->view();
    }
    return vstr(str_new(s));
  }
  if (!is_none(en) && !is_none(se)) {
    std::string s = "[Errno ";
    s += str(en)->view();
    s += "] ";
    s += str(se)->view();
    return vstr(str_new(s));
  }
  return base_str(self);
}

// ---- SyntaxError ----------------------------------------------------------------------

Tuple* syn_info(Value self) {
  BE* e = be(self);
  if (e->extra[3].is_null() || !is_tuple(e->extra[3])) {
    Tuple* t = tuple_new(5);
    for (int i = 0; i < 5; i++) (*t)[i] = None();
    e->extra[3] = vtuple(t);
  }
  return e->extra[3].as<Tuple>();
}

void syntaxerror_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  no_kwargs(self, kwnames);
  set_args(self, args, nargs);
  BE* e = be(self);
  e->extra[0] = nargs >= 1 ? args[0] : None();
  e->extra[1] = None();
  e->extra[2] = None();
  e->extra[3] = Value::null();
  Tuple* info = syn_info(self);
  if (nargs == 2) {
    Value t = args[1];
    int64_t n = is_tuple(t) ? t.as<Tuple>()->size : 1;
    if (n < 4) raise(&exc_TypeError, "function takes at least 4 arguments (%lld given)", (long long)n);
    if (n > 6) raise(&exc_TypeError, "function takes at most 6 arguments (%lld given)", (long long)n);
    Tuple* tt = t.as<Tuple>();
    e->extra[1] = (*tt)[0];
    e->extra[2] = (*tt)[1];
    (*info)[0] = (*tt)[2];
    (*info)[1] = (*tt)[3];
    if (n >= 5) (*info)[2] = (*tt)[4];
    if (n >= 6) (*info)[3] = (*tt)[5];
  } else if (nargs > 2) {
    // CPython ignores extra arguments beyond (msg, info) in this case
  }
}

Value syntaxerror_str(Value self) {
  BE* e = be(self);
  Value msg = orNone(e->extra[0]);
  Value fn = orNone(e->extra[1]);
  Value ln = orNone(e->extra[2]);
  std::string out(str(msg)->view());
  bool have_fn = is_str(fn);
  bool have_ln = is_int(ln) && !is_type(ln, &bool_type);
  if (!have_fn && !have_ln) return vstr(str(msg));
  std::string base;
  if (have_fn) {
    std::string_view f = as_str(fn)->view();
    size_t p = f.rfind('/');
    base = std::string(p == std::string_view::npos ? f : f.substr(p + 1));
  }
  if (have_fn && have_ln) {
    out += " (" + base + ", line " + std::string(int_repr(ln)->view()) + ")";
  } else if (have_fn) {
    out += " (" + base + ")";
  } else {
    out += " (line " + std::string(int_repr(ln)->view()) + ")";
  }
  return vstr(str_new(out));
}

template <int I>
Value get_syn(Value self) { return (*syn_info(self))[I]; }
template <int I>
void set_syn(Value self, Value v) { (*syn_info(self))[I] = orNone(v); }

// ---- UnicodeError family ----------------------------------------------------------

template <int I>
Value get_uarg(Value self) {
  Tuple* a = be(self)->args;
  return I < a->size ? (*a)[I] : None();
}

void unicode_init(Value self, const Value* args, size_t nargs, Tuple* kwnames, bool decode) {
  no_kwargs(self, kwnames);
  if (nargs != 5) {
    raise(&exc_TypeError, "function takes exactly 5 arguments (%zu given)", nargs);
  }
  if (!is_str(args[0]))
    raise(&exc_TypeError, "argument 1 must be str, not %s", type_name_c(args[0]));
  if (decode) {
    std::string_view sv;
    if (!bytes_like_view(args[1], &sv))
      raise(&exc_TypeError, "argument 2 must be bytes-like object, not '%s'", type_name_c(args[1]));
  } else if (!is_str(args[1])) {
    raise(&exc_TypeError, "argument 2 must be str, not %s", type_name_c(args[1]));
  }
  set_args(self, args, nargs);
}
void udecode_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  unicode_init(self, args, nargs, kwnames, true);
}
void uencode_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  unicode_init(self, args, nargs, kwnames, false);
}

Value udecode_str(Value self) {
  Tuple* a = be(self)->args;
  if (a->size != 5) return base_str(self);
  std::string_view obj;
  bytes_like_view((*a)[1], &obj);
  int64_t start = is_int((*a)[2]) ? as_index((*a)[2]) : 0;
  int64_t end = is_int((*a)[3]) ? as_index((*a)[3]) : 0;
  std::string enc(str((*a)[0])->view()), reason(str((*a)[4])->view());
  char buf[160];
  if (start >= 0 && start < int64_t(obj.size()) && end == start + 1) {
    snprintf(buf, sizeof buf, "'%s' codec can't decode byte 0x%02x in position %lld: ",
             enc.c_str(), (unsigned char)obj[size_t(start)], (long long)start);
  } else {
    snprintf(buf, sizeof buf, "'%s' codec can't decode bytes in position %lld-%lld: ",
             enc.c_str(), (long long)start, (long long)(end - 1));
  }
  return vstr(str_new(std::string(buf) + reason));
}

Value uencode_str(Value self) {
  Tuple* a = be(self)->args;
  if (a->size != 5) return base_str(self);
  Str* obj = str((*a)[1]);
  int64_t start = is_int((*a)[2]) ? as_index((*a)[2]) : 0;
  int64_t end = is_int((*a)[3]) ? as_index((*a)[3]) : 0;
  std::string enc(str((*a)[0])->view()), reason(str((*a)[4])->view());
  char buf[160];
  if (start >= 0 && start < obj->length && end == start + 1) {
    Value ch = getitem(vstr(obj), Value::from_small(start));
    // code point of the single character
    std::string_view u = as_str(ch)->view();
    uint32_t cp = 0;
    unsigned char c0 = u[0];
    if (c0 < 0x80) cp = c0;
    else if (c0 < 0xE0) cp = ((c0 & 0x1F) << 6) | (u[1] & 0x3F);
    else if (c0 < 0xF0) cp = ((c0 & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    else cp = ((c0 & 0x07) << 18) | ((u[1] & 0x3F) << 12) | ((u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    const char* fmt = cp <= 0xff ? "'%s' codec can't encode character '\\x%02x' in position %lld: "
                      : cp <= 0xffff ? "'%s' codec can't encode character '\\u%04x' in position %lld: "
                                     : "'%s' codec can't encode character '\\U%08x' in position %lld: ";
    snprintf(buf, sizeof buf, fmt, enc.c_str(), cp, (long long)start);
  } else {
    snprintf(buf, sizeof buf, "'%s' codec can't encode characters in position %lld-%lld: ",
             enc.c_str(), (long long)start, (long long)(end - 1));
  }
  return vstr(str_new(std::string(buf) + reason));
}

// ---- set-up ---------------------------------------------------------------------------

void setup(Type* t, const char* name, Type* base) {
  t->type = &type_type;
  t->name = name;
  t->name_str = str_intern(name);
  t->qualname = t->name_str;
  t->module = str_intern("builtins");
  t->base = base;
  t->bases = tuple_of({Value::from_obj(base)});
  t->basic_size = sizeof(BE);
  t->itemsize = 0;
  t->dict_offset = offsetof(BE, dict);
  t->flags = TF_BASETYPE | TF_EXC_SUBCLASS;
}

}  // namespace

void init_exception_types() {
  // BaseException derives from object; the others from their listed base.
  Type& exc_object = object_type;  // lets the X-macro below name BaseException's base
  setup(&exc_BaseException, "BaseException", &object_type);
  exc_BaseException.flags = TF_BASETYPE | TF_EXC_SUBCLASS;
  exc_BaseException.doc = "Common base class for all exceptions";
  exc_BaseException.tp_new = base_new;
  exc_BaseException.tp_init = base_init;
  exc_BaseException.str = base_str;
  exc_BaseException.repr = base_repr;
  exc_BaseException.getattr = generic_getattr;
  exc_BaseException.setattr = generic_setattr;
  type_ready(&exc_BaseException);
  type_add_getset(&exc_BaseException, "args", get_args, set_args_attr);
  type_add_getset(&exc_BaseException, "__traceback__", get_tb, set_tb);
  type_add_getset(&exc_BaseException, "__cause__", get_cause, set_cause);
  type_add_getset(&exc_BaseException, "__context__", get_context, set_context);
  type_add_getset(&exc_BaseException, "__suppress_context__", get_suppress, set_suppress);
  type_add_method(&exc_BaseException, "with_traceback", m_with_traceback);
  type_add_method(&exc_BaseException, "add_note", m_add_note);
  type_add_method(&exc_BaseException, "__reduce__", m_reduce);

#define GP_SETUP_EXC(name, base)                                   \
  if (&exc_##name != &exc_BaseException) {                         \
    setup(&exc_##name, #name, &exc_##base); \
    customise(&exc_##name);                                        \
    type_ready(&exc_##name);                                       \
    add_attrs(&exc_##name);                                        \
  }
  auto customise = [](Type* t) {
    if (t == &exc_StopIteration) t->tp_init = stopiter_init;
    else if (t == &exc_SystemExit) t->tp_init = sysexit_init;
    else if (t == &exc_KeyError) t->str = keyerror_str;
    else if (t == &exc_ImportError) { t->tp_init = importerror_init; t->str = importerror_str; }
    else if (t == &exc_AttributeError) t->tp_init = attributeerror_init;
    else if (t == &exc_NameError) t->tp_init = nameerror_init;
    else if (t == &exc_OSError) {
      t->tp_new = oserror_new_slot;
      t->tp_init = oserror_init;
      t->str = oserror_str;
    } else if (t == &exc_SyntaxError) {
      t->tp_init = syntaxerror_init;
      t->str = syntaxerror_str;
    } else if (t == &exc_UnicodeDecodeError) {
      t->tp_init = udecode_init;
      t->str = udecode_str;
    } else if (t == &exc_UnicodeEncodeError) {
      t->tp_init = uencode_init;
      t->str = uencode_str;
    }
    // Inherit the slots explicitly too (type_ready would; this keeps raise() fast paths
    // independent of its order of work).
    Type* b = t->base;
    if (!t->tp_new) t->tp_new = b->tp_new;
    if (!t->tp_init) t->tp_init = b->tp_init;
    if (!t->str) t->str = b->str;
    if (!t->repr) t->repr = b->repr;
    if (!t->getattr) t->getattr = b->getattr;
    if (!t->setattr) t->setattr = b->setattr;
  };
  auto add_attrs = [](Type* t) {
    if (t == &exc_StopIteration) type_add_getset(t, "value", get_value, set_value);
    else if (t == &exc_SystemExit) type_add_getset(t, "code", get_code, set_code);
    else if (t == &exc_ImportError) {
      type_add_getset(t, "msg", get_extra0, set_extra0);
      type_add_getset(t, "name", get_extra1, set_extra1);
      type_add_getset(t, "path", get_extra2, set_extra2);
    } else if (t == &exc_AttributeError) {
      type_add_getset(t, "name", get_extra0, set_extra0);
      type_add_getset(t, "obj", get_extra1, set_extra1);
    } else if (t == &exc_NameError) {
      type_add_getset(t, "name", get_extra0, set_extra0);
    } else if (t == &exc_OSError) {
      type_add_getset(t, "errno", get_extra0, set_extra0);
      type_add_getset(t, "strerror", get_extra1, set_extra1);
      type_add_getset(t, "filename", get_extra2, set_extra2);
      type_add_getset(t, "filename2", get_extra3, set_extra3);
    } else if (t == &exc_SyntaxError) {
      type_add_getset(t, "msg", get_extra0, set_extra0);
      type_add_getset(t, "filename", get_extra1, set_extra1);
      type_add_getset(t, "lineno", get_extra2, set_extra2);
      type_add_getset(t, "offset", get_syn<0>, set_syn<0>);
      type_add_getset(t, "text", get_syn<1>, set_syn<1>);
      type_add_getset(t, "end_lineno", get_syn<2>, set_syn<2>);
      type_add_getset(t, "end_offset", get_syn<3>, set_syn<3>);
      type_add_getset(t, "print_file_and_line", get_syn<4>, set_syn<4>);
    } else if (t == &exc_UnicodeDecodeError || t == &exc_UnicodeEncodeError) {
      type_add_getset(t, "encoding", get_uarg<0>);
      type_add_getset(t, "object", get_uarg<1>);
      type_add_getset(t, "start", get_uarg<2>);
      type_add_getset(t, "end", get_uarg<3>);
      type_add_getset(t, "reason", get_uarg<4>);
    }
  };
  GP_EXCEPTION_TYPES(GP_SETUP_EXC)
#undef GP_SETUP_EXC

  BE* me = alloc_exc(&exc_MemoryError);
  g_memory_error = Value::from_obj(me);
  static Value* root = static_cast<Value*>(GC_MALLOC_UNCOLLECTABLE(sizeof(Value)));
  *root = g_memory_error;
}

// ---- raising -----------------------------------------------------------------------

[[noreturn]] void rethrow(Value exc) {
  tstate()->curexc = exc;
  throw PyThrow{};
}

[[noreturn]] void raise_not_exception() {
  raise(&exc_TypeError, "exceptions must derive from BaseException");
}

[[noreturn]] void throw_exc(Value exc) {
  ThreadState* ts = tstate();
  if (is_typeobj(exc)) {
    Type* t = exc.as<Type>();
    if (!(t->flags & TF_EXC_SUBCLASS)) raise_not_exception();
    exc = exc_new(t, {});
    if (!is_exception(exc)) {
      raise(&exc_TypeError,
            "calling %s should have returned an instance of BaseException, not %s",
            repr(Value::from_obj(t))->data(), type_name_c(exc));
    }
  } else if (!is_exception(exc)) {
    raise_not_exception();
  }
  // Implicit chaining as CPython's _PyErr_SetObject: the exception being handled
  // becomes __context__, breaking any cycle through the chain.
  Value handled = ts->exc_info;
  if (!handled.is_null() && !is_none(handled) && handled != exc && is_exception(handled)) {
    Value o = handled;
    int guard = 0;
    while (true) {
      Value ctx = be(o)->context;
      if (ctx.is_null() || is_none(ctx)) break;
      if (ctx == exc) {
        be(o)->context = None();
        break;
      }
      o = ctx;
      if (++guard > 100000) break;
    }
    be(exc)->context = handled;
  }
  ts->curexc = exc;
  throw PyThrow{};
}

Value exc_new(Type* t, std::initializer_list<Value> args) {
  if (!(t->flags & TF_HEAPTYPE) && t->tp_new) {
    Value e = t->tp_new(t, args.begin(), args.size(), nullptr);
    Type* et = type_of(e);
    if (et->tp_init) et->tp_init(e, args.begin(), args.size(), nullptr);
    return e;
  }
  return call(Value::from_obj(t), args.begin(), args.size(), nullptr);
}

[[noreturn]] void raise_msg(Type* t, Str* msg) { throw_exc(exc_new(t, {vstr(msg)})); }

[[noreturn]] void raise(Type* t, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if (size_t(n) < sizeof buf) raise_msg(t, str_new(std::string_view(buf, size_t(n))));
  std::string big(size_t(n) + 1, '\0');
  va_start(ap, fmt);
  vsnprintf(big.data(), big.size(), fmt, ap);
  va_end(ap);
  big.resize(size_t(n));
  raise_msg(t, str_new(big));
}

static std::atomic<uint64_t> g_max_alloc_bytes{0};  // 0 until first asked: physical memory

uint64_t max_alloc_bytes() {
  uint64_t n = g_max_alloc_bytes.load(std::memory_order_relaxed);
  if (__builtin_expect(n == 0, 0)) {
    n = uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
    g_max_alloc_bytes.store(n, std::memory_order_relaxed);
  }
  return n;
}

void set_max_alloc_bytes(uint64_t n) { g_max_alloc_bytes.store(n, std::memory_order_relaxed); }

[[noreturn]] void raise_no_memory() {
  ThreadState* ts = tstate();
  be(g_memory_error)->traceback = None();
  ts->curexc = g_memory_error;
  throw PyThrow{};
}

Value take_exception() {
  ThreadState* ts = tstate();
  Value e = ts->curexc;
  ts->curexc = Value::null();
  return e;
}

Value current_exception() { return tstate()->curexc; }

bool exc_matches(Value exc, Value cls) {
  if (is_tuple(cls)) {
    Tuple* t = cls.as<Tuple>();
    for (int64_t i = 0; i < t->size; i++)
      if (exc_matches(exc, (*t)[i])) return true;
    return false;
  }
  if (!is_typeobj(cls) || !(cls.as<Type>()->flags & TF_EXC_SUBCLASS))
    raise(&exc_TypeError,
          "catching classes that do not inherit from BaseException is not allowed");
  Type* et = is_typeobj(exc) ? exc.as<Type>() : type_of(exc);
  Type* ct = cls.as<Type>();
  if (et == ct) return true;
  return type_is_sub(et, ct);
}

[[noreturn]] void raise_syntax_error(Type* t, std::string_view msg, Str* filename, int lineno,
                                     int offset, std::string_view text, int end_lineno,
                                     int end_offset) {
  Value info = vtuple(tuple_of({filename ? vstr(filename) : None(), Value::from_small(lineno),
                                Value::from_small(offset), vstr(str_new(text)),
                                Value::from_small(end_lineno), Value::from_small(end_offset)}));
  throw_exc(exc_new(t, {vstr(str_new(msg)), info}));
}

[[noreturn]] void raise_oserror(int err, Value filename, Value filename2) {
  Value en = Value::from_small(err);
  Value msg = vstr(str_from_cstr(strerror(err)));
  if (!filename2.is_null())
    throw_exc(exc_new(&exc_OSError, {en, msg, filename, None(), filename2}));
  if (!filename.is_null()) throw_exc(exc_new(&exc_OSError, {en, msg, filename}));
  throw_exc(exc_new(&exc_OSError, {en, msg}));
}

Value oserror_new(int err, Value filename) {
  Value en = Value::from_small(err);
  Value msg = vstr(str_from_cstr(strerror(err)));
  if (!filename.is_null()) return exc_new(&exc_OSError, {en, msg, filename});
  return exc_new(&exc_OSError, {en, msg});
}

[[noreturn]] void raise_stop_iteration(Value value) {
  BE* e = alloc_exc(&exc_StopIteration);
  e->args = tuple_of({value});
  e->extra[0] = value;
  throw_exc(Value::from_obj(e));
}

Value stop_iteration_value(Value exc) {
  if (!is_exception(exc)) return None();
  if (!type_is_sub(type_of(exc), &exc_StopIteration)) return None();
  return orNone(be(exc)->extra[0]);
}

Value system_exit_code(Value exc) {
  if (!is_exception(exc)) return None();
  return orNone(be(exc)->extra[0]);
}

// ---- printing --------------------------------------------------------------------------

namespace {

std::string safe_str(Value v, const char* fallback) {
  try {
    return std::string(str(v)->view());
  } catch (PyThrow&) {
    take_exception();
    return fallback;
  }
}

std::string exc_type_name(Type* t) {
  std::string name(t->qualname ? t->qualname->view() : std::string_view(t->name));
  Str* mod = t->module;
  if (t->flags & TF_HEAPTYPE) {
    // honour a __module__ assigned in the class body
    Value m = t->dict ? dict_get_str(t->dict, GP_STR("__module__")) : Value::null();
    if (!m.is_null() && is_str(m)) mod = as_str(m);
  }
  if (!mod) return name;
  std::string_view mv = mod->view();
  if (mv == "builtins" || mv == "__main__") return name;
  return std::string(mv) + "." + name;
}


// CPython's print_error_text: the offending line, stripped, and the caret line.
// `offset` and `end_offset` are 1-based; end_offset <= 0 means "one caret".
void format_error_text(std::string& out, int64_t offset, int64_t end_offset, std::string text) {
  int64_t carets = (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
  offset -= 1;
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f')) {
    i++;
    offset--;
  }
  text = text.substr(i);
  int64_t len = int64_t(text.size());
  if (len > 0 && text[size_t(len - 1)] == '\n') len--;
  if (offset > len) offset = len;
  // skip past newlines embedded before the offset
  while (true) {
    size_t nl = text.find('\n');
    if (nl == std::string::npos || int64_t(nl) >= offset) break;
    text = text.substr(nl + 1);
    len -= int64_t(nl + 1);
    offset -= int64_t(nl + 1);
  }
  std::string line = text.substr(0, size_t(std::max<int64_t>(len, 0)));
  out += "    ";
  out += line;
  out += "\n";
  if (offset < 0) return;
  out += "    ";
  for (int64_t k = 0; k < offset && k < int64_t(line.size()); k++)
    out.push_back(line[size_t(k)] == '\t' ? '\t' : ' ');
  for (int64_t k = int64_t(line.size()); k < offset; k++) out.push_back(' ');
  out.append(size_t(carets), '^');
  out += "\n";
}

void format_syntax_error_lines(std::string& out, Value exc) {
  BE* e = be(exc);
  Value fn = orNone(e->extra[1]), ln = orNone(e->extra[2]);
  Tuple* info = syn_info(exc);
  Value off = (*info)[0], text = (*info)[1], eln = (*info)[2], eoff = (*info)[3];
  int64_t lineno = is_int(ln) ? as_index(ln) : 0;
  out += "  File \"";
  out += is_str(fn) ? std::string(as_str(fn)->view()) : safe_str(fn, "<string>");
  out += "\", line ";
  out += std::to_string(lineno);
  out += "\n";
  if (is_str(text)) {
    std::string t(as_str(text)->view());
    int64_t o = is_int(off) ? as_index(off) : 0;
    int64_t eo = is_int(eoff) ? as_index(eoff) : 0;
    int64_t el = is_int(eln) ? as_index(eln) : lineno;
    // CPython's line_size counts the line's newline; count it even if text lacks it
    int64_t line_size = int64_t(t.size()) + ((t.empty() || t.back() != '\n') ? 1 : 0);
    if (el > lineno) eo = line_size;
    if (eo > line_size + 1) eo = line_size + 1;
    // clip the start like print_error_text, so a far-right offset gets one caret
    {
      std::string_view r = t;
      size_t lead = r.find_first_not_of(" \t\f");
      int64_t stripped_len = lead == std::string_view::npos ? 0 : int64_t(r.size() - lead);
      if (stripped_len > 0 && r.back() == '\n') stripped_len--;
      int64_t lead_n = lead == std::string_view::npos ? int64_t(r.size()) : int64_t(lead);
      if (o - 1 - lead_n > stripped_len) o = stripped_len + 1 + lead_n;
    }
    if (type_is_sub(type_of(exc), &exc_IndentationError)) eo = -1;
    if (is_int(off)) format_error_text(out, o, eo, t);
    else {
      size_t b = t.find_first_not_of(" \t\f");
      std::string s = b == std::string::npos ? "" : t.substr(b);
      while (!s.empty() && s.back() == '\n') s.pop_back();
      out += "    " + s + "\n";
    }
  }
}

void format_tb(std::string& out, Value tb) {
  // honour sys.tracebacklimit like CPython (default 1000)
  int64_t limit = 1000;
  Value lim = sys_get("tracebacklimit");
  if (!lim.is_null() && is_int(lim)) {
    int64_t l;
    if (int_to_i64(lim, &l)) limit = l;
    if (limit <= 0) return;
  }
  int64_t depth = 0;
  for (Value t = tb; t.is_obj() && is_type(t, &traceback_type); t = t.as<Traceback>()->next) depth++;
  int64_t skip = depth > limit ? depth - limit : 0;
  out += "Traceback (most recent call last):\n";
  Str* last_file = nullptr;
  int last_line = -1;
  Str* last_name = nullptr;
  int64_t cnt = 0;
  auto flush_repeat = [&]() {
    if (cnt > 3) {
      out += "  [Previous line repeated " + std::to_string(cnt - 3) + " more time";
      out += (cnt - 3 > 1) ? "s]\n" : "]\n";
    }
  };
  for (Value t = tb; t.is_obj() && is_type(t, &traceback_type); t = t.as<Traceback>()->next) {
    if (skip > 0) {
      skip--;
      continue;
    }
    Traceback* tr = t.as<Traceback>();
    Code* co = tr->code;
    Str* file = co ? co->filename : nullptr;
    Str* name = co ? co->name : nullptr;
    if (last_file == nullptr || file != last_file || tr->lineno != last_line || name != last_name) {
      flush_repeat();
      last_file = file;
      last_line = tr->lineno;
      last_name = name;
      cnt = 0;
    }
    cnt++;
    if (cnt > 3) continue;
    out += "  File \"";
    if (file) out += file->view();
    out += "\", line ";
    out += std::to_string(tr->lineno);
    out += ", in ";
    if (name) out += name->view();
    out += "\n";
    if (file) {
      std::string src = source_line(file, tr->lineno);
      size_t b = src.find_first_not_of(" \t\f\r\n");
      if (b != std::string::npos) {
        size_t e = src.find_last_not_of(" \t\f\r\n");
        out += "    ";
        out += src.substr(b, e - b + 1);
        out += "\n";
      }
    }
  }
  flush_repeat();
}

void format_one(std::string& out, Value exc) {
  if (!is_exception(exc)) {
    out += "TypeError: print_exception(): Exception expected for value, ";
    out += type_name(exc);
    out += " found\n";
    return;
  }
  Value tb = be(exc)->traceback;
  if (!tb.is_null() && !is_none(tb)) format_tb(out, tb);
  out += format_exception_only(exc);
}

void format_chain(std::string& out, Value exc, std::unordered_set<uint64_t>& seen, int depth) {
  seen.insert(exc.bits());
  if (is_exception(exc) && depth < 1000) {
    BE* e = be(exc);
    Value cause = orNone(e->cause), ctx = orNone(e->context);
    if (!is_none(cause) && is_exception(cause) && !seen.count(cause.bits())) {
      format_chain(out, cause, seen, depth + 1);
      out += "\nThe above exception was the direct cause of the following exception:\n\n";
    } else if (!is_none(ctx) && is_exception(ctx) && !e->suppress_context &&
               !seen.count(ctx.bits())) {
      format_chain(out, ctx, seen, depth + 1);
      out += "\nDuring handling of the above exception, another exception occurred:\n\n";
    }
  }
  format_one(out, exc);
}

}  // namespace

std::string format_exception_only(Value exc) {
  std::string out;
  Type* t = type_of(exc);
  std::string tname = exc_type_name(t);
  bool is_syntax = is_exception(exc) && type_is_sub(t, &exc_SyntaxError);
  std::string msg;
  if (is_syntax && !orNone(be(exc)->extra[2]).is_null() && !is_none(orNone(be(exc)->extra[2]))) {
    format_syntax_error_lines(out, exc);
    Value m = orNone(be(exc)->extra[0]);
    msg = safe_str(m, "<exception str() failed>");
  } else {
    msg = safe_str(exc, "<exception str() failed>");
  }
  out += tname;
  if (!msg.empty()) {
    out += ": ";
    out += msg;
  }
  out += "\n";
  if (is_exception(exc) && be(exc)->dict) {
    Value notes = dict_get_str(be(exc)->dict, GP_STR("__notes__"));
    if (!notes.is_null()) {
      if (is_list(notes) || is_tuple(notes)) {
        int64_t n = len(notes);
        for (int64_t i = 0; i < n; i++) {
          Value note = getitem(notes, Value::from_small(i));
          if (is_str(note)) out += as_str(note)->view();
          else out += safe_str(note, "<note str() failed>");
          out += "\n";
        }
      } else {
        out += safe_str(notes, "<__notes__ repr() failed>");
        out += "\n";
      }
    }
  }
  return out;
}

std::string format_exception(Value exc) {
  std::string out;
  std::unordered_set<uint64_t> seen;
  format_chain(out, exc, seen, 0);
  return out;
}

void print_exception(Value exc) {
  // Keep any exception in flight (print_exception may be called from a handler).
  ThreadState* ts = tstate();
  Value saved = ts->curexc;
  ts->curexc = Value::null();
  std::string text;
  try {
    text = format_exception(exc);
  } catch (PyThrow&) {
    take_exception();
    text = "<exception formatting failed>\n";
  }
  Value out = sys_get("stdout");
  if (!out.is_null() && !is_none(out)) file_flush(out, true);
  Value err = sys_get("stderr");
  bool done = false;
  if (!err.is_null() && !is_none(err)) {
    try {
      file_write(err, text);
      file_flush(err, true);
      done = true;
    } catch (PyThrow&) {
      take_exception();
    }
  }
  if (!done) {
    size_t off = 0;
    while (off < text.size()) {
      ssize_t w = ::write(2, text.data() + off, text.size() - off);
      if (w <= 0) {
        if (w < 0 && errno == EINTR) continue;
        break;
      }
      off += size_t(w);
    }
  }
  ts->curexc = saved;
}

}  // namespace gp
