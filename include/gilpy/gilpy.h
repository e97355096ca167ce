// gilpy.h — the embedding API of libgilpy: run Python code from C++ with real threads.
//
// Invariants (the contract with the host program):
//  * One runtime per process. `Runtime` starts it on the constructing thread, which is
//    left attached and holding the lock; a second Runtime in the same process throws.
//  * Every call below that touches Python (everything but Object's copy, move and
//    destruction, and the Attach/Release guards) must come from an *attached* thread
//    holding the lock: the Runtime's thread, a thread inside an `Attach` scope, or a
//    native function called from Python. Debug builds assert it; release builds throw
//    gilpy::Error (RuntimeError) instead of corrupting the heap.
//  * An `Object` is an opaque handle that keeps its Python object alive (a root of the
//    collector) for as long as any copy of the handle exists. Handles may be stored
//    anywhere (std::vector, malloc'd memory, globals) and copied or destroyed on any
//    thread registered with the runtime (attached, or inside a Release scope).
//  * A Python exception reaching C++ is thrown as `gilpy::Error`; a C++ exception leaving
//    a native function becomes a Python exception (gilpy::Error: the exception it
//    carries; std::exception: RuntimeError(what()); anything else: SystemError).
//  * This header includes no internal header of the interpreter: no Value, no collector.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gilpy {

namespace detail {
struct Cell;    // the collector root a handle points to (src/embed/api.cpp)
struct Access;  // the library's way in and out of handles
}  // namespace detail

class Object;
template <class T, class Enable = void>
struct Convert;  // C++ <-> Python conversions; specialise it for your own types

// An int too big for int64_t, as decimal text ("-123456789012345678901234567890").
struct BigInt {
  std::string digits;
};
// A Python bytes object (std::string would convert to str).
struct Bytes {
  std::string data;
};
// Keyword arguments of a call, in order.
using Kwargs = std::vector<std::pair<std::string, Object>>;

// ---- objects -------------------------------------------------------------------------
class Object {
 public:
  Object() noexcept = default;  // None
  Object(const Object& o) noexcept;
  Object(Object&& o) noexcept : cell_(o.cell_) { o.cell_ = nullptr; }
  Object& operator=(const Object& o) noexcept;
  Object& operator=(Object&& o) noexcept;
  ~Object();

  // C++ value -> Python object, through Convert<T>.
  template <class T>
  static Object from(const T& v) {
    return Convert<std::decay_t<T>>::to_python(v);
  }
  // Python object -> C++ value; throws gilpy::Error (TypeError, OverflowError, ...).
  template <class T>
  T as() const {
    return Convert<T>::from_python(*this);
  }

  // Builders and extractors the conversions use.
  static Object none() { return Object(); }
  static Object from_int(int64_t v);
  static Object from_uint(uint64_t v);
  static Object from_bigint(std::string_view decimal);  // ValueError if not an int literal
  static Object from_double(double v);
  static Object from_bool(bool v);
  static Object from_str(std::string_view utf8);       // UnicodeDecodeError if not UTF-8
  static Object from_bytes(std::string_view data);
  static Object list(const std::vector<Object>& items);
  static Object tuple(const std::vector<Object>& items);
  static Object dict(const std::vector<std::pair<Object, Object>>& items);
  int64_t to_int64() const;          // any int (bool too); OverflowError if it does not fit
  uint64_t to_uint64() const;
  std::string to_bigint() const;     // any int as decimal text
  double to_double() const;          // float or int (or __float__)
  bool to_bool() const;              // truth value, as `if x:`
  std::string to_str() const;        // a str's UTF-8; TypeError for anything else
  std::string to_bytes() const;      // bytes or bytearray contents
  std::vector<Object> to_vector() const;  // the items of any iterable
  std::vector<std::pair<Object, Object>> to_items() const;  // dict (or mapping) items

