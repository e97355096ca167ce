// api.cpp — the embedding API (include/gilpy/gilpy.h) over the interpreter's internals.
//
// Invariants:
//  * A handle (gilpy::Object) points to a Cell allocated with GC_MALLOC_UNCOLLECTABLE:
//    the collector scans it as a root, so the Value in it stays alive however the handle
//    itself is stored. Copies share the cell (atomic count); the last one frees it. A
//    null cell is None, so None, default and moved-from handles allocate nothing.
//  * Every entry point that touches Values first checks that the calling thread is
//    attached and holds the lock (assert in debug, gilpy::Error otherwise), and turns
//    a PyThrow into gilpy::Error before returning to host code: no PyThrow ever
//    crosses into host code, and no host C++ exception crosses into the VM (native
//    functions and module builders convert at the boundary, call_host).
//  * Native functions are objects of native_func_type holding a malloc'd std::function,
//    freed by a collector finalizer with its object. What they capture must be handles
//    (roots), never raw Values: malloc'd memory is not scanned.
//  * Registered modules get a slot each in a fixed table; slot i's ModuleInit is the
//    trampoline module_init<i> (ModuleInit takes no arguments). The module object is
//    built on first import, under the import lock of its name, and cached in an
//    uncollectable array, so the init is idempotent as registry.cpp requires.
#include "gilpy/gilpy.h"

#include "gc/gcapi.h"

#include <array>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "compiler/ast.h"
#include "core/runtime.h"
#include "core/threadstate.h"
#include "embed/startup.h"
#include "gil/gil.h"
#include "gil/stats.h"
#include "modules/builtins.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/float.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/thread_api.h"

