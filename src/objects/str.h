// str.h — str: immutable Unicode text stored as UTF-8.
// Invariants: `size` (VarObject) is the byte length; `length` the number of code
// points; data() is NUL-terminated valid UTF-8. `ascii` strings index in O(1).
// The hash is computed once and cached (-1 = not yet); it is written with a relaxed
// atomic store so concurrent readers race benignly. Interned strings are unique per
// content, so identifier comparisons are pointer comparisons.
#pragma once
#include <string>
#include <string_view>

#include "core/runtime.h"

namespace gp {

struct Str : VarObject {
  int64_t length;                 // code points
  std::atomic<int64_t> hash_;     // -1 until computed
  bool ascii;
  bool interned;
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const { return {data(), size_t(size)}; }
};

Str* str_new(std::string_view utf8);          // utf8 must be valid
Str* str_from_cstr(const char* s);
Str* str_intern(std::string_view utf8);       // the unique interned copy
Str* str_intern(Str* s);
Str* str_from_codepoint(uint32_t cp);
Str* str_concat(Str* a, Str* b);
int64_t str_hash(Str* s);
bool str_eq(Str* a, Str* b);                  // content equality (pointer fast path)
Str* str_repr(Str* s);                        // 'abc' with CPython's quoting/escaping
Str* str_format_percent(Str* fmt, Value args);  // fmt % args
Str* str_format_method(Str* fmt, const Value* args, size_t nargs, Tuple* kwnames);  // fmt.format(...)
// format(s, spec) for strings: fill, align, width, precision
Str* str_format_spec(Str* s, Str* spec);
Str* str_join(Str* sep, Value iterable);
inline Value vstr(Str* s) { return Value::from_obj(s); }
inline Str* as_str(Value v) { return v.as<Str>(); }
// Convenience for C++ code: an interned string for a literal name, made once.
#define GP_STR(lit) ([]() -> ::gp::Str* { static ::gp::Str* s = ::gp::str_intern(lit); return s; }())

}  // namespace gp