  // Python operations.
  Object attr(std::string_view name) const;
  bool has_attr(std::string_view name) const;
  void set_attr(std::string_view name, const Object& v) const;
  Object get_item(const Object& key) const;
  void set_item(const Object& key, const Object& v) const;
  void del_item(const Object& key) const;
  Object call(const std::vector<Object>& args, const Kwargs& kwargs = {}) const;
  template <class... A>
  Object operator()(const A&... a) const {
    return call(std::vector<Object>{Object::from(a)...});
  }
  template <class... A>
  Object call_method(std::string_view name, const A&... a) const {
    return attr(name).call(std::vector<Object>{Object::from(a)...});
  }
  int64_t size() const;                     // len(x)
  bool contains(const Object& item) const;  // item in x
  bool equals(const Object& other) const;   // x == other
  bool is(const Object& other) const noexcept;  // x is other (no lock needed)
  std::string repr() const;
  std::string str() const;
  std::string type_name() const;            // type(x).__name__
  bool is_none() const noexcept { return cell_ == nullptr; }
  bool is_int() const;
  bool is_float() const;
  bool is_str() const;
  bool is_bytes() const;
  bool is_list() const;
  bool is_tuple() const;
  bool is_dict() const;
  bool is_callable() const;
  // isinstance(x, cls) for a class object (e.g. runtime.import_("builtins").attr("int")).
  bool isinstance(const Object& cls) const;

 private:
  friend struct detail::Access;
  explicit Object(detail::Cell* c) noexcept : cell_(c) {}
  detail::Cell* cell_ = nullptr;  // nullptr: None
};

// ---- errors --------------------------------------------------------------------------
// A Python exception in C++. what() is "TypeName: message".
class Error : public std::runtime_error {
 public:
  Error(Object exception, std::string type_name, std::string message, std::string traceback);
  const std::string& type_name() const noexcept { return type_; }  // "ValueError", "mod.MyError"
  const std::string& message() const noexcept { return message_; } // str(exception)
  // The report Python would print ("Traceback (most recent call last):\n ... ValueError: x\n").
  const std::string& traceback() const noexcept { return traceback_; }
  const Object& exception() const noexcept { return exc_; }        // the exception instance
  // Is the exception an instance of the builtin class `name` or a subclass of it?
  bool matches(std::string_view builtin_name) const;

 private:
  Object exc_;
  std::string type_, message_, traceback_;
};

// Throw a Python exception of the builtin type `type_name` ("ValueError", "KeyError",
// ...; unknown names give SystemError) from C++: in a native function it reaches Python
// as that exception.
[[noreturn]] void Raise(std::string_view type_name, std::string_view message);
// The same with any exception class (e.g. one defined in Python).
[[noreturn]] void Raise(const Object& exception_class, std::string_view message);

// ---- native functions and modules ----------------------------------------------------
struct Args {
  std::vector<Object> positional;
  Kwargs keywords;
  size_t size() const { return positional.size(); }
  const Object& operator[](size_t i) const { return positional[i]; }
};
// The general form of a native function: any arguments, any result.
using Function = std::function<Object(const Args&)>;

namespace detail {
template <class T>
struct Signature : Signature<decltype(&T::operator())> {};
template <class R, class... A>
struct Signature<R (*)(A...)> {
  using Ret = R;
  using ArgsTuple = std::tuple<std::decay_t<A>...>;
  static constexpr size_t arity = sizeof...(A);
};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...)> : Signature<R (*)(A...)> {};
[[noreturn]] void arity_error(const std::string& name, size_t expected, const Args& got);
template <class F, class Sig, size_t... I>
Object invoke_typed(F& f, const Args& a, std::index_sequence<I...>) {
  using Tup = typename Sig::ArgsTuple;
  if constexpr (std::is_void_v<typename Sig::Ret>) {
    f(a[I].template as<std::tuple_element_t<I, Tup>>()...);
    return Object();
  } else {
    return Object::from(f(a[I].template as<std::tuple_element_t<I, Tup>>()...));
  }
}
}  // namespace detail

// Wrap a callable with typed parameters (int64_t, double, std::string, Object,
// std::vector<T>, ...) as a Function: arguments are converted with Convert<T>, the
// result with Convert<R> (void gives None). Keyword arguments are refused.
template <class F>
Function typed(std::string name, F f) {
  if constexpr (std::is_invocable_r_v<Object, F&, const Args&>) {
    return Function(std::move(f));
  } else {
    using Sig = detail::Signature<F>;
    return [name = std::move(name), f = std::move(f)](const Args& a) mutable -> Object {
      if (a.size() != Sig::arity || !a.keywords.empty()) detail::arity_error(name, Sig::arity, a);
      return detail::invoke_typed<F, Sig>(f, a, std::make_index_sequence<Sig::arity>{});
    };
  }
}