namespace gilpy {

using gp::PyThrow;
using gp::Value;

namespace detail {

struct Cell {
  uint64_t bits;  // a gp::Value; the collector sees the pointer because the cell is a root
  std::atomic<int64_t> refs;
};

struct Access {
  static Object wrap(Value v) {
    if (v.is_null() || gp::is_none(v)) return Object();
    void* mem = GC_MALLOC_UNCOLLECTABLE(sizeof(Cell));
    if (!mem) gp::raise_no_memory();
    Cell* c = new (mem) Cell{v.bits(), {1}};
    return Object(c);
  }
  static Value unwrap(const Object& o) {
    return o.cell_ ? Value::from_bits(o.cell_->bits) : gp::None();
  }
  static const std::vector<std::pair<std::string, Function>>& functions(const ModuleDef& d) {
    return d.functions_;
  }
  static const std::vector<std::pair<std::string, Object>>& values(const ModuleDef& d) {
    return d.values_;
  }
  static const std::function<void(Object)>& init(const ModuleDef& d) { return d.init_; }
};

}  // namespace detail

namespace {

using detail::Access;

Object wrap(Value v) { return Access::wrap(v); }
Value unwrap(const Object& o) { return Access::unwrap(o); }

// ---- errors ----------------------------------------------------------------------------

// The name CPython's traceback prints: "ValueError", "mymod.MyError" ("__main__." and
// "builtins." are left out).
std::string exc_type_display(gp::Type* t) {
  std::string name = t->qualname ? std::string(t->qualname->view()) : std::string(t->name);
  if (t->module) {
    std::string_view mod = t->module->view();
    if (mod != "builtins" && mod != "__main__") name = std::string(mod) + "." + name;
  }
  return name;
}

// gilpy::Error for a Python exception object (called with the lock held).
Error make_error(Value e) {
  std::string tname = exc_type_display(gp::type_of(e));
  std::string msg, tb;
  try {
    msg = std::string(gp::str(e)->view());
  } catch (PyThrow&) {
    gp::take_exception();
    msg = "<exception str() failed>";
  }
  try {
    tb = gp::format_exception(e);
  } catch (PyThrow&) {
    gp::take_exception();
    tb = tname + ": " + msg + "\n";
  }
  return Error(wrap(e), std::move(tname), std::move(msg), std::move(tb));
}

[[noreturn]] void throw_current() { throw make_error(gp::take_exception()); }

bool is_attached_now() noexcept {
  gp::ThreadState* ts = gp::tstate();
  return ts && ts->holds_gil;
}

void check_attached() {
  if (is_attached_now()) return;
  assert(!"gilpy: API call from a thread that is not attached (use gilpy::Attach)");
  throw Error(Object(), "RuntimeError",
              "gilpy: API call from a thread that is not attached (use gilpy::Attach)", "");
}

// Run `f` on behalf of host code: check the thread, turn Python exceptions into Error.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  check_attached();
  try {
    return f();
  } catch (PyThrow&) {
    throw_current();
  }
}

// Run host code `f` on behalf of the VM: C++ exceptions become Python exceptions.
template <class F>
auto call_host(F&& f, const char* where) -> decltype(f()) {
  try {
    return f();
  } catch (PyThrow&) {
    throw;
  } catch (const Error& e) {
    Value exc = unwrap(e.exception());
    if (gp::is_exception(exc)) gp::rethrow(exc);
    gp::raise(&gp::exc_RuntimeError, "%s", e.what());
  } catch (const std::exception& e) {
    gp::raise(&gp::exc_RuntimeError, "%s", e.what());
  } catch (...) {
    gp::raise(&gp::exc_SystemError, "unknown C++ exception in %s", where);
  }
}

gp::Type* builtin_exception_type(std::string_view name) {
  Value t = gp::dict_get_str(gp::builtins_dict(), gp::str_new(name));
  if (t.is_null() || !gp::is_typeobj(t) ||
      !gp::issubclass(t.as<gp::Type>(), &gp::exc_BaseException))
    return nullptr;
  return t.as<gp::Type>();
}

// ---- native functions --------------------------------------------------------------------

struct NativeFunc : gp::Object {
  gp::Str* name;
  Function* fn;  // malloc'd; deleted by the finalizer below
};

gp::Type native_func_type;

Value nf_call(Value self, const Value* args, size_t nargs, gp::Tuple* kwnames) {
  NativeFunc* nf = self.as<NativeFunc>();
  Args a;
  a.positional.reserve(nargs);
  for (size_t i = 0; i < nargs; i++) a.positional.push_back(wrap(args[i]));
  if (kwnames) {
    for (int64_t i = 0; i < kwnames->size; i++)
      a.keywords.emplace_back(std::string(gp::as_str((*kwnames)[i])->view()),
                              wrap(args[nargs + size_t(i)]));
  }
  Object r = call_host([&] { return (*nf->fn)(a); }, nf->name->data());
  return unwrap(r);
}

Value nf_repr(Value self) {
  return gp::vstr(gp::str_new("<built-in function " +
                              std::string(self.as<NativeFunc>()->name->view()) + ">"));
}

Value nf_name(Value self) { return gp::vstr(self.as<NativeFunc>()->name); }

void init_native_func_type() {
  gp::Type& t = native_func_type;
  t.type = &gp::type_type;
  t.name = "builtin_function_or_method";
  t.basic_size = sizeof(NativeFunc);
  t.call = nf_call;
  t.repr = nf_repr;
  gp::type_ready(&t);
  gp::type_add_getset(&t, "__name__", nf_name);
  gp::type_add_getset(&t, "__qualname__", nf_name);
}

Value new_native_func(std::string_view name, const Function& fn) {
  NativeFunc* nf = gp::gc_new_obj<NativeFunc>(&native_func_type);
  nf->name = gp::str_new(name);
  nf->fn = new Function(fn);
  GC_register_finalizer_no_order(
      nf, [](void* obj, void*) { delete static_cast<NativeFunc*>(obj)->fn; }, nullptr, nullptr,
      nullptr);
  return Value::from_obj(nf);
}

// ---- registered modules ------------------------------------------------------------------

constexpr size_t kMaxModules = 64;
std::mutex g_mod_mu;                   // guards g_mod_defs / g_mod_count
const ModuleDef* g_mod_defs[kMaxModules];  // copies, never freed
size_t g_mod_count = 0;
gp::Module** g_mod_objs = nullptr;     // uncollectable: the built modules, by slot

gp::Module* build_module(size_t slot) {
  const ModuleDef* def;
  {
    std::lock_guard<std::mutex> lk(g_mod_mu);
    def = g_mod_defs[slot];
  }
  if (gp::Module* m = g_mod_objs[slot]) return m;
  gp::Module* m = gp::module_new(def->name().c_str());
  for (const auto& [name, fn] : Access::functions(*def))
    gp::module_add(m, name.c_str(), new_native_func(name, fn));
  for (const auto& [name, v] : Access::values(*def)) gp::module_add(m, name.c_str(), unwrap(v));
  if (const auto& init = Access::init(*def))
    call_host([&] { init(wrap(gp::vmodule(m))); }, def->name().c_str());
  g_mod_objs[slot] = m;
  return m;
}

template <size_t I>
gp::Module* module_init() {
  return build_module(I);
}
template <size_t... I>
constexpr std::array<gp::ModuleInit, sizeof...(I)> make_inits(std::index_sequence<I...>) {
  return {&module_init<I>...};
}
constexpr auto kModuleInits = make_inits(std::make_index_sequence<kMaxModules>{});

// ---- the runtime ----------------------------------------------------------------------------

std::atomic<bool> g_runtime_made{false};
gp::Module* g_main = nullptr;  // __main__; also held in sys.modules
gp::Module** g_main_root = nullptr;  // uncollectable cell keeping g_main reachable

gp::Dict* main_dict() { return g_main->dict; }

bool read_whole_file(const std::string& path, std::string* out, int* err) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) {
    *err = errno;
    return false;
  }
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  fclose(f);
  return true;
}

