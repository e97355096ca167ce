// float.cpp — the float type: an IEEE double, immediate in the value word or boxed.
//
// Invariants kept here:
//  * Exact floats are made only by float_new (float.h): immediate whenever the double is
//    encodable (core/value.h), else boxed by float_box. Nothing here reads Float::v or
//    a.obj() without knowing the value is a heap float; float_val reads both forms.
//  * Boxed exact floats (nan, inf, denormals, out-of-range magnitudes) are allocated
//    atomic (the header points only at static type data, which the collector need not
//    see); subclass instances use the scanned allocator with the subtype's size because
//    they carry a __dict__ pointer.
//  * repr is the shortest round-tripping text (std::to_chars) laid out as CPython's
//    'r' mode: exponent form when the decimal exponent is < -4 or >= 16, '.0' added
//    to integral values. str(x) == repr(x). All fixed/exponent/general formatting goes
//    through correctly rounded std::to_chars, so results match CPython's dtoa.
//  * Hashes agree with int_hash for integral values; nan hashes by identity.
//  * Comparisons with ints are exact (no rounding of big ints to double).
#include "objects/float.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/formatspec.h"
#include "objects/int.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type float_type;

Value float_box(double d) {
  Float* f = static_cast<Float*>(GC_MALLOC_ATOMIC(sizeof(Float)));
  if (!f) raise_no_memory();
  f->type = &float_type;
  f->v = d;
  return Value::from_obj(f);
}

// ---- text: repr and the format mini-language -------------------------------------------

namespace {

// Significant digits and decimal point position: value = 0.DIGITS * 10**decpt.
struct Digits {
  char buf[800];
  int n = 0;
  int decpt = 0;
};

// Parse the output of to_chars(..., scientific[, prec]) for a positive finite value.
void parse_sci(const char* s, const char* end, Digits& d) {
  d.n = 0;
  const char* p = s;
  while (p < end && *p != 'e') {
    if (*p != '.') d.buf[d.n++] = *p;
    p++;
  }
  int e = 0;
  if (p < end) std::from_chars(p + 1 + (p[1] == '+'), end, e);
  d.decpt = e + 1;
}

void shortest_digits(double a, Digits& d) {
  char tmp[64];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, a, std::chars_format::scientific);
  parse_sci(tmp, r.ptr, d);
  while (d.n > 1 && d.buf[d.n - 1] == '0') d.n--;
}

// Round to `prec` significant digits (prec >= 1).
void precision_digits(double a, int prec, Digits& d) {
  if (a == 0.0) {
    d.n = prec;
    std::memset(d.buf, '0', size_t(prec));
    d.decpt = 1;
    return;
  }
  char tmp[900];
  if (prec > 780) prec = 780;
  auto r = std::to_chars(tmp, tmp + sizeof tmp, a, std::chars_format::scientific, prec - 1);
  parse_sci(tmp, r.ptr, d);
}

void append_exp(std::string& out, int e, char ech) {
  out += ech;
  out += e < 0 ? '-' : '+';
  if (e < 0) e = -e;
  if (e < 10) out += '0';
  out += std::to_string(e);
}

// Lay out digits in exponent or fixed form. `min_frac_point`: always show a '.'
// (alt form); `dot0`: append ".0" to an integral fixed result.
std::string layout(const Digits& d, bool use_exp, bool alt_point, bool dot0, char ech) {
  std::string out;
  if (use_exp) {
    out += d.buf[0];
    if (d.n > 1) {
      out += '.';
      out.append(d.buf + 1, size_t(d.n - 1));
    } else if (alt_point) {
      out += '.';
    }
    append_exp(out, d.decpt - 1, ech);
    return out;
  }
  if (d.decpt <= 0) {
    out += "0.";
    out.append(size_t(-d.decpt), '0');
    out.append(d.buf, size_t(d.n));
  } else if (d.decpt >= d.n) {
    out.append(d.buf, size_t(d.n));
    out.append(size_t(d.decpt - d.n), '0');
    if (dot0) out += ".0";
    else if (alt_point) out += '.';
  } else {
    out.append(d.buf, size_t(d.decpt));
    out += '.';
    out.append(d.buf + d.decpt, size_t(d.n - d.decpt));
  }
  return out;
}

std::string repr_abs(double a, bool alt = false) {
  if (a == 0.0) return "0.0";
  Digits d;
  shortest_digits(a, d);
  return layout(d, d.decpt <= -4 || d.decpt > 16, alt, true, 'e');
}

// 'g'-style formatting of a finite non-negative value; none_type selects the rules of
// format(x, '.Np') (at least one fractional digit, exponent from p-1 on).
std::string general_abs(double a, int prec, bool alt, bool none_type, char ech) {
  if (prec == 0) prec = 1;
  Digits d;
  precision_digits(a, prec, d);
  bool use_exp = d.decpt <= -4 || d.decpt > (none_type ? prec - 1 : prec);
  if (!alt)
    while (d.n > 1 && d.buf[d.n - 1] == '0') d.n--;
  std::string out = layout(d, use_exp, alt, none_type, ech);
  // '#' keeps all `prec` significant digits; past the ~770 a double can have exactly,
  // the rest are zeros, placed after the digits (before the exponent, if any). A
  // decimal point is already there: decpt <= 309 < d.n here.
  if (alt && prec > d.n) {
    size_t at = use_exp ? out.find(ech) : out.size();
    out.insert(at, size_t(prec - d.n), '0');
  }
  return out;
}

