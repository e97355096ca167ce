// tokenizer.cpp — one pass over the bytes of normalised source, CPython 3.11's rules.
//
// Invariants:
//  * Single forward pass; every byte is looked at a bounded number of times, so a
//    10 MB line costs linear time. Lookahead never goes past the source end (the
//    text always ends with '\n', and we check bounds anyway).
//  * Error positions copy tokenizer.c: "hard" errors (syntaxerror()) report the text
//    of the line up to its '\n' and the character count up to the tokenizer cursor;
//    "soft" ones (E_EOF, E_DEDENT, E_TABSPACE, E_LINECONT, E_TOODEEP) report what
//    pegen's tokenizer_error() reports.
#include "compiler/tokenizer.h"

#include <cctype>
#include <cstdarg>
#include <cstdio>

namespace gp::front {

// ------------------------------------------------------------------ unicode helpers
bool decode_utf8_at(std::string_view s, size_t i, uint32_t* cp, size_t* len) {
  unsigned char c = s[i];
  if (c < 0x80) { *cp = c; *len = 1; return true; }
  int n;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; }
  else return false;
  if (i + n > s.size()) return false;
  for (int k = 1; k < n; k++) {
    unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) return false;
    v = (v << 6) | (d & 0x3F);
  }
  if ((n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
    return false;
  *cp = v;
  *len = n;
  return true;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out += char(cp);
  else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
  else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F));
  }
}

bool unicode_is_printable(uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) return false;
  if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
      (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF || (cp >= 0xD800 && cp <= 0xF8FF) ||
      (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0x061C || cp == 0x180E || (cp >= 0xE0000 && cp <= 0xE007F) ||
      cp >= 0xF0000)
    return false;
  return true;
}

// Without the Unicode database we reject the blocks that hold no letters (symbols,
// punctuation, spaces, emoji) and accept the rest, which covers real identifiers.
static bool non_identifier_block(uint32_t cp) {
  if (cp < 0xC0) return !(cp == 0xAA || cp == 0xB5 || cp == 0xBA);
  if (cp == 0xD7 || cp == 0xF7) return true;
  if (cp >= 0x2000 && cp <= 0x206F) return !(cp == 0x203F || cp == 0x2040 || cp == 0x2054);
  if (cp >= 0x2070 && cp <= 0x209F) return !(cp == 0x2071 || cp == 0x207F || (cp >= 0x2090 && cp <= 0x209C));
  if (cp >= 0x20A0 && cp <= 0x20FF) return !(cp >= 0x20D0 && cp <= 0x20F0);
  if (cp >= 0x2100 && cp <= 0x214F) {
    static const uint32_t ok[] = {0x2102, 0x2107, 0x2115, 0x2124, 0x2126, 0x2128, 0x214E};
    for (uint32_t o : ok) if (cp == o) return false;
    if ((cp >= 0x210A && cp <= 0x2113) || (cp >= 0x2119 && cp <= 0x211D) || (cp >= 0x212A && cp <= 0x2139) ||
        (cp >= 0x213C && cp <= 0x213F) || (cp >= 0x2145 && cp <= 0x2149) || cp == 0x2118 || cp == 0x212E)
      return false;
    return true;
  }
  if (cp >= 0x2150 && cp <= 0x218F) return !(cp >= 0x2160 && cp <= 0x2188);
  if (cp >= 0x2190 && cp <= 0x2BFF) return true;
  if (cp >= 0x2E00 && cp <= 0x2E7F) return true;
  if (cp >= 0x3000 && cp <= 0x303F)
    return !((cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3021 && cp <= 0x302F) || (cp >= 0x3031 && cp <= 0x3035) ||
             (cp >= 0x3038 && cp <= 0x303C));
  if (cp >= 0xD800 && cp <= 0xF8FF) return true;
  if (cp >= 0xFE10 && cp <= 0xFE1F) return true;
  if (cp >= 0xFE30 && cp <= 0xFE4F) return !(cp == 0xFE33 || cp == 0xFE34 || (cp >= 0xFE4D && cp <= 0xFE4F));
  if (cp >= 0xFE50 && cp <= 0xFE6F) return true;
  if (cp == 0xFEFF) return true;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return true;
  if (cp >= 0xFF1A && cp <= 0xFF20) return true;
  if (cp >= 0xFF3B && cp <= 0xFF40) return cp != 0xFF3F;
  if (cp >= 0xFF5B && cp <= 0xFF65) return true;
  if (cp >= 0xFFE0 && cp <= 0xFFFF) return true;
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;
  if (cp >= 0xE0000) return true;
  return false;
}

bool unicode_is_id_start(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
  if (non_identifier_block(cp)) return false;
  // combining marks and digits cannot start an identifier
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9) ||
      (cp >= 0x0966 && cp <= 0x096F) || (cp >= 0xFF10 && cp <= 0xFF19) || cp == 0x00B7 || cp == 0x203F ||
      cp == 0x2040 || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
      (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F))
    return false;
  return true;
}

bool unicode_is_id_continue(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' || (cp >= '0' && cp <= '9');
  if (cp == 0xB7) return true;
  return !non_identifier_block(cp);
}