// Attach bookkeeping for host threads (see Attach in gilpy.h).
enum AttachMode { kNested = 0, kReacquired = 1, kOwner = 2, kOwnerGcRegistered = 3 };

}  // namespace

// ---- Object ---------------------------------------------------------------------------------

Object::Object(const Object& o) noexcept : cell_(o.cell_) {
  if (cell_) cell_->refs.fetch_add(1, std::memory_order_relaxed);
}

Object& Object::operator=(const Object& o) noexcept {
  if (o.cell_) o.cell_->refs.fetch_add(1, std::memory_order_relaxed);
  detail::Cell* old = cell_;
  cell_ = o.cell_;
  if (old && old->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) GC_FREE(old);
  return *this;
}

Object& Object::operator=(Object&& o) noexcept {
  if (this != &o) {
    detail::Cell* old = cell_;
    cell_ = o.cell_;
    o.cell_ = nullptr;
    if (old && old->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) GC_FREE(old);
  }
  return *this;
}

Object::~Object() {
  if (cell_ && cell_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) GC_FREE(cell_);
}

Object Object::from_int(int64_t v) {
  return guarded([&] { return wrap(gp::int_from_i64(v)); });
}
Object Object::from_uint(uint64_t v) {
  return guarded([&] { return wrap(gp::int_from_u64(v)); });
}
Object Object::from_bigint(std::string_view decimal) {
  return guarded([&] { return wrap(gp::int_from_string(decimal, 10)); });
}
Object Object::from_double(double v) {
  return guarded([&] { return wrap(gp::float_new(v)); });
}
Object Object::from_bool(bool v) {
  return guarded([&] { return wrap(gp::Bool(v)); });
}
Object Object::from_str(std::string_view utf8) {
  return guarded([&] { return wrap(gp::vstr(gp::str_from_utf8_checked(utf8))); });
}
Object Object::from_bytes(std::string_view data) {
  return guarded([&] { return wrap(Value::from_obj(gp::bytes_new(data))); });
}
Object Object::list(const std::vector<Object>& items) {
  return guarded([&] {
    gp::List* l = gp::list_new(0);
    for (const Object& o : items) gp::list_append(l, unwrap(o));
    return wrap(gp::vlist(l));
  });
}
Object Object::tuple(const std::vector<Object>& items) {
  return guarded([&] {
    gp::Tuple* t = gp::tuple_new(int64_t(items.size()));
    for (size_t i = 0; i < items.size(); i++) (*t)[int64_t(i)] = unwrap(items[i]);
    return wrap(gp::vtuple(t));
  });
}
Object Object::dict(const std::vector<std::pair<Object, Object>>& items) {
  return guarded([&] {
    gp::Dict* d = gp::dict_new(int64_t(items.size()));
    for (const auto& [k, v] : items) gp::dict_set(d, unwrap(k), unwrap(v));
    return wrap(Value::from_obj(d));
  });
}

