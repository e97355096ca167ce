// unicode.h — UTF-8 coding and Unicode code point properties for str/bytes.
//
// Invariants:
//  * Every Str holds valid UTF-8 (no surrogates, no overlongs, max U+10FFFF), so
//    utf8_decode_valid() may assume well-formed input; anything from outside (bytes,
//    files, C strings) must pass utf8_validate() first.
//  * Property tests and case mappings agree with CPython 3.11 (Unicode 14.0.0): the
//    tables in unicode.cpp were generated from its unicodedata module. ASCII is
//    answered inline without touching the tables.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gp {

// ---- UTF-8 ---------------------------------------------------------------------------
inline int utf8_cp_len(uint32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }
// Byte length of the sequence that starts with lead byte b (valid UTF-8 only).
inline int utf8_seq_len(unsigned char b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

// Writes cp (<= 0x10FFFF) at out, returns the number of bytes written (1..4).
inline int utf8_encode(uint32_t cp, char* out) {
  if (cp < 0x80) { out[0] = char(cp); return 1; }
  if (cp < 0x800) {
    out[0] = char(0xC0 | (cp >> 6));
    out[1] = char(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = char(0xE0 | (cp >> 12));
    out[1] = char(0x80 | ((cp >> 6) & 0x3F));
    out[2] = char(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = char(0xF0 | (cp >> 18));
  out[1] = char(0x80 | ((cp >> 12) & 0x3F));
  out[2] = char(0x80 | ((cp >> 6) & 0x3F));
  out[3] = char(0x80 | (cp & 0x3F));
  return 4;
}
inline void utf8_append(std::string& s, uint32_t cp) {
  char buf[4];
  s.append(buf, size_t(utf8_encode(cp, buf)));
}

// Decodes the code point at p (valid UTF-8) and advances p past it.
inline uint32_t utf8_decode_valid(const char*& p) {
  const unsigned char* u = reinterpret_cast<const unsigned char*>(p);
  unsigned char b = u[0];
  if (b < 0x80) { p += 1; return b; }
  if (b < 0xE0) { p += 2; return (uint32_t(b & 0x1F) << 6) | (u[1] & 0x3F); }
  if (b < 0xF0) {
    p += 3;
    return (uint32_t(b & 0x0F) << 12) | (uint32_t(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
  }
  p += 4;
  return (uint32_t(b & 0x07) << 18) | (uint32_t(u[1] & 0x3F) << 12) |
         (uint32_t(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
}
// Decodes the code point that ends just before p and moves p back to its start.
inline uint32_t utf8_decode_prev(const char*& p) {
  const char* q = p - 1;
  while ((static_cast<unsigned char>(*q) & 0xC0) == 0x80) --q;
  p = q;
  const char* t = q;
  return utf8_decode_valid(t);
}

// Result of validating arbitrary bytes as UTF-8.
struct Utf8Error {
  size_t start;        // offset of the first bad byte
  size_t end;          // one past the bad sequence (CPython's error range)
  const char* reason;  // "invalid start byte", "invalid continuation byte", "unexpected end of data"
};
// True if s is valid UTF-8 (CPython's strict rules: no surrogates, no overlongs).
// On failure fills *err (if given). *ncp receives the number of code points (valid part).
bool utf8_validate(const char* s, size_t n, Utf8Error* err, int64_t* ncp);
// Count code points of valid UTF-8.
int64_t utf8_count(const char* s, size_t n);
// True if all bytes are < 0x80.
bool is_ascii_bytes(const char* s, size_t n);

// ---- properties -----------------------------------------------------------------------
bool uni_isalpha(uint32_t cp);
bool uni_isdecimal(uint32_t cp);
bool uni_isdigit(uint32_t cp);
bool uni_isnumeric(uint32_t cp);
bool uni_isspace(uint32_t cp);
bool uni_isupper(uint32_t cp);
bool uni_islower(uint32_t cp);
bool uni_istitle(uint32_t cp);       // category Lt
bool uni_isprintable(uint32_t cp);
bool uni_isalnum(uint32_t cp);       // alpha, decimal, digit or numeric (CPython's isalnum)
bool uni_isid_start(uint32_t cp);    // XID_Start or '_'
bool uni_isid_continue(uint32_t cp); // XID_Continue
bool uni_iscased(uint32_t cp);
bool uni_iscase_ignorable(uint32_t cp);
bool uni_islinebreak(uint32_t cp);   // str.splitlines boundaries
int uni_decimal_value(uint32_t cp);  // 0..9, or -1 if not a decimal digit

// ---- case mappings ---------------------------------------------------------------------
// Full mappings write 1..3 code points into out and return the count.
int uni_to_upper_full(uint32_t cp, uint32_t out[3]);
int uni_to_lower_full(uint32_t cp, uint32_t out[3]);
int uni_to_title_full(uint32_t cp, uint32_t out[3]);
int uni_casefold_full(uint32_t cp, uint32_t out[3]);
uint32_t uni_to_upper(uint32_t cp);  // simple (first code point of the full mapping)
uint32_t uni_to_lower(uint32_t cp);

// True if an identifier per str.isidentifier() (valid UTF-8 input).
bool uni_is_identifier(std::string_view utf8);

}  // namespace gp