// ------------------------------------------------------------------ normalisation
// PEP 263: the codec named by a `coding[:=]NAME` comment on line 1, or on line 2 when line
// 1 is blank or a comment; "" when there is none.
static std::string coding_cookie(std::string_view in) {
  size_t pos = 0;
  for (int line = 0; line < 2 && pos < in.size(); line++) {
    size_t eol = in.find('\n', pos);
    std::string_view l = in.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    size_t k = 0;
    while (k < l.size() && (l[k] == ' ' || l[k] == '\t' || l[k] == '\f')) k++;
    if (k < l.size() && l[k] == '#') {
      for (size_t c = l.find("coding", k); c != std::string_view::npos; c = l.find("coding", c + 1)) {
        size_t v = c + 6;
        if (v >= l.size() || (l[v] != ':' && l[v] != '=')) continue;
        v++;
        while (v < l.size() && (l[v] == ' ' || l[v] == '\t')) v++;
        size_t e = v;
        while (e < l.size() && (isalnum((unsigned char)l[e]) || l[e] == '-' || l[e] == '_' || l[e] == '.')) e++;
        if (e > v) return std::string(l.substr(v, e - v));
      }
    } else if (k < l.size() && l[k] != '\r') {
      break;  // line 1 is code: a cookie on line 2 does not count
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return "";
}

bool normalize_source(std::string_view in, std::string* out, bool is_file, std::string_view filename,
                      SyntaxErr* err) {
  if (in.size() >= 3 && (unsigned char)in[0] == 0xEF && (unsigned char)in[1] == 0xBB && (unsigned char)in[2] == 0xBF)
    in.remove_prefix(3);
  // Only UTF-8 (and ASCII, its subset) and Latin-1 are supported as declared encodings:
  // Latin-1 is transcoded here, any other name is CPython's "encoding problem".
  std::string transcoded;
  if (is_file) {
    std::string name = coding_cookie(in);
    std::string norm;
    for (char ch : name) norm += ch == '_' ? '-' : char(tolower((unsigned char)ch));
    if (norm.empty() || norm == "utf-8" || norm.rfind("utf-8-", 0) == 0 || norm == "utf8" ||
        norm == "ascii" || norm == "us-ascii") {
      // the default decoding below
    } else if (norm == "latin-1" || norm == "iso-8859-1" || norm == "iso-latin-1" || norm == "latin1" ||
               norm == "l1" || norm == "iso8859-1" || norm.rfind("latin-1-", 0) == 0 ||
               norm.rfind("iso-8859-1-", 0) == 0 || norm.rfind("iso-latin-1-", 0) == 0) {
      transcoded.reserve(in.size() + in.size() / 8);
      for (unsigned char ch : in) {
        if (ch < 0x80) {
          transcoded += char(ch);
        } else {
          transcoded += char(0xC0 | (ch >> 6));
          transcoded += char(0x80 | (ch & 0x3F));
        }
      }
      in = transcoded;
    } else {
      err->type = &exc_SyntaxError;
      err->msg = "encoding problem: " + name;
      err->no_location = true;
      return false;
    }
  }
  out->clear();
  out->reserve(in.size() + 1);
  size_t i = 0, n = in.size(), line_start_in = 0;
  int line = 1;
  size_t out_line_start = 0;
  while (i < n) {
    // fast path: a run of plain ASCII bytes
    size_t j = i;
    while (j < n) {
      unsigned char c = in[j];
      if (c >= 0x80 || c == '\r' || c == '\n') break;
      j++;
    }
    out->append(in.data() + i, j - i);
    i = j;
    if (i >= n) break;
    unsigned char c = in[i];
    if (c == '\n' || c == '\r') {
      out->push_back('\n');
      i += (c == '\r' && i + 1 < n && in[i + 1] == '\n') ? 2 : 1;
      line++;
      line_start_in = i;
      out_line_start = out->size();
      continue;
    }
    uint32_t cp;
    size_t len;
    if (!decode_utf8_at(in, i, &cp, &len)) {
      err->type = &exc_SyntaxError;
      char buf[400];
      if (is_file) {
        snprintf(buf, sizeof buf,
                 "Non-UTF-8 code starting with '\\x%02x' in file %.*s on line %d, but no encoding declared; "
                 "see https://peps.python.org/pep-0263/ for details",
                 c, int(filename.size()), filename.data(), line);
        err->msg = buf;
        err->no_location = true;
        return false;
      }
      // Python's UTF-8 decoder reason strings
      const char* reason = "invalid start byte";
      size_t pos_in_line = i - line_start_in;
      if (c >= 0xC2 && c <= 0xF4) {
        size_t need = c <= 0xDF ? 2 : c <= 0xEF ? 3 : 4;
        size_t k = 1;
        bool bad_cont = false;
        for (; k < need && i + k < n; k++) {
          unsigned char d = in[i + k];
          bool ok = (d & 0xC0) == 0x80;
          if (k == 1) {
            if (c == 0xE0 && d < 0xA0) ok = false;
            if (c == 0xED && d > 0x9F) ok = false;
            if (c == 0xF0 && d < 0x90) ok = false;
            if (c == 0xF4 && d > 0x8F) ok = false;
          }
          if (!ok) { bad_cont = true; break; }
        }
        if (bad_cont) reason = "invalid continuation byte";
        else reason = "unexpected end of data";
        if (bad_cont && k > 1) {
          snprintf(buf, sizeof buf, "(unicode error) 'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                   pos_in_line, pos_in_line + k - 1, reason);
          reason = nullptr;
        }
      }
      if (reason)
        snprintf(buf, sizeof buf, "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                 c, pos_in_line, reason);
      err->msg = buf;
      err->lineno = line;
      // the offending line, decoded with replacement characters
      std::string text(out->data() + out_line_start, out->size() - out_line_start);
      int chars = 0;
      for (size_t k = out_line_start; k < out->size(); k++)
        if (((unsigned char)(*out)[k] & 0xC0) != 0x80) chars++;
      size_t k = i;
      while (k < n && in[k] != '\n' && in[k] != '\r') {
        uint32_t cp2;
        size_t l2;
        if (decode_utf8_at(in, k, &cp2, &l2)) { text.append(in.data() + k, l2); k += l2; }
        else { text += "\xEF\xBF\xBD"; k++; }
      }
      err->text = text + "\n";
      err->offset = chars + 1;
      err->end_lineno = line;
      err->end_offset = -1;
      return false;
    }
    out->append(in.data() + i, len);
    i += len;
  }
  if (out->empty() || out->back() != '\n') out->push_back('\n');
  return true;
}

// ------------------------------------------------------------------ tokenizer
Tokenizer::Tokenizer(std::string_view s, int line0, int col0, int level0)
    : src(s), line0_(line0), col0_(col0), level0_(level0) {
  line_ = line0;
  level_ = level0;
  for (int i = 0; i < level0; i++) { paren_stack_[i] = '('; paren_line_[i] = line0; paren_col_[i] = col0; }
  line_starts_.push_back(0);
  toks.reserve(s.size() / 4 + 16);
}

std::string_view Tokenizer::line_text(int line) const {
  int idx = line - line0_;
  if (idx < 0 || idx >= int(line_starts_.size())) return {};
  size_t b = line_starts_[idx];
  size_t e = src.find('\n', b);
  if (e == std::string_view::npos) e = src.size();
  return src.substr(b, e - b);
}

int Tokenizer::chars_in_line(int line, int nbytes) const {
  std::string_view t = line_text(line);
  int idx = line - line0_;
  int extra = (idx == 0) ? col0_ : 0;  // f-string sub-sources start mid-line
  nbytes -= extra;
  if (nbytes < 0) return nbytes + extra;
  int chars = extra, k = 0;
  for (; k < nbytes && k < int(t.size()); k++)
    if (((unsigned char)t[k] & 0xC0) != 0x80) chars++;
  return chars + (nbytes - k);
}

int Tokenizer::col_of(size_t off) const {
  int c = int(off - line_start_);
  if (line_ == line0_) c += col0_;
  return c;
}

void Tokenizer::new_line(size_t next_line_start) {
  line_++;
  line_start_ = next_line_start;
  if (line_ - line0_ >= int(line_starts_.size())) line_starts_.push_back(uint32_t(next_line_start));
}

void Tokenizer::push(Tok t, size_t start, size_t end, int sline, int scol) {
  Token k;
  k.type = t;
  k.level = int16_t(level_);
  k.line = sline;
  k.col = scol;
  k.end_line = line_;
  k.end_col = col_of(end);
  k.start = uint32_t(start);
  k.end = uint32_t(end);
  toks.push_back(k);
}

// CPython's syntaxerror(): text is the current line up to '\n'; offset is the
// number of characters from the line start to `cur` (the tokenizer cursor).
bool Tokenizer::hard_error(size_t cur, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  int chars = chars_in_line(line_, col_of(cur));
  err_kind = TokErr::HARD;
  err.type = &exc_SyntaxError;
  err.msg = buf;
  err.lineno = line_;
  err.offset = chars;
  err.text = std::string(line_text(line_));
  err.end_lineno = line_;
  err.end_offset = chars;
  push(Tok::ERRORTOKEN, cur, cur, line_, col_of(cur));
  return false;
}

// syntaxerror_known_range(): offsets are 1-based byte columns already.
bool Tokenizer::hard_error_range(int col_offset, int end_col_offset, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  err_kind = TokErr::HARD;
  err.type = &exc_SyntaxError;
  err.msg = buf;
  err.lineno = line_;
  err.offset = col_offset;
  err.text = std::string(line_text(line_));
  err.end_lineno = line_;
  err.end_offset = end_col_offset;
  push(Tok::ERRORTOKEN, pos_, pos_, line_, col_of(pos_));
  return false;
}

void Tokenizer::soft_error(TokErr kind, Type* type, const char* msg, int lineno, int offset, int end_offset,
                           bool text_nl) {
  err_kind = kind;
  err.type = type;
  err.msg = msg;
  err.lineno = lineno;
  err.offset = offset;
  err.text = std::string(line_text(lineno));
  if (text_nl) err.text += '\n';
  err.end_lineno = lineno;
  err.end_offset = end_offset;
  push(Tok::ERRORTOKEN, pos_, pos_, line_, col_of(pos_));
}

static inline bool is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool is_xdigit(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static inline bool is_id_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9') || c >= 128;
}
static inline bool is_id_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
}

// tok_decimal_tail: digits with single underscores. cur points after the first digit.
bool Tokenizer::decimal_tail(size_t& cur) {
  const char* s = src.data();
  size_t n = src.size();
  while (true) {
    while (cur < n && is_digit(s[cur])) cur++;
    if (cur >= n || s[cur] != '_') return true;
    cur++;
    if (cur >= n || !is_digit(s[cur])) {
      hard_error(cur, "invalid decimal literal");
      return false;
    }
  }
}

// verify_end_of_number: `cur` is at the char after the number (CPython's c).
bool Tokenizer::verify_end_of_number(size_t& cur, const char* kind) {
  const char* s = src.data();
  size_t n = src.size();
  int c = cur < n ? (unsigned char)s[cur] : -1;
  auto la = [&](const char* w) {
    size_t k = cur + 1;
    for (; *w; w++, k++)
      if (k >= n || s[k] != *w) return false;
    return true;
  };
  bool r = false;
  if (c == 'a') r = la("nd");
  else if (c == 'e') r = la("lse");
  else if (c == 'f') r = la("or");
  else if (c == 'i') r = cur + 1 < n && (s[cur + 1] == 'f' || s[cur + 1] == 'n' || s[cur + 1] == 's');
  else if (c == 'o') r = la("r");
  else if (c == 'n') r = la("ot");
  if (r) return true;  // CPython warns (DeprecationWarning) and accepts
  if (c >= 0 && is_id_char(c)) {
    hard_error(cur, "invalid %s literal", kind);
    return false;
  }
  return true;
}

bool Tokenizer::lex_number(size_t start) {
  const char* s = src.data();
  size_t n = src.size();
  size_t cur = start;
  auto at = [&](size_t k) -> int { return k < n ? (unsigned char)s[k] : -1; };
  int c = at(cur++);
  bool is_float_path = false;
  if (c == '.') {  // ".5"
    is_float_path = true;
    goto fraction;
  }
  if (c == '0') {
    c = at(cur);
    if (c == 'x' || c == 'X') {
      cur++;
      c = at(cur);
      do {
        if (c == '_') { cur++; c = at(cur); }
        if (!is_xdigit(c)) return hard_error(cur, "invalid hexadecimal literal");
        do { cur++; c = at(cur); } while (is_xdigit(c));
      } while (c == '_');
      if (!verify_end_of_number(cur, "hexadecimal")) return false;
    } else if (c == 'o' || c == 'O') {
      cur++;
      c = at(cur);
      do {
        if (c == '_') { cur++; c = at(cur); }
        if (c < '0' || c >= '8') {
          if (is_digit(c)) return hard_error(cur + 1, "invalid digit '%c' in octal literal", c);
          return hard_error(cur, "invalid octal literal");
        }
        do { cur++; c = at(cur); } while (c >= '0' && c < '8');
      } while (c == '_');
      if (is_digit(c)) return hard_error(cur + 1, "invalid digit '%c' in octal literal", c);
      if (!verify_end_of_number(cur, "octal")) return false;
    } else if (c == 'b' || c == 'B') {
      cur++;
      c = at(cur);
      do {
        if (c == '_') { cur++; c = at(cur); }
        if (c != '0' && c != '1') {
          if (is_digit(c)) return hard_error(cur + 1, "invalid digit '%c' in binary literal", c);
          return hard_error(cur, "invalid binary literal");
        }
        do { cur++; c = at(cur); } while (c == '0' || c == '1');
      } while (c == '_');
      if (is_digit(c)) return hard_error(cur + 1, "invalid digit '%c' in binary literal", c);
      if (!verify_end_of_number(cur, "binary")) return false;
    } else {
      bool nonzero = false;
      while (true) {
        if (c == '_') {
          cur++;
          c = at(cur);
          if (!is_digit(c)) return hard_error(cur, "invalid decimal literal");
        }
        if (c != '0') break;
        cur++;
        c = at(cur);
      }
      size_t zeros_end = cur;
      if (is_digit(c)) {
        nonzero = true;
        cur++;
        if (!decimal_tail(cur)) return false;
        c = at(cur);
      }
      if (c == '.') { cur++; goto fraction; }
      if (c == 'e' || c == 'E') goto exponent;
      if (c == 'j' || c == 'J') goto imaginary;
      if (nonzero) {
        int scol = col_of(start) + 1;
        return hard_error_range(chars_in_line(line_, scol), chars_in_line(line_, col_of(zeros_end + 1)),
                                "leading zeros in decimal integer literals are not permitted; "
                                "use an 0o prefix for octal integers");
      }
      if (!verify_end_of_number(cur, "decimal")) return false;
    }
    goto done;
  }
  // decimal
  if (!decimal_tail(cur)) return false;
  c = at(cur);
  if (c == '.') {
    cur++;
  fraction:
    is_float_path = true;
    c = at(cur);
    if (is_digit(c)) {
      cur++;
      if (!decimal_tail(cur)) return false;
    }
    c = at(cur);
  }
  if (c == 'e' || c == 'E') {
  exponent:
    size_t epos = cur;
    cur++;
    c = at(cur);
    if (c == '+' || c == '-') {
      cur++;
      c = at(cur);
      if (!is_digit(c)) return hard_error(cur, "invalid decimal literal");
    } else if (!is_digit(c)) {
      size_t e = epos;
      if (!verify_end_of_number(e, "decimal")) return false;
      cur = epos;  // the number ends before the 'e'
      goto done;
    }
    cur++;
    if (!decimal_tail(cur)) return false;
    c = at(cur);
  }
  if (c == 'j' || c == 'J') {
  imaginary:
    cur++;
    if (!verify_end_of_number(cur, "imaginary")) return false;
  } else if (!verify_end_of_number(cur, "decimal")) {
    return false;
  }
done:
  (void)is_float_path;
  push(Tok::NUMBER, start, cur, line_, col_of(start));
  pos_ = cur;
  return true;
}

// String token: `start` at the prefix (or quote), `q` at the opening quote.
bool Tokenizer::lex_string(size_t start, size_t q) {
  const char* s = src.data();
  size_t n = src.size();
  char quote = s[q];
  size_t cur = q + 1;
  int quote_size = 1;
  int first_line = line_;
  size_t first_line_start = line_start_;
  if (cur + 1 < n && s[cur] == quote && s[cur + 1] == quote) {
    quote_size = 3;
    cur += 2;
  } else if (cur < n && s[cur] == quote) {
    push(Tok::STRING, start, cur + 1, line_, col_of(start));
    pos_ = cur + 1;
    return true;
  }
  int start_col = col_of(start);
  while (true) {
    // scan quickly to the next interesting byte
    while (cur < n) {
      char c = s[cur];
      if (c == quote || c == '\\' || c == '\n') break;
      cur++;
    }
    if (cur >= n || (quote_size == 1 && s[cur] == '\n')) {
      int detected = line_;
      if (cur >= n) detected = line_ - 1 >= first_line ? line_ - 1 : line_;
      // report from the opening quote's line, cursor just after the token start
      int end_line = line_;
      line_ = first_line;
      line_start_ = first_line_start;
      (void)end_line;
      if (quote_size == 3)
        hard_error(start + 1, "unterminated triple-quoted string literal (detected at line %d)", detected);
      else
        hard_error(start + 1, "unterminated string literal (detected at line %d)", detected);
      return false;
    }
    char c = s[cur];
    if (c == '\n') {
      new_line(cur + 1);
      cur++;
      continue;
    }
    if (c == '\\') {
      cur++;
      if (cur < n && s[cur] == '\n') new_line(cur + 1);
      if (cur < n) cur++;
      continue;
    }
    // quote
    if (quote_size == 1) { cur++; break; }
    if (cur + 2 < n && s[cur + 1] == quote && s[cur + 2] == quote) { cur += 3; break; }
    cur++;
  }
  Token k;
  k.type = Tok::STRING;
  k.level = int16_t(level_);
  k.line = first_line;
  k.col = start_col;
  k.end_line = line_;
  k.end_col = col_of(cur);
  k.start = uint32_t(start);
  k.end = uint32_t(cur);
  toks.push_back(k);
  pos_ = cur;
  return true;
}

bool Tokenizer::check_identifier(size_t start, size_t end) {
  // verify_identifier(): the first invalid code point ends the token
  size_t i = start;
  bool first = true;
  while (i < end) {
    uint32_t cp;
    size_t len;
    decode_utf8_at(src, i, &cp, &len);  // source is valid UTF-8
    bool ok = first ? unicode_is_id_start(cp) : unicode_is_id_continue(cp);
    if (!ok) {
      size_t cur = i + len;
      char hex[16];
      snprintf(hex, sizeof hex, "%04X", cp);
      if (unicode_is_printable(cp)) {
        std::string ch(src.substr(i, len));
        return hard_error(cur, "invalid character '%s' (U+%s)", ch.c_str(), hex);
      }
      return hard_error(cur, "invalid non-printable character U+%s", hex);
    }
    first = false;
    i += len;
  }
  return true;
}

static Tok keyword_of(std::string_view w) {
  switch (w.size()) {
    case 2:
      if (w == "if") return Tok::KW_IF;
      if (w == "in") return Tok::KW_IN;
      if (w == "is") return Tok::KW_IS;
      if (w == "or") return Tok::KW_OR;
      if (w == "as") return Tok::KW_AS;
      break;
    case 3:
      if (w == "def") return Tok::KW_DEF;
      if (w == "for") return Tok::KW_FOR;
      if (w == "not") return Tok::KW_NOT;
      if (w == "and") return Tok::KW_AND;
      if (w == "del") return Tok::KW_DEL;
      if (w == "try") return Tok::KW_TRY;
      break;
    case 4:
      if (w == "None") return Tok::KW_NONE;
      if (w == "True") return Tok::KW_TRUE;
      if (w == "else") return Tok::KW_ELSE;
      if (w == "elif") return Tok::KW_ELIF;
      if (w == "pass") return Tok::KW_PASS;
      if (w == "from") return Tok::KW_FROM;
      if (w == "with") return Tok::KW_WITH;
      break;
    case 5:
      if (w == "False") return Tok::KW_FALSE;
      if (w == "class") return Tok::KW_CLASS;
      if (w == "while") return Tok::KW_WHILE;
      if (w == "break") return Tok::KW_BREAK;
      if (w == "raise") return Tok::KW_RAISE;
      if (w == "yield") return Tok::KW_YIELD;
      if (w == "async") return Tok::KW_ASYNC;
      if (w == "await") return Tok::KW_AWAIT;
      break;
    case 6:
      if (w == "return") return Tok::KW_RETURN;
      if (w == "import") return Tok::KW_IMPORT;
      if (w == "lambda") return Tok::KW_LAMBDA;
      if (w == "global") return Tok::KW_GLOBAL;
      if (w == "assert") return Tok::KW_ASSERT;
      if (w == "except") return Tok::KW_EXCEPT;
      break;
    case 7:
      if (w == "finally") return Tok::KW_FINALLY;
      break;
    case 8:
      if (w == "continue") return Tok::KW_CONTINUE;
      if (w == "nonlocal") return Tok::KW_NONLOCAL;
      break;
  }
  return Tok::NAME;
}

bool Tokenizer::lex_name(size_t start) {
  const char* s = src.data();
  size_t n = src.size();
  size_t cur = start;
  bool nonascii = false;
  while (cur < n && is_id_char((unsigned char)s[cur])) {
    if ((unsigned char)s[cur] >= 128) nonascii = true;
    cur++;
  }
  if (nonascii && !check_identifier(start, cur)) return false;
  Tok t = nonascii ? Tok::NAME : keyword_of(src.substr(start, cur - start));
  push(t, start, cur, line_, col_of(start));
  pos_ = cur;
  return true;
}

void Tokenizer::run() {
  const char* s = src.data();
  const size_t n = src.size();
  pos_ = 0;
  line_start_ = 0;
  auto at = [&](size_t k) -> int { return k < n ? (unsigned char)s[k] : -1; };
  while (true) {
    // ---- start of a logical or physical line: indentation
    if (atbol_) {
      atbol_ = false;
      int col = 0, altcol = 0, cont_line_col = 0;
      size_t cur = pos_;
      int c;
      while (true) {
        c = at(cur);
        if (c == ' ') { col++; altcol++; cur++; }
        else if (c == '\t') { col = (col / 8 + 1) * 8; altcol = altcol + 1; cur++; }
        else if (c == '\f') { col = altcol = 0; cur++; }
        else if (c == '\\') {
          // backslash continuation inside the indentation
          cont_line_col = cont_line_col ? cont_line_col : col;
          if (at(cur + 1) != '\n') {
            pos_ = cur + 1;
            soft_error(TokErr::OTHER_SOFT, &exc_SyntaxError, "unexpected character after line continuation character",
                       line_, chars_in_line(line_, col_of(cur + 1)), 0, true);
            return;
          }
          if (cur + 2 >= n) {
            pos_ = n;
            soft_error(TokErr::EOF_ERR, &exc_SyntaxError, "unexpected EOF while parsing", line_,
                       chars_in_line(line_, col_of(cur + 2)), -1, true);
            return;
          }
          new_line(cur + 2);
          cur += 2;
        } else break;
      }
      bool blankline = (c == '#' || c == '\n' || c == -1);
      blankline_ = blankline;
      pos_ = cur;
      if (!blankline && level_ == 0) {
        if (cont_line_col) { col = cont_line_col; altcol = cont_line_col; }
        if (col == indstack_.back()) {
          if (altcol != altindstack_.back()) {
            pos_ = src.find('\n', cur) + 1;
            soft_error(TokErr::OTHER_SOFT, &exc_TabError, "inconsistent use of tabs and spaces in indentation",
                       line_, 1, 0, true);
            return;
          }
        } else if (col > indstack_.back()) {
          if (indstack_.size() >= 100) {
            pos_ = src.find('\n', cur) + 1;
            soft_error(TokErr::OTHER_SOFT, &exc_IndentationError, "too many levels of indentation", line_, 1, 0,
                       true);
            return;
          }
          if (altcol <= altindstack_.back()) {
            pos_ = src.find('\n', cur) + 1;
            soft_error(TokErr::OTHER_SOFT, &exc_TabError, "inconsistent use of tabs and spaces in indentation",
                       line_, 1, 0, true);
            return;
          }
          indstack_.push_back(col);
          altindstack_.push_back(altcol);
          Token k{Tok::INDENT, int16_t(level_), line_, col_of(cur), line_, -1, uint32_t(cur), uint32_t(cur)};
          toks.push_back(k);
        } else {
          int ndedent = 0;
          while (indstack_.size() > 1 && col < indstack_.back()) {
            indstack_.pop_back();
            altindstack_.pop_back();
            ndedent++;
          }
          if (col != indstack_.back()) {
            size_t eol = src.find('\n', cur) + 1;
            pos_ = eol;
            soft_error(TokErr::OTHER_SOFT, &exc_IndentationError,
                       "unindent does not match any outer indentation level", line_,
                       chars_in_line(line_, int(eol - line_start_)), -1, true);
            return;
          }
          if (altcol != altindstack_.back()) {
            pos_ = src.find('\n', cur) + 1;
            soft_error(TokErr::OTHER_SOFT, &exc_TabError, "inconsistent use of tabs and spaces in indentation",
                       line_, 1, 0, true);
            return;
          }
          for (int i = 0; i < ndedent; i++) {
            Token k{Tok::DEDENT, int16_t(level_), line_, col_of(cur), line_, -1, uint32_t(cur), uint32_t(cur)};
            toks.push_back(k);
          }
        }
      }
    }
  again:
    // ---- skip spaces
    while (pos_ < n && (s[pos_] == ' ' || s[pos_] == '\t' || s[pos_] == '\f')) pos_++;
    size_t start = pos_;
    int c = at(pos_);
    if (c == '#') {
      const void* nl = memchr(s + pos_, '\n', n - pos_);
      pos_ = nl ? size_t(static_cast<const char*>(nl) - s) : n;
      c = at(pos_);
    }
    if (c == -1) {
      if (level_ > level0_ || (level0_ == 0 && level_ > 0)) {
        // EOF inside brackets
        int pl = paren_line_[level_ - 1];
        soft_error(TokErr::EOF_ERR, &exc_SyntaxError, "unexpected EOF while parsing", line_, 1, -1, true);
        eof_paren_line = pl;
        char buf[64];
        snprintf(buf, sizeof buf, "'%c' was never closed", paren_stack_[level_ - 1]);
        eof_paren_err.type = &exc_SyntaxError;
        eof_paren_err.msg = buf;
        eof_paren_err.lineno = pl;
        eof_paren_err.offset = chars_in_line(pl, paren_col_[level_ - 1] + 1);
        eof_paren_err.end_lineno = pl;
        eof_paren_err.end_offset = 0;
        eof_paren_err.text = std::string(line_text(pl));  // '\n' added by the parser if needed
        return;
      }
      if (level0_ > 0) {
        // f-string expression: the end stands for the ')' CPython wraps it in
        push(Tok::ENDMARKER, n, n, line_, col_of(n));
        toks.back().end_col++;
        return;
      }
      // pending dedents, then ENDMARKER, both placed at the end of the last line
      // (where CPython's tokenizer cursor is when they are reported)
      int ll = line_ > line0_ ? line_ - 1 : line_;
      int lc = int(line_text(ll).size());
      for (size_t i = 1; i < indstack_.size(); i++) {
        Token k{Tok::DEDENT, int16_t(level_), ll, lc, ll, -1, uint32_t(n), uint32_t(n)};
        toks.push_back(k);
      }
      Token k{Tok::ENDMARKER, int16_t(level_), ll, lc, ll, -1, uint32_t(n), uint32_t(n)};
      toks.push_back(k);
      return;
    }
    if (is_id_start(c)) {
      // string prefixes
      size_t p = pos_;
      bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
      while (true) {
        int ch = at(p);
        if (!(saw_b || saw_u || saw_f) && (ch == 'b' || ch == 'B')) saw_b = true;
        else if (!(saw_b || saw_u || saw_r || saw_f) && (ch == 'u' || ch == 'U')) saw_u = true;
        else if (!(saw_r || saw_u) && (ch == 'r' || ch == 'R')) saw_r = true;
        else if (!(saw_f || saw_b || saw_u) && (ch == 'f' || ch == 'F')) saw_f = true;
        else break;
        p++;
        int q = at(p);
        if (q == '"' || q == '\'') {
          if (!lex_string(start, p)) return;
          goto next_token;
        }
      }
      if (!lex_name(start)) return;
      goto next_token;
    }
    if (c == '\n') {
      atbol_ = true;
      pos_++;
      if (blankline_ || level_ > 0) {
        new_line(pos_);
        continue;
      }
      // NEWLINE token: from the comment start (if any) to the '\n'
      Token k{Tok::NEWLINE, int16_t(level_), line_, col_of(start), line_, col_of(pos_ - 1), uint32_t(start),
              uint32_t(pos_ - 1)};
      toks.push_back(k);
      new_line(pos_);
      continue;
    }
    if (c == '.') {
      int c2 = at(pos_ + 1);
      if (is_digit(c2)) {
        if (!lex_number(pos_)) return;
        goto next_token;
      }
      if (c2 == '.' && at(pos_ + 2) == '.') {
        push(Tok::ELLIPSIS, pos_, pos_ + 3, line_, col_of(pos_));
        pos_ += 3;
        goto next_token;
      }
      push(Tok::DOT, pos_, pos_ + 1, line_, col_of(pos_));
      pos_++;
      goto next_token;
    }
    if (is_digit(c)) {
      if (!lex_number(pos_)) return;
      goto next_token;
    }
    if (c == '"' || c == '\'') {
      if (!lex_string(pos_, pos_)) return;
      goto next_token;
    }
    if (c == '\\') {
      if (at(pos_ + 1) != '\n') {
        pos_ += 2;
        soft_error(TokErr::OTHER_SOFT, &exc_SyntaxError, "unexpected character after line continuation character",
                   line_, chars_in_line(line_, col_of(pos_ - 1)), 0, true);
        return;
      }
      if (pos_ + 2 >= n) {
        pos_ = n;
        soft_error(TokErr::EOF_ERR, &exc_SyntaxError, "unexpected EOF while parsing", line_,
                   chars_in_line(line_, col_of(n)), -1, true);
        if (level_ > 0) {
          int pl = paren_line_[level_ - 1];
          eof_paren_line = pl;
          char buf[64];
          snprintf(buf, sizeof buf, "'%c' was never closed", paren_stack_[level_ - 1]);
          eof_paren_err.type = &exc_SyntaxError;
          eof_paren_err.msg = buf;
          eof_paren_err.lineno = pl;
          eof_paren_err.offset = chars_in_line(pl, paren_col_[level_ - 1] + 1);
          eof_paren_err.end_lineno = pl;
          eof_paren_err.end_offset = 0;
          eof_paren_err.text = std::string(line_text(pl));
        }
        return;
      }
      pos_ += 2;
      new_line(pos_);
      cont_line_ = true;
      goto again;
    }
    {
      // operators
      int c2 = at(pos_ + 1), c3 = at(pos_ + 2);
      Tok t = Tok::BADOP;
      int len = 1;
      switch (c) {
        case '(': t = Tok::LPAR; break;
        case ')': t = Tok::RPAR; break;
        case '[': t = Tok::LSQB; break;
        case ']': t = Tok::RSQB; break;
        case '{': t = Tok::LBRACE; break;
        case '}': t = Tok::RBRACE; break;
        case ',': t = Tok::COMMA; break;
        case ';': t = Tok::SEMI; break;
        case '~': t = Tok::TILDE; break;
        case ':': if (c2 == '=') { t = Tok::COLONEQUAL; len = 2; } else t = Tok::COLON; break;
        case '+': if (c2 == '=') { t = Tok::PLUSEQUAL; len = 2; } else t = Tok::PLUS; break;
        case '-':
          if (c2 == '=') { t = Tok::MINEQUAL; len = 2; }
          else if (c2 == '>') { t = Tok::RARROW; len = 2; }
          else t = Tok::MINUS;
          break;
        case '*':
          if (c2 == '*') {
            if (c3 == '=') { t = Tok::DOUBLESTAREQUAL; len = 3; } else { t = Tok::DOUBLESTAR; len = 2; }
          } else if (c2 == '=') { t = Tok::STAREQUAL; len = 2; } else t = Tok::STAR;
          break;
        case '/':
          if (c2 == '/') {
            if (c3 == '=') { t = Tok::DOUBLESLASHEQUAL; len = 3; } else { t = Tok::DOUBLESLASH; len = 2; }
          } else if (c2 == '=') { t = Tok::SLASHEQUAL; len = 2; } else t = Tok::SLASH;
          break;
        case '|': if (c2 == '=') { t = Tok::VBAREQUAL; len = 2; } else t = Tok::VBAR; break;
        case '&': if (c2 == '=') { t = Tok::AMPEREQUAL; len = 2; } else t = Tok::AMPER; break;
        case '^': if (c2 == '=') { t = Tok::CIRCUMFLEXEQUAL; len = 2; } else t = Tok::CIRCUMFLEX; break;
        case '%': if (c2 == '=') { t = Tok::PERCENTEQUAL; len = 2; } else t = Tok::PERCENT; break;
        case '@': if (c2 == '=') { t = Tok::ATEQUAL; len = 2; } else t = Tok::AT; break;
        case '=': if (c2 == '=') { t = Tok::EQEQUAL; len = 2; } else t = Tok::EQUAL; break;
        case '!': if (c2 == '=') { t = Tok::NOTEQUAL; len = 2; } break;
        case '<':
          if (c2 == '<') {
            if (c3 == '=') { t = Tok::LEFTSHIFTEQUAL; len = 3; } else { t = Tok::LEFTSHIFT; len = 2; }
          } else if (c2 == '=') { t = Tok::LESSEQUAL; len = 2; }
          else if (c2 == '>') { t = Tok::BADOP; len = 2; }  // '<>' (only with barry_as_FLUFL)
          else t = Tok::LESS;
          break;
        case '>':
          if (c2 == '>') {
            if (c3 == '=') { t = Tok::RIGHTSHIFTEQUAL; len = 3; } else { t = Tok::RIGHTSHIFT; len = 2; }
          } else if (c2 == '=') { t = Tok::GREATEREQUAL; len = 2; } else t = Tok::GREATER;
          break;
        default: break;
      }
      size_t after = pos_ + len;
      if (t == Tok::LPAR || t == Tok::LSQB || t == Tok::LBRACE) {
        if (level_ >= 200) return hard_error(after, "too many nested parentheses"), void();
        paren_stack_[level_] = char(c);
        paren_line_[level_] = line_;
        paren_col_[level_] = col_of(pos_);
        level_++;
      } else if (t == Tok::RPAR || t == Tok::RSQB || t == Tok::RBRACE) {
        if (level_ == 0 || (level0_ > 0 && level_ <= level0_)) {
          if (level0_ > 0) {
            // inside an f-string expression: the enclosing parser reports it
            push(t, pos_, after, line_, col_of(pos_));
            pos_ = after;
            goto next_token;
          }
          return hard_error(after, "unmatched '%c'", c), void();
        }
        level_--;
        char opening = paren_stack_[level_];
        if (!((opening == '(' && c == ')') || (opening == '[' && c == ']') || (opening == '{' && c == '}'))) {
          if (paren_line_[level_] != line_)
            return hard_error(after, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c,
                              opening, paren_line_[level_]),
                   void();
          return hard_error(after, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, opening),
                 void();
        }
      }
      if (t == Tok::BADOP && c < 128 && !unicode_is_printable(uint32_t(c))) {
        char hex[16];
        snprintf(hex, sizeof hex, "%04X", c);
        return hard_error(after, "invalid non-printable character U+%s", hex), void();
      }
      push(t, pos_, after, line_, col_of(pos_));
      pos_ = after;
    }
  next_token:
    continue;
  }
}

}  // namespace gp::front