int64_t Object::to_int64() const {
  return guarded([&] {
    Value v = unwrap(*this);
    if (!gp::is_int(v)) v = gp::number_index(v);  // TypeError for non-integers
    int64_t out;
    if (!gp::int_as_i64(v, &out))
      gp::raise(&gp::exc_OverflowError, "Python int too large to convert to C long");
    return out;
  });
}
uint64_t Object::to_uint64() const {
  return guarded([&] {
    Value v = unwrap(*this);
    if (!gp::is_int(v)) v = gp::number_index(v);
    if (gp::int_sign(v) < 0)
      gp::raise(&gp::exc_OverflowError, "can't convert negative int to unsigned");
    int64_t small;
    if (gp::int_as_i64(v, &small)) return uint64_t(small);
    mpz_t z;
    mpz_init(z);
    gp::int_to_mpz(v, z);
    bool fits = mpz_sizeinbase(z, 2) <= 64;
    uint64_t out = fits ? uint64_t(mpz_get_ui(z)) : 0;  // unsigned long is 64-bit here
    mpz_clear(z);
    if (!fits) gp::raise(&gp::exc_OverflowError, "int too big to convert");
    return out;
  });
}
std::string Object::to_bigint() const {
  return guarded([&] {
    Value v = unwrap(*this);
    if (!gp::is_int(v)) v = gp::number_index(v);
    return gp::int_to_string(v, 10);
  });
}
double Object::to_double() const {
  return guarded([&] { return gp::as_double(unwrap(*this)); });
}
bool Object::to_bool() const {
  return guarded([&] { return gp::truthy(unwrap(*this)); });
}
std::string Object::to_str() const {
  return guarded([&] {
    Value v = unwrap(*this);
    if (!gp::is_str(v))
      gp::raise(&gp::exc_TypeError, "expected str, got %s", gp::type_name_c(v));
    return std::string(gp::as_str(v)->view());
  });
}
std::string Object::to_bytes() const {
  return guarded([&] {
    Value v = unwrap(*this);
    std::string_view sv;
    if (!gp::bytes_like_view(v, &sv))
      gp::raise(&gp::exc_TypeError, "expected bytes, got %s", gp::type_name_c(v));
    return std::string(sv);
  });
}
std::vector<Object> Object::to_vector() const {
  return guarded([&] {
    std::vector<Object> out;
    Value it = gp::iter(unwrap(*this));
    for (Value x = gp::next(it); !x.is_null(); x = gp::next(it)) out.push_back(wrap(x));
    return out;
  });
}
std::vector<std::pair<Object, Object>> Object::to_items() const {
  return guarded([&] {
    std::vector<std::pair<Object, Object>> out;
    Value v = unwrap(*this);
    if (gp::is_dict(v)) {
      int64_t pos = 0;
      Value k, x;
      while (gp::dict_next(v.as<gp::Dict>(), &pos, &k, &x)) out.emplace_back(wrap(k), wrap(x));
      return out;
    }
    Value it = gp::iter(gp::call_method(v, gp::str_intern("items"), {}));
    for (Value p = gp::next(it); !p.is_null(); p = gp::next(it)) {
      Value k = gp::getitem(p, Value::from_small(0));
      Value x = gp::getitem(p, Value::from_small(1));
      out.emplace_back(wrap(k), wrap(x));
    }
    return out;
  });
}

