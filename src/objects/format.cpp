// format.cpp — the format-spec mini-language, str.format / format_map, and printf-style
// `str % args`.
//
// Invariants:
//  * parse_format_spec accepts exactly CPython 3.11's grammar
//    [[fill]align][sign][z][#][0][width][grouping][.precision][type] and raises its
//    ValueErrors word for word; the result is type-neutral (defaults resolved by the
//    caller / apply_padding), so int, float and str share it.
//  * str.format is a port of CPython's MarkupIterator/FieldNameIterator: same parse
//    order, so the first error CPython reports is the one we report. Auto/manual field
//    numbering state is shared with nested fields in format specs; recursion depth 2.
//  * `%` formatting consumes arguments in CPython's order (width '*', precision '*',
//    then the value), treats any non-tuple, non-str object with __getitem__ as a
//    mapping, and formats ints itself (sign, '#' prefix, precision = minimum digits,
//    zero padding) and floats through float_format; all output is built in one
//    std::string and turned into a Str once.
#include <charconv>
#include <cstring>

#include "objects/bytes.h"
#include "objects/float.h"
#include "objects/formatspec.h"
#include "objects/int.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/unicode.h"

namespace gp {

// A per-thread scratch buffer: taken (moved out) by a formatting call and given back at
// the end, so nested formatting (a __str__ that formats) simply allocates its own.
static thread_local std::string tls_fmt_buf;
static inline std::string take_buf(size_t reserve) {
  std::string b = std::move(tls_fmt_buf);
  b.clear();
  b.reserve(reserve);
  return b;
}
static inline Str* finish_buf(std::string& b) {
  Str* r = str_new(b);
  if (b.capacity() <= (1u << 16)) tls_fmt_buf = std::move(b);
  return r;
}

// ======================================================================================
// format spec
// ======================================================================================
static inline bool is_align_char(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

// Reads decimal digits at s[*i..); returns -1 if none. "Too many decimal digits".
static int64_t read_number(std::string_view s, size_t* i) {
  size_t j = *i;
  int64_t v = 0;
  bool any = false;
  while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
    int d = s[j] - '0';
    if (v > (INT64_MAX - d) / 10)  // up to sys.maxsize, as CPython
      raise(&exc_ValueError, "Too many decimal digits in format string");
    v = v * 10 + d;
    any = true;
    ++j;
  }
  *i = j;
  return any ? v : -1;
}

[[noreturn]] static void bad_grouping(char g, char type) {
  if (type > 32 && type < 127)
    raise(&exc_ValueError, "Cannot specify '%c' with '%c'.", g, type);
  raise(&exc_ValueError, "Cannot specify '%c' with '\\x%x'.", g, unsigned(uint8_t(type)));
}

FormatSpec parse_format_spec(std::string_view s, const char* type_name, bool* no_neg_zero) {
  FormatSpec f;
  size_t i = 0, n = s.size();
  bool fill_given = false, align_given = false;
  if (n > 0) {
    int l = utf8_seq_len(uint8_t(s[0]));
    if (size_t(l) < n && is_align_char(s[size_t(l)])) {
      const char* p = s.data();
      f.fill = utf8_decode_valid(p);
      f.align = s[size_t(l)];
      fill_given = align_given = true;
      i = size_t(l) + 1;
    } else if (is_align_char(s[0])) {
      f.align = s[0];
      align_given = true;
      i = 1;
    }
  }
  (void)align_given;
  if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) f.sign = s[i++];
  bool z = false;
  if (i < n && s[i] == 'z') { z = true; ++i; }
  if (no_neg_zero) *no_neg_zero = z;
  if (i < n && s[i] == '#') { f.alt = true; ++i; }
  if (!fill_given && i < n && s[i] == '0') {
    f.fill = '0';
    f.zero = true;
    ++i;
  }
  f.width = read_number(s, &i);
  if (i < n && s[i] == ',') { f.grouping = ','; ++i; }
  if (i < n && s[i] == '_') {
    if (f.grouping) raise(&exc_ValueError, "Cannot specify both ',' and '_'.");
    f.grouping = '_';
    ++i;
  }
  if (i < n && s[i] == ',') {
    if (f.grouping == '_') raise(&exc_ValueError, "Cannot specify both ',' and '_'.");
    if (f.grouping == ',') raise(&exc_ValueError, "Cannot specify ',' with ','.");
  }
  if (i < n && s[i] == '_' && f.grouping == '_')
    raise(&exc_ValueError, "Cannot specify '_' with '_'.");
  if (i < n && s[i] == '.') {
    ++i;
    f.precision = read_number(s, &i);
    if (f.precision < 0) raise(&exc_ValueError, "Format specifier missing precision");
  }
  if (i < n && uint8_t(s[i]) >= 0x80 && size_t(utf8_seq_len(uint8_t(s[i]))) == n - i && type_name) {
    // a single non-ASCII code point is a (never valid) presentation type
    const char* p = s.data() + i;
    raise(&exc_ValueError, "Unknown format code '\\x%x' for object of type '%s'",
          utf8_decode_valid(p), type_name);
  }
  if (n - i > 1 || (n - i == 1 && uint8_t(s[i]) >= 0x80)) {
    if (type_name)
      raise(&exc_ValueError, "Invalid format specifier '%.*s' for object of type '%s'", int(n),
            s.data(), type_name);
    raise(&exc_ValueError, "Invalid format specifier");
  }
  if (i < n) f.type = s[i];
  if (f.grouping) {
    switch (f.type) {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
        break;
      case 'b': case 'o': case 'x': case 'X':
        if (f.grouping == '_') break;
        [[fallthrough]];
      default:
        bad_grouping(f.grouping, f.type);
    }
  }
  return f;
}

