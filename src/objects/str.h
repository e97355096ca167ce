// str.h — str: immutable Unicode text stored as UTF-8.
// Invariants: `size` (VarObject) is the byte length; `length` the number of code
// points; data() is NUL-terminated valid UTF-8. `ascii` strings index in O(1).
// The hash is computed once and cached (-1 = not yet); it is written with a relaxed
// atomic store so concurrent readers race benignly. Interned strings are unique per
// content, so identifier comparisons are pointer comparisons.
#pragma once
#include <cstring>
#include <string>
#include <string_view>

#include "core/runtime.h"

namespace gp {

struct Str : VarObject {
  int64_t length;                 // code points
  std::atomic<int64_t> hash_;     // -1 until computed
  bool ascii;
  bool interned;
  // Non-ASCII strings only: byte offset of every 32nd code point, built on first
  // index and published once (compare-exchange); see str_cp_offset. Null until then.
  std::atomic<const int64_t*> cpindex;
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
// ---- additions (strings engineer) ------------------------------------------------------
// A fresh exact str with room for nbytes (data() NUL-terminated by the caller's fill: the
// byte at nbytes is already 0). `length`/`ascii` must describe the bytes written.
Str* str_alloc(int64_t nbytes, int64_t length, bool ascii);
Str* str_new_known(std::string_view utf8, int64_t length, bool ascii);  // no scan
Str* str_empty();
Str* str_from_ascii_char(unsigned char c);    // cached one-character strings
Str* str_from_i64(int64_t v);                 // decimal text of v
// Byte offset of code point i (0 <= i <= length); O(1) after the first call.
int64_t str_cp_offset(Str* s, int64_t i);
// Decoding bytes to str and str to bytes for the codecs utf-8/utf8, ascii,
// latin-1/latin1/iso-8859-1; errors strict/replace/ignore (also backslashreplace,
// surrogateescape are refused with LookupError like an unknown codec).
// Raise UnicodeDecodeError/UnicodeEncodeError/LookupError with CPython's wording.
Str* str_decode(std::string_view data, const char* encoding, const char* errors);
Value str_encode(Str* s, const char* encoding, const char* errors);  // a bytes object
// Checked construction from outside UTF-8 (C strings, files): UnicodeDecodeError if bad.
Str* str_from_utf8_checked(std::string_view data);
Str* str_ascii_of(Str* s);                    // ascii(): repr with non-ASCII escaped
Str* str_format_map(Str* fmt, Value mapping);  // fmt.format_map(mapping)
int64_t hash_bytes(const void* data, size_t n);  // the str/bytes hash; never -1
Str* str_lower(Str* s);
Str* str_upper(Str* s);
List* str_split(Str* s, Str* sep /*null: whitespace*/, int64_t maxsplit);
// Byte equality of [a, a+n) and [b, b+n). Most strings compared (dict keys, prefixes,
// separators) are a few bytes long, where a libc memcmp call costs more than the
// comparison: up to 16 bytes are compared with two overlapping loads from each side,
// which never read outside the n bytes.
inline bool str_bytes_eq(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    uint64_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 8); std::memcpy(&y0, b, 8);
    std::memcpy(&x1, a + n - 8, 8); std::memcpy(&y1, b + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4); std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4); std::memcpy(&y1, b + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n == 0) return true;
  // 1..3 bytes: first, middle and last (overlapping for n < 3)
  return a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1];
}
// str_eq for two distinct strings already known to have equal hashes (dict probes):
// distinct interned strings differ; otherwise length, then bytes.
inline bool str_eq_same_hash(const Str* a, const Str* b) {
  if (a->size != b->size || (a->interned && b->interned)) return false;
  return str_bytes_eq(a->data(), b->data(), size_t(a->size));
}
inline Value vstr(Str* s) { return Value::from_obj(s); }
inline Str* as_str(Value v) { return v.as<Str>(); }
// Convenience for C++ code: an interned string for a literal name, made once.
#define GP_STR(lit) ([]() -> ::gp::Str* { static ::gp::Str* s = ::gp::str_intern(lit); return s; }())

}  // namespace gp