std::string fixed_abs(double a, int prec, bool alt) {
  std::string out(size_t(prec) + 330, '\0');
  auto r = std::to_chars(out.data(), out.data() + out.size(), a, std::chars_format::fixed, prec);
  out.resize(size_t(r.ptr - out.data()));
  if (alt && prec == 0) out += '.';
  return out;
}

std::string exp_abs(double a, int prec, bool alt, char ech) {
  std::string out(size_t(prec) + 32, '\0');
  auto r = std::to_chars(out.data(), out.data() + out.size(), a, std::chars_format::scientific, prec);
  out.resize(size_t(r.ptr - out.data()));
  if (alt && prec == 0) {
    size_t e = out.find('e');
    out.insert(e, ".");
  }
  if (ech == 'E') {
    size_t e = out.find('e');
    out[e] = 'E';
  }
  return out;
}

// Formats |d| (sign handled by callers) for presentation type `type` (0 = none).
std::string format_abs(double a, char type, int prec, bool alt) {
  // The digits alone take `prec` bytes (up to INT_MAX): MemoryError up front past what
  // one object may hold, for '%.*f' and format() alike (core/object.h).
  if (prec > 0) check_alloc_size(int64_t(prec) + 400);
  bool upper = type == 'E' || type == 'F' || type == 'G';
  if (std::isinf(a)) return std::string(upper ? "INF" : "inf") + (type == '%' ? "%" : "");
  if (std::isnan(a)) return std::string(upper ? "NAN" : "nan") + (type == '%' ? "%" : "");
  switch (type) {
    case 0:
      if (prec < 0) return repr_abs(a, alt);
      return general_abs(a, prec, alt, true, 'e');
    case 'e': case 'E':
      return exp_abs(a, prec < 0 ? 6 : prec, alt, upper ? 'E' : 'e');
    case 'f': case 'F':
      return fixed_abs(a, prec < 0 ? 6 : prec, alt);
    case '%':
      return fixed_abs(a * 100.0, prec < 0 ? 6 : prec, alt) + "%";
    case 'g': case 'G': case 'n':
      return general_abs(a, prec < 0 ? 6 : prec, alt, false, upper ? 'E' : 'e');
  }
  return repr_abs(a);
}

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

int64_t utf8_length(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) n++;
  return n;
}

std::string group_digits(std::string_view digits, char sep, int group) {
  if (!sep || group <= 0 || digits.size() <= size_t(group)) return std::string(digits);
  std::string out;
  size_t n = digits.size();
  size_t first = n % size_t(group);
  if (first == 0) first = size_t(group);
  out.append(digits.substr(0, first));
  for (size_t i = first; i < n; i += size_t(group)) {
    out += sep;
    out.append(digits.substr(i, size_t(group)));
  }
  return out;
}

}  // namespace

std::string format_number(const FormatSpec& spec, bool negative, std::string_view prefix,
                          std::string_view intpart, std::string_view rest, int group) {
  uint32_t fill = spec.fill ? spec.fill : ' ';
  char align = spec.align;
  if (spec.zero) {
    if (fill == ' ') fill = '0';
    if (!align) align = '=';
  }
  if (!align) align = '>';
  std::string head;
  if (negative) head += '-';
  else if (spec.sign == '+') head += '+';
  else if (spec.sign == ' ') head += ' ';
  head.append(prefix);
  std::string digits(intpart);
  int64_t width = spec.width;
  if (spec.grouping && group > 0 && !intpart.empty() && fill == '0' && align == '=' && width > 0) {
    // zero padding becomes part of the grouped digits, as CPython does
    int64_t min_width = width - int64_t(head.size()) - utf8_length(rest);
    size_t n = digits.size();
    auto glen = [group](size_t k) { return int64_t(k + (k - 1) / size_t(group)); };
    size_t k = n;
    while (glen(k) < min_width) k++;
    if (k > n) digits.insert(0, k - n, '0');
    std::string body = head + group_digits(digits, spec.grouping, group);
    body.append(rest);
    return body;
  }
  std::string body = head + group_digits(digits, spec.grouping, group);
  body.append(rest);
  int64_t len = utf8_length(body);
  if (width <= len) return body;
  int64_t pad = width - len;
  std::string fillstr;
  append_utf8(fillstr, fill);
  // MemoryError for a width no machine holds.
  check_alloc_size(int64_t(body.size()), pad, int64_t(fillstr.size()));
  auto repeat = [&](int64_t k) {
    std::string s;
    s.reserve(size_t(k) * fillstr.size());
    for (int64_t i = 0; i < k; i++) s += fillstr;
    return s;
  };
  switch (align) {
    case '<': return body + repeat(pad);
    case '^': return repeat(pad / 2) + body + repeat(pad - pad / 2);
    case '=': return head + repeat(pad) + body.substr(head.size());
    default: return repeat(pad) + body;
  }
}