// A Python callable (builtin_function_or_method) that runs `fn`.
Object make_function(std::string_view name, Function fn);
template <class F>
Object function(std::string_view name, F f) {
  return make_function(name, typed(std::string(name), std::move(f)));
}

// A native module, importable from Python once registered (Runtime::add_module). The
// module object is built on its first import, in the importing thread.
class ModuleDef {
 public:
  explicit ModuleDef(std::string name) : name_(std::move(name)) {}
  template <class F>
  ModuleDef& def(std::string fname, F f) {
    Function fn = typed(fname, std::move(f));
    functions_.emplace_back(std::move(fname), std::move(fn));
    return *this;
  }
  template <class T>
  ModuleDef& add(std::string aname, const T& value) {
    values_.emplace_back(std::move(aname), Object::from(value));
    return *this;
  }
  // Runs after the functions and values are in place, with the module object.
  ModuleDef& on_init(std::function<void(Object module)> f) {
    init_ = std::move(f);
    return *this;
  }
  const std::string& name() const { return name_; }

 private:
  friend struct detail::Access;
  std::string name_;
  std::vector<std::pair<std::string, Function>> functions_;
  std::vector<std::pair<std::string, Object>> values_;
  std::function<void(Object)> init_;
};

// ---- the runtime ---------------------------------------------------------------------
struct Config {
  std::string gil;                 // "ticks", "switch", "fair", "none"; "" = GILPY_GIL or fair
  double switch_interval = 0;      // seconds (sys.setswitchinterval); 0 = default 0.005
  int check_interval = 0;          // ticks for --gil=ticks; 0 = default 100
  std::vector<std::string> path;   // prepended to sys.path (module search path)
  std::vector<std::string> argv;   // sys.argv (default [""])
  bool gil_stats = false;          // as --gil-stats: the lock's report on stderr at exit
  std::string gil_trace;           // as --gil-trace=FILE.json, written at exit
  std::string gil_timeline;        // as --gil-timeline=FILE.svg, written at exit
  bool unbuffered = false;         // as -u
};

class Runtime {
 public:
  explicit Runtime(const Config& config = {});  // std::invalid_argument for a bad option
  // Waits for non-daemon Python threads, flushes the standard streams and files, and
  // releases the lock. Host threads must have detached first. The process cannot start
  // another runtime afterwards (types and modules are process-wide).
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Execute statements in __main__. Returns None.
  Object exec(std::string_view source, std::string_view filename = "<string>");
  // Evaluate one expression in __main__'s namespace.
  Object eval(std::string_view expression);
  // Execute a file in __main__ (with __file__ set); throws gilpy::Error (OSError) if
  // it cannot be read.
  Object run_file(const std::string& path);
  Object import_(std::string_view module);  // `import module` (dotted names too)
  Object main_module() const;
  Object global(std::string_view name) const;  // __main__.name; NameError if unset
  void set_global(std::string_view name, const Object& v);
  template <class T>
  void set_global(std::string_view name, const T& v) {
    set_global(name, Object::from(v));
  }
  void add_path(const std::string& dir);  // append to sys.path
  void add_module(const ModuleDef& def);  // std::invalid_argument if the name is taken

  std::string gil_policy() const;        // the lock policy in force
  bool gil_exclusive() const;            // false under "none"
  void set_switch_interval(double seconds);
  std::string gil_stats_report() const;  // the --gil-stats table, now
  void reset_gil_stats();
};

// True if the calling thread is attached (and holds the lock under an exclusive policy).
bool attached() noexcept;
// A full collection now (the collector runs by itself; this is for tests and for hosts
// that just dropped many handles).
void collect();

// RAII: attach the calling host thread to the runtime (registering it with the
// collector, giving it a thread state, taking the lock) and detach it at scope exit.
// Nestable: on a thread already attached it only counts depth; on an attached thread
// that had released the lock (inside Release) it takes the lock back for its scope.
class Attach {
 public:
  Attach();
  ~Attach();
  Attach(const Attach&) = delete;
  Attach& operator=(const Attach&) = delete;

 private:
  int mode_;  // what the destructor undoes (src/embed/api.cpp)
};

// RAII: give the lock up around long native work that touches no Python object, and
// take it back at scope exit (gp::GilRelease). Nestable; a no-op where not held.
class Release {
 public:
  Release();
  ~Release();
  Release(const Release&) = delete;
  Release& operator=(const Release&) = delete;

