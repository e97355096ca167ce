// strings.cpp — string literal decoding, implicit concatenation and 3.11 f-strings.
//
// Invariants:
//  * Mirrors CPython 3.11's string_parser.c: each STRING token is decoded on its own
//    (escapes, bytes-only-ASCII), then concatenated; f-strings are scanned by hand
//    (no quotes or backslashes inside expressions) and each expression is parsed by
//    a sub-parser over the expression text with its real file positions.
//  * Node positions copy 3.11's: Constant/FormattedValue parts of a JoinedStr span the
//    whole concatenation; a format spec's JoinedStr spans its own token.
//  * Str constants are always valid UTF-8 (lone surrogates from \ud800 escapes are
//    stored in their 3-byte form, as CPython's surrogatepass would write them).
#include <cstdarg>
#include <cstring>

#include "compiler/parser.h"
#include "compiler/parser_impl.h"
#include "objects/bytes.h"
#include "objects/str.h"

namespace gp::front {
using namespace gp::ast;

namespace {

struct NamedChar { const char* name; uint32_t cp; };
// A small table for \N{...}: without the Unicode database only common names resolve.
const NamedChar kNames[] = {
    {"SPACE", 0x20}, {"NO-BREAK SPACE", 0xA0}, {"NBSP", 0xA0}, {"COPYRIGHT SIGN", 0xA9},
    {"REGISTERED SIGN", 0xAE}, {"DEGREE SIGN", 0xB0}, {"PLUS-MINUS SIGN", 0xB1}, {"MICRO SIGN", 0xB5},
    {"PILCROW SIGN", 0xB6}, {"MIDDLE DOT", 0xB7}, {"MULTIPLICATION SIGN", 0xD7}, {"DIVISION SIGN", 0xF7},
    {"SECTION SIGN", 0xA7}, {"POUND SIGN", 0xA3}, {"YEN SIGN", 0xA5}, {"CENT SIGN", 0xA2},
    {"EURO SIGN", 0x20AC}, {"EN DASH", 0x2013}, {"EM DASH", 0x2014}, {"HORIZONTAL ELLIPSIS", 0x2026},
    {"BULLET", 0x2022}, {"LEFT SINGLE QUOTATION MARK", 0x2018}, {"RIGHT SINGLE QUOTATION MARK", 0x2019},
    {"LEFT DOUBLE QUOTATION MARK", 0x201C}, {"RIGHT DOUBLE QUOTATION MARK", 0x201D},
    {"TRADE MARK SIGN", 0x2122}, {"LEFTWARDS ARROW", 0x2190}, {"UPWARDS ARROW", 0x2191},
    {"RIGHTWARDS ARROW", 0x2192}, {"DOWNWARDS ARROW", 0x2193}, {"INFINITY", 0x221E},
    {"NOT EQUAL TO", 0x2260}, {"LESS-THAN OR EQUAL TO", 0x2264}, {"GREATER-THAN OR EQUAL TO", 0x2265},
    {"CHECK MARK", 0x2713}, {"BLACK STAR", 0x2605}, {"WHITE STAR", 0x2606}, {"SNOWMAN", 0x2603},
    {"BLACK HEART SUIT", 0x2665}, {"ZERO WIDTH SPACE", 0x200B}, {"ZERO WIDTH JOINER", 0x200D},
    {"BYTE ORDER MARK", 0xFEFF}, {"ZERO WIDTH NO-BREAK SPACE", 0xFEFF}, {"REPLACEMENT CHARACTER", 0xFFFD},
    {"NULL", 0}, {"LINE FEED", 0x0A}, {"CARRIAGE RETURN", 0x0D}, {"CHARACTER TABULATION", 0x09},
    {"ESCAPE", 0x1B}, {"DELETE", 0x7F}, {"GRINNING FACE", 0x1F600}, {"SNAKE", 0x1F40D},
    {"THUMBS UP SIGN", 0x1F44D}, {"PILE OF POO", 0x1F4A9}, {"GREEK SMALL LETTER ALPHA", 0x3B1},
    {"GREEK SMALL LETTER BETA", 0x3B2}, {"GREEK SMALL LETTER GAMMA", 0x3B3}, {"GREEK SMALL LETTER DELTA", 0x3B4},
    {"GREEK SMALL LETTER EPSILON", 0x3B5}, {"GREEK SMALL LETTER LAMDA", 0x3BB}, {"GREEK SMALL LETTER MU", 0x3BC},
    {"GREEK SMALL LETTER PI", 0x3C0}, {"GREEK SMALL LETTER SIGMA", 0x3C3}, {"GREEK SMALL LETTER OMEGA", 0x3C9},
    {"GREEK CAPITAL LETTER DELTA", 0x394}, {"GREEK CAPITAL LETTER SIGMA", 0x3A3},
    {"GREEK CAPITAL LETTER OMEGA", 0x3A9}, {"LATIN SMALL LETTER SHARP S", 0xDF},
    {"LATIN SMALL LETTER E WITH ACUTE", 0xE9}, {"LATIN SMALL LETTER A WITH GRAVE", 0xE0},
    {"LATIN SMALL LETTER U WITH DIAERESIS", 0xFC}, {"LATIN SMALL LETTER O WITH DIAERESIS", 0xF6},
    {"LATIN SMALL LETTER A WITH DIAERESIS", 0xE4}, {"LATIN SMALL LETTER N WITH TILDE", 0xF1},
    {"LATIN SMALL LETTER C WITH CEDILLA", 0xE7}, {"BOX DRAWINGS LIGHT HORIZONTAL", 0x2500},
    {"BOX DRAWINGS LIGHT VERTICAL", 0x2502}, {"FULL BLOCK", 0x2588}, {"BLACK SQUARE", 0x25A0},
    {"WHITE SQUARE", 0x25A1}, {"BLACK CIRCLE", 0x25CF}, {"WHITE CIRCLE", 0x25CB},
};

bool lookup_name(std::string_view name, uint32_t* cp) {
  std::string up;
  for (char c : name) up += (c >= 'a' && c <= 'z') ? char(c - 32) : c;
  for (const NamedChar& n : kNames)
    if (up == n.name) { *cp = n.cp; return true; }
  auto tail = [&](std::string_view prefix, std::string_view* rest) {
    if (up.size() > prefix.size() && std::string_view(up).substr(0, prefix.size()) == prefix) {
      *rest = std::string_view(up).substr(prefix.size());
      return true;
    }
    return false;
  };
  std::string_view rest;
  if (tail("LATIN SMALL LETTER ", &rest) && rest.size() == 1 && rest[0] >= 'A' && rest[0] <= 'Z') {
    *cp = uint32_t(rest[0] - 'A' + 'a');
    return true;
  }
  if (tail("LATIN CAPITAL LETTER ", &rest) && rest.size() == 1 && rest[0] >= 'A' && rest[0] <= 'Z') {
    *cp = uint32_t(rest[0]);
    return true;
  }
  static const char* digits[] = {"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"};
  if (tail("DIGIT ", &rest))
    for (int i = 0; i < 10; i++)
      if (rest == digits[i]) { *cp = uint32_t('0' + i); return true; }
  if (tail("CJK UNIFIED IDEOGRAPH-", &rest) && (rest.size() == 4 || rest.size() == 5)) {
    uint32_t v = 0;
    for (char c : rest) {
      if (c >= '0' && c <= '9') v = v * 16 + uint32_t(c - '0');
      else if (c >= 'A' && c <= 'F') v = v * 16 + uint32_t(c - 'A' + 10);
      else return false;
    }
    *cp = v;
    return true;
  }
  return false;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_cp(std::string& out, uint32_t cp) { append_utf8(out, cp); }

}  // namespace

// Decodes the body of a (non-f) string or one literal part of an f-string.
// Errors use CPython's messages; positions in them count a non-ASCII character as
// the 10 bytes of the "\UXXXXXXXX" CPython rewrites it to.
std::string Parser::decode_str(std::string_view body, bool raw, bool bytes, const Token& t, size_t body_off) {
  std::string out;
  if (raw || body.find('\\') == std::string_view::npos) return std::string(body);
  out.reserve(body.size());
  const char* s = body.data();
  const char* end = s + body.size();
  // virtual position for error messages
  size_t vpos = 0;
  auto uerr = [&](size_t start, size_t endpos, const char* msg) {
    char buf[300];
    if (endpos - start == 1)
      snprintf(buf, sizeof buf, "(unicode error) 'unicodeescape' codec can't decode byte 0x5c in position %zu: %s",
               start, msg);
    else
      snprintf(buf, sizeof buf, "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: %s",
               start, endpos - 1, msg);
    fail_last(buf);
  };
  while (s < end) {
    unsigned char c = *s;
    if (c != '\\') {
      if (c >= 0x80) {
        uint32_t cp;
        size_t len;
        decode_utf8_at(std::string_view(s, end - s), 0, &cp, &len);
        out.append(s, len);
        s += len;
        vpos += 10;
      } else {
        out += char(c);
        s++;
        vpos++;
      }
      continue;
    }
    size_t start = vpos;
    s++;
    vpos++;
    if (s >= end) {
      if (bytes) { out += '\\'; break; }
      uerr(start, vpos, "\\ at end of string");
      __builtin_unreachable();
    }
    c = *s;
    if (c >= 0x80) {  // backslash before a non-ASCII char: both kept
      out += '\\';
      continue;
    }
    s++;
    vpos++;
    switch (c) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        uint32_t v = c - '0';
        for (int k = 0; k < 2 && s < end && *s >= '0' && *s <= '7'; k++, s++, vpos++) v = v * 8 + uint32_t(*s - '0');
        if (bytes) out += char(v & 0xFF);
        else append_cp(out, v);
        break;
      }
      case 'x': {
        int need = 2;
        uint32_t v = 0;
        int k = 0;
        for (; k < need && s < end && hexval(*s) >= 0; k++, s++, vpos++) v = v * 16 + uint32_t(hexval(*s));
        if (k < need) {
          if (bytes) {
            char buf[100];
            snprintf(buf, sizeof buf, "(value error) invalid \\x escape at position %zu", start);
            fail_last(buf);
          }
          uerr(start, vpos, "truncated \\xXX escape");
        }
        if (bytes) out += char(v);
        else append_cp(out, v);
        break;
      }
      case 'u': case 'U': {
        if (bytes) { out += '\\'; out += char(c); break; }
        int need = c == 'u' ? 4 : 8;
        uint32_t v = 0;
        int k = 0;
        for (; k < need && s < end && hexval(*s) >= 0; k++, s++, vpos++) v = v * 16 + uint32_t(hexval(*s));
        if (k < need) uerr(start, vpos, c == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape");
        if (v > 0x10FFFF) uerr(start, vpos, "illegal Unicode character");
        if (v >= 0xD800 && v <= 0xDFFF) {
          out += char(0xE0 | (v >> 12));
          out += char(0x80 | ((v >> 6) & 0x3F));
          out += char(0x80 | (v & 0x3F));
        } else {
          append_cp(out, v);
        }
        break;
      }
      case 'N': {
        if (bytes) { out += "\\N"; break; }
        const char* msg = "malformed \\N character escape";
        if (s < end && *s == '{') {
          const char* nstart = ++s;
          vpos++;
          while (s < end && *s != '}') { s++; vpos++; }
          if (s < end && s > nstart) {
            std::string_view name(nstart, s - nstart);
            s++;
            vpos++;
            uint32_t cp;
            if (lookup_name(name, &cp)) {
              append_cp(out, cp);
              break;
            }
            msg = "unknown Unicode character name";
          }
        }
        uerr(start, vpos, msg);
        __builtin_unreachable();
      }
      default:
        // invalid escape: kept as is (CPython warns)
        out += '\\';
        out += char(c);
        break;
    }
  }
  (void)t;
  (void)body_off;
  return out;
}

namespace {

// Tracks (line, col) of byte offsets inside one token, moving forward only.
struct PosCursor {
  std::string_view src;
  size_t off;
  int line, col;
  void to(size_t target) {
    if (target < off) return;
    const char* s = src.data();
    while (off < target) {
      if (s[off] == '\n') { line++; col = 0; }
      else col++;
      off++;
    }
  }
};

struct FState {
  ExprVec values;
  std::string last;
  bool fmode = false;
};

}  // namespace

static Constant* make_str(std::string& s, const Token& a, const Token& b) {
  Constant* c = new Constant();
  c->value = vstr(str_new(s));
  c->line = a.line;
  c->col = a.col;
  c->end_line = b.end_line;
  c->end_col = b.end_col;
  s.clear();
  return c;
}

// The parsing context of one f-string token.
struct FCtx {
  Parser* ps;
  const Token* first;
  const Token* t;
  const Token* last;
  bool raw;
  PosCursor pc;
};

static bool is_fspace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v'; }

static void concat_fstring(FCtx& cx, FState& st, const char*& s, const char* end, int recurse);

Expr* Parser::fstring_expr(std::string_view text, int line, int col, const Token& t) {
  Tokenizer sub(text, line, col, 1);
  sub.run();
  Parser sp(sub, filename, true);
  sp.shared_depth = shared_depth;
  try {
    return sp.parse_fstring_expr();
  } catch (ParseFail&) {
    err = sp.err;
    if (!sp.err_from_tokenizer) {
      err.msg = "f-string: " + err.msg;
    }
    // positions as pegen reports them: relative to "(expr)"
    if (err.lineno == line) {
      err.offset = err.offset - col + 1;
      if (err.end_offset > 0 && err.end_lineno == line) err.end_offset = err.end_offset - col + 1;
    }
    err.text = "(" + std::string(text) + ")\n";
    err_from_tokenizer = false;
    err_overridable = true;
    throw;
  }
}

// fstring_find_expr: *s is '{'.
static Expr* find_expr(FCtx& cx, const char*& s, const char* end, int recurse, std::string* expr_text,
                       bool* has_text) {
  Parser* ps = cx.ps;
  if (recurse >= 2) ps->fail_last("f-string: expressions nested too deeply");
  s++;
  const char* expr_start = s;
  char quote_char = 0;
  int string_type = 0;
  int nested = 0;
  char parenstack[200];
  for (; s < end; s++) {
    char ch = *s;
    if (ch == '\\') ps->fail_last("f-string expression part cannot include a backslash");
    if (quote_char) {
      if (ch == quote_char) {
        if (string_type == 3) {
          if (s + 2 < end && s[1] == ch && s[2] == ch) {
            s += 2;
            string_type = 0;
            quote_char = 0;
            continue;
          }
        } else {
          quote_char = 0;
          string_type = 0;
          continue;
        }
      }
      continue;
    }
    if (ch == '\'' || ch == '"') {
      if (s + 2 < end && s[1] == ch && s[2] == ch) {
        string_type = 3;
        s += 2;
      } else {
        string_type = 1;
      }
      quote_char = ch;
    } else if (ch == '[' || ch == '{' || ch == '(') {
      if (nested >= 200) ps->fail_last("f-string: too many nested parenthesis");
      parenstack[nested++] = ch;
    } else if (ch == '#') {
      ps->fail_last("f-string expression part cannot include '#'");
    } else if (nested == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
      if (s + 1 < end) {
        char next = s[1];
        if ((ch == '!' && next == '=') || (ch == '=' && next == '=') || (ch == '<' && next == '=') ||
            (ch == '>' && next == '=')) {
          s++;
          continue;
        }
      }
      if (ch == '>' || ch == '<') continue;
      break;
    } else if (ch == ']' || ch == '}' || ch == ')') {
      char buf[120];
      if (!nested) {
        snprintf(buf, sizeof buf, "f-string: unmatched '%c'", ch);
        ps->fail_last(buf);
      }
      int opening = parenstack[--nested];
      if (!((opening == '(' && ch == ')') || (opening == '[' && ch == ']') || (opening == '{' && ch == '}'))) {
        snprintf(buf, sizeof buf, "f-string: closing parenthesis '%c' does not match opening parenthesis '%c'", ch,
                 opening);
        ps->fail_last(buf);
      }
    }
  }
  const char* expr_end = s;
  if (quote_char) ps->fail_last("f-string: unterminated string");
  if (nested) {
    char buf[80];
    snprintf(buf, sizeof buf, "f-string: unmatched '%c'", parenstack[nested - 1]);
    ps->fail_last(buf);
  }
  if (s >= end) ps->fail_last("f-string: expecting '}'");
  // compile the expression
  const char* q = expr_start;
  while (q < expr_end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\f')) q++;
  if (q == expr_end) {
    if (*expr_end == '!' || *expr_end == ':' || *expr_end == '=') {
      char buf[80];
      snprintf(buf, sizeof buf, "f-string: expression required before '%c'", *expr_end);
      ps->fail_last(buf);
    }
    ps->fail_last("f-string: empty expression not allowed");
  }
  size_t off = size_t(expr_start - ps->tz.src.data());
  cx.pc.to(off);
  Expr* value = ps->fstring_expr(std::string_view(expr_start, expr_end - expr_start), cx.pc.line, cx.pc.col, *cx.t);
  int conversion = -1;
  Expr* spec = nullptr;
  *has_text = false;
  if (*s == '=') {
    s++;
    while (s < end && is_fspace(*s)) s++;
    if (s >= end) ps->fail_last("f-string: expecting '}'");
    *expr_text = std::string(expr_start, s - expr_start);
    *has_text = true;
  }
  if (*s == '!') {
    s++;
    if (s >= end) ps->fail_last("f-string: expecting '}'");
    conversion = (unsigned char)*s;
    s++;
    if (!(conversion == 's' || conversion == 'r' || conversion == 'a'))
      ps->fail_last("f-string: invalid conversion character: expected 's', 'r', or 'a'");
  }
  if (s >= end) ps->fail_last("f-string: expecting '}'");
  if (*s == ':') {
    s++;
    if (s >= end) ps->fail_last("f-string: expecting '}'");
    FState st;
    concat_fstring(cx, st, s, end, recurse + 1);
    // _PyPegen_FstringParser_Finish(p, &state, t, t)
    if (!st.last.empty()) st.values.push_back(make_str(st.last, *cx.t, *cx.t));
    JoinedStr* js = new JoinedStr();
    js->values = std::move(st.values);
    js->line = cx.t->line;
    js->col = cx.t->col;
    js->end_line = cx.t->end_line;
    js->end_col = cx.t->end_col;
    spec = js;
  }
  if (s >= end || *s != '}') ps->fail_last("f-string: expecting '}'");
  s++;
  if (*has_text && spec == nullptr && conversion == -1) conversion = 'r';
  FormattedValue* fv = new FormattedValue();
  fv->value = value;
  fv->conversion = conversion;
  fv->format_spec = spec;
  fv->line = cx.first->line;
  fv->col = cx.first->col;
  fv->end_line = cx.last->end_line;
  fv->end_col = cx.last->end_col;
  return fv;
}

// fstring_find_literal: returns 1 when a doubled brace ended the literal.
static int find_literal(FCtx& cx, const char*& str, const char* end, int recurse, std::string* literal) {
  const char* s = str;
  const char* literal_start = s;
  int result = 0;
  while (s < end) {
    char ch = *s++;
    if (!cx.raw && ch == '\\' && s < end) {
      ch = *s++;
      if (ch == 'N') {
        if (s < end && *s++ == '{') {
          while (s < end && *s++ != '}') {
          }
          continue;
        }
        continue;
      }
    }
    if (ch == '{' || ch == '}') {
      if (recurse == 0) {
        if (s < end && *s == ch) {
          str = s + 1;
          result = 1;
          goto done;
        }
        if (ch == '}') {
          str = s - 1;
          cx.ps->fail_last("f-string: single '}' is not allowed");
        }
      }
      s--;
      break;
    }
  }
  str = s;
done:
  if (literal_start != s) {
    std::string_view lit(literal_start, s - literal_start);
    *literal = cx.raw ? std::string(lit) : cx.ps->decode_str(lit, false, false, *cx.t, 0);
  } else {
    literal->clear();
  }
  return result;
}

static void concat_fstring(FCtx& cx, FState& st, const char*& s, const char* end, int recurse) {
  st.fmode = true;
  while (true) {
    std::string literal, expr_text;
    bool has_text = false;
    Expr* expression = nullptr;
    int result = find_literal(cx, s, end, recurse, &literal);
    if (result == 0 && !(s >= end || *s == '}')) expression = find_expr(cx, s, end, recurse, &expr_text, &has_text);
    st.last += literal;
    if (has_text) st.last += expr_text;
    if (result == 1) continue;
    if (!expression) break;
    if (!st.last.empty()) st.values.push_back(make_str(st.last, *cx.first, *cx.last));
    st.values.push_back(expression);
  }
  if (recurse != 0 && (s >= end || *s != '}')) cx.ps->fail_last("f-string: expecting '}'");
}

// STRING+ -> Constant (str or bytes) or JoinedStr, as _PyPegen_concatenate_strings.
Expr* Parser::concat_strings(size_t first, size_t last) {
  const Token& ft = T[first];
  const Token& lt = T[last];
  bool bytesmode = false;
  std::string bytes_acc;
  FState st;
  for (size_t i = first; i <= last; i++) {
    const Token& t = T[i];
    std::string_view text = tz.token_text(t);
    bool b = false, r = false, f = false;
    size_t k = 0;
    while (k < text.size() && text[k] != '\'' && text[k] != '"') {
      char c = text[k] | 0x20;
      if (c == 'b') b = true;
      else if (c == 'r') r = true;
      else if (c == 'f') f = true;
      k++;
    }
    char q = text[k];
    size_t qlen = (text.size() - k >= 6 && text[k + 1] == q && text[k + 2] == q) ? 3 : 1;
    std::string_view body = text.substr(k + qlen, text.size() - k - 2 * qlen);
    if (b) {
      for (unsigned char c : body)
        if (c >= 0x80) fail_tok(t, "bytes can only contain ASCII literal characters");
    }
    std::string decoded;
    if (!f) decoded = decode_str(body, r, b, t, t.start + k + qlen);
    if (i != first && bytesmode != b) fail_last("cannot mix bytes and nonbytes literals");
    bytesmode = b;
    if (f) {
      FCtx cx{this, &ft, &t, &lt, r, PosCursor{tz.src, t.start, t.line, t.col}};
      const char* s = body.data();
      concat_fstring(cx, st, s, body.data() + body.size(), 0);
    } else if (b) {
      bytes_acc += decoded;
    } else {
      st.last += decoded;
    }
  }
  if (bytesmode) {
    Constant* c = new Constant();
    c->value = Value::from_obj(bytes_new(bytes_acc));
    c->line = ft.line;
    c->col = ft.col;
    c->end_line = lt.end_line;
    c->end_col = lt.end_col;
    return c;
  }
  if (!st.fmode) return make_str(st.last, ft, lt);
  if (!st.last.empty()) st.values.push_back(make_str(st.last, ft, lt));
  JoinedStr* js = new JoinedStr();
  js->values = std::move(st.values);
  js->line = ft.line;
  js->col = ft.col;
  js->end_line = lt.end_line;
  js->end_col = lt.end_col;
  return js;
}

}  // namespace gp::front