std::string float_repr_string(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (std::signbit(d)) return "-" + repr_abs(-d);
  return repr_abs(d);
}

Str* float_repr(double d) {
  if (d == 0.0) return std::signbit(d) ? GP_STR("-0.0") : GP_STR("0.0");
  return str_new(float_repr_string(d));
}

std::string float_format(double d, char type, int precision, bool alt) {
  bool neg = std::signbit(d) && !std::isnan(d);
  std::string body = format_abs(std::fabs(d), type, precision, alt);
  return neg ? "-" + body : body;
}

static std::string code_repr(char c) {
  char buf[16];
  if (c > 32 && c < 127) std::snprintf(buf, sizeof buf, "%c", c);
  else std::snprintf(buf, sizeof buf, "\\x%x", unsigned(uint8_t(c)));
  return buf;
}

Str* float_format_spec(double d, std::string_view spec_text) {
  if (spec_text.empty()) return float_repr(d);
  FormatSpec spec = parse_format_spec(spec_text);
  char type = spec.type;
  switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      break;
    default:
      raise(&exc_ValueError, "Unknown format code '%s' for object of type 'float'",
            code_repr(type).c_str());
  }
  if (spec.grouping && type == 'n')
    raise(&exc_ValueError, "Cannot specify '%c' with 'n'.", spec.grouping);
  bool neg = std::signbit(d) && !std::isnan(d);
  if (spec.precision > INT32_MAX) raise(&exc_ValueError, "precision too big");
  check_alloc_size(spec.precision + 400);  // the digits alone take `precision` bytes
  std::string body = format_abs(std::fabs(d), type, int(spec.precision), spec.alt);
  size_t k = 0;
  while (k < body.size() && body[k] >= '0' && body[k] <= '9') k++;
  std::string_view bv(body);
  return str_new(format_number(spec, neg, "", bv.substr(0, k), bv.substr(k), 3));
}

// ---- parsing ---------------------------------------------------------------------------

// Returns false on a syntax error.
static bool parse_float_text(std::string_view text, double* out) {
  std::string owned = numeric_to_ascii(text);
  std::string_view s = owned;
  size_t i = 0, n = s.size();
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (i < n && space(s[i])) i++;
  while (n > i && space(s[n - 1])) n--;
  s = s.substr(i, n - i);
  if (s.empty()) return false;
  bool neg = false;
  size_t p = 0;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    p = 1;
  }
  std::string_view body = s.substr(p);
  auto ieq = [](std::string_view a, const char* b) {
    size_t bl = std::strlen(b);
    if (a.size() != bl) return false;
    for (size_t k = 0; k < bl; k++)
      if (char(a[k] | 0x20) != b[k]) return false;
    return true;
  };
  if (ieq(body, "inf") || ieq(body, "infinity")) {
    *out = neg ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (ieq(body, "nan")) {
    *out = neg ? -NAN : NAN;
    return true;
  }
  // digits [. digits] [e [sign] digits], underscores only between digits
  std::string clean;
  clean.reserve(body.size());
  size_t k = 0, m = body.size();
  auto is_d = [](char c) { return c >= '0' && c <= '9'; };
  auto run = [&](bool& any) {
    any = false;
    while (k < m) {
      char c = body[k];
      if (is_d(c)) {
        clean += c;
        any = true;
        k++;
      } else if (c == '_' && any && k + 1 < m && is_d(body[k + 1])) {
        k++;
      } else {
        break;
      }
    }
  };
  bool int_digits, frac_digits = false;
  run(int_digits);
  if (k < m && body[k] == '.') {
    clean += '.';
    k++;
    run(frac_digits);
  }
  if (!int_digits && !frac_digits) return false;
  if (k < m && (body[k] == 'e' || body[k] == 'E')) {
    clean += 'e';
    k++;
    if (k < m && (body[k] == '+' || body[k] == '-')) clean += body[k++];
    bool exp_digits;
    run(exp_digits);
    if (!exp_digits) return false;
  }
  if (k != m) return false;
  double v = 0;
  auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    v = std::strtod(clean.c_str(), nullptr);  // inf or a correctly rounded tiny value
  } else if (r.ec != std::errc() || r.ptr != clean.data() + clean.size()) {
    return false;
  }
  *out = neg ? -v : v;
  return true;
}

Value float_from_string(std::string_view s) {
  double d;
  if (!parse_float_text(s, &d)) {
    Str* r = repr(vstr(str_new(s)));
    raise(&exc_ValueError, "could not convert string to float: %s", r->data());
  }
  return float_new(d);
}