FormatSpec parse_format_spec(std::string_view spec) { return parse_format_spec(spec, nullptr); }

char effective_align(const FormatSpec& spec, char default_align) {
  if (spec.align) return spec.align;
  if (spec.zero && default_align == '>') return '=';
  return default_align;
}

std::string apply_padding(const FormatSpec& spec, std::string_view body, int64_t body_len,
                          char default_align, size_t sign_prefix_len) {
  if (spec.width <= body_len) return std::string(body);
  char align = effective_align(spec, default_align);
  int64_t pad = spec.width - body_len, left = 0, right = 0;
  switch (align) {
    case '<': right = pad; break;
    case '^': left = pad / 2; right = pad - left; break;
    default: left = pad; break;  // '>' and '='
  }
  char fb[4];
  int fl = utf8_encode(spec.fill, fb);
  check_alloc_size(int64_t(body.size()), pad, fl);  // a width no machine holds: MemoryError
  std::string out;
  out.reserve(body.size() + size_t(pad * fl));
  auto put = [&](int64_t k) {
    if (fl == 1) out.append(size_t(k), fb[0]);
    else for (int64_t j = 0; j < k; ++j) out.append(fb, size_t(fl));
  };
  if (align == '=') {
    out.append(body.substr(0, sign_prefix_len));
    put(left);
    out.append(body.substr(sign_prefix_len));
    return out;
  }
  put(left);
  out.append(body);
  put(right);
  return out;
}

// format(s, spec) for str
Str* str_format_spec(Str* s, Str* spec_str) {
  if (spec_str->size == 0) return s->type == &str_type ? s : str_new_known(s->view(), s->length, s->ascii);
  bool z = false;
  FormatSpec f = parse_format_spec(spec_str->view(), "str", &z);
  if (f.type != 0 && f.type != 's') {
    if (f.type > 32 && f.type < 127)
      raise(&exc_ValueError, "Unknown format code '%c' for object of type 'str'", f.type);
    raise(&exc_ValueError, "Unknown format code '\\x%x' for object of type 'str'",
          unsigned(uint8_t(f.type)));
  }
  if (f.grouping) bad_grouping(f.grouping, 's');
  if (f.sign) raise(&exc_ValueError, "Sign not allowed in string format specifier");
  if (z) raise(&exc_ValueError, "Negative zero coercion (z) not allowed in string format specifier");
  if (f.alt) raise(&exc_ValueError, "Alternate form (#) not allowed in string format specifier");
  if (f.align == '=') raise(&exc_ValueError, "'=' alignment not allowed in string format specifier");
  std::string_view body = s->view();
  int64_t len = s->length;
  if (f.precision >= 0 && f.precision < len) {
    body = body.substr(0, size_t(str_cp_offset(s, f.precision)));
    len = f.precision;
  }
  if (f.width <= len) {
    if (len == s->length && s->type == &str_type) return s;
    return str_new_known(body, len, s->ascii);
  }
  std::string out = apply_padding(f, body, len, '<');
  return str_new_known(out, f.width, s->ascii && f.fill < 0x80);
}