Object Object::attr(std::string_view name) const {
  return guarded([&] { return wrap(gp::getattr(unwrap(*this), gp::str_intern(name))); });
}
bool Object::has_attr(std::string_view name) const {
  return guarded([&] { return gp::hasattr(unwrap(*this), gp::str_intern(name)); });
}
void Object::set_attr(std::string_view name, const Object& v) const {
  guarded([&] { gp::setattr(unwrap(*this), gp::str_intern(name), unwrap(v)); });
}
Object Object::get_item(const Object& key) const {
  return guarded([&] { return wrap(gp::getitem(unwrap(*this), unwrap(key))); });
}
void Object::set_item(const Object& key, const Object& v) const {
  guarded([&] { gp::setitem(unwrap(*this), unwrap(key), unwrap(v)); });
}
void Object::del_item(const Object& key) const {
  guarded([&] { gp::delitem(unwrap(*this), unwrap(key)); });
}
Object Object::call(const std::vector<Object>& args, const Kwargs& kwargs) const {
  return guarded([&] {
    gp::ValueVec argv;
    argv.reserve(args.size() + kwargs.size());
    for (const Object& a : args) argv.push_back(unwrap(a));
    gp::Tuple* names = nullptr;
    if (!kwargs.empty()) {
      names = gp::tuple_new(int64_t(kwargs.size()));
      for (size_t i = 0; i < kwargs.size(); i++) {
        (*names)[int64_t(i)] = gp::vstr(gp::str_intern(kwargs[i].first));
        argv.push_back(unwrap(kwargs[i].second));
      }
    }
    return wrap(gp::call(unwrap(*this), argv.data(), args.size(), names));
  });
}
int64_t Object::size() const {
  return guarded([&] { return gp::len(unwrap(*this)); });
}
bool Object::contains(const Object& item) const {
  return guarded([&] { return gp::contains(unwrap(*this), unwrap(item)); });
}
bool Object::equals(const Object& other) const {
  return guarded([&] { return gp::eq(unwrap(*this), unwrap(other)); });
}
bool Object::is(const Object& other) const noexcept {
  if (!cell_ || !other.cell_) return cell_ == other.cell_;
  return cell_->bits == other.cell_->bits;
}
std::string Object::repr() const {
  return guarded([&] { return std::string(gp::repr(unwrap(*this))->view()); });
}
std::string Object::str() const {
  return guarded([&] { return std::string(gp::str(unwrap(*this))->view()); });
}
std::string Object::type_name() const {
  return guarded([&] { return gp::type_name(unwrap(*this)); });
}
bool Object::is_int() const {
  return guarded([&] { return gp::is_int(unwrap(*this)); });
}
bool Object::is_float() const {
  return guarded([&] { return gp::is_float(unwrap(*this)); });
}
bool Object::is_str() const {
  return guarded([&] { return gp::is_str(unwrap(*this)); });
}
bool Object::is_bytes() const {
  return guarded([&] { return gp::is_bytes(unwrap(*this)); });
}
bool Object::is_list() const {
  return guarded([&] { return gp::is_list(unwrap(*this)); });
}
bool Object::is_tuple() const {
  return guarded([&] { return gp::is_tuple(unwrap(*this)); });
}
bool Object::is_dict() const {
  return guarded([&] { return gp::is_dict(unwrap(*this)); });
}
bool Object::is_callable() const {
  return guarded([&] { return gp::is_callable(unwrap(*this)); });
}
bool Object::isinstance(const Object& cls) const {
  return guarded([&] { return gp::isinstance_any(unwrap(*this), unwrap(cls)); });
}

// ---- Error and Raise ----------------------------------------------------------------------

Error::Error(Object exception, std::string type_name, std::string message, std::string traceback)
    : std::runtime_error(message.empty() ? type_name : type_name + ": " + message),
      exc_(std::move(exception)),
      type_(std::move(type_name)),
      message_(std::move(message)),
      traceback_(std::move(traceback)) {}

bool Error::matches(std::string_view builtin_name) const {
  return guarded([&] {
    gp::Type* t = builtin_exception_type(builtin_name);
    Value e = unwrap(exc_);
    if (!t || !gp::is_exception(e)) return !t && builtin_name == type_;
    return gp::exc_matches(e, Value::from_obj(t));
  });
}

void Raise(std::string_view type_name, std::string_view message) {
  Error err = guarded([&] {
    gp::Type* t = builtin_exception_type(type_name);
    Value e;
    if (t) {
      e = gp::exc_new(t, {gp::vstr(gp::str_new(message))});
    } else {
      std::string m = "gilpy::Raise: unknown exception type '" + std::string(type_name) +
                      "': " + std::string(message);
      e = gp::exc_new(&gp::exc_SystemError, {gp::vstr(gp::str_new(m))});
    }
    return make_error(e);
  });
  throw err;
}

void Raise(const Object& exception_class, std::string_view message) {
  Error err = guarded([&] {
    Value cls = unwrap(exception_class);
    if (!gp::is_typeobj(cls) || !gp::issubclass(cls.as<gp::Type>(), &gp::exc_BaseException))
      gp::raise(&gp::exc_TypeError, "exceptions must derive from BaseException");
    return make_error(gp::call(cls, {gp::vstr(gp::str_new(message))}));
  });
  throw err;
}

namespace detail {
void arity_error(const std::string& name, size_t expected, const Args& got) {
  if (!got.keywords.empty()) Raise("TypeError", name + "() takes no keyword arguments");
  std::string m = name + "() takes " + std::to_string(expected) + " positional argument" +
                  (expected == 1 ? "" : "s") + " but " + std::to_string(got.size()) +
                  (got.size() == 1 ? " was" : " were") + " given";
  Raise("TypeError", m);
}
}  // namespace detail