Value float_from_object(Value x) {
  if (x.is_small()) return float_new(double(x.small()));
  if (x.is_imm_float()) return x;
  Type* t = x.obj()->type;
  if (t == &float_type) return x;
  if (t == &str_type) return float_from_string(as_str(x)->view());
  Value r = Value::null();
  if (t->flags & TF_HEAPTYPE) {
    r = call_dunder_opt(x, GP_STR("__float__"), {});
    if (r.is_null()) {
      Value i = call_dunder_opt(x, GP_STR("__index__"), {});
      if (!i.is_null()) {
        if (!is_int(i)) raise(&exc_TypeError, "__index__ returned non-int (type %s)", type_name_c(i));
        return float_new(int_to_double(i));
      }
    }
  } else if (t->nb_float) {
    r = t->nb_float(x);
  } else if (t->nb_index) {
    Value i = t->nb_index(x);
    if (!is_int(i)) raise(&exc_TypeError, "__index__ returned non-int (type %s)", type_name_c(i));
    return float_new(int_to_double(i));
  }
  if (!r.is_null()) {
    if (!is_float(r))
      raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", type_name_c(x),
            type_name_c(r));
    return is_type(r, &float_type) ? r : float_new(float_val(r));
  }
  if (is_str(x)) return float_from_string(as_str(x)->view());
  std::string_view bv;
  if (bytes_like_view(x, &bv)) {
    double d;
    if (!parse_float_text(bv, &d)) {
      Str* rs = repr(Value::from_obj(bytes_new(bv)));
      raise(&exc_ValueError, "could not convert string to float: %s", rs->data());
    }
    return float_new(d);
  }
  if (is_float(x)) return float_new(float_val(x));
  if (is_int(x)) return float_new(int_to_double(x));
  raise(&exc_TypeError, "float() argument must be a string or a real number, not '%s'",
        type_name_c(x));
}

// ---- hashing and comparison -------------------------------------------------------------

int64_t float_hash(double v) {
  constexpr uint64_t M = (uint64_t(1) << 61) - 1;
  constexpr int BITS = 61;
  if (!std::isfinite(v)) {
    if (std::isinf(v)) return v > 0 ? 314159 : -314159;
    return 0;
  }
  if (v == std::trunc(v) && std::fabs(v) < 4.0e18) {
    int64_t i = int64_t(v);
    uint64_t u = i < 0 ? uint64_t(0) - uint64_t(i) : uint64_t(i);
    if (u >= M) u %= M;
    int64_t h = i < 0 ? -int64_t(u) : int64_t(u);
    return h == -1 ? -2 : h;
  }
  int e;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m) {
    x = ((x << 28) & M) | x >> (BITS - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = uint64_t(m);
    m -= double(y);
    x += y;
    if (x >= M) x -= M;
  }
  e = e >= 0 ? e % BITS : BITS - 1 - ((-1 - e) % BITS);
  x = ((x << e) & M) | x >> (BITS - e);
  x = x * uint64_t(int64_t(sign));
  int64_t h = int64_t(x);
  return h == -1 ? -2 : h;
}

int float_int_compare(double d, Value i) {
  if (std::isnan(d)) return 2;
  if (std::isinf(d)) return d > 0 ? 1 : -1;
  int64_t s;
  if (int_as_i64(i, &s) && s >= -(int64_t(1) << 53) && s <= (int64_t(1) << 53)) {
    double e = double(s);
    return (d > e) - (d < e);
  }
  // exact: compare i with floor(d); d is integral iff d == floor(d)
  double fl = std::floor(d);
  mpz_t fz, iz;
  mpz_init(fz);
  mpz_init(iz);
  mpz_set_d(fz, fl);
  int_to_mpz(i, iz);
  gmp_check();
  int c = mpz_cmp(iz, fz);  // sign of i - floor(d)
  if (fl == d) return (c < 0) - (c > 0);
  return c <= 0 ? 1 : -1;  // i <= floor(d) < d, or i >= floor(d) + 1 > d
}

// ---- arithmetic -------------------------------------------------------------------------

double float_mod(double vx, double wx) {
  if (wx == 0.0) raise(&exc_ZeroDivisionError, "float modulo");
  double mod = std::fmod(vx, wx);
  if (mod) {
    if ((wx < 0) != (mod < 0)) mod += wx;
  } else {
    mod = std::copysign(0.0, wx);
  }
  return mod;
}

static void divmod_core(double vx, double wx, double* floordiv, double* modp) {
  double mod = std::fmod(vx, wx);
  double div = (vx - mod) / wx;
  if (mod) {
    if ((wx < 0) != (mod < 0)) {
      mod += wx;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, wx);
  }
  double fd;
  if (div) {
    fd = std::floor(div);
    if (div - fd > 0.5) fd += 1.0;
  } else {
    fd = std::copysign(0.0, vx / wx);
  }
  *floordiv = fd;
  *modp = mod;
}

double float_floordiv(double a, double b) {
  if (b == 0.0) raise(&exc_ZeroDivisionError, "float floor division by zero");
  double q, m;
  divmod_core(a, b, &q, &m);
  return q;
}