// ======================================================================================
// str.format
// ======================================================================================
namespace {
enum AutoState { ANS_INIT, ANS_AUTO, ANS_MANUAL };

struct FormatCtx {
  const Value* args;     // positional arguments (nullptr for format_map)
  size_t nargs;
  Tuple* kwnames;        // keyword names for format(); values follow args
  const Value* kwvalues;
  Value mapping;         // format_map's mapping (null for format)
  AutoState state = ANS_INIT;
  int64_t next_auto = 0;
};

// -1 if s is empty or has a non-digit; raises on overflow.
int64_t get_integer(std::string_view s) {
  if (s.empty()) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    if (v > (INT64_MAX - 9) / 10) raise(&exc_ValueError, "Too many decimal digits in format string");
    v = v * 10 + (c - '0');
  }
  return v;
}

Value lookup_keyword(FormatCtx& ctx, std::string_view name) {
  if (ctx.mapping) return getitem(ctx.mapping, vstr(str_new(name)));
  if (ctx.kwnames) {
    for (int64_t i = 0; i < ctx.kwnames->size; ++i) {
      Str* k = (*ctx.kwnames)[i].as<Str>();
      if (k->view() == name) return ctx.kwvalues[i];
    }
  }
  throw_exc(exc_new(&exc_KeyError, {vstr(str_new(name))}));
}