Object make_function(std::string_view name, Function fn) {
  return guarded([&] { return wrap(new_native_func(name, fn)); });
}

// ---- Runtime ------------------------------------------------------------------------------

Runtime::Runtime(const Config& config) {
  if (g_runtime_made.exchange(true))
    throw std::logic_error("gilpy::Runtime: the runtime can be created once per process");
  std::string policy = config.gil;
  if (policy.empty())
    if (const char* env = getenv("GILPY_GIL")) policy = env;
  if (config.unbuffered) gp::io_set_unbuffered(true);
  if (config.gil_stats) gp::gil_obs_option("--gil-stats");
  if (!config.gil_trace.empty()) gp::gil_obs_option(("--gil-trace=" + config.gil_trace).c_str());
  if (!config.gil_timeline.empty())
    gp::gil_obs_option(("--gil-timeline=" + config.gil_timeline).c_str());
  if (!gp::runtime_boot(policy)) {
    g_runtime_made = false;
    throw std::invalid_argument("gilpy: unknown GIL policy '" + policy +
                                "' (expected ticks, switch, fair or none)");
  }
  gp::gil_obs_start("gilpy");
  if (config.switch_interval > 0) gp::switch_interval.store(config.switch_interval);
  if (config.check_interval > 0) gp::gil_set_check_interval(config.check_interval);
  gp::ThreadState* ts = gp::runtime_attach_main();
  (void)ts;
  std::vector<std::string> args = config.argv.empty() ? std::vector<std::string>{""} : config.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  try {
    gp::runtime_init_python(int(argv.size()), argv.data(), "");
    init_native_func_type();
    g_mod_objs = static_cast<gp::Module**>(GC_MALLOC_UNCOLLECTABLE(sizeof(gp::Module*) * kMaxModules));
    g_main_root = static_cast<gp::Module**>(GC_MALLOC_UNCOLLECTABLE(sizeof(gp::Module*)));
    g_main = gp::module_new("__main__");
    *g_main_root = g_main;
    gp::dict_set_str(g_main->dict, gp::str_intern("__builtins__"),
                     gp::vmodule(gp::init_module_builtins()));
    gp::dict_set_str(g_main->dict, gp::str_intern("__cached__"), gp::None());
    gp::dict_set_str(gp::sys_modules(), gp::str_intern("__main__"), gp::vmodule(g_main));
    Value path = gp::sys_get("path");
    if (!path.is_null() && gp::is_list(path)) {
      int64_t at = 0;
      for (const std::string& dir : config.path)
        gp::list_insert(path.as<gp::List>(), at++, gp::vstr(gp::str_new(dir)));
    }
  } catch (PyThrow&) {
    throw_current();
  }
}

Runtime::~Runtime() {
  gp::ThreadState* ts = gp::tstate();
  if (!ts) return;
  if (!ts->holds_gil) gp::gil_acquire(ts);
  try {
    Value th = gp::dict_get_str(gp::sys_modules(), gp::str_intern("threading"));
    if (!th.is_null()) {
      Value sd = gp::getattr_opt(th, gp::str_intern("_shutdown"));
      if (!sd.is_null()) gp::call(sd, {});
    }
  } catch (PyThrow&) {
    gp::print_exception(gp::take_exception());
  }
  gp::flush_std_streams();
  gp::io_flush_all();
  fflush(stdout);
  fflush(stderr);
  gp::gil_release(ts);
}

Object Runtime::exec(std::string_view source, std::string_view filename) {
  return guarded([&] {
    gp::Code* code = gp::compile_source(source, gp::str_new(filename), gp::ParseMode::Exec);
    gp::run_code(code, main_dict(), main_dict());
    return Object();
  });
}

Object Runtime::eval(std::string_view expression) {
  return guarded([&] {
    gp::Code* code = gp::compile_source(expression, gp::str_intern("<string>"), gp::ParseMode::Eval);
    return wrap(gp::run_code(code, main_dict(), main_dict()));
  });
}

Object Runtime::run_file(const std::string& path) {
  return guarded([&] {
    std::string source;
    int err = 0;
    if (!read_whole_file(path, &source, &err)) gp::raise_oserror(err, gp::vstr(gp::str_new(path)));
    gp::Str* fname = gp::str_new(path);
    gp::dict_set_str(main_dict(), gp::str_intern("__file__"), gp::vstr(fname));
    gp::Code* code = gp::compile_source(source, fname, gp::ParseMode::Exec);
    gp::run_code(code, main_dict(), main_dict());
    return Object();
  });
}