Value float_divmod(double a, double b) {
  if (b == 0.0) raise(&exc_ZeroDivisionError, "float divmod()");
  double q, m;
  divmod_core(a, b, &q, &m);
  return vtuple(tuple_of({float_new(q), float_new(m)}));
}

static bool is_odd_integer(double w) { return std::fmod(std::fabs(w), 2.0) == 1.0; }

Value float_pow(double iv, double iw) {
  if (iw == 0) return float_new(1.0);
  if (std::isnan(iv)) return float_new(iv);
  if (std::isnan(iw)) return float_new(iv == 1.0 ? 1.0 : iw);
  if (std::isinf(iw)) {
    iv = std::fabs(iv);
    if (iv == 1.0) return float_new(1.0);
    if ((iw > 0.0) == (iv > 1.0)) return float_new(std::fabs(iw));
    return float_new(0.0);
  }
  if (std::isinf(iv)) {
    bool odd = is_odd_integer(iw);
    if (iw > 0.0) return float_new(odd ? iv : std::fabs(iv));
    return float_new(odd ? std::copysign(0.0, iv) : 0.0);
  }
  if (iv == 0.0) {
    bool odd = is_odd_integer(iw);
    if (iw < 0.0)
      raise(&exc_ZeroDivisionError, "0.0 cannot be raised to a negative power");
    return float_new(odd ? iv : 0.0);
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw))
      raise(&exc_ValueError,
            "negative number cannot be raised to a fractional power (complex numbers are not "
            "supported)");
    iv = -iv;
    negate = is_odd_integer(iw);
  }
  if (iv == 1.0) return float_new(negate ? -1.0 : 1.0);
  double ix = std::pow(iv, iw);
  if (std::isinf(ix)) raise(&exc_OverflowError, "(34, 'Numerical result out of range')");
  return float_new(negate ? -ix : ix);
}

// Operand as a double for mixed arithmetic; false if not a float or int.
static inline bool num_val(Value v, double* out) {
  if (v.is_imm_float()) {
    *out = v.imm_float();
    return true;
  }
  if (v.is_small()) {
    *out = double(v.small());
    return true;
  }
  Type* t = v.obj()->type;
  if (t->flags & TF_FLOAT_SUBCLASS) {
    *out = v.as<Float>()->v;
    return true;
  }
  if (t->flags & TF_INT_SUBCLASS) {
    *out = int_to_double(v);
    return true;
  }
  return false;
}

#define GP_FLOAT_OPERANDS                              \
  double x, y;                                         \
  if (!num_val(a, &x) || !num_val(b, &y)) return NotImplemented();

static Value f_add(Value a, Value b) {
  if (is_type(a, &float_type) && is_type(b, &float_type)) return float_new(float_val(a) + float_val(b));
  GP_FLOAT_OPERANDS
  return float_new(x + y);
}
static Value f_sub(Value a, Value b) {
  if (is_type(a, &float_type) && is_type(b, &float_type)) return float_new(float_val(a) - float_val(b));
  GP_FLOAT_OPERANDS
  return float_new(x - y);
}
static Value f_mul(Value a, Value b) {
  if (is_type(a, &float_type) && is_type(b, &float_type)) return float_new(float_val(a) * float_val(b));
  GP_FLOAT_OPERANDS
  return float_new(x * y);
}
static Value f_truediv(Value a, Value b) {
  GP_FLOAT_OPERANDS
  if (y == 0.0) raise(&exc_ZeroDivisionError, "float division by zero");
  return float_new(x / y);
}
static Value f_floordiv(Value a, Value b) {
  GP_FLOAT_OPERANDS
  return float_new(float_floordiv(x, y));
}
static Value f_mod(Value a, Value b) {
  GP_FLOAT_OPERANDS
  return float_new(float_mod(x, y));
}
static Value f_pow(Value a, Value b) {
  GP_FLOAT_OPERANDS
  return float_pow(x, y);
}
#undef GP_FLOAT_OPERANDS

static Value f_neg(Value a) { return a.is_imm_float() ? a.imm_float_neg() : float_new(-float_val(a)); }
static Value f_pos(Value a) { return is_type(a, &float_type) ? a : float_new(float_val(a)); }
static Value f_abs(Value a) { return float_new(std::fabs(float_val(a))); }
static bool f_bool(Value a) { return float_val(a) != 0.0; }
static Value f_int(Value a) { return int_from_double(float_val(a)); }
static Value f_repr(Value a) { return vstr(float_repr(float_val(a))); }

static int64_t f_hash(Value a) {
  double d = float_val(a);
  if (std::isnan(d)) {
    uint64_t y = a.bits();
    y = (y >> 4) | (y << 60);
    int64_t h = int64_t(y);
    return h == -1 ? -2 : h;
  }
  return float_hash(d);
}