Value get_field_object(FormatCtx& ctx, std::string_view field) {
  size_t i = 0;
  while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
  std::string_view first = field.substr(0, i);
  int64_t idx = get_integer(first);
  bool empty = first.empty();
  bool numeric = empty || idx != -1;
  if (ctx.state == ANS_INIT && numeric) ctx.state = empty ? ANS_AUTO : ANS_MANUAL;
  if (numeric) {
    if (ctx.state == ANS_MANUAL && empty)
      raise(&exc_ValueError, "cannot switch from manual field specification to automatic field numbering");
    if (ctx.state == ANS_AUTO && !empty)
      raise(&exc_ValueError, "cannot switch from automatic field numbering to manual field specification");
    if (empty) idx = ctx.next_auto++;
  }
  Value obj;
  if (idx == -1) {
    obj = lookup_keyword(ctx, first);
  } else {
    if (!ctx.args) raise(&exc_ValueError, "Format string contains positional fields");
    if (size_t(idx) >= ctx.nargs)
      raise(&exc_IndexError, "Replacement index %lld out of range for positional args tuple",
            (long long)idx);
    obj = ctx.args[idx];
  }
  // the rest: .attr and [key]
  while (i < field.size()) {
    char c = field[i++];
    if (c == '.') {
      size_t j = i;
      while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
      std::string_view name = field.substr(j, i - j);
      if (name.empty()) raise(&exc_ValueError, "Empty attribute in format string");
      obj = getattr(obj, str_intern(name));
    } else if (c == '[') {
      size_t j = i;
      bool seen = false;
      while (i < field.size()) {
        if (field[i++] == ']') { seen = true; break; }
      }
      if (!seen) raise(&exc_ValueError, "Missing ']' in format string");
      std::string_view key = field.substr(j, i - 1 - j);
      if (key.empty()) raise(&exc_ValueError, "Empty attribute in format string");
      int64_t k = get_integer(key);
      obj = getitem(obj, k == -1 ? vstr(str_new(key)) : Value::from_small(k));
    } else {
      raise(&exc_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return obj;
}

void append_formatted(std::string& out, Value v, std::string_view spec) {
  if (spec.empty()) {
    if (is_type(v, &str_type)) { out.append(v.as<Str>()->view()); return; }
    if (v.is_small()) {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.small());
      out.append(buf, size_t(r.ptr - buf));
      return;
    }
  }
  Str* spec_s = spec.empty() ? str_empty() : str_new(spec);
  if (is_type(v, &str_type)) {
    out.append(str_format_spec(v.as<Str>(), spec_s)->view());
    return;
  }
  Value r = format(v, spec_s);
  out.append(r.as<Str>()->view());  // format() guarantees a str (TypeError otherwise)
}

void build_string(std::string& out, std::string_view s, FormatCtx& ctx, int depth) {
  if (depth <= 0) raise(&exc_ValueError, "Max string recursion exceeded");
  size_t i = 0, n = s.size();
  while (i < n) {
    // literal text up to '{' or '}'
    size_t j = i;
    while (j < n && s[j] != '{' && s[j] != '}') ++j;
    out.append(s.data() + i, j - i);
    if (j >= n) break;
    char c = s[j];
    bool at_end = j + 1 >= n;
    if (c == '}') {
      if (at_end || s[j + 1] != '}') raise(&exc_ValueError, "Single '}' encountered in format string");
      out.push_back('}');
      i = j + 2;
      continue;
    }
    if (at_end) raise(&exc_ValueError, "Single '{' encountered in format string");
    if (s[j + 1] == '{') {
      out.push_back('{');
      i = j + 2;
      continue;
    }
    // parse_field
    size_t p = j + 1;
    size_t name_start = p;
    char fc = 0;
    while (p < n) {
      fc = s[p++];
      if (fc == '{') raise(&exc_ValueError, "unexpected '{' in field name");
      if (fc == '[') {
        while (p < n && s[p] != ']') ++p;
        fc = 0;
        continue;
      }
      if (fc == '}' || fc == ':' || fc == '!') break;
      fc = 0;
    }
    std::string_view field_name = s.substr(name_start, (fc ? p - 1 : p) - name_start);
    uint32_t conversion = 0;
    std::string_view spec;
    bool expand = false;
    if (fc == '!' || fc == ':') {
      bool done = false;
      if (fc == '!') {
        if (p >= n) raise(&exc_ValueError, "end of string while looking for conversion specifier");
        const char* q = s.data() + p;
        conversion = utf8_decode_valid(q);
        p = size_t(q - s.data());
        if (p < n) {
          char c2 = s[p++];
          if (c2 == '}') done = true;
          else if (c2 != ':') raise(&exc_ValueError, "expected ':' after conversion specifier");
        }
      }
      if (!done) {
        size_t spec_start = p;
        int count = 1;
        bool closed = false;
        while (p < n) {
          char c3 = s[p++];
          if (c3 == '{') { expand = true; ++count; }
          else if (c3 == '}') {
            if (--count == 0) {
              spec = s.substr(spec_start, p - 1 - spec_start);
              closed = true;
              break;
            }
          }
        }
        if (!closed) raise(&exc_ValueError, "unmatched '{' in format spec");
      }
    } else if (fc != '}') {
      raise(&exc_ValueError, "expected '}' before end of string");
    }
    i = p;
    // render
    Value obj = get_field_object(ctx, field_name);
    if (conversion) {
      switch (conversion) {
        case 'r': obj = vstr(repr(obj)); break;
        case 's': obj = vstr(str(obj)); break;
        case 'a': obj = vstr(ascii(obj)); break;
        default:
          if (conversion > 32 && conversion < 127)
            raise(&exc_ValueError, "Unknown conversion specifier %c", char(conversion));
          raise(&exc_ValueError, "Unknown conversion specifier \\x%x", conversion);
      }
    }
    if (expand) {
      std::string sub;
      build_string(sub, spec, ctx, depth - 1);
      append_formatted(out, obj, sub);
    } else {
      append_formatted(out, obj, spec);
    }
  }
}
}  // namespace

Str* str_format_method(Str* fmt, const Value* args, size_t nargs, Tuple* kwnames) {
  FormatCtx ctx;
  size_t nkw = kwnames ? size_t(kwnames->size) : 0;
  ctx.args = args;
  ctx.nargs = nargs;
  ctx.kwnames = nkw ? kwnames : nullptr;
  ctx.kwvalues = args + nargs;
  std::string out = take_buf(size_t(fmt->size) + 16);
  build_string(out, fmt->view(), ctx, 2);
  return finish_buf(out);
}

Str* str_format_map(Str* fmt, Value mapping) {
  FormatCtx ctx;
  ctx.args = nullptr;
  ctx.nargs = 0;
  ctx.kwnames = nullptr;
  ctx.kwvalues = nullptr;
  ctx.mapping = mapping;
  std::string out;
  out.reserve(size_t(fmt->size) + 16);
  build_string(out, fmt->view(), ctx, 2);
  return str_new(out);
}

// ======================================================================================
// printf-style formatting
// ======================================================================================
namespace {
enum PctFlags { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

struct PctArgs {
  Value args;
  const Value* items = nullptr;
  int64_t arglen;   // -1: a single non-tuple argument
  int64_t argidx;
  Value dict;       // mapping for %(key)s, or null
  Value next() {
    if (argidx < arglen) {
      int64_t k = argidx++;
      if (arglen < 0) return args;
      return items[k];
    }
    raise(&exc_TypeError, "not enough arguments for format string");
  }
};

// Pads `body` (ncp code points) to width with spaces, honouring F_LJUST.
void pct_pad_append(std::string& out, std::string_view body, int64_t ncp, int64_t width, int flags) {
  if (width <= ncp) { out.append(body); return; }
  if (flags & F_LJUST) {
    out.append(body);
    out.append(size_t(width - ncp), ' ');
  } else {
    out.append(size_t(width - ncp), ' ');
    out.append(body);
  }
}

// sign + prefix + digits with zero padding; body is ASCII.
void pct_number_append(std::string& out, bool neg, std::string_view prefix, std::string_view digits,
                       int64_t width, int flags) {
  char sign = neg ? '-' : (flags & F_SIGN) ? '+' : (flags & F_BLANK) ? ' ' : 0;
  int64_t len = (sign ? 1 : 0) + int64_t(prefix.size() + digits.size());
  if (width <= len || (flags & F_LJUST)) {
    if (sign) out.push_back(sign);
    out.append(prefix);
    out.append(digits);
    if (width > len) out.append(size_t(width - len), ' ');
    return;
  }
  if (flags & F_ZERO) {
    if (sign) out.push_back(sign);
    out.append(prefix);
    out.append(size_t(width - len), '0');
    out.append(digits);
    return;
  }
  out.append(size_t(width - len), ' ');
  if (sign) out.push_back(sign);
  out.append(prefix);
  out.append(digits);
}

bool number_check(Value v) {
  Type* t = type_of(v);
  return is_int(v) || is_float(v) || t->nb_index || t->nb_int || t->nb_float;
}

void pct_format_int(std::string& out, Value v, char type, int64_t width, int64_t prec, int flags) {
  // The precision is a minimum digit count: that many bytes (up to INT_MAX) are built.
  if (prec > 0) check_alloc_size(prec);
  Value iv = v;
  if (!is_int(v)) {
    bool ok = number_check(v);
    if (ok) {
      try {
        if (type == 'x' || type == 'X' || type == 'o') {
          if (!type_of(v)->nb_index) ok = false;
          else iv = number_index(v);
        } else {
          iv = to_int(v);
        }
      } catch (PyThrow&) {
        Value e = take_exception();
        if (!exc_matches(e, Value::from_obj(&exc_TypeError))) throw_exc(e);
        ok = false;
      }
    }
    if (!ok) {
      if (type == 'x' || type == 'X' || type == 'o')
        raise(&exc_TypeError, "%%%c format: an integer is required, not %s", type, type_name_c(v));
      raise(&exc_TypeError, "%%%c format: a real number is required, not %s", type, type_name_c(v));
    }
  }
  int base = (type == 'x' || type == 'X') ? 16 : type == 'o' ? 8 : 10;
  std::string digits;
  bool neg;
  int64_t small;
  char buf[72];
  if (iv.is_small() || (iv.obj()->type == &bool_type)) {
    small = iv.is_small() ? iv.small() : (iv == True() ? 1 : 0);
    neg = small < 0;
    uint64_t mag = neg ? uint64_t(0) - uint64_t(small) : uint64_t(small);
    auto r = std::to_chars(buf, buf + sizeof buf, mag, base);
    digits.assign(buf, size_t(r.ptr - buf));
  } else {
    int64_t x;
    if (int_to_i64(iv, &x)) {
      neg = x < 0;
      uint64_t mag = neg ? uint64_t(0) - uint64_t(x) : uint64_t(x);
      auto r = std::to_chars(buf, buf + sizeof buf, mag, base);
      digits.assign(buf, size_t(r.ptr - buf));
    } else {
      digits = int_to_string(iv, base);
      neg = !digits.empty() && digits[0] == '-';
      if (neg) digits.erase(0, 1);
    }
  }
  if (type == 'X')
    for (char& c : digits) if (c >= 'a' && c <= 'f') c = char(c - 32);
  if (prec > int64_t(digits.size())) digits.insert(0, size_t(prec - int64_t(digits.size())), '0');
  std::string_view prefix;
  if (flags & F_ALT) {
    if (type == 'x') prefix = "0x";
    else if (type == 'X') prefix = "0X";
    else if (type == 'o') prefix = "0o";
  }
  pct_number_append(out, neg, prefix, digits, width, flags);
}

void pct_format_float(std::string& out, Value v, char type, int64_t width, int64_t prec, int flags) {
  double d;
  if (is_float(v)) d = float_val(v);
  else if (is_int(v)) d = int_to_double(v);
  else if (type_of(v)->nb_float || type_of(v)->nb_index) d = as_double(v);
  else raise(&exc_TypeError, "must be real number, not %s", type_name_c(v));
  if (prec < 0) prec = 6;
  std::string s = float_format(d, type, int(prec), (flags & F_ALT) != 0);
  bool neg = !s.empty() && s[0] == '-';
  std::string_view body(s);
  if (neg) body.remove_prefix(1);
  pct_number_append(out, neg, {}, body, width, flags);
}

[[noreturn]] void unsupported_char(Str* fmt, size_t byte_pos) {
  const char* p = fmt->data() + byte_pos;
  uint32_t cp = utf8_decode_valid(p);
  int64_t idx = fmt->ascii ? int64_t(byte_pos) : utf8_count(fmt->data(), byte_pos);
  char shown = (cp >= 31 && cp <= 126) ? char(cp) : '?';
  raise(&exc_ValueError, "unsupported format character '%c' (0x%x) at index %lld", shown, cp,
        (long long)idx);
}
}  // namespace

Str* str_format_percent(Str* fmt, Value args) {
  PctArgs a;
  a.args = args;
  if (is_tuple(args)) {
    Tuple* t = args.as<Tuple>();
    a.items = t->items();
    a.arglen = t->size;
    a.argidx = 0;
  } else {
    a.arglen = -1;
    a.argidx = -2;
  }
  if (!is_tuple(args) && !is_str(args) && type_of(args)->getitem) a.dict = args;

  const char* d = fmt->data();
  size_t n = size_t(fmt->size), i = 0;
  std::string out = take_buf(n + 16);
  while (i < n) {
    const char* pc = static_cast<const char*>(memchr(d + i, '%', n - i));
    if (!pc) {
      out.append(d + i, n - i);
      break;
    }
    size_t j = size_t(pc - d);
    out.append(d + i, j - i);
    i = j + 1;
    if (i < n && d[i] == '%') {
      out.push_back('%');
      ++i;
      continue;
    }
    Value v;
    bool have_v = false;
    if (i < n && d[i] == '(') {
      if (!a.dict) raise(&exc_TypeError, "format requires a mapping");
      ++i;
      size_t ks = i;
      int level = 1;
      while (i < n && level > 0) {
        if (d[i] == ')') --level;
        else if (d[i] == '(') ++level;
        ++i;
      }
      if (level > 0) raise(&exc_ValueError, "incomplete format key");
      Str* key = str_new({d + ks, i - 1 - ks});
      v = getitem(a.dict, vstr(key));
      have_v = true;
      a.arglen = -1;
      a.argidx = -2;
    }
    int flags = 0;
    for (; i < n; ++i) {
      char c = d[i];
      if (c == '-') flags |= F_LJUST;
      else if (c == '+') flags |= F_SIGN;
      else if (c == ' ') flags |= F_BLANK;
      else if (c == '#') flags |= F_ALT;
      else if (c == '0') flags |= F_ZERO;
      else break;
    }
    int64_t width = -1, prec = -1;
    if (i < n && d[i] == '*') {
      ++i;
      Value w = a.next();
      if (!is_int(w)) raise(&exc_TypeError, "* wants int");
      int64_t x;
      if (!int_to_i64(w, &x)) raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
      // -sys.maxsize-1 has no positive counterpart: no padding, as CPython ends up with.
      if (x < 0) { flags |= F_LJUST; x = x == INT64_MIN ? 0 : -x; }
      width = x;
    } else if (i < n && d[i] >= '0' && d[i] <= '9') {
      width = 0;
      while (i < n && d[i] >= '0' && d[i] <= '9') {  // up to sys.maxsize, as CPython
        int dg = d[i++] - '0';
        if (width > (INT64_MAX - dg) / 10) raise(&exc_ValueError, "width too big");
        width = width * 10 + dg;
      }
    }
    if (width > 0) check_alloc_size(width);  // the padded result holds `width` bytes
    if (i < n && d[i] == '.') {
      ++i;
      if (i < n && d[i] == '*') {
        ++i;
        Value w = a.next();
        if (!is_int(w)) raise(&exc_TypeError, "* wants int");
        int64_t x;
        // A C int in CPython: OverflowError past it (int(prec) truncated it before).
        if (!int_to_i64(w, &x) || x > INT32_MAX || x < INT32_MIN)
          raise(&exc_OverflowError, "Python int too large to convert to C int");
        prec = x < 0 ? 0 : x;
      } else {
        prec = 0;
        while (i < n && d[i] >= '0' && d[i] <= '9') {  // up to INT_MAX, as CPython
          int dg = d[i++] - '0';
          if (prec > (INT32_MAX - dg) / 10) raise(&exc_ValueError, "precision too big");
          prec = prec * 10 + dg;
        }
      }
    }
    if (i < n && (d[i] == 'h' || d[i] == 'l' || d[i] == 'L')) ++i;
    if (i >= n) raise(&exc_ValueError, "incomplete format");
    size_t cpos = i;
    char type = d[i];
    i += size_t(utf8_seq_len(uint8_t(type)));
    if (!have_v) v = a.next();
    if (flags & F_LJUST) flags &= ~F_ZERO;
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        Str* s;
        if (type == 's' && is_type(v, &str_type)) s = v.as<Str>();
        else s = type == 's' ? str(v) : type == 'r' ? repr(v) : ascii(v);
        std::string_view body = s->view();
        int64_t ncp = s->length;
        if (prec >= 0 && prec < ncp) {
          body = body.substr(0, size_t(str_cp_offset(s, prec)));
          ncp = prec;
        }
        pct_pad_append(out, body, ncp, width, flags);
        break;
      }
      case 'd':
      case 'i':
      case 'u':
        if (v.is_small() && flags == 0 && width < 0 && prec < 0) {
          char buf[24];
          auto r = std::to_chars(buf, buf + sizeof buf, v.small());
          out.append(buf, size_t(r.ptr - buf));
          break;
        }
        pct_format_int(out, v, 'd', width, prec, flags);
        break;
      case 'x':
      case 'X':
      case 'o':
        pct_format_int(out, v, type, width, prec, flags);
        break;
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        pct_format_float(out, v, type, width, prec, flags);
        break;
      case 'c': {
        uint32_t cp;
        if (is_str(v)) {
          Str* s = v.as<Str>();
          if (s->length != 1) raise(&exc_TypeError, "%%c requires int or char");
          const char* p = s->data();
          cp = utf8_decode_valid(p);
        } else if (is_int(v)) {
          int64_t x;
          if (!int_to_i64(v, &x) || x < 0 || x > 0x10FFFF)
            raise(&exc_OverflowError, "%%c arg not in range(0x110000)");
          cp = uint32_t(x);
        } else {
          raise(&exc_TypeError, "%%c requires int or char");
        }
        char buf[4];
        int l = utf8_encode(cp, buf);
        pct_pad_append(out, {buf, size_t(l)}, 1, width, flags);
        break;
      }
      default:
        unsupported_char(fmt, cpos);
    }
  }
  if (a.argidx < a.arglen && !a.dict)
    raise(&exc_TypeError, "not all arguments converted during string formatting");
  return finish_buf(out);
}

}  // namespace gp