Object Runtime::import_(std::string_view module) {
  return guarded([&] {
    // import_simple gives the top-level package for a dotted name, as `import a.b` does;
    // walk down to the submodule the caller named.
    std::string name(module);
    Value m = gp::import_simple(name.c_str());
    Value leaf = gp::dict_get_str(gp::sys_modules(), gp::str_new(name));
    return wrap(leaf.is_null() ? m : leaf);
  });
}

Object Runtime::main_module() const {
  return guarded([&] { return wrap(gp::vmodule(g_main)); });
}

Object Runtime::global(std::string_view name) const {
  return guarded([&] {
    Value v = gp::dict_get_str(main_dict(), gp::str_new(name));
    if (v.is_null()) {
      std::string n(name);
      gp::raise(&gp::exc_NameError, "name '%s' is not defined", n.c_str());
    }
    return wrap(v);
  });
}

void Runtime::set_global(std::string_view name, const Object& v) {
  guarded([&] { gp::dict_set_str(main_dict(), gp::str_intern(name), unwrap(v)); });
}

void Runtime::add_path(const std::string& dir) {
  guarded([&] {
    Value path = gp::sys_get("path");
    if (path.is_null() || !gp::is_list(path)) gp::raise(&gp::exc_RuntimeError, "lost sys.path");
    gp::list_append(path.as<gp::List>(), gp::vstr(gp::str_new(dir)));
  });
}

void Runtime::add_module(const ModuleDef& def) {
  check_attached();
  std::lock_guard<std::mutex> lk(g_mod_mu);
  if (gp::find_native_module(def.name()))
    throw std::invalid_argument("gilpy: a native module named '" + def.name() + "' exists");
  if (g_mod_count == kMaxModules)
    throw std::length_error("gilpy: too many registered modules (at most 64)");
  size_t slot = g_mod_count++;
  g_mod_defs[slot] = new ModuleDef(def);
  gp::register_native_module(def.name(), kModuleInits[slot]);
}

std::string Runtime::gil_policy() const { return gp::gil_policy_name(); }
bool Runtime::gil_exclusive() const { return gp::gil_is_exclusive(); }
void Runtime::set_switch_interval(double seconds) {
  if (!(seconds > 0)) throw std::invalid_argument("gilpy: switch interval must be positive");
  gp::switch_interval.store(seconds);
}
std::string Runtime::gil_stats_report() const { return gp::gil_format_report(gp::gil_report()); }
void Runtime::reset_gil_stats() { gp::gil_reset_stats(); }

// ---- threads ------------------------------------------------------------------------------

bool attached() noexcept { return is_attached_now(); }

void collect() {
  check_attached();
  GC_gcollect();
}

Attach::Attach() {
  gp::ThreadState* ts = gp::tstate();
  if (ts) {
    if (ts->holds_gil) {
      mode_ = kNested;
    } else {
      gp::gil_acquire(ts);
      mode_ = kReacquired;
    }
    return;
  }
  if (!gp::runtime_initialized())
    throw std::logic_error("gilpy::Attach: no runtime (create a gilpy::Runtime first)");
  mode_ = kOwner;
  if (!GC_thread_is_registered()) {
    GC_stack_base sb;
    GC_get_stack_base(&sb);
    GC_register_my_thread(&sb);
    mode_ = kOwnerGcRegistered;
  }
  ts = gp::tstate_new();
  gp::thread_started(ts);
  gp::gil_acquire(ts);
}

Attach::~Attach() {
  gp::ThreadState* ts = gp::tstate();
  if (!ts) return;
  switch (mode_) {
    case kNested:
      return;
    case kReacquired:
      gp::gil_release(ts);
      return;
    default:
      gp::thread_finished(ts);
      gp::gil_thread_exit(ts);
      gp::tstate_delete(ts);
      if (mode_ == kOwnerGcRegistered) GC_unregister_my_thread();
  }
}

Release::Release() : released_(false) {
  gp::ThreadState* ts = gp::tstate();
  if (ts && ts->holds_gil) {
    gp::gil_release(ts);
    released_ = true;
  }
}

Release::~Release() {
  if (released_) gp::gil_acquire(gp::tstate());
}

}  // namespace gilpy