static Value f_richcompare(Value a, Value b, CmpOp op) {
  double x = float_val(a);
  int c;
  if (is_float(b)) {
    double y = float_val(b);
    switch (op) {
      case CmpOp::Lt: return Bool(x < y);
      case CmpOp::Le: return Bool(x <= y);
      case CmpOp::Eq: return Bool(x == y);
      case CmpOp::Ne: return Bool(x != y);
      case CmpOp::Gt: return Bool(x > y);
      case CmpOp::Ge: return Bool(x >= y);
    }
  }
  if (!is_int(b)) return NotImplemented();
  c = float_int_compare(x, b);
  if (c == 2) return Bool(op == CmpOp::Ne);
  switch (op) {
    case CmpOp::Lt: return Bool(c < 0);
    case CmpOp::Le: return Bool(c <= 0);
    case CmpOp::Eq: return Bool(c == 0);
    case CmpOp::Ne: return Bool(c != 0);
    case CmpOp::Gt: return Bool(c > 0);
    case CmpOp::Ge: return Bool(c >= 0);
  }
  return NotImplemented();
}

// ---- construction -----------------------------------------------------------------------

static Value f_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (kwnames && kwnames->size) raise(&exc_TypeError, "float() takes no keyword arguments");
  if (nargs > 1) raise(&exc_TypeError, "float expected at most 1 argument, got %zu", nargs);
  Value r = nargs == 0 ? float_new(0.0) : float_from_object(args[0]);
  if (type == &float_type) return r;
  Float* f = static_cast<Float*>(gc_alloc(size_t(std::max<int64_t>(type->basic_size, sizeof(Float)))));
  f->type = type;
  f->v = float_val(r);
  return Value::from_obj(f);
}

// ---- methods ----------------------------------------------------------------------------

// Argument-count errors worded as CPython's METH_NOARGS / METH_O methods.
static void no_args(const char* qualname, size_t n) {
  if (n) raise(&exc_TypeError, "%s() takes no arguments (%zu given)", qualname, n);
}
static void exactly_one(const char* qualname, size_t n) {
  if (n != 1) raise(&exc_TypeError, "%s() takes exactly one argument (%zu given)", qualname, n);
}

static double self_val(const char* name, const Value* args, size_t nargs) {
  if (nargs < 1 || !is_float(args[0]))
    raise(&exc_TypeError, "descriptor '%s' requires a 'float' object", name);
  return float_val(args[0]);
}

static Value m_is_integer(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.is_integer", nargs - 1);
  double d = self_val("is_integer", args, nargs);
  return Bool(std::isfinite(d) && d == std::floor(d));
}

static Value m_as_integer_ratio(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.as_integer_ratio", nargs - 1);
  double d = self_val("as_integer_ratio", args, nargs);
  if (std::isinf(d)) raise(&exc_OverflowError, "cannot convert Infinity to integer ratio");
  if (std::isnan(d)) raise(&exc_ValueError, "cannot convert NaN to integer ratio");
  int e;
  double m = std::frexp(d, &e);
  for (int i = 0; i < 300 && m != std::floor(m); i++) {
    m *= 2.0;
    e--;
  }
  mpz_t num, den;
  mpz_init_set_d(num, m);
  mpz_init_set_ui(den, 1);
  if (e > 0) mpz_mul_2exp(num, num, mp_bitcnt_t(e));
  else mpz_mul_2exp(den, den, mp_bitcnt_t(-e));
  return vtuple(tuple_of({int_from_mpz(num), int_from_mpz(den)}));
}

static Value m_hex(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.hex", nargs - 1);
  double x = self_val("hex", args, nargs);
  if (std::isnan(x) || std::isinf(x)) return vstr(float_repr(x));
  if (x == 0.0) return vstr(str_new(std::signbit(x) ? "-0x0.0p+0" : "0x0.0p+0"));
  int e;
  double m = std::frexp(std::fabs(x), &e);
  int shift = 1 - std::max(-1021 - e, 0);
  m = std::ldexp(m, shift);
  e -= shift;
  std::string s;
  if (x < 0) s += '-';
  s += "0x";
  static const char hexd[] = "0123456789abcdef";
  int d = int(m);
  s += hexd[d];
  m -= d;
  s += '.';
  for (int i = 0; i < 13; i++) {
    m *= 16.0;
    d = int(m);
    s += hexd[d];
    m -= d;
  }
  s += 'p';
  s += e < 0 ? '-' : '+';
  s += std::to_string(e < 0 ? -e : e);
  return vstr(str_new(s));
}