 private:
  bool released_;
};

// ---- conversions ---------------------------------------------------------------------
template <>
struct Convert<Object> {
  static Object to_python(const Object& o) { return o; }
  static Object from_python(const Object& o) { return o; }
};
template <>
struct Convert<bool> {
  static Object to_python(bool v) { return Object::from_bool(v); }
  static bool from_python(const Object& o) { return o.to_bool(); }
};
template <class T>
struct Convert<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                   std::is_signed_v<T>>> {
  static Object to_python(T v) { return Object::from_int(int64_t(v)); }
  static T from_python(const Object& o) {
    int64_t v = o.to_int64();
    if (v < int64_t(std::numeric_limits<T>::min()) || v > int64_t(std::numeric_limits<T>::max()))
      Raise("OverflowError", "Python int too large to convert to C integer");
    return T(v);
  }
};
template <class T>
struct Convert<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                   std::is_unsigned_v<T>>> {
  static Object to_python(T v) { return Object::from_uint(uint64_t(v)); }
  static T from_python(const Object& o) {
    uint64_t v = o.to_uint64();
    if (v > uint64_t(std::numeric_limits<T>::max()))
      Raise("OverflowError", "Python int too large to convert to C integer");
    return T(v);
  }
};
template <class T>
struct Convert<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static Object to_python(T v) { return Object::from_double(double(v)); }
  static T from_python(const Object& o) { return T(o.to_double()); }
};
template <>
struct Convert<BigInt> {
  static Object to_python(const BigInt& v) { return Object::from_bigint(v.digits); }
  static BigInt from_python(const Object& o) { return BigInt{o.to_bigint()}; }
};
template <>
struct Convert<std::string> {
  static Object to_python(const std::string& v) { return Object::from_str(v); }
  static std::string from_python(const Object& o) { return o.to_str(); }
};
template <>
struct Convert<std::string_view> {
  static Object to_python(std::string_view v) { return Object::from_str(v); }
};
template <>
struct Convert<const char*> {
  static Object to_python(const char* v) { return Object::from_str(v); }
};
template <>
struct Convert<char*> {
  static Object to_python(const char* v) { return Object::from_str(v); }
};
template <size_t N>
struct Convert<char[N]> {
  static Object to_python(const char* v) { return Object::from_str(v); }
};
template <>
struct Convert<Bytes> {
  static Object to_python(const Bytes& v) { return Object::from_bytes(v.data); }
  static Bytes from_python(const Object& o) { return Bytes{o.to_bytes()}; }
};
template <>
struct Convert<std::nullptr_t> {
  static Object to_python(std::nullptr_t) { return Object(); }
};
template <class T>
struct Convert<std::optional<T>> {  // None <-> nullopt
  static Object to_python(const std::optional<T>& v) { return v ? Object::from(*v) : Object(); }
  static std::optional<T> from_python(const Object& o) {
    if (o.is_none()) return std::nullopt;
    return o.as<T>();
  }
};
template <class T, class A>
struct Convert<std::vector<T, A>> {  // list <-> vector (any iterable converts back)
  static Object to_python(const std::vector<T, A>& v) {
    std::vector<Object> items;
    items.reserve(v.size());
    for (const auto& x : v) items.push_back(Object::from(x));
    return Object::list(items);
  }
  static std::vector<T, A> from_python(const Object& o) {
    std::vector<T, A> out;
    for (const Object& x : o.to_vector()) out.push_back(x.as<T>());
    return out;
  }
};
template <class M>
struct MapConvert {  // dict <-> map
  static Object to_python(const M& m) {
    std::vector<std::pair<Object, Object>> items;
    items.reserve(m.size());
    for (const auto& [k, v] : m) items.emplace_back(Object::from(k), Object::from(v));
    return Object::dict(items);
  }
  static M from_python(const Object& o) {
    M out;
    for (const auto& [k, v] : o.to_items())
      out.emplace(k.template as<typename M::key_type>(), v.template as<typename M::mapped_type>());
    return out;
  }
};
template <class K, class V, class C, class A>
struct Convert<std::map<K, V, C, A>> : MapConvert<std::map<K, V, C, A>> {};
template <class K, class V, class H, class E, class A>
struct Convert<std::unordered_map<K, V, H, E, A>> : MapConvert<std::unordered_map<K, V, H, E, A>> {};

}  // namespace gilpy