static Value m_fromhex(const Value* args, size_t nargs, Tuple* kw) {
  exactly_one("float.fromhex", nargs - 1);
  Value cls = args[0];
  if (!is_str(args[1]))
    raise(&exc_TypeError, "fromhex() argument must be str, not %s", type_name_c(args[1]));
  std::string_view s = as_str(args[1])->view();
  auto bad = []() -> Value { raise(&exc_ValueError, "invalid hexadecimal floating-point string"); };
  size_t i = 0, n = s.size();
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (i < n && space(s[i])) i++;
  while (n > i && space(s[n - 1])) n--;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  std::string_view body = s.substr(i, n - i);
  auto ieq = [](std::string_view a, const char* b) {
    if (a.size() != std::strlen(b)) return false;
    for (size_t k = 0; k < a.size(); k++)
      if (char(a[k] | 0x20) != b[k]) return false;
    return true;
  };
  double result;
  if (ieq(body, "inf") || ieq(body, "infinity")) {
    result = HUGE_VAL;
  } else if (ieq(body, "nan")) {
    result = NAN;
  } else {
    size_t k = 0, m = body.size();
    if (k + 1 < m && body[k] == '0' && (body[k + 1] | 0x20) == 'x') k += 2;
    std::string digits;
    int64_t frac = 0;
    bool any = false;
    auto hexval = [](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      c = char(c | 0x20);
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    while (k < m && hexval(body[k]) >= 0) {
      digits += body[k++];
      any = true;
    }
    if (k < m && body[k] == '.') {
      k++;
      while (k < m && hexval(body[k]) >= 0) {
        digits += body[k++];
        frac++;
        any = true;
      }
    }
    if (!any) return bad();
    int64_t exp = 0;
    if (k < m && (body[k] | 0x20) == 'p') {
      k++;
      bool eneg = false;
      if (k < m && (body[k] == '+' || body[k] == '-')) eneg = body[k++] == '-';
      if (k >= m || body[k] < '0' || body[k] > '9') return bad();
      while (k < m && body[k] >= '0' && body[k] <= '9') {
        if (exp < (int64_t(1) << 40)) exp = exp * 10 + (body[k] - '0');
        k++;
      }
      if (eneg) exp = -exp;
    }
    if (k != m) return bad();
    gmp_reserve(double(digits.size()) * 3 / 16 + 2);  // the result and GMP's copy of the digits
    mpz_t z;
    mpz_init(z);
    mpz_set_str(z, digits.c_str(), 16);
    gmp_check();
    bool ovf;
    result = mpz_ldexp_double(z, exp - 4 * frac, &ovf);
    if (ovf) raise(&exc_OverflowError, "hexadecimal value too large to represent as a float");
  }
  Value r = float_new(neg ? -result : result);
  if (cls.is_obj() && cls.obj() == &float_type) return r;
  return call(cls, {r});
}

static Value m_conjugate(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.conjugate", nargs - 1);
  return float_new(self_val("conjugate", args, nargs));
}
static Value get_real(Value v) { return is_type(v, &float_type) ? v : float_new(float_val(v)); }
static Value get_imag(Value) { return float_new(0.0); }

static Value m_trunc(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.__trunc__", nargs - 1);
  return int_from_double(self_val("__trunc__", args, nargs));
}
static Value m_floor(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.__floor__", nargs - 1);
  return int_from_double(std::floor(self_val("__floor__", args, nargs)));
}
static Value m_ceil(const Value* args, size_t nargs, Tuple* kw) {
  no_args("float.__ceil__", nargs - 1);
  return int_from_double(std::ceil(self_val("__ceil__", args, nargs)));
}

double float_round_ndigits(double x, int64_t nd) {
  if (!std::isfinite(x) || x == 0.0) return x;
  if (nd > 323) return x;
  if (nd < -308) return 0.0 * x;
  if (nd >= 0) {
    // correctly rounded (half-even on the exact binary value) decimal text, read back
    std::string s(size_t(nd) + 340, '\0');
    auto r = std::to_chars(s.data(), s.data() + s.size(), x, std::chars_format::fixed, int(nd));
    double out = 0;
    std::from_chars(s.data(), r.ptr, out);
    return out;
  }
  // x = m * 2**e exactly; round x / 10**k half-even, times 10**k
  int e;
  double fm = std::frexp(x, &e);
  mpz_t m, p, q, rem, twice, den;
  mpz_init_set_d(m, std::ldexp(fm, 53));
  e -= 53;
  mpz_init(p);
  mpz_init(q);
  mpz_init(rem);
  mpz_init(twice);
  mpz_init(den);
  mpz_ui_pow_ui(p, 10, (unsigned long)(-nd));
  if (e >= 0) {
    mpz_mul_2exp(m, m, mp_bitcnt_t(e));
    mpz_set(den, p);
  } else {
    mpz_mul_2exp(den, p, mp_bitcnt_t(-e));
  }
  mpz_fdiv_qr(q, rem, m, den);
  mpz_mul_2exp(twice, rem, 1);
  int c = mpz_cmp(twice, den);
  if (c > 0 || (c == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
  mpz_mul(q, q, p);
  gmp_check();
  bool ovf;
  double out = mpz_ldexp_double(q, 0, &ovf);
  if (ovf) raise(&exc_OverflowError, "rounded value too large to represent");
  if (out == 0.0) out = std::copysign(0.0, x);
  return out;
}

static Value m_round(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("__round__", nargs - 1, 0, 1);
  double x = self_val("__round__", args, nargs);
  Value a[1] = {nargs > 1 ? args[1] : Value::null()};
  if (a[0].is_null() || is_none(a[0])) {
    double r = std::nearbyint(x);  // round-half-even in the default rounding mode
    return int_from_double(r);
  }
  Value nd = number_index(a[0]);
  int64_t n;
  if (!int_as_i64(nd, &n)) n = int_sign(nd) > 0 ? INT64_MAX : INT64_MIN;
  return float_new(float_round_ndigits(x, n));
}

static Value m_format(const Value* args, size_t nargs, Tuple* kw) {
  exactly_one("float.__format__", nargs - 1);
  double x = self_val("__format__", args, nargs);
  if (!is_str(args[1]))
    raise(&exc_TypeError, "__format__() argument must be str, not %s", type_name_c(args[1]));
  if (as_str(args[1])->size == 0 && !is_type(args[0], &float_type)) return vstr(str(args[0]));
  return vstr(float_format_spec(x, as_str(args[1])->view()));
}

static Value m_divmod(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__divmod__", nargs - 1, 1, 1);
  double x = self_val("__divmod__", args, nargs), y;
  if (!num_val(args[1], &y)) return NotImplemented();
  return float_divmod(x, y);
}
static Value m_rdivmod(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__rdivmod__", nargs - 1, 1, 1);
  double x = self_val("__rdivmod__", args, nargs), y;
  if (!num_val(args[1], &y)) return NotImplemented();
  return float_divmod(y, x);
}

static Value m_pow(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__pow__", nargs - 1, 1, 2);
  double x = self_val("__pow__", args, nargs), y;
  if (nargs > 2 && !is_none(args[2]))
    raise(&exc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
  if (!num_val(args[1], &y)) return NotImplemented();
  return float_pow(x, y);
}
static Value m_rpow(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__rpow__", nargs - 1, 1, 2);
  double x = self_val("__rpow__", args, nargs), y;
  if (nargs > 2 && !is_none(args[2]))
    raise(&exc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
  if (!num_val(args[1], &y)) return NotImplemented();
  return float_pow(y, x);
}

static Value m_getnewargs(const Value* args, size_t nargs, Tuple* kw) {
  return vtuple(tuple_of({float_new(self_val("__getnewargs__", args, nargs))}));
}

static Value m_getformat(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__getformat__", nargs - 1, 1, 1);
  if (!is_str(args[1]))
    raise(&exc_TypeError, "__getformat__() argument must be str, not %s", type_name_c(args[1]));
  std::string_view s = as_str(args[1])->view();
  if (s != "double" && s != "float")
    raise(&exc_ValueError, "__getformat__() argument 1 must be 'double' or 'float'");
  return vstr(str_new("IEEE, little-endian"));
}

void init_float_type() {
  Type* t = &float_type;
  t->type = &type_type;
  t->name = "float";
  t->base = &object_type;
  t->basic_size = sizeof(Float);
  t->itemsize = 0;
  t->flags = TF_BASETYPE | TF_FLOAT_SUBCLASS;
  t->doc = "Convert a string or number to a floating point number, if possible.";
  t->repr = f_repr;
  t->hash = f_hash;
  t->richcompare = f_richcompare;
  t->nb_bool = f_bool;
  t->tp_new = f_tp_new;
  t->nb[size_t(BinOp::Add)] = f_add;
  t->nb[size_t(BinOp::Sub)] = f_sub;
  t->nb[size_t(BinOp::Mul)] = f_mul;
  t->nb[size_t(BinOp::TrueDiv)] = f_truediv;
  t->nb[size_t(BinOp::FloorDiv)] = f_floordiv;
  t->nb[size_t(BinOp::Mod)] = f_mod;
  t->nb[size_t(BinOp::Pow)] = f_pow;
  t->nb_neg = f_neg;
  t->nb_pos = f_pos;
  t->nb_abs = f_abs;
  t->nb_int = f_int;
  t->nb_float = f_pos;
  type_ready(t);
  type_add_method(t, "is_integer", m_is_integer);
  type_add_method(t, "as_integer_ratio", m_as_integer_ratio);
  type_add_method(t, "hex", m_hex);
  type_add_method(t, "fromhex", m_fromhex, METH_CLASS);
  type_add_method(t, "conjugate", m_conjugate);
  type_add_method(t, "__trunc__", m_trunc);
  type_add_method(t, "__floor__", m_floor);
  type_add_method(t, "__ceil__", m_ceil);
  type_add_method(t, "__round__", m_round);
  type_add_method(t, "__format__", m_format);
  type_add_method(t, "__divmod__", m_divmod);
  type_add_method(t, "__rdivmod__", m_rdivmod);
  type_add_method(t, "__pow__", m_pow);
  type_add_method(t, "__rpow__", m_rpow);
  type_add_method(t, "__getnewargs__", m_getnewargs);
  type_add_method(t, "__getformat__", m_getformat, METH_CLASS);
  type_add_getset(t, "real", get_real);
  type_add_getset(t, "imag", get_imag);
}

}  // namespace gp
